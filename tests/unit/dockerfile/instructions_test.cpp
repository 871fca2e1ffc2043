// Typed instructions and stages (dockerfile/instructions.h): each instruction's fields, flags
// and BuildKit's error messages.
#include "dockerfile/instructions.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::dockerfile {
namespace {

Instruction one(std::string_view line) {
  auto r = parse(line);
  return parse_instruction(r.children.at(0));
}

// The instruction of one line as T (nullopt when it parsed as another).
template <class T>
std::optional<T> as(std::string_view line) {
  auto i = one(line);
  if (auto* p = i.get<T>()) return *p;
  return std::nullopt;
}

std::string stages_error_of(std::string_view text, std::string_view file = "Dockerfile") {
  try {
    parse_stages(parse(text, file), file);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Instructions, From) {
  auto i = one("FROM --platform=linux/arm64 alpine:3 AS Build");
  auto* f = i.get<FromInstr>();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->base_name, "alpine:3");
  EXPECT_EQ(f->stage_name, "build");
  EXPECT_EQ(f->platform, "linux/arm64");
  EXPECT_EQ(stages_error_of("FROM a b"),
            "Dockerfile:1: FROM requires either one or three arguments");
  EXPECT_EQ(stages_error_of("FROM a AS 1x"),
            "Dockerfile:1: invalid name for build stage: \"1x\", name can't start with a number "
            "or contain symbols");
  EXPECT_EQ(stages_error_of("FROM --plat=x a"), "Dockerfile:1: unknown flag: plat");
}

TEST(Instructions, ArgEnvLabel) {
  auto a = as<ArgInstr>("ARG A B=2 C= \"D\"=x");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->args.size(), 4u);
  EXPECT_EQ(a->args[0].key, "A");
  EXPECT_FALSE(a->args[0].value);
  EXPECT_EQ(*a->args[1].value, "2");
  EXPECT_EQ(*a->args[2].value, "");
  auto e = as<EnvInstr>("ENV A=1 B=\"x y\"");
  ASSERT_TRUE(e);
  ASSERT_EQ(e->pairs.size(), 2u);
  EXPECT_EQ(e->pairs[1].key, "B");
  EXPECT_EQ(e->pairs[1].value, "\"x y\"");  // expanded (quotes removed) by the builder
  auto legacy = as<EnvInstr>("ENV PATH /usr/bin:/bin");
  EXPECT_EQ(legacy->pairs[0].value, "/usr/bin:/bin");
  EXPECT_TRUE(legacy->pairs[0].no_delim);
  auto l = as<LabelInstr>("LABEL a=b c=d");
  EXPECT_EQ(l->pairs.size(), 2u);
  EXPECT_EQ(stages_error_of("FROM x\nENV =x"), "Dockerfile:2: ENV names can not be blank");
  EXPECT_EQ(stages_error_of("FROM x\nARG =x"), "Dockerfile:2: ARG names can not be blank");
  EXPECT_EQ(stages_error_of("FROM x\nARG"), "Dockerfile:2: ARG requires at least one argument");
  EXPECT_EQ(stages_error_of("FROM x\nENV"), "Dockerfile:2: ENV requires at least one argument");
  EXPECT_EQ(stages_error_of("FROM x\nLABEL"), "Dockerfile:2: LABEL requires at least one argument");
}

TEST(Instructions, RunFormsAndFlags) {
  auto r = as<RunInstr>("RUN --network=none --security=insecure echo  hi");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->cmd.prepend_shell);
  EXPECT_EQ(r->cmd.args, (std::vector<std::string>{"echo  hi"}));
  EXPECT_EQ(r->network, "none");
  EXPECT_EQ(r->security, "insecure");
  auto x = as<RunInstr>("RUN [\"echo\", \"hi\"]");
  EXPECT_FALSE(x->cmd.prepend_shell);
  EXPECT_EQ(x->cmd.args, (std::vector<std::string>{"echo", "hi"}));
  EXPECT_EQ(stages_error_of("FROM x\nRUN --network=bridge true"),
            "Dockerfile:2: unsupported network mode \"bridge\"");
  EXPECT_EQ(stages_error_of("FROM x\nRUN --security=x true"),
            "Dockerfile:2: unsupported security mode \"x\"");
  EXPECT_EQ(stages_error_of("FROM x\nRUN --network true"),
            "Dockerfile:2: missing a value on flag: network");
  EXPECT_EQ(stages_error_of("FROM x\nRUN --network=host --network=none true"),
            "Dockerfile:2: duplicate flag specified: network");
  EXPECT_EQ(stages_error_of("FROM x\nRUN"), "Dockerfile:2: RUN requires at least one argument");
}

TEST(Instructions, RunHeredocFiles) {
  auto r = parse("FROM x\nRUN <<-EOF bash\n\techo a\n\t\techo b\nEOF\n");
  auto ins = parse_instruction(r.children[1]);
  auto run = ins.get<RunInstr>();
  ASSERT_TRUE(run);
  ASSERT_EQ(run->files.size(), 1u);
  EXPECT_EQ(run->files[0].data, "echo a\necho b\n");
  EXPECT_EQ(run->cmd.args, (std::vector<std::string>{"<<-EOF bash"}));
}

TEST(Instructions, RunMounts) {
  auto r = as<RunInstr>(
      "RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1 "
      "--mount=type=secret,id=tok,required --mount=type=bind,from=build,source=/o,"
      "target=/i,rw --mount=type=tmpfs,target=/t,size=64m true");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->mounts.size(), 4u);
  const auto& c = r->mounts[0];
  EXPECT_EQ(c.type, MountType::kCache);
  EXPECT_EQ(c.target, "/root/.cache");
  EXPECT_EQ(c.id, "pip");
  EXPECT_EQ(c.sharing, MountSharing::kLocked);
  EXPECT_EQ(c.mode, 0755u);
  EXPECT_EQ(c.uid, 1u);
  EXPECT_FALSE(c.readonly);
  EXPECT_EQ(r->mounts[1].type, MountType::kSecret);
  EXPECT_TRUE(r->mounts[1].required);
  EXPECT_TRUE(r->mounts[1].readonly);
  EXPECT_EQ(r->mounts[2].from, "build");
  EXPECT_FALSE(r->mounts[2].readonly);
  EXPECT_EQ(r->mounts[3].size, 64 * 1024 * 1024);
  EXPECT_EQ(r->mount_specs.size(), 4u);
}

TEST(Instructions, RunMountErrors) {
  auto err = [](std::string_view spec) {
    try {
      parse_run_mount(spec);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(err("type=volume,target=/x"), "unsupported mount type \"volume\"");
  EXPECT_EQ(err("type=cache,sharing=x,target=/x"), "unsupported sharing value \"x\"");
  EXPECT_EQ(err("type=bind,mode=0700,target=/x"), "mode not allowed for \"bind\" type mounts");
  EXPECT_EQ(err("type=secret"), "invalid secret mount. one of source, target required");
  EXPECT_EQ(err("type=secret,id=a,source=b"), "both source and id can't be set");
  EXPECT_EQ(err("type=bind,sharing=shared,target=/x"), "invalid cache sharing set for bind mount");
  EXPECT_EQ(err("type=bind,foo=bar"), "unexpected key 'foo' in 'foo=bar'");
  EXPECT_EQ(err("target"), "invalid field 'target' must be a key=value pair");
  EXPECT_EQ(err("type=bind,required"), "unexpected key 'required' for mount type 'bind'");
  EXPECT_EQ(err("type=cache,size=1m"), "unexpected key 'size' for mount type 'cache'");
  EXPECT_EQ(err("type=cache,mode=9,target=/x"), "invalid value 9 for mode");
  // BuildKit's words around Go's encoding/csv error.
  EXPECT_EQ(err("type=bind,source=a\"b"),
            "failed to parse csv mounts: parse error on line 1, column 19: bare \" in "
            "non-quoted-field");
  EXPECT_EQ(err("type=bind,\"source=a"),
            "failed to parse csv mounts: parse error on line 1, column 20: extraneous or missing "
            "\" in quoted-field");
  EXPECT_EQ(err("from=$STAGE,target=/x"),
            "'from' doesn't support variable expansion, define alias stage instead");
  // Variables are left for the builder's second pass with an expander.
  auto m = parse_run_mount("type=cache,target=$HOME/.cache,uid=$UID");
  EXPECT_EQ(m.target, "$HOME/.cache");
  EXPECT_FALSE(m.uid);
  Expander ex = [](std::string_view v) {
    return std::string(v == "$UID" ? "7" : v == "$HOME/.cache" ? "/root/.cache" : v);
  };
  m = parse_run_mount("type=cache,target=$HOME/.cache,uid=$UID", &ex);
  EXPECT_EQ(m.target, "/root/.cache");
  EXPECT_EQ(m.uid, 7u);
  EXPECT_EQ(parse_run_mount("\"type=bind\",\"target=/a,b\"").target, "/a,b");
}

TEST(Instructions, CopyAndAdd) {
  auto c = as<CopyInstr>(
      "COPY --from=build --chown=1:2 --chmod=644 --link --parents --exclude=*.md "
      "--exclude=x a b /dst/");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->is_add);
  EXPECT_EQ(c->sources, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c->dest, "/dst/");
  EXPECT_EQ(c->from, "build");
  EXPECT_EQ(c->chown, "1:2");
  EXPECT_EQ(c->chmod, "644");
  EXPECT_TRUE(c->link);
  EXPECT_TRUE(c->parents);
  EXPECT_EQ(c->excludes, (std::vector<std::string>{"*.md", "x"}));
  auto j = as<CopyInstr>("COPY [\"a b\", \"/c d\"]");
  EXPECT_EQ(j->sources, (std::vector<std::string>{"a b"}));
  EXPECT_EQ(j->dest, "/c d");
  auto a =
      as<CopyInstr>("ADD --keep-git-dir --checksum=sha256:00 --unpack=false https://x/y.tgz /");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_add);
  EXPECT_TRUE(a->keep_git_dir);
  EXPECT_EQ(a->checksum, "sha256:00");
  EXPECT_EQ(a->unpack, false);
  EXPECT_EQ(stages_error_of("FROM x\nADD --from=a b c"), "Dockerfile:2: unknown flag: from");
  EXPECT_EQ(stages_error_of("FROM x\nCOPY a"),
            "Dockerfile:2: COPY requires at least two arguments, but only one was provided. "
            "Destination could not be determined.");
  EXPECT_EQ(stages_error_of("FROM x\nCOPY --link=maybe a b"),
            "Dockerfile:2: expecting boolean value for flag link, not: maybe");
  EXPECT_EQ(stages_error_of("FROM x\nCOPY --link= a b"),
            "Dockerfile:2: missing a value on flag: link");
}

TEST(Instructions, CopyHeredocSources) {
  auto r = parse("FROM x\nCOPY <<-EOF <<'RAW' plain /dest/\n\thello $X\nEOF\nraw $Y\nRAW\n");
  auto ins = parse_instruction(r.children[1]);
  auto c = ins.get<CopyInstr>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sources, (std::vector<std::string>{"plain"}));
  ASSERT_EQ(c->contents.size(), 2u);
  EXPECT_EQ(c->contents[0].name, "EOF");
  EXPECT_EQ(c->contents[0].data, "hello $X\n");
  EXPECT_TRUE(c->contents[0].expand);
  EXPECT_EQ(c->contents[1].data, "raw $Y\n");
  EXPECT_FALSE(c->contents[1].expand);
  EXPECT_EQ(stages_error_of("FROM x\nCOPY a <<EOF\nx\nEOF\n"),
            "Dockerfile:2: COPY cannot accept a heredoc as a destination");
}

TEST(Instructions, SimpleOnes) {
  EXPECT_EQ(as<WorkdirInstr>("WORKDIR /app")->path, "/app");
  EXPECT_EQ(as<UserInstr>("USER 1000:1000")->user, "1000:1000");
  EXPECT_EQ(as<StopSignalInstr>("STOPSIGNAL SIGTERM")->signal, "SIGTERM");
  EXPECT_EQ(as<MaintainerInstr>("MAINTAINER Jane <j@x>")->maintainer, "Jane <j@x>");
  EXPECT_EQ(as<ExposeInstr>("EXPOSE 8080/udp 80")->ports,
            (std::vector<std::string>{"80", "8080/udp"}));
  EXPECT_EQ(as<VolumeInstr>("VOLUME [\"/a\", \"/b\"]")->volumes,
            (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(as<VolumeInstr>("VOLUME /a /b")->volumes, (std::vector<std::string>{"/a", "/b"}));
  auto ep = as<EntrypointInstr>("ENTRYPOINT [\"/bin/tini\", \"--\"]");
  EXPECT_FALSE(ep->cmd.prepend_shell);
  auto cmd = as<CmdInstr>("CMD echo $HOME");
  EXPECT_TRUE(cmd->cmd.prepend_shell);
  EXPECT_EQ(cmd->cmd.args, (std::vector<std::string>{"echo $HOME"}));
  EXPECT_EQ(as<ShellInstr>("SHELL [\"/bin/bash\", \"-c\"]")->shell,
            (std::vector<std::string>{"/bin/bash", "-c"}));
  EXPECT_EQ(stages_error_of("FROM x\nSHELL /bin/bash -c"),
            "Dockerfile:2: SHELL requires the arguments to be in JSON form");
  EXPECT_EQ(stages_error_of("FROM x\nWORKDIR"),
            "Dockerfile:2: WORKDIR requires exactly one argument");
  EXPECT_EQ(stages_error_of("FROM x\nUSER"), "Dockerfile:2: USER requires exactly one argument");
  EXPECT_EQ(stages_error_of("FROM x\nEXPOSE"),
            "Dockerfile:2: EXPOSE requires at least one argument");
  EXPECT_EQ(stages_error_of("FROM x\nVOLUME"),
            "Dockerfile:2: VOLUME requires at least one argument");
  EXPECT_EQ(stages_error_of("FROM x\nVOLUME [\"\"]"),
            "Dockerfile:2: VOLUME specified can not be an empty string");
  EXPECT_EQ(stages_error_of("FROM x\nSTOPSIGNAL"),
            "Dockerfile:2: STOPSIGNAL requires exactly one argument");
}

TEST(Instructions, Healthcheck) {
  auto h = as<HealthcheckInstr>(
      "HEALTHCHECK --interval=5s --timeout=3s --start-period=1m --start-interval=2s "
      "--retries=3 CMD curl -f http://localhost/");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->test, (std::vector<std::string>{"CMD-SHELL", "curl -f http://localhost/"}));
  EXPECT_EQ(h->interval_ns, 5000000000);
  EXPECT_EQ(h->timeout_ns, 3000000000);
  EXPECT_EQ(h->start_period_ns, 60000000000);
  EXPECT_EQ(h->start_interval_ns, 2000000000);
  EXPECT_EQ(h->retries, 3);
  EXPECT_EQ(as<HealthcheckInstr>("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]")->test,
            (std::vector<std::string>{"CMD", "/bin/check", "-q"}));
  EXPECT_EQ(as<HealthcheckInstr>("HEALTHCHECK none")->test, (std::vector<std::string>{"NONE"}));
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK NONE x"),
            "Dockerfile:2: HEALTHCHECK NONE takes no arguments");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK CONNECT TCP 7000"),
            "Dockerfile:2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK CMD"),
            "Dockerfile:2: Missing command after HEALTHCHECK CMD");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK --interval=1us CMD x"),
            "Dockerfile:2: Interval \"interval\" cannot be less than 1ms");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK --timeout=abc CMD x"),
            "Dockerfile:2: time: invalid duration \"abc\"");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK --retries=-1 CMD x"),
            "Dockerfile:2: --retries cannot be negative (-1)");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK --foo=1 CMD x"),
            "Dockerfile:2: unknown flag: foo");
  EXPECT_EQ(stages_error_of("FROM x\nHEALTHCHECK"),
            "Dockerfile:2: HEALTHCHECK requires at least one argument");
}

TEST(Instructions, Onbuild) {
  auto o = as<OnbuildInstr>("ONBUILD RUN --network=none make install");
  ASSERT_TRUE(o);
  EXPECT_EQ(o->expression, "RUN --network=none make install");
  ASSERT_TRUE(o->trigger);
  auto* run = o->trigger->get<RunInstr>();
  ASSERT_TRUE(run);
  EXPECT_EQ(run->network, "none");
  EXPECT_EQ(stages_error_of("FROM x\nONBUILD ONBUILD RUN x"),
            "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  EXPECT_EQ(stages_error_of("FROM x\nonbuild from y"),
            "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
  EXPECT_EQ(stages_error_of("FROM x\nONBUILD MAINTAINER y"),
            "Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger");
  EXPECT_EQ(stages_error_of("FROM x\nONBUILD"),
            "Dockerfile:2: ONBUILD requires at least one argument");
  EXPECT_EQ(stages_error_of("FROM x\nONBUILD FOO bar"), "Dockerfile:2: unknown instruction: FOO");
}

TEST(Instructions, UnknownInstructionNamesFileAndLine) {
  EXPECT_EQ(stages_error_of("FROM x\n\nFOO bar\n", "dev.Dockerfile"),
            "dev.Dockerfile:3: unknown instruction: FOO");
}

TEST(Stages, MetaArgsAndStages) {
  auto s =
      parse_stages(parse("ARG BASE=alpine\nARG V\nFROM ${BASE} AS build\nRUN make\nCOPY . /src\n"
                         "FROM scratch\nCOPY --from=build /out /\n"));
  ASSERT_EQ(s.meta_args.size(), 2u);
  EXPECT_EQ(s.meta_args[0].args[0].key, "BASE");
  ASSERT_EQ(s.stages.size(), 2u);
  EXPECT_EQ(s.stages[0].base_name, "${BASE}");
  EXPECT_EQ(s.stages[0].name, "build");
  EXPECT_EQ(s.stages[0].line, 3);
  EXPECT_EQ(s.stages[0].instructions.size(), 2u);
  EXPECT_EQ(s.stages[1].name, "");
  ASSERT_EQ(s.stages[1].instructions.size(), 1u);
  EXPECT_EQ(s.stages[1].instructions[0].start_line, 7);
  EXPECT_EQ(s.stages[1].instructions[0].keyword, "COPY");
}

TEST(Stages, Errors) {
  EXPECT_EQ(stages_error_of("RUN x\nFROM y\n"), "Dockerfile:1: no build stage in current context");
  EXPECT_EQ(stages_error_of("FROM a AS x\nFROM b AS X\n"),
            "Dockerfile:2: duplicate stage name \"x\"");
}

}  // namespace
}  // namespace berth::dockerfile
