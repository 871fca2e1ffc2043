// One test per error kind of the loader: each is one line naming file:line:col and the
// key path, with exit code 15 (14 when no file is found).
#include <gtest/gtest.h>

#include "tests/unit/compose/test_project.h"

namespace berth::compose {
namespace {

std::string error_of(const std::string& yaml) {
  TestProject p;
  p.file("compose.yaml", yaml);
  std::string e = p.error();
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  if (!e.empty()) {
    EXPECT_EQ(p.exit_code(), 15);
  }
  return e;
}

TEST(ComposeErrors, UnknownServiceKeySuggestsTheClosest) {
  EXPECT_EQ(error_of("services:\n  web:\n    imag: nginx\n"),
            "compose.yaml:3:5: services.web: additional property \"imag\" is not allowed (did you "
            "mean \"image\"?)");
}

TEST(ComposeErrors, UnknownTopLevelKeySuggestsTheClosest) {
  EXPECT_EQ(error_of("service:\n  web:\n    image: nginx\n"),
            "compose.yaml:1:1: (root): additional property \"service\" is not allowed (did you "
            "mean \"services\"?)");
}

TEST(ComposeErrors, UnknownKeyWithoutCloseName) {
  EXPECT_EQ(error_of("services:\n  web:\n    zzzzzzzzzz: 1\n"),
            "compose.yaml:3:5: services.web: additional property \"zzzzzzzzzz\" is not allowed");
}

TEST(ComposeErrors, WrongType) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: [a, b]\n"),
            "compose.yaml:3:12: services.web.image: must be a string, not a list");
}

TEST(ComposeErrors, BadPort) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: nginx\n    ports:\n      - \"80:abc\"\n"),
            "compose.yaml:5:9: services.web.ports[0]: \"80:abc\" is not a valid port: invalid "
            "containerPort: abc");
}

TEST(ComposeErrors, BadPortRanges) {
  EXPECT_NE(error_of("services:\n  web:\n    ports: [\"8000-8002:80-81\"]\n")
                .find("invalid ranges specified"),
            std::string::npos);
}

TEST(ComposeErrors, BadVolumeSpec) {
  EXPECT_EQ(error_of("services:\n  web:\n    volumes:\n      - data:relative/path\n"),
            "compose.yaml:4:9: services.web.volumes[0]: \"data:relative/path\" is not a valid "
            "volume: invalid volume specification 'data:relative/path': relative/path (it must "
            "be an absolute path)");
}

TEST(ComposeErrors, BadVolumeMode) {
  EXPECT_NE(error_of("services:\n  web:\n    volumes: [\"/a:/b:rx\"]\n").find("invalid mode: rx"),
            std::string::npos);
}

TEST(ComposeErrors, BadDuration) {
  EXPECT_EQ(error_of("services:\n  web:\n    healthcheck:\n      interval: 10x\n"),
            "compose.yaml:4:17: services.web.healthcheck.interval: \"10x\" is not a valid "
            "duration: unknown unit \"x\" in duration");
}

TEST(ComposeErrors, BadByteSize) {
  EXPECT_EQ(error_of("services:\n  web:\n    mem_limit: 12q\n"),
            "compose.yaml:3:16: services.web.mem_limit: \"12q\" is not a valid byte size: invalid "
            "size: '12q'");
}

TEST(ComposeErrors, UndefinedNetwork) {
  EXPECT_EQ(error_of("services:\n  web:\n    networks: [front]\n"),
            "compose.yaml:3:16: services.web.networks: service \"web\" refers to undefined network "
            "\"front\"");
}

TEST(ComposeErrors, UndefinedVolume) {
  EXPECT_EQ(error_of("services:\n  web:\n    volumes: [\"data:/data\"]\n"),
            "compose.yaml:3:15: services.web.volumes[0]: service \"web\" refers to undefined "
            "volume \"data\"");
}

TEST(ComposeErrors, UndefinedSecretAndConfig) {
  EXPECT_NE(error_of("services:\n  web:\n    secrets: [pw]\n").find("undefined secret \"pw\""),
            std::string::npos);
  EXPECT_NE(error_of("services:\n  web:\n    configs: [c]\n").find("undefined config \"c\""),
            std::string::npos);
}

TEST(ComposeErrors, UndefinedService) {
  EXPECT_EQ(error_of("services:\n  web:\n    depends_on: [db]\n"),
            "compose.yaml:3:18: services.web.depends_on: service \"web\" depends on undefined "
            "service \"db\"");
}

TEST(ComposeErrors, DependencyCycleNamesTheServices) {
  EXPECT_EQ(error_of("services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on: [c]\n  c:\n"
                     "    links: [a]\n"),
            "compose.yaml:3:5: services.a: dependency cycle detected: a -> b -> c -> a");
}

TEST(ComposeErrors, NetworkModeServiceCycle) {
  EXPECT_NE(error_of("services:\n  a:\n    network_mode: service:b\n  b:\n    volumes_from: [a]\n")
                .find("dependency cycle detected: a -> b -> a"),
            std::string::npos);
}

TEST(ComposeErrors, ExtendsCycle) {
  EXPECT_EQ(error_of("services:\n  a:\n    extends: b\n  b:\n    extends: a\n"),
            "compose.yaml:5:14: services.b.extends: circular reference with extends: a -> b -> a");
}

TEST(ComposeErrors, ExtendsMissingService) {
  EXPECT_NE(error_of("services:\n  a:\n    extends: nope\n").find("service \"nope\" not found"),
            std::string::npos);
}

TEST(ComposeErrors, IncludeCycle) {
  TestProject p;
  p.file("compose.yaml", "include: [sub/b.yaml]\nservices: {}\n");
  p.file("sub/b.yaml", "include: [../compose.yaml]\n");
  std::string e = p.error();
  EXPECT_NE(e.find("include cycle"), std::string::npos) << e;
  EXPECT_NE(e.find("sub/b.yaml:1:"), std::string::npos) << e;
}

TEST(ComposeErrors, IncludeConflict) {
  TestProject p;
  p.file("compose.yaml", "include: [sub.yaml]\nservices:\n  web:\n    image: a\n");
  p.file("sub.yaml", "services:\n  web:\n    image: b\n");
  EXPECT_NE(p.error().find("services.web conflicts with imported resource"), std::string::npos);
}

TEST(ComposeErrors, RequiredVariable) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: ${TAG:?set TAG to a version}\n"),
            "compose.yaml:3:12: services.web.image: required variable TAG is missing a value: set "
            "TAG to a version");
}

TEST(ComposeErrors, InvalidInterpolation) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: \"${}\"\n"),
            "compose.yaml:3:12: services.web.image: invalid interpolation format for \"${}\": you "
            "may need to escape any $ with another $");
  EXPECT_NE(error_of("services:\n  web:\n    image: ${A:-x\n").find("invalid interpolation"),
            std::string::npos);
}

// Valid compose that berth cannot honour loads (`config` shows it); running it is refused with
// one line per use, naming file, line and key.
TEST(ComposeErrors, UnsupportedAttributeLoadsAndIsListedForRunning) {
  TestProject p;
  p.file("compose.yaml",
         "services:\n  web:\n    image: busybox\n    runtime: runsc\n"
         "  ok:\n    image: busybox\n    runtime: runc\n    develop: {watch: []}\n"
         "  ai:\n    provider: {type: model, options: {model: ai/x}}\n"
         "models:\n  m1: {model: ai/smollm2}\n");
  const schema::Project project = p.load();
  EXPECT_EQ(unsupported_uses(project, {"web"}),
            std::vector<std::string>{"compose.yaml:4:5: services.web.runtime: berth does not "
                                     "support \"runtime\": berth is its own runtime; `runtime` "
                                     "cannot select another"});
  EXPECT_TRUE(unsupported_uses(project, {"ok"}).empty());
  const auto all = unsupported_uses(project);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_NE(all[0].find("models: berth does not support \"models\""), std::string::npos) << all[0];
  EXPECT_NE(all[1].find("services.ai.provider"), std::string::npos) << all[1];
}

TEST(ComposeErrors, AliasBombIsRefused) {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    yaml += std::string("x-") + c + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" +
            static_cast<char>(c - 1) + "]\n";
  std::string e = error_of(yaml);
  EXPECT_NE(e.find("billion laughs"), std::string::npos) << e;
}

TEST(ComposeErrors, YamlSyntax) {
  std::string e = error_of("services:\n  web:\n    image: [unclosed\n");
  EXPECT_EQ(e.rfind("compose.yaml:", 0), 0u) << e;
}

TEST(ComposeErrors, DuplicateKey) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    image: b\n"),
            "compose.yaml:4:5: services.web.image: mapping key \"image\" already defined");
}

TEST(ComposeErrors, DependencyOnDisabledProfile) {
  std::string e = error_of("services:\n  web:\n    depends_on: [db]\n  db:\n    profiles: [db]\n");
  EXPECT_NE(e.find("service \"db\" was pulled in as a dependency of service \"web\" but is not "
                   "enabled by the active profiles"),
            std::string::npos)
      << e;
}

TEST(ComposeErrors, InvalidRestartPolicyAndCondition) {
  EXPECT_NE(
      error_of("services:\n  web:\n    restart: sometimes\n").find("not a valid restart policy"),
      std::string::npos);
  EXPECT_NE(error_of("services:\n  a:\n    depends_on:\n      b:\n        condition: up\n  b: {}\n")
                .find("\"up\" is not a valid condition"),
            std::string::npos);
}

TEST(ComposeErrors, NetworkModeAndNetworksExclusive) {
  EXPECT_NE(error_of("services:\n  web:\n    network_mode: host\n    networks: [default]\n")
                .find("mutually exclusive"),
            std::string::npos);
}

TEST(ComposeErrors, InvalidProjectName) {
  TestProject p;
  p.file("compose.yaml", "services: {}\n");
  p.options().name = "Bad Name!";
  EXPECT_NE(p.error().find("-p: invalid project name \"Bad Name!\""), std::string::npos);
}

TEST(ComposeErrors, NoComposeFile) {
  TestProject p;
  p.options().working_dir = (p.dir() / "empty").string();
  p.file("empty/.keep", "");
  // A parent may hold a compose.yaml on a developer machine; /tmp normally has none.
  std::string e = p.error();
  EXPECT_EQ(e, "no configuration file provided: not found");
  EXPECT_EQ(p.exit_code(), 14);
}

TEST(ComposeErrors, IncludeOfADeviceIsRefused) {
  EXPECT_EQ(error_of("include: [/dev/zero]\n"), "read /dev/zero: not a regular file");
}

TEST(ComposeErrors, ComposeFileMustBeAMapping) {
  EXPECT_EQ(error_of("- a\n- b\n"), "compose.yaml:1:1: top-level object must be a mapping");
}

TEST(ComposeErrors, ServiceMustBeAMapping) {
  EXPECT_EQ(error_of("services:\n  web: nginx\n"),
            "compose.yaml:2:8: services.web: must be a mapping");
}

TEST(ComposeErrors, MergeKeyNeedsMappings) {
  EXPECT_NE(
      error_of("services:\n  web:\n    <<: [1, 2]\n").find("merge key value must be a mapping"),
      std::string::npos);
}

TEST(ComposeErrors, UnknownKeyInServiceNetwork) {
  EXPECT_EQ(error_of("services:\n  web:\n    networks:\n      default:\n        alias: [x]\n"),
            "compose.yaml:5:9: services.web.networks.default: additional property \"alias\" is not "
            "allowed");
}

TEST(ComposeErrors, MissingEnvFile) {
  EXPECT_NE(error_of("services:\n  web:\n    env_file: nope.env\n").find("nope.env not found"),
            std::string::npos);
}

}  // namespace
TEST(ComposeErrors, ValueOutsideTheSpecsEnum) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    cgroup: shared\n"),
            "compose.yaml:4:13: services.web.cgroup: \"shared\" must be one of: host, private");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    volumes:\n      - type: bind\n"
                     "        source: .\n        target: /x\n        bind: {selinux: q}\n"),
            "compose.yaml:8:25: services.web.volumes[0].bind.selinux: \"q\" must be one of: z, Z");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    deploy:\n      update_config: "
                     "{order: random}\n"),
            "compose.yaml:5:30: services.web.deploy.update_config.order: \"random\" must be one "
            "of: start-first, stop-first");
}

TEST(ComposeErrors, NumberOutsideTheSpecsRange) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    oom_score_adj: -1001\n"),
            "compose.yaml:4:20: services.web.oom_score_adj: -1001 is out of range: must be "
            "between -1000 and 1000");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    cpu_percent: 101\n"),
            "compose.yaml:4:18: services.web.cpu_percent: 101 is out of range: must be between 0 "
            "and 100");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    oom_score_adj: 1000\n"
                     "    cpu_count: 0\n    pull_policy: refresh\n"),
            "");
}

TEST(ComposeErrors, BadPullPolicyNamesFileLineAndKey) {
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    pull_policy: every_12\n"),
            "compose.yaml:4:18: services.web.pull_policy: \"every_12\" is not a valid pull policy "
            "(always, never, missing, build, if_not_present, refresh, daily, weekly, "
            "every_<duration>)");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    pull_policy: every_500ms\n"),
            "compose.yaml:4:18: services.web.pull_policy: \"every_500ms\" is not a valid pull "
            "policy (always, never, missing, build, if_not_present, refresh, daily, weekly, "
            "every_<duration>)");
  EXPECT_EQ(error_of("services:\n  web:\n    image: a\n    pull_policy: every_12h\n"), "");
}

}  // namespace berth::compose
