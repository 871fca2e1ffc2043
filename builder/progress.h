// A build's progress as BuildKit's plain output prints it, on stderr: one numbered vertex per
// step ("#5 [build 2/4] RUN make"), its output lines with the seconds since it began
// ("#5 0.412 cc -o app app.c"), then "#5 CACHED", "#5 DONE 0.6s" or "#5 ERROR: ...". Lines
// of concurrent builds (compose build) interleave whole, each vertex under its own number.
// Quiet (-q): nothing is printed, and a failing step's last output lines are kept for its
// error message either way.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>

namespace berth::builder {

class Progress {
 public:
  // fd: where lines go (2), or -1 for quiet. prefix: put before every title (compose: the
  // service name).
  explicit Progress(int fd, std::string prefix = "") : fd_(fd), prefix_(std::move(prefix)) {}

  class Vertex {
   public:
    // Output of the step, any chunking: split into lines, each printed with its time.
    void output(std::string_view data);
    void cached();
    void done();
    void error(std::string_view message);
    // The last lines the step printed (for an error message), oldest first.
    std::string tail() const;
    Vertex(const Vertex&) = delete;
    Vertex& operator=(const Vertex&) = delete;

   private:
    friend class Progress;
    Vertex(Progress* p, int n) : p_(p), n_(n), start_(std::chrono::steady_clock::now()) {}
    void line(std::string_view text);
    Progress* p_;
    int n_;
    std::chrono::steady_clock::time_point start_;
    std::string partial_;
    std::deque<std::string> tail_;
  };

  // Starts a vertex and prints its title.
  Vertex begin(std::string_view title);
  // A line of its own (warnings, "naming to ..."), under a new number, done at once.
  void note(std::string_view title, std::string_view detail = "");

 private:
  void write(std::string_view text);
  int fd_;
  std::string prefix_;
  std::mutex mu_;
  int next_ = 1;
};

}  // namespace berth::builder
