#include "engine/lifecycle/format_template.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::lifecycle {
namespace {

const nlohmann::ordered_json kValue = {
    {"Name", "/web"}, {"State", {{"Pid", 42}, {"Running", true}}}, {"Args", {"-f"}}};

TEST(FormatTemplate, FieldsAndJson) {
  EXPECT_EQ(render_template("{{.Name}}", kValue), "/web");
  EXPECT_EQ(render_template("pid={{ .State.Pid }} up={{.State.Running}}", kValue),
            "pid=42 up=true");
  EXPECT_EQ(render_template("{{json .Args}}", kValue), "[\"-f\"]");
  EXPECT_EQ(render_template("{{json .Name}}", kValue), "\"/web\"");
  EXPECT_EQ(render_template("{{.Nope.X}}", kValue), "<no value>");
  EXPECT_EQ(render_template("plain", kValue), "plain");
}

TEST(FormatTemplate, UnsupportedIsAnError) {
  EXPECT_THROW(render_template("{{range .Args}}x{{end}}", kValue), Error);
  EXPECT_THROW(render_template("{{.Name", kValue), Error);
}

}  // namespace
}  // namespace berth::engine::lifecycle
