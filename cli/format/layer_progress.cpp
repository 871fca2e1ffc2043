#include "cli/format/layer_progress.h"

#include "cli/format/human_size.h"

namespace berth::cli::format {

std::string progress_bar(int64_t current, int64_t total) {
  if (total <= 0) return current > 0 ? human_size(static_cast<double>(current)) : "";
  constexpr int kWidth = 50;
  int64_t filled = std::min<int64_t>(kWidth, current * kWidth / total);
  std::string bar = "[";
  for (int i = 0; i < kWidth; ++i)
    bar += i < filled ? '=' : (i == filled && filled < kWidth ? '>' : ' ');
  bar += "] ";
  // docker/pkg/jsonmessage: "%8v/%v".
  std::string done = human_size(static_cast<double>(current));
  while (done.size() < 8) done = " " + done;
  return bar + done + "/" + human_size(static_cast<double>(total));
}

LayerProgress::LayerProgress(FILE* out, bool tty) : out_(out), tty_(tty) {}

std::string LayerProgress::render(const std::string& id, const Layer& l) const {
  std::string text = id + ": " + l.status;
  if (l.status == "Downloading" || l.status == "Pushing" || l.status == "Extracting") {
    if (l.total > 0 || l.current > 0) text += " " + progress_bar(l.current, l.total);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - l.start).count();
    if (l.current > 0 && secs > 0.05)
      text += "  " + human_size(static_cast<double>(l.current) / secs) + "/s";
  }
  return text;
}

void LayerProgress::update(const std::string& id, const std::string& status, int64_t current,
                           int64_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  auto [it, added] = layers_.try_emplace(id);
  Layer& l = it->second;
  if (added) order_.push_back(id);
  const bool changed = added || l.status != status;
  if (!l.started && (status == "Downloading" || status == "Pushing")) {
    l.started = true;
    l.start = now;
  }
  if (status == "Extracting" && l.status != "Extracting") l.start = now;
  l.status = status;
  l.current = current;
  l.total = total;
  if (!tty_) {
    // Updates that carry a byte count are for terminals only.
    if (changed && status != "Downloading" && status != "Pushing" && status != "Extracting") {
      std::fprintf(out_, "%s: %s\n", id.c_str(), status.c_str());
      std::fflush(out_);
    }
    return;
  }
  if (!added && !changed && now - l.last_draw < std::chrono::milliseconds(100)) return;
  l.last_draw = now;
  // Each layer owns one line; the cursor rests below the last one.
  size_t index = 0;
  while (order_[index] != id) ++index;
  const size_t up = order_.size() - index;
  std::string text = render(id, l);
  if (added)
    std::fprintf(out_, "%s\n", text.c_str());
  else
    std::fprintf(out_, "\033[%zuA\r\033[2K%s\033[%zuB\r", up, text.c_str(), up);
  std::fflush(out_);
}

void LayerProgress::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mu_);
  std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

}  // namespace berth::cli::format
