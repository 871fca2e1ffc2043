// `berth login` against a fake token registry on loopback: what the real registry tests
// (tests/integration/registry/) cannot show with docker-registry's htpasswd. The realm's
// refresh_token is kept instead of the password, the --password-stdin password loses its
// "\r\n", and a stored username and password are tried before anything is asked.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "tests/support/harness.h"
#include "tests/support/http_test_server.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A registry on 127.0.0.1 that only logs in: /v2/ challenges with Bearer; its realm, /token,
// answers a token and a refresh_token to Basic user:password and 401 to anything else. A TLS
// hello is closed at once, as a plain-HTTP server refuses it, so berth falls back to HTTP.
class FakeTokenRegistry {
 public:
  FakeTokenRegistry(std::string user, std::string password)
      : basic_("Basic " + base64_encode(user + ":" + password)),
        server_(HttpTestServer::RequestHandler(
            [this](const HttpTestServer::Request& r) { return answer(r); })) {}
  std::string authority() const { return server_.authority(); }
  int token_requests() const { return token_requests_; }

 private:
  HttpTestServer::Reply answer(const HttpTestServer::Request& r) {
    if (r.path == "/v2/")
      return {HttpTestServer::response("401 Unauthorized",
                                       "WWW-Authenticate: Bearer realm=\"http://" + authority() +
                                           "/token\",service=\"fake\"\r\n",
                                       ""),
              false};
    if (r.path.rfind("/token", 0) == 0) {
      ++token_requests_;
      if (r.header("Authorization") != basic_)
        return {HttpTestServer::response("401 Unauthorized", "",
                                         R"({"errors":[{"code":"UNAUTHORIZED"}]})"),
                false};
      return {HttpTestServer::response("200 OK", "Content-Type: application/json\r\n",
                                       R"({"token":"t","refresh_token":"refresh-tok-1"})"),
              false};
    }
    return {HttpTestServer::response("404 Not Found", "", ""), false};
  }

  std::string basic_;
  std::atomic<int> token_requests_{0};
  HttpTestServer server_;  // last: its thread calls answer() until it is destroyed
};

class LoginTokenTest : public ::testing::Test {
 protected:
  fs::path auth_file() const { return st_.berth_config() / "auth.json"; }
  json entry() const { return json::parse(read_all(auth_file()))["auths"][registry_.authority()]; }

  FakeTokenRegistry registry_{"alice", "pw-1"};
  TempState st_;
};

TEST_F(LoginTokenTest, KeepsTheRefreshTokenInsteadOfThePassword) {
  auto r =
      st_.berth({"login", "-u", "alice", "--password-stdin", registry_.authority()}, "pw-1\r\n");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "Login Succeeded\n");
  EXPECT_EQ(entry(), json({{"auth", base64_encode("alice:")}, {"identitytoken", "refresh-tok-1"}}))
      << read_all(auth_file());
  EXPECT_EQ(read_all(auth_file()).find("pw-1"), std::string::npos);
}

TEST_F(LoginTokenTest, WrongPasswordStoresNothing) {
  auto r =
      st_.berth({"login", "-u", "alice", "--password-stdin", registry_.authority()}, "not-pw\n");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.err.rfind("Error response from daemon: ", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("not-pw"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(auth_file()));
}

// Without -u or -p, Docker first tries what is stored; stdin (not a terminal) is never read.
TEST_F(LoginTokenTest, TriesTheStoredCredentialFirst) {
  fs::create_directories(st_.berth_config());
  std::ofstream(auth_file())
      << json{{"auths", {{registry_.authority(), {{"auth", base64_encode("alice:pw-1")}}}}}}.dump();
  auto r = st_.berth({"login", registry_.authority()});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err, "Authenticating with existing credentials... [Username: alice]\n");
  EXPECT_EQ(r.out, "Login Succeeded\n");
  EXPECT_EQ(entry()["identitytoken"], "refresh-tok-1") << read_all(auth_file());
}

// A stored credential the registry refuses: said so, then the interactive login (impossible
// without a terminal).
TEST_F(LoginTokenTest, RefusedStoredCredentialFallsBackToThePrompt) {
  fs::create_directories(st_.berth_config());
  std::ofstream(auth_file())
      << json{{"auths", {{registry_.authority(), {{"auth", base64_encode("alice:old-pw")}}}}}}
             .dump();
  auto r = st_.berth({"login", registry_.authority()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.err.rfind("Authenticating with existing credentials... [Username: alice]\n", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("\nError: Cannot perform an interactive login from a non TTY device\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("old-pw"), std::string::npos) << r.err;
  EXPECT_EQ(registry_.token_requests(), 1);
}

}  // namespace
}  // namespace berth::test
