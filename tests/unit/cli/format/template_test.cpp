#include "cli/format/template.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::cli::format {
namespace {

const json kValue = {{"Name", "/web"},
                     {"State", {{"Pid", 42}, {"Running", true}}},
                     {"Args", {"-f"}},
                     {"Config", {{"Labels", {{"com.example.tier", "web"}}}}}};

std::string row(const std::string& tmpl, const json& dot,
                const std::map<std::string, std::string>* labels = nullptr) {
  return Template(tmpl).render({dot, labels, true});
}

std::string error_of(const std::string& tmpl, const json& dot = kValue) {
  try {
    row(tmpl, dot);
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
    return e.what();
  }
  return "(no error)";
}

TEST(FormatTemplate, FieldsAndJson) {
  EXPECT_EQ(render_template("{{.Name}}", kValue), "/web");
  EXPECT_EQ(render_template("pid={{ .State.Pid }} up={{.State.Running}}", kValue),
            "pid=42 up=true");
  EXPECT_EQ(render_template("{{json .Args}}", kValue), "[\"-f\"]");
  EXPECT_EQ(render_template("{{json .Name}}", kValue), "\"/web\"");
  EXPECT_EQ(render_template("{{.Nope.X}}", kValue), "<no value>");
  EXPECT_EQ(render_template("plain", kValue), "plain");
  EXPECT_EQ(render_template("{{json .State}}", kValue), R"({"Pid":42,"Running":true})");
  EXPECT_EQ(render_template("{{.Args}} {{.State}}", kValue), "[-f] map[Pid:42 Running:true]");
  EXPECT_EQ(render_template("{{json .}}", json{{"a", "<x>"}}), R"({"a":"<x>"})");
}

TEST(FormatTemplate, UnsupportedIsAnError) {
  EXPECT_THROW(render_template("{{range .Args}}x{{end}}", kValue), Error);
  EXPECT_THROW(render_template("{{.Name", kValue), Error);
  try {
    render_template("{{range .Args}}x{{end}}", kValue);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--format: template: unsupported action {{range .Args}}");
  }
}

TEST(FormatTemplate, ErrorsNameWhatWasFound) {
  EXPECT_EQ(error_of("{{.Name"), "template: unclosed action in \"{{.Name\"");
  EXPECT_EQ(error_of("{{if .Name}}x{{end}}"), "template: unsupported action {{if .Name}}");
  EXPECT_EQ(error_of("{{frobnicate .Name}}"), "template: function \"frobnicate\" not defined");
  EXPECT_EQ(error_of("{{$x := .Name}}"), "template: variables are not supported: {{$x := .Name}}");
  EXPECT_EQ(error_of("{{upper (.Name)}}"),
            "template: parentheses are not supported: {{upper (.Name)}}");
  EXPECT_EQ(error_of("{{.Nope}}"), "template: can't evaluate field Nope");
  EXPECT_EQ(error_of("{{.Name \"x\"}}"),
            "template: can't give argument to non-function in {{.Name \"x\"}}");
  EXPECT_EQ(error_of("{{upper .State}}"),
            "template: wrong type for value in upper: expected string; got object");
  EXPECT_EQ(error_of("{{truncate .Name}}"),
            "template: wrong number of args for truncate: want 2 got 1");
  EXPECT_EQ(error_of("{{}}"), "template: missing value for command");
  EXPECT_EQ(error_of("{{\"abc}}"), "template: unterminated quoted string in {{\"abc}}");
}

TEST(FormatTemplate, StrictRowsRefuseUnknownFields) {
  const json r = {{"Names", "web"}, {"Status", "Up 3 seconds"}};
  EXPECT_EQ(row("{{.Names}} {{.Status}}", r), "web Up 3 seconds");
  EXPECT_THROW(row("{{.Name}}", r), Error);
  EXPECT_EQ(render_template("{{.Name}}", r), "<no value>");
}

TEST(FormatTemplate, Functions) {
  const json r = {{"Names", "web-1"}, {"Ports", "a,b,c"}, {"Empty", ""}, {"List", {"x", "y"}}};
  EXPECT_EQ(row("{{upper .Names}}", r), "WEB-1");
  EXPECT_EQ(row("{{lower \"AbC\"}}", r), "abc");
  EXPECT_EQ(row("{{title \"hello big-world\"}}", r), "Hello Big-World");
  EXPECT_EQ(row("{{split .Ports \",\"}}", r), "[a b c]");
  EXPECT_EQ(row("{{json .List}}", r), R"(["x","y"])");
  EXPECT_EQ(row("{{join .List \"+\"}}", r), "x+y");
  EXPECT_EQ(row("[{{pad .Names 1 2}}][{{pad .Empty 1 2}}]", r), "[ web-1  ][]");
  EXPECT_EQ(row("{{truncate .Names 3}} {{truncate .Names 30}}", r), "web web-1");
  EXPECT_EQ(row("{{len .List}} {{len .Names}}", r), "2 5");
  EXPECT_EQ(row("{{index .List 1}}", r), "y");
  EXPECT_EQ(render_template("{{index .Config.Labels \"com.example.tier\"}}", kValue), "web");
  EXPECT_EQ(row("{{println .Names}}", r), "web-1\n");
  EXPECT_EQ(row("{{print .Names \"x\" 3}}", r), "web-1x 3");
}

TEST(FormatTemplate, PipelinesAndTrimming) {
  const json r = {{"Names", "web"}};
  EXPECT_EQ(row("{{.Names | upper}}", r), "WEB");
  EXPECT_EQ(row("{{.Names | upper | json}}", r), "\"WEB\"");
  EXPECT_THROW(row("{{.Names | truncate 2}}", r), Error);  // the piped value comes last
}

TEST(FormatTemplate, LabelMethod) {
  const json r = {{"Names", "web"}};
  const std::map<std::string, std::string> labels = {{"com.example.tier", "front"}};
  EXPECT_EQ(row("{{.Label \"com.example.tier\"}}", r, &labels), "front");
  EXPECT_EQ(row("[{{.Label \"nope\"}}]", r, &labels), "[]");
  EXPECT_THROW(row("{{.Label}}", r, &labels), Error);
}

TEST(FormatTemplate, Headers) {
  const std::map<std::string, std::string> h = {{"ID", "CONTAINER ID"}, {"Names", "NAMES"}};
  EXPECT_EQ(Template("{{.ID}}\t{{.Names | upper}}").render_header(h), "CONTAINER ID\tNAMES");
  EXPECT_EQ(Template("{{json .Names}} {{truncate .ID 2}}").render_header(h), "NAMES CONTAINER ID");
  EXPECT_EQ(Template("{{.Label \"com.docker.compose.project-name\"}}").render_header(h),
            "project name");
  EXPECT_EQ(Template("x{{- .Names -}} y").render_header(h), "xNAMESy");
}

}  // namespace
}  // namespace berth::cli::format
