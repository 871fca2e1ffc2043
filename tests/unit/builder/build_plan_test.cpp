// The builder's pure parts: ARG scoping (build_args.h), the stages a target needs
// (stage_plan.h), the dispatchers of metadata instructions (image/change.h) and the cache's
// chain keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "builder/build_args.h"
#include "builder/cache.h"
#include "builder/stage_plan.h"
#include "common/error.h"
#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "engine/image/change.h"

namespace berth::builder {
namespace {

namespace df = berth::dockerfile;

df::Stages stages_of(const std::string& text) {
  return df::parse_stages(df::parse(text));
}

Platform amd64() {
  return {"linux", "amd64", ""};
}

TEST(BuildArgs, GlobalArgsReachFromLinesAndOnlyRedeclaredOnesReachAStage) {
  auto s = stages_of("ARG V=1\nARG W=${V}0\nARG G=g\nFROM x\nARG V\nARG L=l$W\nARG G\n");
  BuildArgs args({{"V", "7"}}, amd64());
  args.declare_global(s.meta_args, '\\');
  EXPECT_EQ(args.global().at("V"), "7");
  EXPECT_EQ(args.global().at("W"), "70");
  EXPECT_EQ(args.global().at("TARGETARCH"), "amd64");
  auto st = args.stage();
  for (const auto& ins : s.stages[0].instructions)
    st.declare(*ins.get<df::ArgInstr>(), st.vars({}), '\\');
  // W was not redeclared: the stage does not see it, so L's default expands it to nothing.
  // G was redeclared without a default: it takes the global value.
  EXPECT_EQ(st.values(),
            (std::vector<std::pair<std::string, std::string>>{{"V", "7"}, {"L", "l"}, {"G", "g"}}));
  EXPECT_TRUE(args.unused().empty());
}

TEST(BuildArgs, EnvWinsOverArgAndProxyArgsReachRunWithoutADeclaration) {
  BuildArgs args({{"A", "from-arg"}, {"HTTP_PROXY", "http://p:3128"}, {"NOPE", "1"}}, amd64());
  auto st = args.stage();
  df::ArgInstr a;
  a.args.push_back({"A", std::nullopt});
  a.args.push_back({"B", std::string("b")});
  st.declare(a, {}, '\\');
  const std::vector<std::string> env = {"A=from-env", "PATH=/bin"};
  EXPECT_EQ(st.vars(env).at("A"), "from-env");
  EXPECT_EQ(st.run_env(env), (std::vector<std::pair<std::string, std::string>>{
                                 {"B", "b"}, {"HTTP_PROXY", "http://p:3128"}}));
  EXPECT_EQ(st.history_args(), (std::vector<std::string>{"A=from-arg", "B=b"}));
  EXPECT_EQ(args.unused(), (std::vector<std::string>{"NOPE"}));
}

TEST(StagePlan, TheTargetAndWhatItNeedsInFileOrder) {
  auto s = stages_of(
      "FROM busybox AS base\n"
      "FROM base AS deps\nRUN true\n"
      "FROM busybox AS unused\nRUN exit 1\n"
      "FROM scratch AS tool\n"
      "FROM deps AS app\nCOPY --from=tool /a /a\nRUN --mount=from=0,target=/x true\n"
      "FROM app AS last\n");
  auto plan = plan_stages(s, {}, "app", '\\', "Dockerfile");
  EXPECT_EQ(plan.order, (std::vector<int>{0, 1, 3, 4}));
  EXPECT_EQ(plan.bases[1].kind, StageBase::Kind::kStage);
  EXPECT_EQ(plan.bases[1].stage, 0);
  EXPECT_EQ(plan.bases[3].kind, StageBase::Kind::kScratch);
  EXPECT_EQ(plan.bases[0].image, "busybox");
  EXPECT_EQ(plan_stages(s, {}, "", '\\', "Dockerfile").target, 5);
  try {
    plan_stages(s, {}, "nope", '\\', "Dockerfile");
    FAIL() << "an unknown target was accepted";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "target stage \"nope\" could not be found");
  }
}

TEST(StagePlan, FromExpandsGlobalArgsAndRefusesBlankOrLaterStages) {
  auto s = stages_of("ARG IMG=busybox\nFROM ${IMG}:1.36 AS a\nFROM $NOTHING\n");
  dockerfile::EnvMap global = {{"IMG", "busybox"}};
  EXPECT_THROW(plan_stages(s, global, "", '\\', "Dockerfile"), Error);
  try {
    plan_stages(s, global, "", '\\', "Dockerfile");
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Dockerfile:3: base name ($NOTHING) should not be blank");
  }
  auto ok = stages_of("ARG IMG=busybox\nFROM ${IMG}:1.36 AS a\n");
  EXPECT_EQ(plan_stages(ok, global, "", '\\', "Dockerfile").bases[0].image, "busybox:1.36");
  auto later = stages_of("FROM busybox AS a\nCOPY --from=1 /x /x\nFROM busybox\n");
  EXPECT_THROW(plan_stages(later, {}, "", '\\', "Dockerfile"), Error);
}

nlohmann::json apply_text(nlohmann::json config, const std::string& text, bool* cmd_set = nullptr,
                          const df::EnvMap& vars = {}) {
  auto parsed = df::parse(text);
  engine::image::DispatchScope scope{vars, cmd_set ? *cmd_set : false};
  for (const auto& node : parsed.children)
    engine::image::apply_instruction(config, df::parse_instruction(node), scope);
  if (cmd_set) *cmd_set = scope.cmd_set;
  return config;
}

TEST(Dispatch, EntrypointDropsAnInheritedCmdButNotOneSetInTheStage) {
  nlohmann::json base = {{"Cmd", {"sh"}}};
  EXPECT_FALSE(apply_text(base, "ENTRYPOINT [\"top\"]\n").contains("Cmd"));
  bool set = false;
  auto c = apply_text(base, "CMD [\"-b\"]\nENTRYPOINT [\"top\"]\n", &set);
  EXPECT_EQ(c["Cmd"], nlohmann::json::array({"-b"}));
  EXPECT_TRUE(set);
}

TEST(Dispatch, ShellFormUsesTheShellAndWorkdirIsRelative) {
  auto c = apply_text(nlohmann::json::object(),
                      "SHELL [\"/bin/bash\", \"-eu\", \"-c\"]\nCMD echo hi\nWORKDIR app\nWORKDIR "
                      "../srv/./x\nSTOPSIGNAL SIGQUIT\nHEALTHCHECK --interval=5s CMD true\n");
  EXPECT_EQ(c["Cmd"], nlohmann::json::array({"/bin/bash", "-eu", "-c", "echo hi"}));
  EXPECT_EQ(c["WorkingDir"], "/srv/x");
  EXPECT_EQ(c["StopSignal"], "SIGQUIT");
  EXPECT_EQ(c["Healthcheck"]["Test"], nlohmann::json::array({"CMD-SHELL", "true"}));
  EXPECT_EQ(c["Healthcheck"]["Interval"], 5000000000LL);
}

TEST(Dispatch, EnvExpandsWithTheVariablesInScope) {
  auto c = apply_text(nlohmann::json::object(), "ENV A=$ARG B=${UNSET:-d}\nLABEL v=$ARG\n", nullptr,
                      {{"ARG", "x"}});
  EXPECT_EQ(c["Env"], nlohmann::json::array({"A=x", "B=d"}));
  EXPECT_EQ(c["Labels"]["v"], "x");
}

TEST(CacheKey, ChainsDependOnEveryStepBefore) {
  const auto a = chain_key(chain_key("root", "COPY a"), "RUN make");
  EXPECT_EQ(a, chain_key(chain_key("root", "COPY a"), "RUN make"));
  EXPECT_NE(a, chain_key(chain_key("root", "COPY b"), "RUN make"));
  EXPECT_EQ(a.size(), 64u);
}

}  // namespace
}  // namespace berth::builder
