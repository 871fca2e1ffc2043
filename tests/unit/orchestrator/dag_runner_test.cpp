// run_dag: each node after its predecessors, independent ones at the same time (bounded), and
// what a failure does to the nodes after it.
#include "orchestrator/dag_runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace berth::orchestrator {
namespace {

struct Recorder {
  std::mutex mu;
  std::vector<std::string> done;
  std::atomic<int> running{0}, peak{0};
  void run(const std::string& n, int ms = 20) {
    int now = ++running;
    for (int p = peak; now > p && !peak.compare_exchange_weak(p, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    --running;
    std::lock_guard g(mu);
    done.push_back(n);
  }
  size_t at(const std::string& n) { return std::find(done.begin(), done.end(), n) - done.begin(); }
};

TEST(DagRunner, PredecessorsFirstIndependentOnesTogether) {
  Recorder r;
  auto failures = run_dag({"db", "cache", "app"}, {{"app", {"db", "cache"}}},
                          [&](const std::string& n) { r.run(n); }, {});
  EXPECT_TRUE(failures.empty());
  ASSERT_EQ(r.done.size(), 3u);
  EXPECT_EQ(r.done.back(), "app");
  EXPECT_EQ(r.peak, 2) << "db and cache ran at the same time";
}

TEST(DagRunner, TheLimitBoundsHowManyRunAtOnce) {
  Recorder r;
  run_dag({"a", "b", "c", "d"}, {}, [&](const std::string& n) { r.run(n); }, {.limit = 1});
  EXPECT_EQ(r.done.size(), 4u);
  EXPECT_EQ(r.peak, 1);
}

TEST(DagRunner, AFailureSkipsWhatComesAfterUnlessBestEffort) {
  Recorder r;
  auto task = [&](const std::string& n) {
    if (n == "db") throw std::runtime_error("boom");
    r.run(n, 1);
  };
  const std::map<std::string, std::set<std::string>> after{{"app", {"db"}}};
  auto failures = run_dag({"db", "app", "other"}, after, task, {});
  EXPECT_EQ(failures, (std::vector<std::string>{"db: boom"}));
  EXPECT_EQ(r.done, (std::vector<std::string>{"other"}));
  r.done.clear();
  failures = run_dag({"db", "app", "other"}, after, task, {.run_after_failure = true});
  EXPECT_EQ(failures.size(), 1u);
  EXPECT_EQ(r.done.size(), 2u);
}

}  // namespace
}  // namespace berth::orchestrator
