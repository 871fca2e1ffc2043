// Every top-level element and every service attribute of the compose specification
// (../shared/reference/compose-spec/compose-spec.json, never copied into this repository)
// must be carried into the model or refused as unsupported by schema/spec.cpp; the same for
// the attributes of networks, volumes, secrets, configs, build, healthcheck and deploy.
#include <gtest/gtest.h>

#include <set>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "schema/spec.h"

namespace berth::schema {
namespace {
namespace fs = std::filesystem;

// BERTH_COMPOSE_SPEC, else ../shared/reference/... beside the checkout (or beside the
// worktrees' parent directory when the checkout is a worktree under wt/).
fs::path spec_path() {
  if (const char* env = std::getenv("BERTH_COMPOSE_SPEC")) return env;
  const fs::path rel = "shared/reference/compose-spec/compose-spec.json";
  fs::path src(BERTH_SOURCE_DIR);
  for (const fs::path& base : {src.parent_path(), src.parent_path().parent_path()})
    if (fs::exists(base / rel)) return base / rel;
  return src.parent_path() / rel;
}

class SpecCoverage : public testing::Test {
 protected:
  void SetUp() override {
    fs::path spec = spec_path();
    if (!fs::exists(spec)) GTEST_SKIP() << "compose-spec.json not found at " << spec;
    spec_ = nlohmann::json::parse(read_file(spec));
  }

  // Names in `props` that `attrs` does not list.
  static std::vector<std::string> missing(const nlohmann::json& props,
                                          const std::vector<Attr>& attrs) {
    std::vector<std::string> out;
    for (const auto& [name, _] : props.items())
      if (!find_attr(attrs, name)) out.push_back(name);
    return out;
  }

  // The object schema of a definition or of a oneOf branch that is an object.
  static const nlohmann::json& object_props(const nlohmann::json& def) {
    if (def.contains("properties")) return def["properties"];
    if (def.contains("oneOf"))
      for (const auto& branch : def["oneOf"])
        if (branch.contains("properties")) return branch["properties"];
    static const nlohmann::json kEmpty = nlohmann::json::object();
    return kEmpty;
  }

  nlohmann::json spec_;
};

TEST_F(SpecCoverage, EveryTopLevelElementIsAccountedFor) {
  EXPECT_EQ(missing(spec_["properties"], top_level_attrs()), std::vector<std::string>{});
}

TEST_F(SpecCoverage, EveryServiceAttributeIsAccountedFor) {
  EXPECT_EQ(missing(spec_["definitions"]["service"]["properties"], service_attrs()),
            std::vector<std::string>{});
}

TEST_F(SpecCoverage, EveryResourceAttributeIsAccountedFor) {
  const auto& d = spec_["definitions"];
  EXPECT_EQ(missing(object_props(d["network"]), network_attrs()), std::vector<std::string>{});
  EXPECT_EQ(missing(object_props(d["volume"]), volume_attrs()), std::vector<std::string>{});
  EXPECT_EQ(missing(object_props(d["secret"]), secret_attrs()), std::vector<std::string>{});
  EXPECT_EQ(missing(object_props(d["config"]), config_attrs()), std::vector<std::string>{});
}

TEST_F(SpecCoverage, NestedServiceObjectsAreAccountedFor) {
  const auto& d = spec_["definitions"];
  const auto& service = service_attrs();
  auto fields_of = [&](const char* name) { return *find_attr(service, name)->fields; };
  EXPECT_EQ(missing(object_props(d["service"]["properties"]["build"]), fields_of("build")),
            std::vector<std::string>{});
  EXPECT_EQ(missing(object_props(d["healthcheck"]), fields_of("healthcheck")),
            std::vector<std::string>{});
  EXPECT_EQ(missing(object_props(d["deployment"]), fields_of("deploy")),
            std::vector<std::string>{});
}

TEST_F(SpecCoverage, NoAttributeBerthListsIsUnknownToTheSpec) {
  // Guards against typos in the tables: every listed service attribute exists in the spec,
  // but those newer than the reference copy: pre_start (compose-spec#647, compose-go#885,
  // June 2026). Once the copy has one, it leaves this list.
  const std::set<std::string> newer = {"pre_start"};
  const auto& props = spec_["definitions"]["service"]["properties"];
  for (const Attr& a : service_attrs())
    EXPECT_TRUE(props.contains(a.name) || newer.contains(a.name)) << a.name;
  for (const auto& n : newer) EXPECT_FALSE(props.contains(n)) << n << ": now in the reference";
}

TEST(Suggest, FindsTheClosestName) {
  EXPECT_EQ(suggest("imag", service_attrs()), "image");
  EXPECT_EQ(suggest("enviroment", service_attrs()), "environment");
  EXPECT_EQ(suggest("dependson", service_attrs()), "depends_on");
  EXPECT_EQ(suggest("qqqqqqqq", service_attrs()), "");
}

}  // namespace
}  // namespace berth::schema
