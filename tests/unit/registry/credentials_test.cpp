#include "registry/credentials.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

#include "common/base64.h"
#include "common/error.h"
#include "tests/support/harness.h"

namespace berth::registry {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kHub = "https://index.docker.io/v1/";

TEST(CredentialKey, DockerHubSpellingsShareOneKey) {
  EXPECT_EQ(credential_key("docker.io"), kHub);
  EXPECT_EQ(credential_key("index.docker.io"), kHub);
  EXPECT_EQ(credential_key("registry-1.docker.io"), kHub);
  EXPECT_EQ(credential_key("https://index.docker.io/v1/"), kHub);
  EXPECT_EQ(credential_key("https://registry-1.docker.io/v2/"), kHub);
  EXPECT_EQ(credential_key("index.docker.io/v1"), kHub);
}

TEST(CredentialKey, OtherRegistriesAreHostAndPort) {
  EXPECT_EQ(credential_key("localhost:5000"), "localhost:5000");
  EXPECT_EQ(credential_key("https://localhost:5000/v2/"), "localhost:5000");
  EXPECT_EQ(credential_key("http://registry.example.com"), "registry.example.com");
  EXPECT_EQ(credential_key("registry.example.com/some/path"), "registry.example.com");
  EXPECT_EQ(credential_key("https://user@ghcr.io/"), "ghcr.io");
  EXPECT_EQ(credential_key("[::1]:5000/v2/"), "[::1]:5000");
  EXPECT_EQ(credential_key("quay.io"), "quay.io");
}

// Environment variable set for the test's lifetime, restored after (even when it fails).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

class CredentialStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = test::make_temp_dir("berth-creds-");
    dirs_.berth = dir_ / "config" / "berth";  // not made yet: put makes it
    dirs_.docker = dir_ / "docker";
    fs::create_directories(dirs_.docker);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write_docker_config(const json& config) {
    std::ofstream(dirs_.docker / "config.json") << config.dump();
  }
  json read_auth_json() { return json::parse(test::read_all(dirs_.berth / "auth.json")); }
  // A docker-credential-berthtest in bin/ whose `get` runs body (a shell script fragment).
  void write_helper(const std::string& body) {
    fs::create_directories(dir_ / "bin");
    const fs::path helper = dir_ / "bin" / "docker-credential-berthtest";
    std::ofstream(helper) << "#!/bin/sh\n"
                             "[ \"$1\" = get ] || exit 9\n"
                             "read -r server || true\n"
                          << body << "\n";
    ::chmod(helper.c_str(), 0755);
  }
  std::string path_with_helper() const {
    const char* p = std::getenv("PATH");
    return (dir_ / "bin").string() + ":" + (p ? p : "/usr/bin:/bin");
  }
  // The message get() throws, "" when it does not.
  std::string get_error(const std::string& server) {
    try {
      CredentialStore(dirs_).get(server);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
  ConfigDirs dirs_;
};

TEST_F(CredentialStoreTest, NothingStoredIsNullopt) {
  EXPECT_EQ(CredentialStore(dirs_).get("localhost:5000"), std::nullopt);
}

TEST_F(CredentialStoreTest, PutGetEraseRoundTrip) {
  CredentialStore store(dirs_);
  store.put("https://localhost:5000/v2/", {"alice", "s3cret:with:colons", ""});
  auto c = store.get("localhost:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "s3cret:with:colons");
  EXPECT_EQ(c->identity_token, "");

  struct stat st {};
  ASSERT_EQ(::stat((dirs_.berth / "auth.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat(dirs_.berth.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_EQ(read_auth_json()["auths"]["localhost:5000"]["auth"],
            base64_encode("alice:s3cret:with:colons"));

  EXPECT_TRUE(store.erase("localhost:5000"));
  EXPECT_EQ(store.get("localhost:5000"), std::nullopt);
  EXPECT_FALSE(store.erase("localhost:5000"));
}

TEST_F(CredentialStoreTest, DockerHubIsStoredUnderItsIndexKey) {
  CredentialStore store(dirs_);
  store.put("docker.io", {"bob", "pw", ""});
  EXPECT_TRUE(read_auth_json()["auths"].contains(kHub));
  auto c = store.get("registry-1.docker.io");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "bob");
}

TEST_F(CredentialStoreTest, IdentityTokenIsStoredInsteadOfThePassword) {
  CredentialStore store(dirs_);
  store.put("ghcr.io", {"carol", "", "tok-123"});
  json entry = read_auth_json()["auths"]["ghcr.io"];
  EXPECT_EQ(entry["identitytoken"], "tok-123");
  EXPECT_EQ(entry["auth"], base64_encode("carol:"));
  auto c = store.get("ghcr.io");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "carol");
  EXPECT_EQ(c->password, "");
  EXPECT_EQ(c->identity_token, "tok-123");
}

TEST_F(CredentialStoreTest, RewritingKeepsOtherKeysAndEntries) {
  fs::create_directories(dirs_.berth);
  std::ofstream(dirs_.berth / "auth.json")
      << R"({"auths": {"other.io": {"auth": ")" << base64_encode("o:p")
      << R"("}}, "psFormat": "table {{.ID}}"})";
  CredentialStore store(dirs_);
  store.put("localhost:5000", {"alice", "pw", ""});
  json j = read_auth_json();
  EXPECT_EQ(j["psFormat"], "table {{.ID}}");
  EXPECT_TRUE(j["auths"].contains("other.io"));
  EXPECT_TRUE(store.erase("localhost:5000"));
  j = read_auth_json();
  EXPECT_EQ(j["psFormat"], "table {{.ID}}");
  EXPECT_TRUE(j["auths"].contains("other.io"));
  EXPECT_FALSE(j["auths"].contains("localhost:5000"));
}

// An entry written by hand under another spelling of the server is still found and erased.
TEST_F(CredentialStoreTest, EntryUnderAnotherSpellingIsFoundAndErased) {
  fs::create_directories(dirs_.berth);
  std::ofstream(dirs_.berth / "auth.json")
      << json{{"auths", {{"https://localhost:5000", {{"auth", base64_encode("u:p")}}}}}}.dump();
  CredentialStore store(dirs_);
  auto c = store.get("localhost:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "p");
  EXPECT_TRUE(store.erase("localhost:5000"));
  EXPECT_EQ(store.get("localhost:5000"), std::nullopt);
}

TEST_F(CredentialStoreTest, MalformedAuthJsonNamesTheFileNotTheSecret) {
  fs::create_directories(dirs_.berth);
  std::ofstream(dirs_.berth / "auth.json") << R"({"auths": {"x.io": {"auth": "hunter2-secret)";
  const std::string message = get_error("x.io");
  EXPECT_NE(message.find((dirs_.berth / "auth.json").string()), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(CredentialStoreTest, UndecodableAuthFieldNamesTheFileNotTheSecret) {
  fs::create_directories(dirs_.berth);
  std::ofstream(dirs_.berth / "auth.json") << R"({"auths": {"x.io": {"auth": "hunter2!!"}}})";
  const std::string message = get_error("x.io");
  EXPECT_NE(message.find("auth.json"), std::string::npos) << message;
  EXPECT_NE(message.find("x.io"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(CredentialStoreTest, ReadsDockerAuthsAuthField) {
  write_docker_config({{"auths", {{"localhost:5000", {{"auth", base64_encode("dave:pw1")}}}}}});
  auto c = CredentialStore(dirs_).get("https://localhost:5000/v2/");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "dave");
  EXPECT_EQ(c->password, "pw1");
}

TEST_F(CredentialStoreTest, ReadsDockerAuthsUsernamePasswordAndIdentityToken) {
  write_docker_config(
      {{"auths",
        {{"https://index.docker.io/v1/", {{"username", "erin"}, {"password", "pw2"}}},
         {"ghcr.io", {{"auth", base64_encode("frank:")}, {"identitytoken", "idtok"}}}}}});
  CredentialStore store(dirs_);
  auto hub = store.get("docker.io");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->username, "erin");
  EXPECT_EQ(hub->password, "pw2");
  auto gh = store.get("ghcr.io");
  ASSERT_TRUE(gh);
  EXPECT_EQ(gh->username, "frank");
  EXPECT_EQ(gh->identity_token, "idtok");
}

TEST_F(CredentialStoreTest, DockerPlaceholderEntryIsNoCredential) {
  write_docker_config({{"auths", {{"localhost:5000", json::object()}}}});
  EXPECT_EQ(CredentialStore(dirs_).get("localhost:5000"), std::nullopt);
}

TEST_F(CredentialStoreTest, BerthsFileComesBeforeDockers) {
  write_docker_config({{"auths", {{"localhost:5000", {{"auth", base64_encode("docker:d")}}}}}});
  CredentialStore store(dirs_);
  store.put("localhost:5000", {"berth", "b", ""});
  EXPECT_EQ(store.get("localhost:5000")->username, "berth");
}

TEST_F(CredentialStoreTest, CredHelperFound) {
  write_helper(
      "[ \"$server\" = localhost:5000 ] || exit 8\n"
      "echo '{\"ServerURL\":\"localhost:5000\",\"Username\":\"gina\",\"Secret\":\"helper-pw\"}'");
  write_docker_config({{"credHelpers", {{"localhost:5000", "berthtest"}}},
                       {"auths", {{"localhost:5000", {{"auth", base64_encode("stale:x")}}}}}});
  ScopedEnv path("PATH", path_with_helper());
  auto c = CredentialStore(dirs_).get("https://localhost:5000/v2/");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "gina");
  EXPECT_EQ(c->password, "helper-pw");
}

TEST_F(CredentialStoreTest, CredsStoreTokenUsernameIsAnIdentityToken) {
  write_helper(
      "[ \"$server\" = https://index.docker.io/v1/ ] || exit 8\n"
      "echo '{\"ServerURL\":\"x\",\"Username\":\"<token>\",\"Secret\":\"refresh-tok\"}'");
  write_docker_config({{"credsStore", "berthtest"}});
  ScopedEnv path("PATH", path_with_helper());
  auto c = CredentialStore(dirs_).get("docker.io");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "");
  EXPECT_EQ(c->password, "");
  EXPECT_EQ(c->identity_token, "refresh-tok");
}

TEST_F(CredentialStoreTest, CredHelperNotFoundFallsBackToAuths) {
  write_helper("echo 'credentials not found in native keychain'; exit 1");
  write_docker_config({{"credHelpers", {{"localhost:5000", "berthtest"}}}});
  ScopedEnv path("PATH", path_with_helper());
  EXPECT_EQ(CredentialStore(dirs_).get("localhost:5000"), std::nullopt);
  write_docker_config({{"credsStore", "berthtest"},
                       {"auths", {{"localhost:5000", {{"auth", base64_encode("h:i")}}}}}});
  auto c = CredentialStore(dirs_).get("localhost:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "h");
}

TEST_F(CredentialStoreTest, FailingHelperNamesTheHelper) {
  write_helper("echo 'keychain locked' >&2; exit 1");
  write_docker_config({{"credHelpers", {{"localhost:5000", "berthtest"}}}});
  ScopedEnv path("PATH", path_with_helper());
  const std::string message = get_error("localhost:5000");
  EXPECT_NE(message.find("docker-credential-berthtest"), std::string::npos) << message;
  EXPECT_NE(message.find("keychain locked"), std::string::npos) << message;
}

TEST_F(CredentialStoreTest, FailingHelperMessageLosesItsControlCharacters) {
  write_helper("printf 'locked\\033]0;title\\007\\n'; exit 1");
  write_docker_config({{"credHelpers", {{"localhost:5000", "berthtest"}}}});
  ScopedEnv path("PATH", path_with_helper());
  const std::string message = get_error("localhost:5000");
  EXPECT_NE(message.find(": exit status 1: locked?]0;title?"), std::string::npos) << message;
}

// A helper that prints the credential and then fails: its output is not repeated.
TEST_F(CredentialStoreTest, FailingHelperOutputWithTheSecretIsNotRepeated) {
  write_helper(
      "echo '{\"ServerURL\":\"x\",\"Username\":\"u\",\"Secret\":\"hunter2-secret\"}'; exit 1");
  write_docker_config({{"credHelpers", {{"localhost:5000", "berthtest"}}}});
  ScopedEnv path("PATH", path_with_helper());
  const std::string message = get_error("localhost:5000");
  EXPECT_NE(message.find("docker-credential-berthtest"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(CredentialStoreTest, HelperWithBadJsonNamesTheHelperNotTheSecret) {
  write_helper("echo '{\"Username\":\"u\",\"Secret\":\"hunter2-secret\"'");
  write_docker_config({{"credsStore", "berthtest"}});
  ScopedEnv path("PATH", path_with_helper());
  const std::string message = get_error("localhost:5000");
  EXPECT_NE(message.find("docker-credential-berthtest"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

// Docker fails every pull when its credsStore's helper is missing; berth, which only borrows
// Docker's file, goes on without a credential (and warns).
TEST_F(CredentialStoreTest, MissingHelperIsNoCredential) {
  write_docker_config({{"credsStore", "berthtest-missing"},
                       {"auths", {{"localhost:5000", {{"auth", base64_encode("j:k")}}}}}});
  ScopedEnv path("PATH", path_with_helper());
  CredentialStore store(dirs_);
  EXPECT_EQ(store.get("other:5000"), std::nullopt);
  auto c = store.get("localhost:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->username, "j");
}

TEST_F(CredentialStoreTest, MalformedDockerConfigNamesTheFile) {
  std::ofstream(dirs_.docker / "config.json") << R"({"auths": [hunter2-secret)";
  const std::string message = get_error("localhost:5000");
  EXPECT_NE(message.find((dirs_.docker / "config.json").string()), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(ConfigDirs, FromEnvironment) {
  {
    ScopedEnv b("BERTH_CONFIG", "/b"), x("XDG_CONFIG_HOME", "/x"), d("DOCKER_CONFIG", "/d");
    auto dirs = ConfigDirs::from_env();
    EXPECT_EQ(dirs.berth, "/b");
    EXPECT_EQ(dirs.docker, "/d");
  }
  {
    ScopedEnv b("BERTH_CONFIG", ""), x("XDG_CONFIG_HOME", "/x"), h("HOME", "/h"),
        d("DOCKER_CONFIG", "");
    auto dirs = ConfigDirs::from_env();
    EXPECT_EQ(dirs.berth, "/x/berth");
    EXPECT_EQ(dirs.docker, "/h/.docker");
  }
}

}  // namespace
}  // namespace berth::registry
