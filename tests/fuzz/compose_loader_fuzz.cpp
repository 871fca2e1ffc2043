// libFuzzer target for the compose loader: any input must load or fail with a
// schema::ComposeError (berth::Error), never crash, hang or leak. Built with
// -fsanitize=fuzzer when BERTH_FUZZ=ON and the compiler is clang; otherwise replay_main.cpp
// replays the corpus through the same function (a regression test in the unit label).
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/error.h"
#include "compose/loader.h"
#include "compose/render.h"

namespace {

// An empty directory as the project directory, so that the input is the only file. Removed
// at exit (libFuzzer and the replay both end with exit()), so runs leave nothing in /tmp; the
// name is in a plain array, which outlives every exit handler.
char g_dir[] = "/tmp/berth-fuzz-XXXXXX";

const char* empty_dir() {
  static const bool made = [] {
    if (!mkdtemp(g_dir)) return false;
    std::atexit([] { ::rmdir(g_dir); });
    return true;
  }();
  return made ? g_dir : "/nonexistent-berth-fuzz";
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
