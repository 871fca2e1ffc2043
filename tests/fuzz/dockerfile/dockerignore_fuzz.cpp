// libFuzzer target for .dockerignore: the first line of the input is a path, the rest the
// ignore file. Reading, compiling and matching must terminate without crashing; a bad pattern
// is a berth::Error. Built by tests/fuzz/CMakeLists.txt; scripts/test.sh runs it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "dockerfile/dockerignore.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  std::string_view path = text.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
  try {
    berth::dockerfile::PatternMatcher m(berth::dockerfile::read_dockerignore(body));
    (void)m.matches(path);
    (void)m.must_descend(path);
  } catch (const berth::Error&) {
    // A pattern with bad syntax: the expected rejection.
    return 0;
  }
  return 0;
}
