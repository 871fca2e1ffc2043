// `compose build` and `up` with `build:` sections: images tagged PROJECT-SERVICE (or `image`),
// build args from the file, `up` building a missing image and not an existing one, `up
// --build` rebuilding and recreating only the service whose image changed.
#include <fstream>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class ComposeBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();
    dir = st.dir() / "proj";
    project = unique_name("cb");
    write_text(dir / "compose.yaml", R"(services:
  web:
    build:
      context: ./web
      args:
        GREETING: hello
    command: ["sh", "-c", "cat /greeting; sleep 3600"]
    init: true
  worker:
    build:
      context: ./worker
      dockerfile: Worker.dockerfile
    image: local/worker:dev
    command: ["sleep", "3600"]
    init: true
)");
    write_text(dir / "web/Dockerfile",
               "FROM busybox\nARG GREETING\nCOPY page.txt /page.txt\nRUN echo \"$GREETING\" > "
               "/greeting\n");
    write_text(dir / "web/page.txt", "v1\n");
    write_text(dir / "worker/Worker.dockerfile", "FROM busybox\nRUN echo worker > /role\n");
  }
  void TearDown() override {
    if (!dir.empty()) compose({"down"});
  }
  RunResult compose(std::vector<std::string> args) {
    std::vector<std::string> a = {"compose", "-f", (dir / "compose.yaml").string(), "-p", project};
    a.insert(a.end(), args.begin(), args.end());
    return st.berth(a, "", 300);
  }
  std::string container_image(const std::string& service) {
    auto r = st.berth({"inspect", "--format", "{{.Image}}", project + "-" + service + "-1"});
    return r.out;
  }
  TempState st;
  fs::path dir;
  std::string project;
};

TEST_F(ComposeBuildTest, BuildTagsEachServicesImage) {
  auto b = compose({"build"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto web = st.berth({"run", "--rm", project + "-web", "cat", "/greeting", "/page.txt"});
  EXPECT_EQ(web.out, "hello\nv1\n") << web.err;
  auto worker = st.berth({"run", "--rm", "local/worker:dev", "cat", "/role"});
  EXPECT_EQ(worker.out, "worker\n") << worker.err;
  auto only = compose({"build", "--build-arg", "GREETING=bye", "web"});
  ASSERT_EQ(only.exit_code, 0) << only.err;
  EXPECT_EQ(st.berth({"run", "--rm", project + "-web", "cat", "/greeting"}).out, "bye\n");
}

TEST_F(ComposeBuildTest, UpBuildsMissingImagesAndUpBuildRecreatesWhatChanged) {
  auto up = compose({"up", "-d"});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  const std::string web1 = container_image("web"), worker1 = container_image("worker");
  ASSERT_FALSE(web1.empty());
  auto logs = compose({"logs", "web"});
  EXPECT_NE(logs.out.find("hello"), std::string::npos) << logs.out << logs.err;
  // An existing image is not rebuilt by a plain up.
  write_text(dir / "web/page.txt", "v2\n");
  auto again = compose({"up", "-d"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(container_image("web"), web1);
  auto rebuilt = compose({"up", "-d", "--build"});
  ASSERT_EQ(rebuilt.exit_code, 0) << rebuilt.err;
  EXPECT_NE(container_image("web"), web1) << "web's image changed: it is recreated";
  EXPECT_EQ(container_image("worker"), worker1) << "worker's image did not change";
  auto page = st.berth({"exec", project + "-web-1", "cat", "/page.txt"});
  EXPECT_EQ(page.out, "v2\n");
}

}  // namespace
}  // namespace berth::test
