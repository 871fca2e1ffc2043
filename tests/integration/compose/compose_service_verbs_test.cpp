// `berth compose kill`, `top`, `port`, `images`, `pause`/`unpause`, `wait`, `cp` and `ls` end
// to end on the web + client stack: each one's main path as Compose prints it, and its error
// for an unknown service or a service with no running container.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/compose/compose_fixture.h"

namespace berth::test {
namespace {

using ComposeVerbs = ComposeUp;

TEST_F(ComposeVerbs, KillSignalsTheServiceContainers) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"kill", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-web-1  Killed"), std::string::npos) << r.err;
  EXPECT_EQ(trim(st_.berth({"wait", project_ + "-web-1"}).out), "137");
  EXPECT_TRUE(inspect(st_, project_ + "-client-1")["State"]["Running"].get<bool>());
  r = compose({"kill", "-s", "SIGTERM"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-client-1  Killed"), std::string::npos) << r.err;
  r = compose({"kill", "nope"});
  EXPECT_EQ(r.exit_code, 15) << "the loader's error, as for every compose command";
  EXPECT_NE(r.err.find("no such service: nope"), std::string::npos) << r.err;
}

TEST_F(ComposeVerbs, TopPrintsEachContainersProcesses) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"top"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string client = project_ + "-client-1\nUID", web = project_ + "-web-1\nUID";
  ASSERT_NE(r.out.find(client), std::string::npos) << r.out;
  ASSERT_NE(r.out.find(web), std::string::npos) << r.out;
  EXPECT_LT(r.out.find(client), r.out.find(web)) << "sorted by name";
  EXPECT_NE(r.out.find("httpd -f -p 80"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("sleep 600"), std::string::npos) << r.out;
  r = compose({"top", "web"});
  EXPECT_EQ(r.out.find("sleep 600"), std::string::npos) << r.out;
  ASSERT_EQ(compose({"stop", "-t", "0", "web"}).exit_code, 0);
  r = compose({"top", "web"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "") << "no running container: nothing, as Compose";
}

TEST_F(ComposeVerbs, PortPrintsThePublicEndpoint) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"port", "web", "80"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "127.0.0.1:" + std::to_string(kPort) + "\n");
  r = compose({"port", "--protocol", "udp", "web", "80"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no port 80/udp for container " + project_ + "-web-1"), std::string::npos)
      << r.err;
  r = compose({"port", "client", "80"});
  EXPECT_EQ(r.exit_code, 1);
  r = compose({"port", "--index", "2", "web", "80"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("service \"web\" is not running container #2"), std::string::npos) << r.err;
}

TEST_F(ComposeVerbs, ImagesListsEachContainersImage) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"images"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string id = trim(st_.berth({"images", "-q", "--no-trunc"}).out);
  ASSERT_EQ(id.substr(0, 7), "sha256:");
  const std::string header = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(header.substr(0, 9), "CONTAINER") << header;
  EXPECT_NE(header.find("   REPOSITORY          TAG                 IMAGE ID            SIZE"),
            std::string::npos)
      << header;
  EXPECT_NE(r.out.find("\n" + project_ + "-client-1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("busybox             latest              " + id.substr(7, 12)),
            std::string::npos)
      << r.out;
  r = compose({"images", "-q"});
  EXPECT_EQ(r.out, id.substr(7) + "\n") << "one line per image";
  r = compose({"images", "web"});
  EXPECT_EQ(r.out.find("client"), std::string::npos) << r.out;
  r = compose({"images", "--format", "json"});
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u) << r.out;
  EXPECT_EQ(j[0]["Repository"], "busybox");
}

TEST_F(ComposeVerbs, PauseAndUnpause) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  auto r = compose({"pause", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-web-1  Paused"), std::string::npos) << r.err;
  EXPECT_TRUE(inspect(st_, project_ + "-web-1")["State"]["Paused"].get<bool>());
  EXPECT_FALSE(inspect(st_, project_ + "-client-1")["State"]["Paused"].get<bool>());
  r = compose({"unpause", "web"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" Container " + project_ + "-web-1  Unpaused"), std::string::npos) << r.err;
  EXPECT_FALSE(inspect(st_, project_ + "-web-1")["State"]["Paused"].get<bool>());
  // Every running container, as Compose: one that is not paused is an error, as Docker's.
  r = compose({"unpause"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not paused"), std::string::npos) << r.err;
  r = compose({"pause", "nope"});
  EXPECT_EQ(r.exit_code, 15) << "the loader's error, as for every compose command";
  EXPECT_NE(r.err.find("no such service: nope"), std::string::npos) << r.err;
}

TEST_F(ComposeVerbs, WaitExitsWithTheContainersExitCode) {
  write(R"(
services:
  job:
    image: busybox
    command: ["sh", "-c", "sleep 1; exit 4"]
)");
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string id = id_of("job");
  auto r = compose({"wait", "job"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(r.out, "container \"" + id + "\" exited with status code 4\n");
  r = compose({"wait", "job"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no containers for project \"" + project_ + "\""), std::string::npos)
      << r.err;
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  r = compose({"wait", "--down-project", "job"});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(id_of("job"), "") << "--down-project removed it";
}

TEST_F(ComposeVerbs, CpCopiesToAndFromAServiceContainer) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  write_file_atomic(st_.dir() / "in.txt", "to-container\n", 0644);
  auto r = compose({"cp", (st_.dir() / "in.txt").string(), "web:/tmp/in.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string web = project_ + "-web-1";
  EXPECT_NE(r.err.find(" " + web + " copy " + (st_.dir() / "in.txt").string() + " to " + web +
                       ":/tmp/in.txt  Copied\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(compose({"exec", "-T", "web", "cat", "/tmp/in.txt"}).out, "to-container\n");
  r = compose({"cp", "web:/www/index.html", (st_.dir() / "out.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file_text(st_.dir() / "out.txt"), "served-by-web\n");
  r = compose({"cp", "--index", "1", "web:/www/index.html", (st_.dir() / "out2.txt").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = compose({"cp", (st_.dir() / "in.txt").string(), "nope:/tmp"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no container found for service \"nope\""), std::string::npos) << r.err;
  r = compose({"cp", "web:/a", "client:/b"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("copying between services is not supported"), std::string::npos) << r.err;
}

TEST_F(ComposeVerbs, LsListsProjectsByLabelWithoutAComposeFile) {
  write(stack());
  ASSERT_EQ(compose({"up", "-d"}).exit_code, 0);
  const std::string file = (st_.dir() / "compose.yaml").string();
  auto r = st_.berth({"compose", "ls", "--filter", "name=" + project_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "NAME                STATUS              CONFIG FILES");
  ASSERT_LT(project_.size(), 17u);
  EXPECT_NE(r.out.find("\n" + project_ + std::string(20 - project_.size(), ' ') +
                       "running(2)          " + file + "\n"),
            std::string::npos)
      << r.out;
  r = st_.berth({"compose", "ls", "-q", "--filter", "name=" + project_});
  EXPECT_EQ(r.out, project_ + "\n");
  ASSERT_EQ(compose({"stop", "-t", "0", "web"}).exit_code, 0);
  r = st_.berth({"compose", "ls", "-a", "--format", "json", "--filter", "name=" + project_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u) << r.out;
  EXPECT_EQ(j[0]["Name"], project_);
  EXPECT_EQ(j[0]["Status"], "exited(1), running(1)");
  EXPECT_EQ(j[0]["ConfigFiles"], file);
  r = st_.berth({"compose", "ls", "--format", "xml"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("format value \"xml\" could not be parsed"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace berth::test
