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

}  // namespace
}  // namespace berth::test
