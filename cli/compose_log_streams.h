// The output of several containers of a compose project at once, as `compose logs` and an
// attached `compose up` print it: each line whole and marked with its container
// (cli/format/log_prefix.h). What is in the logs already comes first, merged across the
// containers by time; with follow, one thread per container then prints what it writes until
// it stops for good (a container that its restart policy restarts is followed on), prints
// Compose's "web-1 exited with code 0" and reports the exit.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/format/log_prefix.h"
#include "common/paths.h"
#include "engine/lifecycle/container_logs.h"
#include "orchestrator/plan.h"

namespace berth::cli {

struct LogStreamOptions {
  engine::lifecycle::LogOptions log;  // --tail applies to each container
  bool colour = false;
  bool prefix = true;
  // Containers' stderr to our stderr (attached `up`); otherwise everything to stdout (`logs`).
  bool stderr_apart = false;
  // With follow: stopped containers too (`up`: one may have exited before we looked);
  // otherwise (`logs -f`) only those running now.
  bool follow_stopped = false;
};

struct StreamedContainer {
  orchestrator::ObservedContainer container;
  bool shown = true;  // false: followed for its exit only (`up --no-attach`)
};

class LogStreams {
 public:
  // containers: in the order their colours are given (Compose sorts them by name).
  LogStreams(const Paths& paths, const std::string& project,
             std::vector<StreamedContainer> containers, LogStreamOptions opts);
  // Waits for the followers (see wait()).
  ~LogStreams();
  LogStreams(const LogStreams&) = delete;
  LogStreams& operator=(const LogStreams&) = delete;

  // Prints the logs as they are, then with follow starts the followers; on_exit(i, code) is
  // called from container i's follower once it stopped for good (code -1: unknown, the
  // container is gone).
  void start(std::function<void(size_t, int)> on_exit = {});
  // Blocks until every follower has ended. Throws Error naming each container whose logs
  // could not be read.
  void wait();
  // Prints nothing more: Compose's printer once the user interrupted or the stack aborts.
  void mute();
  const orchestrator::ObservedContainer& container(size_t i) const {
    return containers_[i].container;
  }
  size_t size() const { return containers_.size(); }

 private:
  void print(size_t i, const engine::lifecycle::LogEntry& e);
  void print_status(size_t i, const std::string& message);
  void follow(size_t i, std::optional<timespec> since);

  Paths paths_;
  std::vector<StreamedContainer> containers_;
  std::vector<size_t> line_index_;  // container → its index in the prefixer
  LogStreamOptions opts_;
  format::LogPrefixer prefixer_;
  std::function<void(size_t, int)> on_exit_;
  std::mutex out_mu_;  // one line at a time; also guards muted_ and errors_
  bool muted_ = false;
  std::vector<std::string> errors_;
  std::vector<std::thread> followers_;
};

}  // namespace berth::cli
