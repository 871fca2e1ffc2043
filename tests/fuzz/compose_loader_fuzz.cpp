// libFuzzer target for the compose loader: any input must load or fail with a
// schema::ComposeError (berth::Error), never crash, hang or leak. Built with
// -fsanitize=fuzzer when BERTH_FUZZ=ON and the compiler is clang; otherwise replay_main.cpp
// replays the corpus through the same function (a regression test in the unit label).
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "compose/loader.h"
#include "compose/render.h"

namespace {

// An empty directory as the project directory, so that the input is the only file.
const std::string& empty_dir() {
  static const std::string dir = [] {
    char tmpl[] = "/tmp/berth-fuzz-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  berth::compose::ProjectOptions o;
  o.files = {"-"};
  o.stdin_content = std::string(reinterpret_cast<const char*>(data), size);
  o.working_dir = empty_dir();
  o.name = "fuzz";
  o.os_env = std::map<std::string, std::string>{{"SET", "value"}, {"EMPTY", ""}};
  try {
    auto project = berth::compose::load_project(o);
    berth::compose::render_yaml(berth::compose::project_document(project));
  } catch (const berth::Error&) {
  }
  return 0;
}
