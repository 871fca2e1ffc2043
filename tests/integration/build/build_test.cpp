// `berth build` on real containers and overlays: multi-stage builds from busybox and from
// scratch, build args, .dockerignore, COPY --from, heredocs, RUN steps that write files; the
// image's CMD/ENTRYPOINT/ENV/USER/WORKDIR; the layer cache (a changed source reruns only the
// steps from its COPY on); reproducible digests; a source leading out of the context; a
// failing RUN; secrets; Ctrl-C.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/support/harness.h"
#include "tests/support/http_test_server.h"

namespace berth::test {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st.import_busybox();
    ctx = st.dir() / "ctx";
    fs::create_directories(ctx);
  }
  RunResult build(std::vector<std::string> args) {
    std::vector<std::string> a = {"build"};
    a.insert(a.end(), args.begin(), args.end());
    return st.berth(a, "", 180);
  }
  nlohmann::json config_of(const std::string& ref) {
    auto r = st.berth({"image", "inspect", ref});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    return j.is_array() && !j.empty() ? j[0]["Config"] : nlohmann::json::object();
  }
  // The titles of the steps that ran (not CACHED, not FROM), e.g. "COPY a.txt /a.txt".
  static std::vector<std::string> ran_steps(const std::string& progress) {
    std::map<int, std::string> titles;
    std::set<int> cached;
    std::regex title(R"(^#(\d+) \[[^\]]*\] (.*)$)"), cache(R"(^#(\d+) CACHED$)");
    std::istringstream in(progress);
    for (std::string line; std::getline(in, line);) {
      std::smatch m;
      if (std::regex_match(line, m, title)) titles[std::stoi(m[1])] = m[2];
      if (std::regex_match(line, m, cache)) cached.insert(std::stoi(m[1]));
    }
    std::vector<std::string> out;
    for (const auto& [n, t] : titles)
      if (!cached.count(n) && t.rfind("FROM", 0) != 0) out.push_back(t);
    return out;
  }
  TempState st;
  fs::path ctx;
};

TEST_F(BuildTest, MultiStageArgsIgnoreHeredocsAndCopyFrom) {
  write_file(ctx / "Dockerfile", R"(# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM ${BASE} AS build
ARG MSG=hello
ENV GREETING="$MSG world"
WORKDIR /src
COPY . .
RUN echo "$GREETING" > /src/out.txt && ls /src > /src/listing
RUN <<EOF
echo from heredoc > /src/heredoc.txt
EOF
COPY <<EOT /src/inline.txt
inline $MSG
EOT

FROM busybox AS unused
RUN echo the unused stage ran; exit 1

from busybox
COPY --from=build /src /app
WORKDIR /app
USER 1000:1000
ENV MODE=prod
ENTRYPOINT ["sh", "-c"]
CMD ["cat out.txt heredoc.txt inline.txt; cat listing; echo $MODE; id -u; pwd"]
)");
  write_file(ctx / "keep.txt", "keep\n");
  write_file(ctx / "secret.env", "TOKEN=1\n");
  write_file(ctx / "logs/a.log", "x\n");
  write_file(ctx / ".dockerignore", "secret.env\nlogs\nDockerfile\n.dockerignore\n");
  auto b = build({"-t", "app:1", "--build-arg", "MSG=hi", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.err.find("unused stage ran"), std::string::npos) << b.err;
  auto r = st.berth({"run", "--rm", "app:1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "hi world\nfrom heredoc\ninline hi\nkeep.txt\nlisting\nout.txt\nprod\n1000\n/app\n");
  auto cfg = config_of("app:1");
  EXPECT_EQ(cfg["User"], "1000:1000");
  EXPECT_EQ(cfg["WorkingDir"], "/app");
  EXPECT_EQ(cfg["Entrypoint"], nlohmann::json::array({"sh", "-c"}));
  const auto env = cfg["Env"].dump();
  EXPECT_NE(env.find("MODE=prod"), std::string::npos) << env;
  EXPECT_EQ(env.find("GREETING"), std::string::npos) << "a build stage's ENV leaked: " << env;
}

TEST_F(BuildTest, EnvSubstitutionSeesOldValuesAndArgScopes) {
  write_file(ctx / "Dockerfile", R"(ARG GLOBAL=g
FROM busybox
ENV A=1
ENV A=2 B=$A
ARG GLOBAL
ARG LOCAL=l-$GLOBAL
RUN echo "A=$A B=$B GLOBAL=$GLOBAL LOCAL=$LOCAL" > /vars
CMD ["cat", "/vars"]
)");
  auto b = build({"-t", "vars", "--build-arg", "UNUSED=1", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.err.find("[UNUSED] were not consumed"), std::string::npos) << b.err;
  auto r = st.berth({"run", "--rm", "vars"});
  EXPECT_EQ(r.out, "A=2 B=1 GLOBAL=g LOCAL=l-g\n");
  // ARGs are not in the image's environment.
  EXPECT_EQ(config_of("vars")["Env"].dump().find("LOCAL"), std::string::npos);
}

TEST_F(BuildTest, FromScratchWithCopyFromAnImage) {
  write_file(ctx / "Dockerfile", R"(FROM scratch
COPY --from=busybox /bin/busybox /bin/busybox
COPY hello.txt /
ENTRYPOINT ["/bin/busybox"]
CMD ["cat", "/hello.txt"]
)");
  write_file(ctx / "hello.txt", "from scratch\n");
  auto b = build({"-t", "tiny", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r = st.berth({"run", "--rm", "tiny"});
  EXPECT_EQ(r.out, "from scratch\n") << r.err;
  auto ls = st.berth({"run", "--rm", "tiny", "ls", "/bin", "/hello.txt"});
  EXPECT_EQ(ls.out, "/hello.txt\n\n/bin:\nbusybox\n") << ls.err;
}

TEST_F(BuildTest, AChangedSourceRerunsOnlyTheStepsFromItsCopy) {
  write_file(ctx / "Dockerfile", R"(FROM busybox
COPY a.txt /a.txt
RUN cp /a.txt /a.copy
COPY b.txt /b.txt
RUN cat /a.copy /b.txt > /both
CMD ["cat", "/both"]
)");
  write_file(ctx / "a.txt", "a1\n");
  write_file(ctx / "b.txt", "b1\n");
  auto first = build({"--progress", "plain", "-t", "c", ctx.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(ran_steps(first.err).size(), 4u) << first.err;
  auto again = build({"--progress", "plain", "-t", "c", ctx.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(ran_steps(again.err).empty()) << again.err;
  write_file(ctx / "b.txt", "b2\n");
  auto changed = build({"--progress", "plain", "-t", "c", ctx.string()});
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(ran_steps(changed.err),
            (std::vector<std::string>{"COPY b.txt /b.txt", "RUN cat /a.copy /b.txt > /both"}))
      << changed.err;
  EXPECT_EQ(st.berth({"run", "--rm", "c"}).out, "a1\nb2\n");
  // Intermediate images are the cache: hidden from `images`, listed by `images -a`.
  auto images = st.berth({"images", "--format", "{{.Repository}}"});
  std::multiset<std::string> repos;
  std::istringstream lines(images.out);
  for (std::string l; std::getline(lines, l);) repos.insert(l);
  EXPECT_EQ(repos, (std::multiset<std::string>{"<none>", "busybox", "c"}))
      << "the first result is dangling now: " << images.out;
  EXPECT_GT(st.berth({"images", "-a", "-q"}).out.size(), images.out.size());
}

TEST_F(BuildTest, SameInputsGiveTheSameDigest) {
  write_file(ctx / "Dockerfile", R"(FROM busybox
COPY f /f
RUN echo made > /made && touch /stamp
LABEL a=b
)");
  write_file(ctx / "f", "content\n");
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  auto one = build({"-q", "--no-cache", ctx.string()});
  auto two = build({"-q", "--no-cache", ctx.string()});
  ::unsetenv("SOURCE_DATE_EPOCH");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_TRUE(std::regex_match(one.out, std::regex("sha256:[0-9a-f]{64}\n"))) << one.out;
  EXPECT_EQ(one.out, two.out);
  // Without the epoch, the cache gives the same image again.
  auto three = build({"-q", ctx.string()});
  auto four = build({"-q", ctx.string()});
  EXPECT_EQ(three.out, four.out);
}

TEST_F(BuildTest, ADestinationsFinalSlashIsPartOfTheStep) {
  write_file(ctx / "f", "f\n");
  write_file(ctx / "Dockerfile", "FROM busybox\nCOPY f /x\n");
  ASSERT_EQ(build({"-t", "slash", ctx.string()}).exit_code, 0);
  EXPECT_EQ(st.berth({"run", "--rm", "slash", "cat", "/x"}).out, "f\n");
  write_file(ctx / "Dockerfile", "FROM busybox\nCOPY f /x/\n");
  auto b = build({"-t", "slash", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(st.berth({"run", "--rm", "slash", "cat", "/x/f"}).out, "f\n") << "not the cached /x";
}

TEST_F(BuildTest, ASourceLeadingOutOfTheContextIsRefused) {
  write_file(ctx / "Dockerfile", "FROM busybox\nCOPY link /x\n");
  fs::create_symlink("/etc/passwd", ctx / "link");
  auto b = build({"-t", "leak", ctx.string()});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("Dockerfile:2: COPY failed"), std::string::npos) << b.err;
  EXPECT_NE(b.err.find("outside the build context"), std::string::npos) << b.err;
  // "../" is cleaned to the context's root, as Docker does: the context itself is copied, and
  // a symlink in it as a link, never the host file it names.
  write_file(ctx / "Dockerfile", "FROM busybox\nCOPY ../ /x/\n");
  auto up = build({"-t", "leak", ctx.string()});
  ASSERT_EQ(up.exit_code, 0) << up.err;
  auto r = st.berth({"run", "--rm", "leak", "sh", "-c", "readlink /x/link; ls /x"});
  EXPECT_EQ(r.out, "/etc/passwd\nDockerfile\nlink\n");
}

TEST_F(BuildTest, AFailingRunNamesItsCommandAndLeavesNothing) {
  write_file(ctx / "Dockerfile", "FROM busybox\nRUN echo one; echo boom >&2; exit 3\n");
  auto b = build({"-t", "broken", ctx.string()});
  EXPECT_EQ(b.exit_code, 1);
  EXPECT_NE(b.err.find("Dockerfile:2: RUN echo one; echo boom >&2; exit 3: process \"/bin/sh -c "
                       "echo one; echo boom >&2; exit 3\" did not complete successfully: exit "
                       "code: 3\none\nboom"),
            std::string::npos)
      << b.err;
  EXPECT_EQ(st.berth({"ps", "-a", "-q"}).out, "");
  EXPECT_EQ(st.berth({"images", "-q", "broken"}).out, "");
  EXPECT_TRUE(!fs::exists(st.root() / "build/tmp") || fs::is_empty(st.root() / "build/tmp"));
  auto missing = build({"-f", (ctx / "nope").string(), ctx.string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("nope: no such file"), std::string::npos) << missing.err;
  write_file(ctx / "Dockerfile", "FROM busybox\nFOO bar\n");
  auto unknown = build({ctx.string()});
  EXPECT_NE(unknown.err.find("Dockerfile:2: unknown instruction: FOO"), std::string::npos)
      << unknown.err;
  write_file(ctx / "Dockerfile", "FROM busybox\nCOPY nothere /x\n");
  auto nosrc = build({ctx.string()});
  EXPECT_NE(nosrc.err.find("Dockerfile:2: COPY failed: \"/nothere\": not found"), std::string::npos)
      << nosrc.err;
}

TEST_F(BuildTest, ASecretIsReadableInItsRunAndNeverInALayer) {
  write_file(ctx / "Dockerfile", R"(FROM busybox
RUN --mount=type=secret,id=tok cp /run/secrets/tok /seen && test -f /run/secrets/tok
RUN --mount=type=cache,target=/cache echo cached > /cache/f && test -f /cache/f
)");
  write_file(st.dir() / "tok.txt", "s3cret\n");
  auto b = build(
      {"-t", "sec", "--secret", "id=tok,src=" + (st.dir() / "tok.txt").string(), ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r =
      st.berth({"run", "--rm", "sec", "sh", "-c",
                "cat /seen; test -e /run/secrets/tok || echo nosecret; test -e /run || echo norun; "
                "test -e /cache || echo nocache"});
  EXPECT_EQ(r.out, "s3cret\nnosecret\nnorun\nnocache\n") << r.err;
}

TEST_F(BuildTest, EntrypointDropsAnInheritedCmd) {
  write_file(ctx / "Dockerfile", R"(FROM busybox AS base
CMD ["echo", "base cmd"]
FROM base
ENTRYPOINT ["echo", "entry"]
)");
  auto b = build({"-t", "ep", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(st.berth({"run", "--rm", "ep"}).out, "entry\n");
  EXPECT_TRUE(config_of("ep")["Cmd"].is_null()) << config_of("ep");
}

TEST_F(BuildTest, AddUnpacksALocalArchiveAndDownloadsAUrl) {
  fs::create_directories(st.dir() / "tree/sub");
  write_file(st.dir() / "tree/sub/in-archive.txt", "from the archive\n");
  auto tar = run_command({"/bin/tar", "-czf", (ctx / "files.tar.gz").string(), "-C",
                          (st.dir() / "tree").string(), "sub"});
  ASSERT_EQ(tar.exit_code, 0) << tar.err;
  HttpTestServer server([](const std::string& path) -> std::optional<std::string> {
    if (path != "/dl/remote.txt") return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    return "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nLast-Modified: Tue, 14 Nov 2023 22:13:20 "
           "GMT\r\n\r\nremote\n";
  });
  write_file(ctx / "Dockerfile", "FROM busybox\nADD files.tar.gz /opt/\nADD " +
                                     server.url("/dl/remote.txt") +
                                     " /dl/\nCOPY files.tar.gz /kept/\n");
  auto b = build({"-t", "added", ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r = st.berth({"run", "--rm", "added", "sh", "-c",
                     "cat /opt/sub/in-archive.txt /dl/remote.txt; stat -c '%a %Y' "
                     "/dl/remote.txt; ls /kept"});
  EXPECT_EQ(r.out, "from the archive\nremote\n600 1700000000\nfiles.tar.gz\n") << r.err;
  write_file(ctx / "Dockerfile", "FROM busybox\nADD " + server.url("/missing") + " /x\n");
  auto missing = build({ctx.string()});
  EXPECT_NE(missing.err.find("Dockerfile:2: failed to GET " + server.url("/missing") +
                             " with status 404 Not Found"),
            std::string::npos)
      << missing.err;
}

TEST_F(BuildTest, TargetStdinIidfileLabelOnbuildChownAndChmod) {
  write_file(ctx / "Dockerfile", R"(FROM busybox AS base
ONBUILD RUN echo triggered > /onbuild
FROM base AS dev
COPY --chown=nobody:nogroup --chmod=640 f.txt /srv/f.txt
COPY --chown=1234 f.txt /srv/n.txt
RUN stat -c '%U:%G %a' /srv/f.txt > /owner && stat -c '%u:%g' /srv/n.txt >> /owner
USER nobody
CMD ["sh", "-c", "cat /onbuild /owner; id -un"]
FROM dev AS prod
RUN exit 1
)");
  write_file(ctx / "f.txt", "f\n");
  const auto iid = st.dir() / "iid";
  auto b = build({"--target", "dev", "--iidfile", iid.string(), "--label", "team=core", "-t", "dev",
                  ctx.string()});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r = st.berth({"run", "--rm", "dev"});
  EXPECT_EQ(r.out, "triggered\nnobody:nogroup 640\n1234:1234\nnobody\n") << r.err;
  auto id = st.berth({"image", "inspect", "--format", "{{.Id}}", "dev"});
  EXPECT_EQ(read_all(iid) + "\n", id.out);
  EXPECT_EQ(config_of("dev")["Labels"]["team"], "core");
  EXPECT_FALSE(config_of("dev").contains("OnBuild") && !config_of("dev")["OnBuild"].is_null())
      << "an image built FROM one with ONBUILD does not inherit the triggers";
  auto stdin_build = st.berth({"build", "-q", "-t", "piped", "-"},
                              "FROM busybox\nENV FROM_STDIN=1\nCMD [\"env\"]\n");
  ASSERT_EQ(stdin_build.exit_code, 0) << stdin_build.err;
  EXPECT_NE(st.berth({"run", "--rm", "piped"}).out.find("FROM_STDIN=1"), std::string::npos);
  auto bad_target = build({"--target", "nope", ctx.string()});
  EXPECT_NE(bad_target.err.find("target stage \"nope\" could not be found"), std::string::npos)
      << bad_target.err;
}

// RUN has outbound network through berth's NAT: apt-get installs a package from Debian's
// mirror into a Debian base made with mmdebstrap (cached by content, scripts/
// make-debian-base.sh; the test skips where it cannot be made or the mirror is unreachable).
TEST_F(BuildTest, RunInstallsADebianPackageWithAptGet) {
  const std::string base = st.import_debian_base({}, "debian:bookworm");
  if (base.empty()) return;
  write_file(ctx / "Dockerfile", R"(FROM debian:bookworm
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends hello >/dev/null && rm -rf /var/lib/apt/lists/*
CMD ["hello"]
)");
  auto b = st.berth({"build", "-t", "hello-deb", ctx.string()}, "", 600);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  auto r = st.berth({"run", "--rm", "hello-deb"});
  EXPECT_EQ(r.out, "Hello, world!\n") << r.err;
}

TEST_F(BuildTest, CtrlCKillsTheRunningStepAndLeavesNothing) {
  write_file(ctx / "Dockerfile", "FROM busybox\nRUN echo started; sleep 60\n");
  const fs::path err = st.dir() / "err";
  std::vector<std::string> argv = {
      BERTH_BIN, "--root", st.root().string(), "--runroot", st.runroot().string(), "build",
      "-t",      "never",  ctx.string()};
  std::vector<char*> c;
  for (auto& a : argv) c.push_back(a.data());
  c.push_back(nullptr);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ::dup2(fd, 2);
    ::execv(c[0], c.data());
    ::_exit(127);
  }
  for (int i = 0; i < 100 && read_all(err).find("started") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << read_all(err);
  EXPECT_EQ(WEXITSTATUS(status), 130) << read_all(err);
  EXPECT_EQ(st.berth({"ps", "-a", "-q"}).out, "");
  EXPECT_EQ(st.berth({"images", "-q", "never"}).out, "");
}

}  // namespace
}  // namespace berth::test
