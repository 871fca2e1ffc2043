#include "engine/lifecycle/process_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/error.h"

namespace berth::engine::lifecycle {
namespace {

using nlohmann::json;
using V = std::vector<std::string>;

const json kBoth = {{"Entrypoint", {"/ep"}}, {"Cmd", {"default"}}};
const json kCmdOnly = {{"Cmd", {"sh"}}};

TEST(ResolveCommand, EntrypointPlusCmd) {
  EXPECT_EQ(resolve_command(kBoth, {}, std::nullopt).argv(), (V{"/ep", "default"}));
}

TEST(ResolveCommand, ArgsReplaceCmd) {
  EXPECT_EQ(resolve_command(kBoth, {"a", "b"}, std::nullopt).argv(), (V{"/ep", "a", "b"}));
  EXPECT_EQ(resolve_command(kCmdOnly, {"ls"}, std::nullopt).argv(), (V{"ls"}));
}

TEST(ResolveCommand, EntrypointFlagDropsImageCmd) {
  auto c = resolve_command(kBoth, {}, std::string("/other"));
  EXPECT_EQ(c.argv(), (V{"/other"}));
  EXPECT_TRUE(c.cmd.empty());
  EXPECT_EQ(resolve_command(kBoth, {"x"}, std::string("/other")).argv(), (V{"/other", "x"}));
}

TEST(ResolveCommand, EmptyEntrypointClears) {
  EXPECT_EQ(resolve_command(kBoth, {"echo"}, std::string("")).argv(), (V{"echo"}));
  EXPECT_THROW(resolve_command(kBoth, {}, std::string("")), Error);
}

TEST(ResolveCommand, NothingToRun) {
  try {
    resolve_command(json::object(), {}, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    EXPECT_STREQ(e.what(), "No command specified");
  }
  EXPECT_EQ(resolve_command(nullptr, {"x"}, std::nullopt).argv(), (V{"x"}));
}

TEST(MergeEnv, LaterKeysWinInPlace) {
  auto env = merge_env({"PATH=/bin", "A=1", "B=2"}, {"A=3", "C=4", "B=5"});
  EXPECT_EQ(env, (V{"PATH=/bin", "A=3", "B=5", "C=4"}));
}

TEST(MergeEnv, DefaultPathAdded) {
  auto env = merge_env({}, {"A=1"});
  ASSERT_EQ(env.size(), 2u);
  EXPECT_EQ(env[0], kDefaultPathEnv);
}

TEST(MergeEnv, BareKeyTakesHostValue) {
  ::setenv("BERTH_TEST_HOSTVAR", "from-host", 1);
  ::unsetenv("BERTH_TEST_UNSET");
  auto env = merge_env({"PATH=/bin"}, {"BERTH_TEST_HOSTVAR", "BERTH_TEST_UNSET"});
  EXPECT_EQ(env, (V{"PATH=/bin", "BERTH_TEST_HOSTVAR=from-host"}));
}

TEST(MergeEnv, EmptyValueKept) {
  auto env = merge_env({"PATH=/bin"}, {"E="});
  EXPECT_EQ(env_value(env, "E"), "");
  EXPECT_EQ(env_value(env, "X"), std::nullopt);
}

TEST(EnvFile, ParsesLinesCommentsAndBlanks) {
  auto lines = parse_env_file("# c\nA=1\n\n  B=two words\r\nC=\n", "f.env");
  EXPECT_EQ(lines, (V{"A=1", "B=two words", "C="}));
}

TEST(EnvFile, RejectsBadKey) {
  try {
    parse_env_file("A=1\nBAD KEY=2\n", "f.env");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    EXPECT_NE(std::string(e.what()).find("f.env:2"), std::string::npos);
  }
  EXPECT_THROW(parse_env_file("=x\n", "f"), Error);
}

TEST(Labels, Parse) {
  EXPECT_EQ(parse_label("a=b=c"), (std::pair<std::string, std::string>{"a", "b=c"}));
  EXPECT_EQ(parse_label("flag"), (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_THROW(parse_label("=x"), Error);
}

}  // namespace
}  // namespace berth::engine::lifecycle
