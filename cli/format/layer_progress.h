// Docker's per-layer display of `pull` and `push` (docker/cli's jsonmessage): one line per
// layer, "<12 hex>: <status>". On a terminal each layer's line is redrawn in place, with a
// bar, the bytes and the speed while it transfers:
//   3f4ca61aafcd: Downloading [=======>                    ]  12.1MB/45.6MB  52.3MB/s
// Otherwise only status changes are printed, one line each, without the byte counts
// ("Downloading" and "Pushing" updates are left out), as Docker does for a pipe.
#pragma once

#include <stdio.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace berth::cli::format {

// "[=====>        ]  1.2MB/3.4MB" (a 50-column bar; no bar when total is unknown).
std::string progress_bar(int64_t current, int64_t total);

class LayerProgress {
 public:
  // tty: redraw in place (the caller decides: isatty and TERM not dumb).
  LayerProgress(FILE* out, bool tty);
  // A layer's new status (thread-safe).
  void update(const std::string& id, const std::string& status, int64_t current, int64_t total);
  // A line of its own below the layers ("Digest: ...").
  void line(const std::string& text);

 private:
  struct Layer {
    std::string status;
    int64_t current = 0, total = 0;
    std::chrono::steady_clock::time_point start, last_draw;
    bool started = false;
  };
  std::string render(const std::string& id, const Layer& l) const;
  FILE* out_;
  bool tty_;
  std::mutex mu_;
  std::vector<std::string> order_;
  std::map<std::string, Layer> layers_;
};

}  // namespace berth::cli::format
