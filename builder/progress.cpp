#include "builder/progress.h"

#include <cstdio>
#include <utility>

#include "sys/write_all.h"

namespace berth::builder {

namespace {
constexpr size_t kTailLines = 10;

std::string seconds(std::chrono::steady_clock::duration d, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::chrono::duration<double>(d).count());
  return buf;
}
}  // namespace

void Progress::write(std::string_view text) {
  if (fd_ < 0) return;
  std::lock_guard lock(mu_);
  sys::write_all(fd_, text.data(), text.size());
}

Progress::Vertex Progress::begin(std::string_view title) {
  int n;
  {
    std::lock_guard lock(mu_);
    n = next_++;
  }
  write("\n#" + std::to_string(n) + " " + prefix_ + std::string(title) + "\n");
  return Vertex(this, n);
}

void Progress::note(std::string_view title, std::string_view detail) {
  auto v = begin(title);
  if (!detail.empty()) v.output(std::string(detail) + "\n");
  v.done();
}

void Progress::Vertex::line(std::string_view text) {
  tail_.emplace_back(text);
  if (tail_.size() > kTailLines) tail_.pop_front();
  p_->write("#" + std::to_string(n_) + " " + seconds(std::chrono::steady_clock::now() - start_, 3) +
            " " + std::string(text) + "\n");
}

void Progress::Vertex::output(std::string_view data) {
  partial_ += data;
  size_t pos;
  while ((pos = partial_.find('\n')) != std::string::npos) {
    std::string l = partial_.substr(0, pos);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    line(l);
    partial_.erase(0, pos + 1);
  }
}

void Progress::Vertex::cached() {
  p_->write("#" + std::to_string(n_) + " CACHED\n");
}

void Progress::Vertex::done() {
  if (!partial_.empty()) line(std::exchange(partial_, {}));
  p_->write("#" + std::to_string(n_) + " DONE " +
            seconds(std::chrono::steady_clock::now() - start_, 1) + "s\n");
}

void Progress::Vertex::error(std::string_view message) {
  if (!partial_.empty()) line(std::exchange(partial_, {}));
  p_->write("#" + std::to_string(n_) + " ERROR: " + std::string(message) + "\n");
}

std::string Progress::Vertex::tail() const {
  std::string out;
  for (const auto& l : tail_) out += l + "\n";
  return out;
}

}  // namespace berth::builder
