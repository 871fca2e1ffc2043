// Helpers for the runtime security tests: images made from the busybox test rootfs with a
// twist (the berth-probe helper added, /proc turned into a symlink), and readers for what a
// container reports about itself (/proc/self/status).
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/harness.h"

namespace berth::test {

// Unpacks the busybox rootfs into a temp dir under st.dir(), lets `change` edit it, packs it
// and imports it as `name`.
template <typename Change>
void import_variant(const TempState& st, const std::string& name, Change change) {
  namespace fs = std::filesystem;
  const fs::path dir = st.dir() / ("rootfs-" + name);
  fs::create_directories(dir);
  auto x = run_command({"/bin/tar", "-xf", busybox_tar().string(), "-C", dir.string()});
  ASSERT_EQ(x.exit_code, 0) << x.err;
  change(dir);
  const fs::path tar = st.dir() / (name + ".tar");
  auto c =
      run_command({"/bin/tar", "--numeric-owner", "-C", dir.string(), "-cf", tar.string(), "."});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto r = st.berth({"import", tar.string(), name});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::remove_all(dir);
}

// The busybox image plus /bin/berth-probe, imported as "probe".
inline void import_probe_image(const TempState& st) {
  import_variant(st, "probe", [](const std::filesystem::path& dir) {
    std::filesystem::copy_file(BERTH_PROBE_BIN, dir / "bin" / "berth-probe");
  });
}

// "CapEff:\t00000000a80425fb" → "00000000a80425fb" from a /proc/PID/status text.
inline std::string status_field(const std::string& status, const std::string& key) {
  std::istringstream in(status);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) != 0) continue;
    auto v = line.substr(key.size() + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    return v;
  }
  return "";
}

// `berth-probe syscalls` output as name → errno name.
inline std::map<std::string, std::string> probe_results(const std::string& out) {
  std::map<std::string, std::string> m;
  std::istringstream in(out);
  for (std::string name, result; in >> name >> result;) m[name] = result;
  return m;
}

inline nlohmann::json inspect_one(const TempState& st, const std::string& name) {
  auto r = st.berth({"inspect", name});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_array() && !j.empty() ? j[0] : nlohmann::json::object();
}

}  // namespace berth::test
