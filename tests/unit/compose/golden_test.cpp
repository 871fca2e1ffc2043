// YAML-in / normalised-YAML-out golden tests: each directory under testdata/ holds a
// project (compose.yaml, maybe more files, .env, env files) plus `args` (optional: extra -f
// files and profiles, one `-f FILE` / `--profile P` / `service S` / `env K=V` / `opt
// no-interpolate` per line) and `expected.yaml`, what `berth compose config` must print. The
// project directory is shown as $DIR. BERTH_UPDATE_GOLDEN=1 rewrites expected.yaml from the current
// output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"
#include "compose/loader.h"
#include "compose/render.h"

namespace berth::compose {
namespace {
namespace fs = std::filesystem;

const fs::path kData = fs::path(BERTH_SOURCE_DIR) / "tests/unit/compose/testdata";

ProjectOptions options_for(const fs::path& dir) {
  ProjectOptions o;
  o.working_dir = dir.string();
  o.name = "test";
  o.os_env = std::map<std::string, std::string>{{"HOME", "/home/user"}};
  std::ifstream args(dir / "args");
  std::string flag, value;
  while (args >> flag >> value) {
    if (flag == "-f") o.files.push_back(value);
    if (flag == "--profile") o.profiles.push_back(value);
    if (flag == "service") o.services.push_back(value);
    if (flag == "opt" && value == "no-interpolate") o.interpolate = false;
    if (flag == "env")
      (*o.os_env)[value.substr(0, value.find('='))] = value.substr(value.find('=') + 1);
  }
  return o;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, ConfigMatchesExpected) {
  fs::path dir = kData / GetParam();
  std::string out = render_yaml(project_document(load_project(options_for(dir))));
  out = replace_all(out, dir.string(), "$DIR");
  out = replace_all(out, dir.parent_path().string(), "$DIR/..");
  if (std::getenv("BERTH_UPDATE_GOLDEN")) write_file_atomic(dir / "expected.yaml", out, 0644);
  EXPECT_EQ(read_file(dir / "expected.yaml"), out);
}

std::vector<std::string> cases() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kData))
    if (e.is_directory() && fs::exists(e.path() / "compose.yaml"))
      names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(Compose, Golden, testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace berth::compose
