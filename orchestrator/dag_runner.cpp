#include "orchestrator/dag_runner.h"

#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

namespace berth::orchestrator {

namespace {

enum class State { kWaiting, kRunning, kDone, kFailed, kSkipped };

struct Scheduler {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, State> state;
  std::vector<std::string> failures;
  int running = 0;
};

// kDone / kFailed / kSkipped predecessors decide; a waiting or running one keeps us waiting.
// Returns kRunning when the node may start, kSkipped when it never will, kWaiting otherwise.
State readiness(Scheduler& s, const std::set<std::string>& preds, bool run_after_failure) {
  bool failed = false;
  for (const auto& p : preds) {
    auto it = s.state.find(p);
    if (it == s.state.end()) continue;
    if (it->second == State::kWaiting || it->second == State::kRunning) return State::kWaiting;
    if (it->second != State::kDone) failed = true;
  }
  return failed && !run_after_failure ? State::kSkipped : State::kRunning;
}

}  // namespace

std::vector<std::string> run_dag(const std::vector<std::string>& order,
                                 const std::map<std::string, std::set<std::string>>& after,
                                 const std::function<void(const std::string&)>& task,
                                 const DagOptions& opts) {
  static const std::set<std::string> kNone;
  Scheduler s;
  for (const auto& n : order) s.state[n] = State::kWaiting;
  std::vector<std::thread> threads;
  std::unique_lock lock(s.mu);
  for (;;) {
    size_t open = 0;
    for (const auto& n : order) {
      State& st = s.state[n];
      if (st == State::kRunning) ++open;
      if (st != State::kWaiting) continue;
      ++open;
      if (opts.limit > 0 && s.running >= opts.limit) continue;
      auto it = after.find(n);
      const State r = readiness(s, it == after.end() ? kNone : it->second, opts.run_after_failure);
      if (r == State::kWaiting) continue;
      st = r;
      if (r == State::kSkipped) continue;
      ++s.running;
      threads.emplace_back([&s, &task, n] {
        std::string error;
        try {
          task(n);
        } catch (const std::exception& e) {
          error = e.what();
        }
        std::lock_guard g(s.mu);
        s.state[n] = error.empty() ? State::kDone : State::kFailed;
        if (!error.empty()) s.failures.push_back(n + ": " + error);
        --s.running;
        s.cv.notify_all();
      });
    }
    if (open == 0) break;
    // A node marked skipped above may unblock no one, but may let the loop end: look again
    // before sleeping unless something still runs.
    if (s.running > 0) s.cv.wait(lock);
  }
  lock.unlock();
  for (auto& t : threads) t.join();
  return s.failures;
}

int parallel_limit_from_env() {
  const char* v = std::getenv("COMPOSE_PARALLEL_LIMIT");
  if (!v) return 0;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  return end != v && *end == '\0' && n > 0 && n < 1'000'000 ? static_cast<int>(n) : 0;
}

}  // namespace berth::orchestrator
