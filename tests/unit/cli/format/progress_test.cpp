// Compose's progress display: plain lines, the in-place terminal view and quiet.
#include "cli/format/progress.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/error.h"

namespace berth::cli::format {
namespace {

// What a view writes, captured in memory.
class Captured {
 public:
  Captured() : f_(::open_memstream(&buf_, &size_)) {}
  ~Captured() {
    if (f_) ::fclose(f_);
    ::free(buf_);
  }
  FILE* file() { return f_; }
  std::string text() {
    ::fflush(f_);
    return std::string(buf_, size_);
  }

 private:
  char* buf_ = nullptr;
  size_t size_ = 0;
  FILE* f_;
};

TEST(ProgressView, PlainPrintsOneLinePerEvent) {
  Captured out;
  {
    ProgressView v(out.file(), ProgressView::Mode::kPlain);
    v.event("Network", "demo_default", "Creating");
    v.event("Network", "demo_default", "Created");
    v.event("Container", "demo-web-1", "Started");
  }
  EXPECT_EQ(out.text(),
            " Network demo_default  Creating\n Network demo_default  Created\n"
            " Container demo-web-1  Started\n");
}

TEST(ProgressView, TtyRedrawsOneLinePerResourceInPlace) {
  Captured out;
  {
    ProgressView v(out.file(), ProgressView::Mode::kTty);
    v.event("Network", "demo_default", "Creating");
    v.event("Container", "demo-web-1", "Creating");
    v.event("Network", "demo_default", "Created");
    v.event("Container", "demo-web-1", "Started");
    v.finish();
    v.event("Container", "demo-web-1", "Late");  // after finish: dropped
  }
  const std::string text = out.text();
  const std::string last = text.substr(text.rfind("[+]"));
  EXPECT_NE(last.find("Running 2/2"), std::string::npos) << last;
  EXPECT_NE(last.find("✔\033[0m Network demo_default  Created"), std::string::npos) << last;
  EXPECT_NE(last.find("✔\033[0m Container demo-web-1  Started"), std::string::npos) << last;
  EXPECT_EQ(last.find("Late"), std::string::npos);
  EXPECT_NE(text.find("\033[3A"), std::string::npos) << "moves up over the header and two lines";
  EXPECT_NE(text.find("Running 0/1"), std::string::npos) << "the first redraw";
}

TEST(ProgressView, AFailedResourceIsMarked) {
  Captured out;
  {
    ProgressView v(out.file(), ProgressView::Mode::kTty);
    v.event("Container", "demo-db-1", "Error");
  }
  EXPECT_NE(out.text().find("✘"), std::string::npos);
}

TEST(ProgressView, QuietPrintsNothing) {
  Captured out;
  {
    ProgressView v(out.file(), ProgressView::Mode::kQuiet);
    v.event("Container", "demo-web-1", "Started");
  }
  EXPECT_EQ(out.text(), "");
}

TEST(ProgressView, StatusWordsAndModes) {
  for (const char* s : {"Creating", "Starting", "Waiting", "Recreate", "Stopping", "Removing"})
    EXPECT_TRUE(ProgressView::in_progress(s)) << s;
  for (const char* s : {"Created", "Started", "Running", "Healthy", "Exited", "Removed"})
    EXPECT_FALSE(ProgressView::in_progress(s)) << s;
  Captured out;
  EXPECT_EQ(ProgressView::mode_from("plain", out.file()), ProgressView::Mode::kPlain);
  EXPECT_EQ(ProgressView::mode_from("tty", out.file()), ProgressView::Mode::kTty);
  EXPECT_EQ(ProgressView::mode_from("auto", out.file()), ProgressView::Mode::kPlain)
      << "not a terminal";
  EXPECT_THROW(ProgressView::mode_from("fancy", out.file()), Error);
}

}  // namespace
}  // namespace berth::cli::format
