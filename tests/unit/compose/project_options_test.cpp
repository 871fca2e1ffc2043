// Finding a project: discovery in parents, override files, COMPOSE_* variables, .env,
// --env-file, stdin, and the project name's precedence and normalisation.
#include <gtest/gtest.h>

#include "compose/project_options.h"
#include "tests/unit/compose/test_project.h"

namespace berth::compose {
namespace {

TEST(ProjectOptions, DiscoversInParentWithMatchingOverride) {
  TestProject p;
  p.file("compose.yaml", "services:\n  a:\n    image: x\n");
  p.file("compose.override.yaml", "services:\n  a:\n    image: y\n");
  p.file("docker-compose.override.yml", "services:\n  a:\n    image: z\n");
  p.file("sub/dir/.keep", "");
  p.options().working_dir = (p.dir() / "sub/dir").string();
  auto project = p.load();
  EXPECT_EQ(project.working_dir, p.dir().string());
  ASSERT_EQ(project.config_files.size(), 2u);
  EXPECT_EQ(project.services.at(0).image, "y");
}

TEST(ProjectOptions, PrefersComposeYamlOverDockerCompose) {
  TestProject p;
  p.file("docker-compose.yml", "services:\n  a:\n    image: old\n");
  p.file("compose.yaml", "services:\n  a:\n    image: new\n");
  EXPECT_EQ(p.load().services.at(0).image, "new");
}

TEST(ProjectOptions, ComposeFileWithPathSeparator) {
  TestProject p;
  p.file("one.yaml", "services:\n  a:\n    image: one\n");
  p.file("two.yaml", "services:\n  a:\n    image: two\n");
  p.env("COMPOSE_FILE", "one.yaml;two.yaml").env("COMPOSE_PATH_SEPARATOR", ";");
  EXPECT_EQ(p.load().services.at(0).image, "two");
}

TEST(ProjectOptions, ComposeFileFromDotenv) {
  TestProject p;
  p.file("one.yaml", "services:\n  a:\n    image: one\n");
  p.file(".env", "COMPOSE_FILE=one.yaml\nCOMPOSE_PROJECT_NAME=fromdotenv\n");
  auto project = p.load();
  EXPECT_EQ(project.services.at(0).image, "one");
  EXPECT_EQ(project.name, "fromdotenv");
}

TEST(ProjectOptions, ProfilesFromEnvironment) {
  TestProject p;
  p.file("compose.yaml",
         "services:\n  a:\n    image: x\n    profiles: [p1]\n  b:\n    image: x\n"
         "    profiles: [p2]\n");
  p.env("COMPOSE_PROFILES", "p1,p3");
  auto project = p.load();
  ASSERT_EQ(project.services.size(), 1u);
  EXPECT_EQ(project.services[0].name, "a");
  EXPECT_EQ(project.disabled_services, std::vector<std::string>{"b"});
  EXPECT_EQ(project.all_profiles, (std::vector<std::string>{"p1", "p2"}));
}

TEST(ProjectOptions, NamePrecedence) {
  TestProject p;
  p.file("compose.yaml", "name: fromfile\nservices: {}\n");
  EXPECT_EQ(p.load().name, "fromfile");
  p.env("COMPOSE_PROJECT_NAME", "fromenv");
  EXPECT_EQ(p.load().name, "fromenv");
  p.options().name = "fromflag";
  EXPECT_EQ(p.load().name, "fromflag");
}

TEST(ProjectOptions, NameFromDirectoryIsNormalised) {
  EXPECT_EQ(normalize_project_name("My.Project Dir_1"), "myprojectdir_1");
  EXPECT_EQ(normalize_project_name("--x"), "x");
  TestProject p;
  p.file("My App/compose.yaml", "services: {}\n");
  p.options().working_dir = (p.dir() / "My App").string();
  EXPECT_EQ(p.load().name, "myapp");
}

TEST(ProjectOptions, InvalidNameInFileIsAnError) {
  TestProject p;
  p.file("compose.yaml", "name: Bad_Name\nservices: {}\n");
  EXPECT_NE(p.error().find("compose.yaml:1:7: name: invalid project name"), std::string::npos);
}

TEST(ProjectOptions, DotenvAndProcessEnvironment) {
  TestProject p;
  p.file("compose.yaml", "services:\n  a:\n    image: ${IMG}:${TAG}\n");
  p.file(".env", "IMG=fromdotenv\nTAG=dotenv\n");
  p.env("TAG", "os");
  EXPECT_EQ(p.load().services[0].image, "fromdotenv:os");
  p.env("COMPOSE_DISABLE_ENV_FILE", "1");
  EXPECT_EQ(p.load().services[0].image, ":os");
}

TEST(ProjectOptions, EnvFileFlag) {
  TestProject p;
  p.file("compose.yaml", "services:\n  a:\n    image: ${IMG}\n");
  p.file("custom.env", "IMG=custom\n");
  p.options().env_files = {"custom.env"};
  EXPECT_EQ(p.load().services[0].image, "custom");
  p.options().env_files = {"missing.env"};
  EXPECT_NE(p.error().find("couldn't find env file"), std::string::npos);
}

TEST(ProjectOptions, StdinAndProjectDirectory) {
  TestProject p;
  p.file("proj/.keep", "");
  p.options().files = {"-"};
  p.options().stdin_content = "services:\n  a:\n    build: .\n";
  p.options().project_directory = "proj";
  auto project = p.load();
  EXPECT_EQ(project.working_dir, (p.dir() / "proj").string());
  EXPECT_EQ(project.services[0].build->context, (p.dir() / "proj").string());
  EXPECT_EQ(project.name, "proj");
}

TEST(ProjectOptions, MissingFileGivenWithF) {
  TestProject p;
  p.options().files = {"nope.yaml"};
  EXPECT_EQ(p.error(), "open nope.yaml: no such file or directory");
  EXPECT_EQ(p.exit_code(), 14);
}

}  // namespace
}  // namespace berth::compose
