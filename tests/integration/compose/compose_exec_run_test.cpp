// `berth compose exec` and `compose run` end to end: exec's exit code, flags and Compose's
// message for a service with no running container; run's one-off container (Compose's name
// and labels, its dependencies started first, --rm, -e/-v/-p/--service-ports, the exit code
// passed through), hidden from `ps` and removed by `down`.
#include <gtest/gtest.h>

#include <regex>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {

// Outside the anonymous namespace: the TEST_F classes derive from it (GCC's
// -Wsubobject-linkage in a unity batch).
class ComposeExecRun : public ComposeUp {
 protected:
  // Names of every container of the project, running or not.
  std::string project_containers() {
    return st_
        .berth({"ps", "-a", "--format", "{{.Names}}", "--filter",
                "label=com.docker.compose.project=" + project_})
        .out;
  }
};

namespace {

namespace fs = std::filesystem;

TEST_F(ComposeExecRun, ExecRunsInTheServiceContainerWithItsFlagsAndExitCode) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"exec", "-T", "web", "sh", "-c", "echo hi; exit 3"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(r.out, "hi\n");
  r = compose({"exec", "-T", "-e", "GREETING=hello", "-w", "/tmp", "-u", "1000", "client", "sh",
               "-c", "echo $GREETING $(pwd) $(id -u)"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello /tmp 1000\n");
  r = compose({"exec", "-T", "--index", "1", "web", "cat", "/www/index.html"});
  EXPECT_EQ(r.out, "served-by-web\n") << r.err;
}

TEST_F(ComposeExecRun, ExecWithoutARunningContainerIsComposesError) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"exec", "-T", "--index", "2", "web", "true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("service \"web\" is not running container #2"), std::string::npos) << r.err;
  ASSERT_EQ(compose({"stop", "-t", "0", "web"}).exit_code, 0);
  r = compose({"exec", "-T", "web", "true"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("service \"web\" is not running"), std::string::npos) << r.err;
}

TEST_F(ComposeExecRun, RunStartsDependenciesAndMakesAOneOffContainer) {
  write(stack());
  auto r = compose({"run", "-T", "client", "sh", "-c", "echo from-run; exit 7"});
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_EQ(r.out, "from-run\n");
  EXPECT_NE(r.err.find(" Container " + project_ + "-web-1  Started"), std::string::npos) << r.err;
  EXPECT_NE(id_of("web"), "") << "the dependency was brought up";
  EXPECT_EQ(id_of("client"), "") << "the service itself is not";
  const std::string names = project_containers();
  std::smatch m;
  ASSERT_TRUE(std::regex_search(names, m, std::regex(project_ + "-client-run-[0-9a-f]{12}\n")))
      << names;
  const std::string name = trim(m.str());
  auto labels = inspect(st_, name)["Config"]["Labels"];
  EXPECT_EQ(labels["com.docker.compose.oneoff"], "True");
  EXPECT_EQ(labels["com.docker.compose.project"], project_);
  EXPECT_EQ(labels["com.docker.compose.service"], "client");
  EXPECT_EQ(labels["com.docker.compose.slug"].get<std::string>().size(), 64u);
  EXPECT_EQ(labels["com.docker.compose.slug"].get<std::string>().substr(0, 12),
            name.substr(name.size() - 12));
}

TEST_F(ComposeExecRun, RunDetachedIsHiddenFromPsAndRemovedByDown) {
  write(stack());
  auto r = compose({"run", "-d", "--name", project_ + "-job", "client", "sleep", "600"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(r.out);
  EXPECT_EQ(id.size(), 64u) << r.out;
  EXPECT_TRUE(inspect(st_, project_ + "-job")["State"]["Running"].get<bool>());
  r = compose({"ps", "--format", "{{.Name}}"});
  EXPECT_EQ(r.out, project_ + "-web-1\n") << "ps leaves one-off containers out";
  r = compose({"ps", "-a", "--format", "{{.Name}}"});
  EXPECT_NE(r.out.find(project_ + "-job"), std::string::npos) << "ps -a shows them";
  r = compose({"ps", "--status", "running", "--format", "{{.Name}}"});
  EXPECT_NE(r.out.find(project_ + "-job"), std::string::npos) << "and ps --status";
  r = compose({"down", "-t", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(project_containers(), "");
}

TEST_F(ComposeExecRun, RunRmNoDepsEnvVolumeLeaveNothing) {
  write(stack());
  const fs::path host = st_.dir() / "share";
  fs::create_directories(host);
  write_file_atomic(host / "f", "from-host\n", 0644);
  auto r = compose({"run", "--rm", "-T", "--no-deps", "-e", "X=from-env", "-v",
                    host.string() + ":/mnt", "client", "sh", "-c", "echo $X; cat /mnt/f"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "from-env\nfrom-host\n");
  EXPECT_EQ(id_of("web"), "") << "--no-deps";
  EXPECT_EQ(project_containers(), "") << "--rm";
}

TEST_F(ComposeExecRun, RunPublishesTheServicePortsOnlyWhenAsked) {
  write(stack());
  auto r = compose({"run", "-d", "--no-deps", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(st_.berth({"port", trim(r.out)}).out, "") << "no ports without --service-ports";
  ASSERT_EQ(st_.berth({"rm", "-f", trim(r.out)}).exit_code, 0);
  r = compose({"run", "-d", "--no-deps", "--service-ports", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fetch_from_host(), "served-by-web\n");
  ASSERT_EQ(st_.berth({"rm", "-f", trim(r.out)}).exit_code, 0);
  r = compose(
      {"run", "-d", "--no-deps", "-p", "127.0.0.1:" + std::to_string(kPort) + ":80", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fetch_from_host(), "served-by-web\n");
  r = compose({"run", "--service-ports", "-p", "80", "web"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--service-ports and --publish are incompatible"), std::string::npos)
      << r.err;
}

TEST_F(ComposeExecRun, RunWaitsForItsDependencysCondition) {
  write(R"(
services:
  init:
    image: busybox
    command: ["sh", "-c", "sleep 1"]
  app:
    image: busybox
    depends_on:
      init: {condition: service_completed_successfully}
)");
  auto r = compose({"run", "--rm", "-T", "app", "echo", "ok"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_NE(r.err.find(" Container " + project_ + "-init-1  Exited"), std::string::npos) << r.err;
}

TEST_F(ComposeExecRun, RunOfAnUnknownServiceFails) {
  write(stack());
  auto r = compose({"run", "--rm", "-T", "nope", "true"});
  EXPECT_EQ(r.exit_code, 15) << "the loader's error, as for every compose command";
  EXPECT_NE(r.err.find("no such service: nope"), std::string::npos) << r.err;
  EXPECT_EQ(project_containers(), "");
}

TEST_F(ComposeExecRun, RunWithABadFlagValueMakesNothing) {
  write(stack());
  auto r = compose({"run", "--rm", "-T", "-l", "=x", "client", "true"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--label: invalid label '=x'"), std::string::npos) << r.err;
  EXPECT_EQ(project_containers(), "");
  EXPECT_NE(st_.berth({"network", "inspect", project_ + "_front"}).exit_code, 0)
      << "not even the network the dependencies would have needed";
}

}  // namespace
}  // namespace berth::test
