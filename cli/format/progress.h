// Compose's progress display for `compose up`, `down` and the other verbs that change
// containers, networks, volumes or images: one line per resource with its latest status.
// On a terminal (kTty) the lines are redrawn in place under a `[+] Running 2/3` header, with a
// spinner while a resource is in progress, ✔ once it is done and the time it took, as
// Compose's tty writer does; otherwise (kPlain) each event is one line
// (` Container demo-web-1  Started`), and kQuiet prints nothing.
#pragma once

#include <stdio.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace berth::cli::format {

class ProgressView {
 public:
  enum class Mode { kPlain, kTty, kQuiet };

  // "auto" (a terminal on `out` and TERM not dumb: tty, else plain), "tty", "plain", "quiet".
  // Throws Error for another value.
  static Mode mode_from(const std::string& progress, FILE* out);

  ProgressView(FILE* out, Mode mode, std::string title = "Running");
  ~ProgressView();  // finish()
  ProgressView(const ProgressView&) = delete;
  ProgressView& operator=(const ProgressView&) = delete;

  // The resource `kind name` is now `status` ("Creating", "Started", "Error"...). Thread-safe.
  void event(const std::string& kind, const std::string& name, const std::string& status);
  // The last redraw; later events are dropped. Idempotent.
  void finish();

  // Whether a status word means the resource is still changing ("Creating", "Waiting",
  // "Recreate"), rather than done ("Started", "Running", "Healthy") or failed ("Error").
  static bool in_progress(const std::string& status);

 private:
  struct Line {
    std::string kind, name, status;
    std::chrono::steady_clock::time_point start, end;
    bool done = false, failed = false;
  };
  void redraw();  // under mu_
  void tick();

  FILE* out_;
  Mode mode_;
  std::string title_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Line> lines_;
  int drawn_ = 0;  // lines on screen from the last redraw
  int frame_ = 0;  // the spinner's
  bool finished_ = false;
  std::thread ticker_;  // redraws every 100 ms on a terminal, so times and spinners move
};

}  // namespace berth::cli::format
