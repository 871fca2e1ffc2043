// The fixture of the `berth compose` integration tests: a private state root with busybox
// imported, a unique project name, a compose.yaml written into the root's directory,
// `compose(...)` running `berth compose -f FILE -p PROJECT ...`, and `down -v -t 0` at the end
// whatever happened. `stack()` is the web + client stack most tests start from.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/atomic_file.h"
#include "tests/integration/container/container_helpers.h"

namespace berth::test {

inline constexpr int kPort = 28551;

inline std::string stack(const std::string& client_env = "") {
  return R"(
services:
  web:
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo served-by-web > /www/index.html && exec httpd -f -p 80 -h /www"]
    ports: ["127.0.0.1:)" +
         std::to_string(kPort) + R"(:80"]
    networks: [front]
    volumes: [data:/data]
  client:
    image: busybox
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [front]
    depends_on: [web]
)" + client_env +
         R"(
networks:
  front: {}
volumes:
  data: {}
)";
}

class ComposeUp : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
    project_ = unique_name("cu");
  }
  void TearDown() override {
    if (!is_root()) return;
    compose({"down", "-v", "-t", "0"});
  }

  void write(const std::string& yaml) { write_file_atomic(st_.dir() / "compose.yaml", yaml, 0644); }
  RunResult compose(const std::vector<std::string>& args) {
    std::vector<std::string> a{"compose", "-f", (st_.dir() / "compose.yaml").string(), "-p",
                               project_};
    a.insert(a.end(), args.begin(), args.end());
    return st_.berth(a);
  }
  std::string id_of(const std::string& service) {
    auto r = st_.berth({"inspect", "--format", "{{.Id}}", project_ + "-" + service + "-1"});
    return r.exit_code == 0 ? trim(r.out) : "";
  }
  // fn() again every 100 ms until it returns something, for up to 20 s (what a container does
  // after `up` returns comes asynchronously, and CI machines are loaded).
  template <typename Fn>
  static std::string soon(Fn fn) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::string out = fn();
    while (out.empty() && std::chrono::steady_clock::now() < deadline) {
      ::usleep(100 * 1000);
      out = fn();
    }
    return out;
  }
  // What the client fetches from http://NAME/.
  std::string fetch_from_client(const std::string& name) {
    return soon([&] {
      return st_.berth({"exec", project_ + "-client-1", "wget", "-qO-", "http://" + name + "/"})
          .out;
    });
  }
  // The first container of `service`'s output, once it has written some (it runs
  // asynchronously after `up` returns).
  std::string logs_soon(const std::string& service) {
    return soon([&] { return trim(st_.berth({"logs", project_ + "-" + service + "-1"}).out); });
  }
  std::string fetch_from_host() {
    return soon([] {
      return run_command({"/usr/bin/curl", "-s", "-m", "2",
                          "http://127.0.0.1:" + std::to_string(kPort) + "/"})
          .out;
    });
  }

  TempState st_;
  std::string project_;
};

}  // namespace berth::test
