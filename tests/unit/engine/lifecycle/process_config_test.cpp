#include "engine/lifecycle/process_config.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::lifecycle {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;
using Pairs = std::vector<request::EnvPair>;
const std::optional<V> kNone;

const json kBoth = {{"Entrypoint", {"/ep"}}, {"Cmd", {"default"}}};
const json kCmdOnly = {{"Cmd", {"sh"}}};

TEST(ResolveCommand, EntrypointPlusCmd) {
  EXPECT_EQ(resolve_command(kBoth, kNone, kNone).argv(), (V{"/ep", "default"}));
}

TEST(ResolveCommand, ArgsReplaceCmd) {
  EXPECT_EQ(resolve_command(kBoth, V{"a", "b"}, kNone).argv(), (V{"/ep", "a", "b"}));
  EXPECT_EQ(resolve_command(kCmdOnly, V{"ls"}, kNone).argv(), (V{"ls"}));
}

TEST(ResolveCommand, EntrypointFlagDropsImageCmd) {
  auto c = resolve_command(kBoth, kNone, V{"/other"});
  EXPECT_EQ(c.argv(), (V{"/other"}));
  EXPECT_TRUE(c.cmd.empty());
  EXPECT_EQ(resolve_command(kBoth, V{"x"}, V{"/other"}).argv(), (V{"/other", "x"}));
}

TEST(ResolveCommand, EmptyEntrypointClears) {
  EXPECT_EQ(resolve_command(kBoth, V{"echo"}, V{}).argv(), (V{"echo"}));
  EXPECT_THROW(resolve_command(kBoth, kNone, V{}), Error);
}

TEST(ResolveCommand, NothingToRun) {
  try {
    resolve_command(json::object(), kNone, kNone);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    EXPECT_STREQ(e.what(), "No command specified");
  }
  EXPECT_EQ(resolve_command(nullptr, V{"x"}, kNone).argv(), (V{"x"}));
}

TEST(MergeEnv, LaterKeysWinInPlace) {
  auto env = merge_env({"PATH=/bin", "A=1", "B=2"}, Pairs{{"A", "3"}, {"C", "4"}, {"B", "5"}});
  EXPECT_EQ(env, (V{"PATH=/bin", "A=3", "B=5", "C=4"}));
}

TEST(MergeEnv, DefaultPathAdded) {
  auto env = merge_env({}, Pairs{{"A", "1"}});
  ASSERT_EQ(env.size(), 2u);
  EXPECT_EQ(env[0], kDefaultPathEnv);
}

TEST(MergeEnv, EmptyValueKept) {
  auto env = merge_env({"PATH=/bin"}, Pairs{{"E", ""}});
  EXPECT_EQ(env_value(env, "E"), "");
  EXPECT_EQ(env_value(env, "X"), std::nullopt);
}

}  // namespace
}  // namespace berth::engine::lifecycle
