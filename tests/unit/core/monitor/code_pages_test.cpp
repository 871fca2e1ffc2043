// release_code_pages: the executable's text and read-only data leave the process's RSS and
// the program keeps running (its pages come back from the page cache); writable data stays.
#include "core/monitor/code_pages.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace berth::core::monitor {
namespace {

// Sum of Rss over this executable's non-writable mappings (/proc/self/smaps), in KiB.
long executable_readonly_rss() {
  std::ifstream smaps("/proc/self/smaps");
  std::string line, exe;
  {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) exe.assign(buf, static_cast<size_t>(n));
  }
  bool counting = false;
  long total = 0;
  while (std::getline(smaps, line)) {
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
        line.find('-') != std::string::npos && line.find(' ') > line.find('-')) {
      const auto perms = line.substr(line.find(' ') + 1, 4);
      counting = perms[1] == '-' && line.ends_with(exe);
    } else if (counting && line.starts_with("Rss:")) {
      total += std::stol(line.substr(4));
    }
  }
  return total;
}

int g_written = 1;  // writable data: must keep its value

TEST(CodePagesTest, ReleasesReadOnlyPagesAndKeepsRunning) {
  g_written = 42;
  const long before = executable_readonly_rss();
  release_code_pages();
  const long after = executable_readonly_rss();
  EXPECT_GT(before, 0);
  EXPECT_LT(after, before);
  EXPECT_EQ(g_written, 42);
  EXPECT_EQ(std::string("still") + " running", "still running");
}

}  // namespace
}  // namespace berth::core::monitor
