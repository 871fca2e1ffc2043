// The two front ends meet at one typed request: a compose service and the equivalent `run`
// flags (-p, -v, --tmpfs, --ulimit, -m) give the engine the same entries.
#include "compose/service_request.h"

#include <gtest/gtest.h>

#include "tests/unit/cli/request/run_args.h"
#include "tests/unit/compose/test_project.h"

namespace berth::compose {
namespace {

request::ContainerRequest from_flags(std::vector<std::string> args) {
  return cli::request_from_run_args(std::move(args));
}

request::ContainerRequest from_compose(const std::string& yaml) {
  TestProject p;
  p.file("compose.yaml", yaml);
  schema::Project project = p.load();
  return service_request(project, *project.find_service("web"));
}

TEST(ServiceRequest, SameRequestAsTheFlags) {
  const auto compose = from_compose(
      "name: proj\n"
      "services:\n"
      "  web:\n"
      "    image: busybox\n"
      "    ports: [\"127.0.0.1::53/udp\", \"8080:80\", \"9000-9001:90-91\", \"7000-7010:70\"]\n"
      "    volumes: [\"/srv/data:/data:ro\", \"cache:/cache:nocopy\", \"/logs\"]\n"
      "    tmpfs: [\"/run:size=64m,mode=1770\"]\n"
      "    ulimits:\n"
      "      nofile: {soft: 1024, hard: 2048}\n"
      "      nproc: 512\n"
      "    mem_limit: 512m\n"
      "volumes:\n"
      "  cache: {}\n");
  const auto cli = from_flags({"-p",       "127.0.0.1::53/udp",
                               "-p",       "8080:80",
                               "-p",       "9000-9001:90-91",
                               "-p",       "7000-7010:70",
                               "-v",       "/srv/data:/data:ro",
                               "-v",       "proj_cache:/cache:nocopy",
                               "-v",       "/logs",
                               "--tmpfs",  "/run:size=64m,mode=1770",
                               "--ulimit", "nofile=1024:2048",
                               "--ulimit", "nproc=512",
                               "-m",       "512m",
                               "busybox"});
  EXPECT_EQ(compose.image, cli.image);
  EXPECT_EQ(compose.publish, cli.publish);
  ASSERT_EQ(compose.mounts.size(), cli.mounts.size());
  for (size_t i = 0; i < cli.mounts.size(); ++i) {
    const auto& a = compose.mounts[i];
    const auto& b = cli.mounts[i];
    EXPECT_EQ(a.type, b.type) << i;
    EXPECT_EQ(a.source, b.source) << i;
    EXPECT_EQ(a.target, b.target) << i;
    EXPECT_EQ(a.readonly, b.readonly) << i;
    EXPECT_EQ(a.nocopy, b.nocopy) << i;
    EXPECT_EQ(a.tmpfs_data, b.tmpfs_data) << i;
    EXPECT_EQ(a.tmpfs_flags, b.tmpfs_flags) << i;
  }
  EXPECT_EQ(compose.resources, cli.resources);
  EXPECT_EQ(compose.resources.memory, 512LL << 20);
  EXPECT_EQ(compose.resources.ulimits.size(), 2u);
}

TEST(ServiceRequest, ProcessNetworksAndSupervision) {
  const auto r = from_compose(
      "name: proj\n"
      "services:\n"
      "  web:\n"
      "    image: busybox\n"
      "    entrypoint: [\"/bin/sh\", \"-c\"]\n"
      "    command: [\"echo hi\"]\n"
      "    environment: {A: \"1\"}\n"
      "    restart: on-failure:3\n"
      "    stop_grace_period: 1m\n"
      "    networks:\n"
      "      back: {aliases: [db], ipv4_address: 10.5.0.9}\n"
      "networks:\n"
      "  back: {}\n");
  EXPECT_EQ(r.process.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(r.process.command, (std::vector<std::string>{"echo hi"}));
  EXPECT_EQ(r.process.env, (std::vector<request::EnvPair>{{"A", "1"}}));
  EXPECT_EQ(r.supervision.restart, (request::RestartPolicy{"on-failure", 3}));
  EXPECT_EQ(r.supervision.stop_timeout, 60);
  ASSERT_EQ(r.network.networks.size(), 1u);
  EXPECT_EQ(r.network.networks[0].name, "proj_back");
  EXPECT_EQ(r.network.networks[0].aliases, (std::vector<std::string>{"db"}));
  EXPECT_EQ(r.network.networks[0].ipv4_address, "10.5.0.9");
}

}  // namespace
}  // namespace berth::compose

namespace berth::compose {
namespace {

TEST(ServiceRequest, HealthcheckAsTheFlags) {
  const auto compose = from_compose(
      "services:\n"
      "  web:\n"
      "    image: busybox\n"
      "    healthcheck:\n"
      "      test: test -f /tmp/ok\n"
      "      interval: 200ms\n"
      "      timeout: 1s\n"
      "      start_period: 2s\n"
      "      start_interval: 100ms\n"
      "      retries: 4\n");
  const auto flags =
      from_flags({"--health-cmd", "test -f /tmp/ok", "--health-interval", "200ms",
                  "--health-timeout", "1s", "--health-start-period", "2s",
                  "--health-start-interval", "100ms", "--health-retries", "4", "busybox"});
  ASSERT_TRUE(compose.healthcheck.has_value());
  EXPECT_EQ(compose.healthcheck, flags.healthcheck);
}

// disable: true is Docker Compose's Test ["NONE"], as --no-healthcheck: the image's goes too.
TEST(ServiceRequest, HealthcheckDisableAsNoHealthcheck) {
  const auto compose = from_compose(
      "services:\n"
      "  web:\n"
      "    image: busybox\n"
      "    healthcheck:\n"
      "      disable: true\n");
  const auto flags = from_flags({"--no-healthcheck", "busybox"});
  ASSERT_TRUE(flags.healthcheck.has_value());
  EXPECT_EQ(compose.healthcheck, flags.healthcheck);
}

}  // namespace
}  // namespace berth::compose

namespace berth::compose {
namespace {

TEST(ServiceRequest, VolumesFromAServiceStaysAReferenceAndAContainerIsNamed) {
  TestProject p;
  p.file("compose.yaml",
         "services:\n"
         "  web:\n"
         "    image: busybox\n"
         "    volumes_from: [data, \"data:ro\", \"container:keep\", \"container:keep:rw\"]\n"
         "  data:\n"
         "    image: busybox\n");
  const schema::Project project = p.load();
  const auto r = service_request(project, *project.find_service("web"));
  ASSERT_EQ(r.volumes_from.size(), 4u);
  EXPECT_EQ(r.volumes_from[0], (request::VolumesFrom{"service:data", std::nullopt}));
  EXPECT_EQ(r.volumes_from[1], (request::VolumesFrom{"service:data", true}));
  EXPECT_EQ(r.volumes_from[2], (request::VolumesFrom{"keep", std::nullopt}));
  EXPECT_EQ(r.volumes_from[3], (request::VolumesFrom{"keep", false}));
}

}  // namespace
}  // namespace berth::compose
