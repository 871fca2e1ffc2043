// Compose's lifecycle hooks: post_start runs in the container right after it starts (with its
// own user, working directory and environment), pre_stop right before it stops (`stop` and
// `down`), and a failing post_start fails `up` naming the service. `compose config` prints
// them in their long form.
#include <gtest/gtest.h>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

// A named volume outlives the container, so a pre_stop hook's mark can be read after it.
const char* const kHooked = R"yaml(
services:
  app:
    image: busybox
    command: ["sh", "-c", "until [ -f /data/started ]; do sleep 0.05; done; cat /data/started; exec sleep 600"]
    stop_signal: SIGKILL
    user: "65534"
    volumes: [data:/data]
    post_start:
      - command: sh -c 'echo "$$GREETING from $$(pwd) as $$(id -u)" > /data/started'
        user: root
        working_dir: /tmp
        environment:
          GREETING: hello
    pre_stop:
      - command: ["sh", "-c", "echo stopping >> /data/stopped"]
        user: root
volumes:
  data: {}
)yaml";

TEST_F(ComposeUp, APostStartHookRunsInTheContainerWithItsOwnUserDirAndEnvironment) {
  write(kHooked);
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(trim(st_.berth({"exec", project_ + "-app-1", "cat", "/data/started"}).out),
            "hello from /tmp as 0");
  EXPECT_EQ(logs_soon("app"), "hello from /tmp as 0") << "the container saw the hook's file";
}

TEST_F(ComposeUp, APreStopHookRunsOnStopAndOnDown) {
  write(kHooked);
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"stop", "-t", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Read through a container of its own: the app's is stopped.
  auto marks = [&] {
    return trim(st_.berth({"run", "--rm", "-v", project_ + "_data:/data", "busybox", "sh", "-c",
                           "cat /data/stopped 2>/dev/null"})
                    .out);
  };
  EXPECT_EQ(marks(), "stopping");
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  r = compose({"down", "-t", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(marks(), "stopping\nstopping");
}

TEST_F(ComposeUp, AFailingPostStartHookFailsUpNamingTheService) {
  write(R"(
services:
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    post_start:
      - command: ["true"]
      - command: ["sh", "-c", "exit 3"]
  other:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
)");
  auto r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("app: post_start hook exited with status 3"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("app: app"), std::string::npos) << r.err;
  EXPECT_NE(id_of("other"), "") << "the other service came up";
}

TEST_F(ComposeUp, ConfigPrintsTheHooksInTheirLongForm) {
  write(kHooked);
  auto r = compose({"config"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("post_start:\n      - command:\n          - sh\n          - -c\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("GREETING: hello"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pre_stop:"), std::string::npos) << r.out;
  write(R"(
services:
  app:
    image: busybox
    post_start:
      - user: root
)");
  r = compose({"config"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("services.app.post_start[0]: requires `command`"), std::string::npos)
      << r.err;
}

// pre_start: init containers with the service's volumes, environment and networks, run to
// completion before its containers start; once per bring-up, not at a no-op `up` or a scale-up.
const char* const kPreStart = R"yaml(
services:
  app:
    image: busybox
    command: ["sh", "-c", "cat /data/runs; exec sleep 600"]
    stop_signal: SIGKILL
    environment: {WHO: app}
    volumes: [data:/data]
    pre_start:
      - command: ["sh", "-c", "echo first-$$WHO-$$EXTRA >> /data/runs; chmod 666 /data/runs"]
        environment: {EXTRA: hook}
      - command: ["sh", "-c", "echo second-$$(id -u) >> /data/runs"]
        user: "65534"
        privileged: true
volumes:
  data: {}
)yaml";

TEST_F(ComposeUp, PreStartHooksRunInOrderBeforeTheServiceOncePerBringUp) {
  write(kPreStart);
  auto r = compose({"up", "-d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(logs_soon("app"), "first-app-hook\nsecond-65534");
  auto runs = [&] {
    return trim(st_.berth({"exec", project_ + "-app-1", "cat", "/data/runs"}).out);
  };
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);                      // nothing to do: no hook
  ASSERT_EQ(compose({"up", "-d", "--scale", "app=2"}).exit_code, 0);  // scale-up: no hook
  EXPECT_EQ(runs(), "first-app-hook\nsecond-65534");
  // The hook containers are gone, and were never the service's replicas.
  auto ps = st_.berth({"ps", "-a", "--filter", "label=com.docker.compose.hook=pre_start", "-q"});
  EXPECT_EQ(ps.out, "");
  ASSERT_EQ(compose({"up", "-d", "--force-recreate", "--scale", "app=1"}).exit_code, 0);
  EXPECT_EQ(runs(), "first-app-hook\nsecond-65534\nfirst-app-hook\nsecond-65534");
}

TEST_F(ComposeUp, AFailingPreStartHookStopsTheServiceAndStaysForInspection) {
  write(R"(
services:
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    pre_start:
      - command: ["sh", "-c", "echo cannot migrate; exit 4"]
  after:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    depends_on: [app]
)");
  auto r = compose({"up", "-d"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("app: pre_start hook " + project_ +
                       "-app-pre_start-1 exited with status 4: cannot migrate"),
            std::string::npos)
      << r.err;
  auto kept = st_.berth({"ps", "-a", "--filter", "label=com.docker.compose.hook=pre_start",
                         "--format", "{{.Names}} {{.Status}}"});
  EXPECT_EQ(kept.out.substr(0, kept.out.find(" Exited (4)")), project_ + "-app-pre_start-1")
      << kept.out;
  EXPECT_EQ(inspect(st_, project_ + "-app-1")["State"]["Status"], "created");
  EXPECT_EQ(id_of("after"), "") << "its dependent was not created";
  // Fixed, the next `up` replaces the kept hook container and starts the service.
  write(R"(
services:
  app:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    pre_start:
      - command: ["true"]
)");
  r = compose({"up", "-d", "--remove-orphans"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(inspect(st_, project_ + "-app-1")["State"]["Status"], "running");
}

}  // namespace
}  // namespace berth::test
