// Test helper: a compose project in a temporary directory, loaded with a fixed environment.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <map>
#include <string>

#include "common/atomic_file.h"
#include "compose/loader.h"
#include "tests/support/harness.h"

namespace berth::compose {

class TestProject {
 public:
  TestProject() {
    dir_ = berth::test::make_temp_dir("berth-compose-");
    opts_.working_dir = dir_.string();
    opts_.os_env = std::map<std::string, std::string>{};
  }
  ~TestProject() { std::filesystem::remove_all(dir_); }

  // Writes a file relative to the project directory (creating directories).
  TestProject& file(const std::string& name, const std::string& content) {
    auto p = dir_ / name;
    make_dirs(p.parent_path(), 0755);
    write_file_atomic(p, content, 0644);
    return *this;
  }
  TestProject& env(const std::string& k, const std::string& v) {
    (*opts_.os_env)[k] = v;
    return *this;
  }
  ProjectOptions& options() { return opts_; }
  const std::filesystem::path& dir() const { return dir_; }

  schema::Project load() { return load_project(opts_); }

  // The one-line error of loading, or "" when it loads.
  std::string error() {
    try {
      load();
      return "";
    } catch (const Error& e) {
      code_ = e.exit_code();
      return e.what();
    }
  }
  int exit_code() const { return code_; }

 private:
  std::filesystem::path dir_;
  ProjectOptions opts_;
  int code_ = 0;
};

}  // namespace berth::compose
