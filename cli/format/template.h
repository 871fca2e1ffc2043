// The subset of Go's text/template that Docker's `--format` flags are used with, hand-written
// (there is no Go template engine for C++). Supported: literal text; actions {{...}} with
// `{{-`/`-}}` trimming; `.` and field paths `.A.B`; string ("..", `..`) and integer
// literals; pipelines `{{.Names | upper}}`; the method `{{.Label "key"}}` on list rows; and
// the functions docker/cli registers (json, split, join, title, lower, upper, pad, truncate)
// plus Go's print, println, len and index. Control actions (if, range, with, define,
// variables, parentheses) are refused with "template: ..." naming what was found, rather than
// printing something wrong. Used by every list command and `inspect -f` (cli/format/list.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::cli::format {

using json = nlohmann::ordered_json;

// What one execution runs on.
struct TemplateData {
  const json& dot;
  // The labels that `.Label "k"` reads (list rows); nullptr where there is no such method.
  const std::map<std::string, std::string>* labels = nullptr;
  // List rows are Go structs in Docker: an unknown field is an error there ("can't evaluate
  // field Foo"). Inspect data is a JSON map: a missing key prints "<no value>".
  bool strict = false;
};

class Template {
 public:
  // Parses `text`. Throws Error (125) "template: ..." for a syntax error or an unsupported
  // action or function.
  explicit Template(const std::string& text);

  // Throws Error (125) "template: ..." for an unknown field (strict data) or a bad argument.
  std::string render(const TemplateData& data) const;

  // The table header: each field prints its header from `headers` (Docker's column names,
  // "CONTAINER ID"), `.Label "a.b-c"` prints "b c", and json, split, join, title, lower,
  // upper and truncate return their first argument unchanged, as docker/cli's
  // HeaderFunctions do.
  std::string render_header(const std::map<std::string, std::string>& headers) const;

  struct Arg {
    enum class Kind { kField, kString, kNumber, kFunction } kind;
    std::vector<std::string> path;  // kField: the steps; empty for `.`
    std::string text;               // kString: the value; kFunction: the name
    int64_t number = 0;
  };
  using Command = std::vector<Arg>;
  struct Node {
    std::string text;               // literal text, when pipeline is empty
    std::vector<Command> pipeline;  // an action
  };

 private:
  std::vector<Node> nodes_;
};

// One execution of `format` on `value` (non-strict): `inspect -f`. Throws Error (125)
// "--format: template: ...".
std::string render_template(const std::string& format, const json& value);

// JSON as Go's encoding/json writes it by default (the daemon's JSON that `inspect` prints):
// <, > and & as \u003c, \u003e and \u0026. The json template function does not escape.
std::string go_json_escape(const std::string& json_text);

}  // namespace berth::cli::format
