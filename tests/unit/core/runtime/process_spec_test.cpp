#include "core/runtime/process_spec.h"

#include <gtest/gtest.h>

#include "core/runtime/exec_plan.h"
#include "core/runtime/spec.h"

namespace berth::core::runtime {
namespace {

ProcessSpec sample() {
  ProcessSpec p;
  p.argv = {"sh", "-c", "echo hi"};
  p.env = {"PATH=/bin", "A=b c"};
  p.cwd = "/work";
  p.uid = 33;
  p.gid = 44;
  p.groups = {1, 2};
  p.tty = true;
  return p;
}

void expect_same(const ProcessSpec& a, const ProcessSpec& b) {
  EXPECT_EQ(a.argv, b.argv);
  EXPECT_EQ(a.env, b.env);
  EXPECT_EQ(a.cwd, b.cwd);
  EXPECT_EQ(a.uid, b.uid);
  EXPECT_EQ(a.gid, b.gid);
  EXPECT_EQ(a.groups, b.groups);
  EXPECT_EQ(a.tty, b.tty);
}

TEST(ProcessSpec, JsonRoundTrip) {
  nlohmann::json j = nlohmann::json::object();
  add_to_json(sample(), j);
  ProcessSpec back;
  process_from_json(nlohmann::json::parse(j.dump()), back);
  expect_same(back, sample());
}

TEST(ProcessSpec, MissingKeyThrows) {
  ProcessSpec p;
  EXPECT_THROW(process_from_json(nlohmann::json::object(), p), nlohmann::json::exception);
}

// The container's spec and an exec's plan carry the process under the same keys.
TEST(ProcessSpec, SharedByRuntimeSpecAndExecPlan) {
  RuntimeSpec s;
  static_cast<ProcessSpec&>(s) = sample();
  ExecPlan p;
  static_cast<ProcessSpec&>(p) = sample();
  nlohmann::json process = nlohmann::json::object();
  add_to_json(sample(), process);
  const nlohmann::json js = to_json(s), jp = to_json(p);
  for (const auto& [key, value] : process.items()) {
    EXPECT_EQ(js.at(key), value) << key;
    EXPECT_EQ(jp.at(key), value) << key;
  }
  expect_same(spec_from_json(js), sample());
  expect_same(exec_plan_from_json(jp), sample());
}

}  // namespace
}  // namespace berth::core::runtime
