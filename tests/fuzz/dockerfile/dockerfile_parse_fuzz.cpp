// libFuzzer target for the Dockerfile front half: any bytes must parse (and dump, and become
// typed stages, and expand every argument) or fail with a one-line berth::Error naming the
// file — never crash, hang or throw anything else. Built by tests/fuzz/CMakeLists.txt (a
// libFuzzer binary with BERTH_FUZZ=ON, else a corpus replay); scripts/test.sh runs it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/error.h"
#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/shell_lex.h"

namespace {

using namespace berth::dockerfile;

void check_error(const berth::Error& e) {
  std::string_view msg = e.what();
  if (msg.find('\n') != std::string_view::npos) std::abort();
}

void expand_all(const Node& node, char escape) {
  static const EnvMap env{{"A", "a b"}, {"EMPTY", ""}, {"P", "/x/y*z"}};
  ShellLex lex(escape);
  for (const auto& a : node.args) {
    try {
      lex.process_words(a, env);
    } catch (const berth::Error& e) {
      check_error(e);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto parsed = parse(text, "fuzz.Dockerfile");
    (void)dump(parsed);
    for (const auto& n : parsed.children) expand_all(n, parsed.escape);
    parse_stages(parsed, "fuzz.Dockerfile");
  } catch (const berth::Error& e) {
    check_error(e);
    if (std::string_view(e.what()).rfind("fuzz.Dockerfile:", 0) != 0) std::abort();
  }
  return 0;
}
