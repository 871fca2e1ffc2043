// A real registry for tests: Debian's docker-registry (distribution 2.8) serving on a free
// 127.0.0.1 port, its storage, config, logs and certificates in a temp dir. Optionally with
// htpasswd basic auth (htpasswd -Bbn, apache2-utils) and TLS from a test CA made with the
// openssl CLI (the server certificate's SAN: IP:127.0.0.1, DNS:localhost). The destructor stops
// it and deletes the dir, also when the test failed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/harness.h"

namespace berth::test {

class LocalRegistry {
 public:
  struct Options {
    bool tls = false;
    std::string user;  // with a password: htpasswd basic auth
    std::string password;
  };

  // A started registry answering /v2/, or nullptr after GTEST_SKIP (docker-registry, htpasswd
  // or openssl not installed) or a test failure (it did not start): the caller returns at once.
  static std::unique_ptr<LocalRegistry> start(const Options& options);
  static std::unique_ptr<LocalRegistry> start() { return start(Options()); }
  ~LocalRegistry();
  LocalRegistry(const LocalRegistry&) = delete;
  LocalRegistry& operator=(const LocalRegistry&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT": the registry part of a reference.
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  // "http[s]://127.0.0.1:PORT" + path.
  std::string url(const std::string& path) const;
  const std::filesystem::path& dir() const { return dir_; }
  // The test CA's certificate (tls only), and a second CA that did not sign the server's.
  std::filesystem::path ca_cert() const { return dir_ / "ca.crt"; }
  std::filesystem::path other_ca_cert() const { return dir_ / "other-ca.crt"; }
  // Puts ca_cert() (or other_ca_cert()) where berth looks for this registry's CA:
  // <berth config>/certs.d/127.0.0.1:PORT/ca.crt, as Docker's certs.d layout.
  void trust_in(const TempState& st, bool wrong_ca = false) const;

  // The registry's log so far (its access log lines included).
  std::string log() const;
  // How many access-log lines are requests with this method whose path contains needle
  // ("GET", "/blobs/sha256:"), once the log has been quiet for 150 ms.
  int count_requests(const std::string& method, const std::string& needle) const;
  // Runs curl on url(path) with this registry's CA and credentials (when it has them) and the
  // extra arguments; its stdout is the body.
  RunResult curl(const std::string& path, const std::vector<std::string>& extra = {}) const;

 private:
  LocalRegistry() = default;
  bool launch(const Options& options, std::string& why);

  Options options_;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace berth::test
