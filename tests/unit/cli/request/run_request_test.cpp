// `run`/`create` flags → the typed request: values, and errors that name the flag.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/error.h"
#include "tests/unit/cli/request/run_args.h"

namespace berth::cli {
namespace {

request::ContainerRequest parse(std::vector<std::string> args) {
  return request_from_run_args(std::move(args));
}

std::string error_of(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    return e.what();
  }
  return "(no error)";
}

TEST(RunRequest, ErrorsNameTheFlag) {
  EXPECT_EQ(error_of({"-p", "80:abc", "img"}),
            "invalid argument \"80:abc\" for \"-p, --publish\" flag: invalid containerPort: abc");
  EXPECT_EQ(error_of({"--ulimit", "nofile=2:1", "img"}),
            "invalid argument \"nofile=2:1\" for \"--ulimit\" flag: ulimit soft limit must be less "
            "than or equal to hard limit: 2 > 1");
  EXPECT_EQ(error_of({"-m", "12x", "img"}),
            "invalid argument \"12x\" for \"--memory\" flag: invalid size: '12x'");
  EXPECT_EQ(
      error_of({"--cpus", "abc", "img"}),
      "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number");
  EXPECT_EQ(error_of({"--add-host", "db", "img"}),
            "invalid argument \"db\" for \"--add-host\" flag: bad format");
  EXPECT_EQ(error_of({"--dns", "nope", "img"}),
            "invalid argument \"nope\" for \"--dns\" flag: not an IP address");
  EXPECT_EQ(error_of({"--cpuset-cpus", "0-", "img"}),
            "invalid argument \"0-\" for \"--cpuset-cpus\" flag: invalid format");
  EXPECT_EQ(error_of({"--sysctl", "=1", "img"}),
            "invalid argument \"=1\" for \"--sysctl\" flag: expected KEY=VALUE");
  EXPECT_EQ(error_of({"--restart", "sometimes", "img"}), "invalid restart policy 'sometimes'");
  EXPECT_EQ(error_of({"-v", "v:/x:bogus", "img"}).substr(0, 8), "create v");
}

TEST(RunRequest, ProcessAndEnvironment) {
  ::setenv("BERTH_TEST_RUNREQ", "host", 1);
  auto r = parse({"--entrypoint", "", "-e", "A=1", "-e", "BERTH_TEST_RUNREQ", "-e", "A=2", "-w",
                  "/srv", "img", "echo", "hi"});
  EXPECT_EQ(r.image, "img");
  EXPECT_EQ(r.process.entrypoint, std::vector<std::string>{});  // --entrypoint "" clears
  EXPECT_EQ(r.process.command, (std::vector<std::string>{"echo", "hi"}));
  EXPECT_EQ(r.process.env,
            (std::vector<request::EnvPair>{{"A", "1"}, {"BERTH_TEST_RUNREQ", "host"}, {"A", "2"}}));
  EXPECT_EQ(r.process.working_dir, "/srv");
  EXPECT_EQ(r.process.user, std::nullopt);
  EXPECT_EQ(parse({"img"}).process.command, std::nullopt);
}

TEST(RunRequest, RelativeBindSourceIsFromTheWorkingDirectory) {
  auto r = parse({"-v", "./data:/data", "img"});
  ASSERT_EQ(r.mounts.size(), 1u);
  EXPECT_EQ(r.mounts[0].source, (std::filesystem::current_path() / "data").string());
}

TEST(RunRequest, NetworkAndLimits) {
  auto r = parse({"--network", "back", "--network-alias", "db", "--ip", "10.9.0.9", "--pids-limit",
                  "0", "--restart", "on-failure:2", "--stop-timeout", "3", "img"});
  ASSERT_EQ(r.network.networks.size(), 1u);
  EXPECT_EQ(r.network.networks[0].name, "back");
  EXPECT_EQ(r.network.networks[0].aliases, std::vector<std::string>{"db"});
  EXPECT_EQ(r.network.networks[0].ipv4_address, "10.9.0.9");
  EXPECT_EQ(r.resources.pids_limit, -1);  // <= 0: unlimited, as Docker
  EXPECT_EQ(r.supervision.restart, (request::RestartPolicy{"on-failure", 2}));
  EXPECT_EQ(r.supervision.stop_timeout, 3);
  EXPECT_EQ(parse({"--network", "host", "img"}).network.mode, "host");
}

}  // namespace
}  // namespace berth::cli

namespace berth::cli {
namespace {

TEST(RunRequest, HealthFlags) {
  const auto r = parse({"--health-cmd", "test -f /tmp/ok", "--health-interval", "1m30s",
                        "--health-retries", "2", "img"});
  ASSERT_TRUE(r.healthcheck.has_value());
  EXPECT_EQ(r.healthcheck->test, (std::vector<std::string>{"CMD-SHELL", "test -f /tmp/ok"}));
  EXPECT_EQ(r.healthcheck->interval_ns, 90'000'000'000);
  EXPECT_EQ(r.healthcheck->timeout_ns, 0);  // 0: the image's, else Docker's default
  EXPECT_EQ(r.healthcheck->retries, 2);
  // Without a command: the image's test, these fields over it.
  EXPECT_TRUE(parse({"--health-timeout", "5s", "img"}).healthcheck->test.empty());
  EXPECT_FALSE(parse({"img"}).healthcheck.has_value());
  EXPECT_EQ(parse({"--no-healthcheck", "img"}).healthcheck->test,
            (std::vector<std::string>{"NONE"}));
}

TEST(RunRequest, HealthFlagErrors) {
  EXPECT_EQ(error_of({"--no-healthcheck", "--health-cmd", "true", "img"}),
            "--no-healthcheck conflicts with --health-* options");
  EXPECT_EQ(error_of({"--health-interval", "-1s", "img"}), "--health-interval cannot be negative");
  EXPECT_EQ(error_of({"--health-retries", "-1", "img"}), "--health-retries cannot be negative");
  EXPECT_EQ(error_of({"--health-timeout", "soon", "img"})
                .rfind("invalid argument \"soon\" for \"--health-timeout\" flag: ", 0),
            0u);
}

}  // namespace
}  // namespace berth::cli
