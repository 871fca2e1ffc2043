// Without libFuzzer: runs every file given (or every file of the given directories) through
// LLVMFuzzerTestOneInput once, so the corpus is a regression test in ordinary builds. All
// inputs are read before the first runs, as libFuzzer does (a target may chroot).
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<std::string> inputs;
  auto read = [&](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  for (int i = 1; i < argc; ++i) {
    if (fs::is_directory(argv[i])) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i]))
        if (e.is_regular_file()) read(e.path());
    } else {
      read(argv[i]);
    }
  }
  for (const auto& s : inputs)
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  std::printf("replayed %zu inputs\n", inputs.size());
  return 0;
}
