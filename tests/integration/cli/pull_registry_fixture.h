// A loopback registry (Debian's docker-registry, distribution 2.8) for the tests of the pulls
// berth makes on the user's behalf (run_pull_test, compose_pull_test): its storage in a temp
// dir, on a free 127.0.0.1 port (reached over plain HTTP, as Docker does for loopback), killed
// and reaped by the destructor. Minimal on purpose: tests/support's LocalRegistry replaces it.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "common/atomic_file.h"
#include "tests/support/harness.h"

namespace berth::test {

class PullRegistry {
 public:
  PullRegistry() {
    dir_ = make_temp_dir("berth-pullreg-");
    port_ = free_port();
    write_file_atomic(dir_ / "config.yml",
                      "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n"
                      "    rootdirectory: " +
                          (dir_ / "data").string() + "\nhttp:\n  addr: " + host() + "\n",
                      0644);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    // The child's stdout: opened in the child, without O_CLOEXEC (it must survive the exec).
    posix_spawn_file_actions_addopen(&fa, 1, (dir_ / "log").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    std::string cfg = (dir_ / "config.yml").string();
    char* argv[] = {const_cast<char*>("docker-registry"), const_cast<char*>("serve"), cfg.data(),
                    nullptr};
    if (::posix_spawnp(&pid_, "docker-registry", &fa, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < 100 && pid_ > 0 && !listening(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~PullRegistry() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  PullRegistry(const PullRegistry&) = delete;
  PullRegistry& operator=(const PullRegistry&) = delete;

  bool ready() const { return pid_ > 0 && listening(); }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // The HTTP requests berth has made so far (the access log's lines with berth's user agent).
  int berth_requests() const {
    const std::string log = read_all(dir_ / "log");
    int n = 0;
    for (size_t at = log.find("\"berth/"); at != std::string::npos;
         at = log.find("\"berth/", at + 1))
      if (log.rfind("HTTP/1.1\"", at) != std::string::npos) ++n;
    return n;
  }

 private:
  static int free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
  }
  bool listening() const {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace berth::test
