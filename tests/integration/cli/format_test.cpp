// Docker's --format on every list command, typed as users type it from habit: templates,
// `table TEMPLATE` (header from the fields' column names, tabwriter-aligned), `json` and
// {{json .}}; and the error that names the flag.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/harness.h"

namespace berth::test {
namespace {

class FormatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!is_root()) GTEST_SKIP() << "needs root";
    st_.import_busybox();
  }

  std::string ok(const std::vector<std::string>& args) const {
    auto r = st_.berth(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempState st_;
};

TEST_F(FormatTest, PsTemplatesTableAndJson) {
  ok({"run", "-d", "--name", "fmt-web", "--label", "tier=front", "busybox", "sleep", "30"});
  ok({"create", "--name", "fmt-idle", "busybox", "true"});
  EXPECT_EQ(ok({"ps", "--format", "{{.Names}} {{.Status}}"}).substr(0, 11), "fmt-web Up ");
  EXPECT_EQ(ok({"ps", "-a", "--filter", "name=fmt-idle", "--format", "{{.Names}} {{.Status}}"}),
            "fmt-idle Created\n");
  const std::string id = ok({"ps", "-q", "--filter", "name=fmt-web"}).substr(0, 12);
  EXPECT_EQ(ok({"ps", "--format", "table {{.ID}}\\t{{.Names}}"}),
            "CONTAINER ID   NAMES\n" + id + "   fmt-web\n");
  EXPECT_EQ(ok({"ps", "--format", "{{.Label \"tier\"}}|{{.Names | upper}}"}), "front|FMT-WEB\n");
  auto j = nlohmann::json::parse(ok({"ps", "--format", "{{json .}}"}));
  EXPECT_EQ(j["Names"], "fmt-web");
  EXPECT_EQ(j["State"], "running");
  EXPECT_EQ(ok({"ps", "--format", "{{json .}}"}), ok({"ps", "--format", "json"}));
  EXPECT_EQ(ok({"ps", "--format", "{{json .Names}}"}), "\"fmt-web\"\n");
}

TEST_F(FormatTest, ImagesVolumesNetworks) {
  EXPECT_EQ(ok({"images", "--format", "{{.Repository}}:{{.Tag}}"}), "busybox:latest\n");
  EXPECT_EQ(ok({"images", "--format", "table {{.Repository}}\\t{{.Tag}}"}),
            "REPOSITORY   TAG\nbusybox      latest\n");
  EXPECT_EQ(nlohmann::json::parse(ok({"images", "--format", "{{json .}}"}))["Repository"],
            "busybox");

  ok({"volume", "create", "--label", "k=v", "fmt-data"});
  EXPECT_EQ(ok({"volume", "ls", "--format", "{{.Name}}"}), "fmt-data\n");
  EXPECT_EQ(ok({"volume", "ls", "--format", "{{.Name}} {{.Driver}} {{.Label \"k\"}}"}),
            "fmt-data local v\n");
  EXPECT_EQ(ok({"volume", "ls", "--format", "table {{.Name}}"}), "VOLUME NAME\nfmt-data\n");
  EXPECT_EQ(ok({"volume", "inspect", "-f", "{{.Name}} {{.Labels.k}}", "fmt-data"}), "fmt-data v\n");
  EXPECT_EQ(ok({"volume", "ls", "--format", "table"}),
            "DRIVER    VOLUME NAME\nlocal     fmt-data\n");

  const std::string net = unique_name("fmt");
  ok({"network", "create", net});
  const std::string names = ok({"network", "ls", "--format", "{{.Name}}"});
  EXPECT_NE(names.find(net + "\n"), std::string::npos) << names;
  EXPECT_NE(names.find("bridge\n"), std::string::npos) << names;
  EXPECT_EQ(ok({"network", "ls", "--filter", "name=" + net, "--format", "{{.Name}}\\t{{.Driver}}"}),
            net + "\tbridge\n");
  EXPECT_EQ(nlohmann::json::parse(
                ok({"network", "ls", "--filter", "name=" + net, "--format", "{{json .}}"}))["Name"],
            net);
}

TEST_F(FormatTest, AnUnsupportedTemplateNamesTheFlag) {
  auto r = st_.berth({"ps", "--format", "{{range .Names}}x{{end}}"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: --format: template: unsupported action {{range .Names}}\n");
  r = st_.berth({"images", "--format", "{{.Nope}}"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "Error: --format: template: can't evaluate field Nope\n");
}

}  // namespace
}  // namespace berth::test
