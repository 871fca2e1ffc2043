#include "cli/format/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "cli/format/tabwriter.h"
#include "common/error.h"

namespace berth::cli::format {

namespace {

constexpr const char* kSpinner[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kBlue = "\033[34m";
constexpr const char* kReset = "\033[0m";

std::string seconds(std::chrono::steady_clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs",
                std::chrono::duration_cast<std::chrono::milliseconds>(d).count() / 1000.0);
  return buf;
}

}  // namespace

ProgressView::Mode ProgressView::mode_from(const std::string& progress, FILE* out) {
  if (progress == "tty") return Mode::kTty;
  if (progress == "plain") return Mode::kPlain;
  if (progress == "quiet") return Mode::kQuiet;
  if (progress != "auto" && !progress.empty())
    throw Error("invalid --progress \"" + progress + "\": expected auto, tty, plain or quiet");
  const char* term = std::getenv("TERM");
  const bool dumb = term && std::strcmp(term, "dumb") == 0;
  return ::isatty(::fileno(out)) && !dumb ? Mode::kTty : Mode::kPlain;
}

bool ProgressView::in_progress(const std::string& status) {
  if (status == "Recreate") return true;
  return status.size() > 3 && status.ends_with("ing") && status != "Running";
}

ProgressView::ProgressView(FILE* out, Mode mode, std::string title)
    : out_(out), mode_(mode), title_(std::move(title)) {
  if (mode_ == Mode::kTty) ticker_ = std::thread([this] { tick(); });
}

ProgressView::~ProgressView() {
  finish();
}

void ProgressView::tick() {
  std::unique_lock lock(mu_);
  while (!finished_) {
    cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (finished_) break;
    ++frame_;
    if (!lines_.empty()) redraw();
  }
}

void ProgressView::event(const std::string& kind, const std::string& name,
                         const std::string& status) {
  std::lock_guard g(mu_);
  if (finished_ || mode_ == Mode::kQuiet) return;
  if (mode_ == Mode::kPlain) {
    if (kind.empty())  // a service's pull or push: " web Pulled", as Compose prints it
      std::fprintf(out_, " %s %s\n", name.c_str(), status.c_str());
    else
      std::fprintf(out_, " %s %s  %s\n", kind.c_str(), name.c_str(), status.c_str());
    std::fflush(out_);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  auto it = std::find_if(lines_.begin(), lines_.end(),
                         [&](const Line& l) { return l.kind == kind && l.name == name; });
  if (it == lines_.end()) {
    lines_.push_back({kind, name, status, now, now});
    it = lines_.end() - 1;
  }
  it->status = status;
  it->failed = status == "Error";
  it->done = it->failed || !in_progress(status);
  if (it->done) it->end = now;
  redraw();
}

void ProgressView::finish() {
  {
    std::lock_guard g(mu_);
    if (finished_) return;
    finished_ = true;
    if (mode_ == Mode::kTty && !lines_.empty()) redraw();
  }
  cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void ProgressView::redraw() {
  const auto now = std::chrono::steady_clock::now();
  size_t width = 0;
  int done = 0;
  for (const auto& l : lines_) {
    width =
        std::max(width, display_width(l.kind) + (l.kind.empty() ? 0 : 1) + display_width(l.name));
    done += l.done ? 1 : 0;
  }
  std::string text;
  if (drawn_ > 0) text += "\033[" + std::to_string(drawn_) + "A";
  text += "\033[2K" + std::string(kBlue) + "[+] " + title_ + " " + std::to_string(done) + "/" +
          std::to_string(lines_.size()) + kReset + "\n";
  for (const auto& l : lines_) {
    const std::string mark = l.failed ? std::string(kRed) + "✘" + kReset
                             : l.done ? std::string(kGreen) + "✔" + kReset
                                      : kSpinner[frame_ % std::size(kSpinner)];
    std::string what = l.kind.empty() ? l.name : l.kind + " " + l.name;
    what.append(width - display_width(what), ' ');
    std::string status = l.status;
    if (status.size() < 10) status.append(10 - status.size(), ' ');
    text += "\033[2K " + mark + " " + what + "  " + status + " " +
            seconds((l.done ? l.end : now) - l.start) + "\n";
  }
  drawn_ = static_cast<int>(lines_.size()) + 1;
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace berth::cli::format
