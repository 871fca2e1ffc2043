// `berth login` and `berth logout`: the argument rules and messages that need no registry
// (Docker's), and logout of what auth.json holds. berth runs with its configuration in the
// test's dir (TempState sets BERTH_CONFIG and DOCKER_CONFIG), never the user's.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class LoginCliTest : public ::testing::Test {
 protected:
  fs::path auth_file() const { return st_.berth_config() / "auth.json"; }
  void write_auth(const json& j) {
    fs::create_directories(st_.berth_config());
    std::ofstream(auth_file()) << j.dump();
    fs::permissions(auth_file(), fs::perms::owner_read | fs::perms::owner_write);
  }
  json read_auth() const { return json::parse(read_all(auth_file())); }

  TempState st_;
};

TEST_F(LoginCliTest, PasswordStdinNeedsAUsername) {
  auto r = st_.berth({"login", "--password-stdin", "localhost:5000"}, "pw\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: Must provide --username with --password-stdin\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(auth_file()));
}

TEST_F(LoginCliTest, PasswordAndPasswordStdinAreMutuallyExclusive) {
  auto r = st_.berth(
      {"login", "-u", "alice", "-p", "hunter2-pw", "--password-stdin", "localhost:5000"}, "pw\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n"
            "Error: --password and --password-stdin are mutually exclusive\n");
  EXPECT_FALSE(fs::exists(auth_file()));
}

// stdin is a pipe here: without both -u and -p nothing can be prompted for.
TEST_F(LoginCliTest, InteractiveLoginNeedsATerminal) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"login"}, {"login", "localhost:5000"}, {"login", "-u", "alice", "localhost:5000"}}) {
    auto r = st_.berth(args, "alice\npw\n");
    EXPECT_EQ(r.exit_code, 1) << args.size();
    EXPECT_EQ(r.err, "Error: Cannot perform an interactive login from a non TTY device\n");
    EXPECT_EQ(r.out, "");
  }
  EXPECT_FALSE(fs::exists(auth_file()));
}

// A registry that does not answer: Docker's "Error response from daemon", exit 1, nothing
// stored, and the password (given with -p) never shown.
TEST_F(LoginCliTest, FailedLoginStoresNothingAndHidesThePassword) {
  auto r = st_.berth({"login", "-u", "alice", "-p", "hunter2-pw", "127.0.0.1:1"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string warning =
      "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n";
  ASSERT_EQ(r.err.substr(0, warning.size()), warning) << r.err;
  const std::string rest = r.err.substr(warning.size());
  EXPECT_EQ(rest.rfind("Error response from daemon: ", 0), 0u) << rest;
  EXPECT_EQ(std::count(rest.begin(), rest.end(), '\n'), 1) << rest;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("Login Succeeded"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(auth_file()));
}

TEST_F(LoginCliTest, LogoutWithoutACredential) {
  auto r = st_.berth({"logout", "localhost:5000"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Not logged in to localhost:5000\n");
  r = st_.berth({"logout"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Not logged in to https://index.docker.io/v1/\n");
}

TEST_F(LoginCliTest, LogoutRemovesTheStoredCredential) {
  write_auth({{"auths",
               {{"localhost:5000", {{"auth", "YWxpY2U6cHc="}}},
                {"https://index.docker.io/v1/", {{"auth", "Ym9iOnB3"}}}}},
              {"psFormat", "table {{.ID}}"}});
  auto r = st_.berth({"logout", "https://localhost:5000/v2/"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Removing login credentials for localhost:5000\n");
  json j = read_auth();
  EXPECT_FALSE(j["auths"].contains("localhost:5000")) << j.dump();
  EXPECT_TRUE(j["auths"].contains("https://index.docker.io/v1/")) << j.dump();
  EXPECT_EQ(j["psFormat"], "table {{.ID}}");
  struct stat s {};
  ASSERT_EQ(::stat(auth_file().c_str(), &s), 0);
  EXPECT_EQ(s.st_mode & 07777, 0600u);

  r = st_.berth({"logout"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Removing login credentials for https://index.docker.io/v1/\n");
  EXPECT_TRUE(read_auth()["auths"].empty()) << read_auth().dump();
}

TEST_F(LoginCliTest, LogoutLeavesDockersFileAlone) {
  fs::create_directories(st_.docker_config());
  const std::string docker = R"({"auths":{"localhost:5000":{"auth":"YWxpY2U6cHc="}}})";
  std::ofstream(st_.docker_config() / "config.json") << docker;
  auto r = st_.berth({"logout", "localhost:5000"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Not logged in to localhost:5000\n");
  EXPECT_EQ(read_all(st_.docker_config() / "config.json"), docker);
}

// One SERVER at most, as Docker: a usage error.
TEST_F(LoginCliTest, TooManyArguments) {
  for (const char* verb : {"login", "logout"}) {
    auto r = st_.berth({verb, "a", "b"});
    EXPECT_EQ(r.exit_code, 125) << verb;
    EXPECT_NE(r.err.find("not expected: b"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace berth::test
