// `berth login` against a fake token registry on loopback: what the real registry tests
// (tests/integration/registry/) cannot show with docker-registry's htpasswd. The realm's
// refresh_token is kept instead of the password, the --password-stdin password loses its
// "\r\n", and a stored username and password are tried before anything is asked.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "common/base64.h"
#include "tests/support/harness.h"

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
      : basic_("Basic " + base64_encode(user + ":" + password)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) < 0 ||
        ::listen(listen_fd_, 16) < 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) < 0 ||
        ::pipe2(stop_, O_CLOEXEC) < 0)
      throw std::runtime_error("fake registry: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeTokenRegistry() {
    (void)!::write(stop_[1], "x", 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  int token_requests() const { return token_requests_; }

 private:
  bool readable(int fd) const {
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    while (::poll(p, 2, -1) < 0)
      if (errno != EINTR) return false;
    return !(p[1].revents & POLLIN);
  }

  std::string answer(const std::string& head) {
    const std::string path =
        head.substr(head.find(' ') + 1, head.find(' ', head.find(' ') + 1) - head.find(' ') - 1);
    auto reply = [](const std::string& status, const std::string& headers,
                    const std::string& body) {
      return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
             "\r\nConnection: close\r\n" + headers + "\r\n" + body;
    };
    if (path == "/v2/")
      return reply("401 Unauthorized",
                   "WWW-Authenticate: Bearer realm=\"http://" + authority() +
                       "/token\",service=\"fake\"\r\n",
                   "");
    if (path.rfind("/token", 0) == 0) {
      ++token_requests_;
      if (head.find("\r\nAuthorization: " + basic_ + "\r\n") == std::string::npos)
        return reply("401 Unauthorized", "", R"({"errors":[{"code":"UNAUTHORIZED"}]})");
      return reply("200 OK", "Content-Type: application/json\r\n",
                   R"({"token":"t","refresh_token":"refresh-tok-1"})");
    }
    return reply("404 Not Found", "", "");
  }

  void serve() {
    while (readable(listen_fd_)) {
      const int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos && (head.empty() || head[0] != '\x16') &&
             readable(conn)) {
        const ssize_t n = ::read(conn, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      if (!head.empty() && head[0] != '\x16') {
        const std::string out = answer(head);
        (void)!::send(conn, out.data(), out.size(), MSG_NOSIGNAL);
      }
      ::close(conn);
    }
  }

  std::string basic_;
  int listen_fd_ = -1;
  int stop_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> token_requests_{0};
  std::thread thread_;
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
