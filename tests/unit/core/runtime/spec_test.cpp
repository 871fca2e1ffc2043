#include "core/runtime/spec.h"

#include <gtest/gtest.h>

namespace berth::core::runtime {
namespace {

TEST(RuntimeSpec, JsonRoundTrip) {
  RuntimeSpec s;
  s.id = "abc";
  s.root = "/r";
  s.runroot = "/rr";
  s.lowerdirs = {"/l2", "/l1"};
  s.argv = {"sh", "-c", "echo hi"};
  s.env = {"PATH=/bin", "A=b c"};
  s.cwd = "/work";
  s.uid = 33;
  s.gid = 44;
  s.groups = {1, 2};
  s.hostname = "h";
  s.tty = true;
  s.open_stdin = true;
  s.attach_stdout = true;
  s.auto_remove = true;
  RuntimeSpec r = spec_from_json(nlohmann::json::parse(to_json(s).dump()));
  EXPECT_EQ(r.id, s.id);
  EXPECT_EQ(r.lowerdirs, s.lowerdirs);
  EXPECT_EQ(r.argv, s.argv);
  EXPECT_EQ(r.env, s.env);
  EXPECT_EQ(r.cwd, s.cwd);
  EXPECT_EQ(r.uid, 33u);
  EXPECT_EQ(r.gid, 44u);
  EXPECT_EQ(r.groups, s.groups);
  EXPECT_TRUE(r.tty && r.open_stdin && r.attach_stdout && r.auto_remove);
  EXPECT_FALSE(r.attach_stdin || r.attach_stderr);
}

TEST(RuntimeSpec, MissingKeyThrows) {
  EXPECT_THROW(spec_from_json(nlohmann::json::object()), nlohmann::json::exception);
}

}  // namespace
}  // namespace berth::core::runtime
