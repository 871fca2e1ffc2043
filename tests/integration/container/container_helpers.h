// Helpers for the container integration tests: reading `inspect`, and checking that nothing
// of a container is left on the host (mounts, cgroups, processes).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/harness.h"

namespace berth::test {

inline nlohmann::json inspect(const TempState& st, const std::string& name) {
  auto r = st.berth({"inspect", name});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded() || !j.is_array() || j.empty()) return nlohmann::json::object();
  return j[0];
}

// True while pid exists and is not a zombie (a zombie is dead; only its reaping is pending,
// and on some hosts pid 1 reaps orphans late).
inline bool process_alive(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

inline bool mounted_below(const std::filesystem::path& dir) {
  std::ifstream mounts("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mounts, line))
    if (line.find(dir.string()) != std::string::npos) return true;
  return false;
}

inline bool cgroup_exists(const std::string& id) {
  for (const char* c : {"memory", "pids", "cpu"}) {
    if (std::filesystem::exists(std::string("/sys/fs/cgroup/") + c + "/berth/" + id)) return true;
  }
  return std::filesystem::exists("/sys/fs/cgroup/berth/" + id);
}

inline std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

inline int count_lines(const std::string& s) {
  std::istringstream in(s);
  int n = 0;
  for (std::string l; std::getline(in, l);) n += !l.empty();
  return n;
}

}  // namespace berth::test

#define BERTH_NEED_ROOT() \
  if (!::berth::test::is_root()) GTEST_SKIP() << "needs root"

namespace berth::test {
inline std::string read_file_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace berth::test

namespace berth::test {
// A test with its own state root and one running busybox container named "box" (`sleep
// 1000`, id in id_). A subclass that extends SetUp() calls this one first and returns when
// it skipped or failed (IsSkipped() || HasFatalFailure()).
class BoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BERTH_NEED_ROOT();
    st_.import_busybox();
    auto r = st_.berth({"run", "-d", "--name", "box", "busybox", "sleep", "1000"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    id_ = trim(r.out);
  }
  // `berth exec box ARGS...`
  RunResult exec_in_box(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"exec", "box"};
    argv.insert(argv.end(), args.begin(), args.end());
    return st_.berth(argv);
  }
  TempState st_;
  std::string id_;
};
}  // namespace berth::test
