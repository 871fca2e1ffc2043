// The functions a --format template may call: docker/cli's (json, split, join, title, lower,
// upper, pad, truncate; json without HTML escaping, as docker/cli's encoder) and Go's print,
// println, len and index; and Go's %v printing of values. Used by cli/format/template.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace berth::cli::format {

using json = nlohmann::ordered_json;

// A value, or none (a missing map key: Go prints "<no value>").
using Value = std::optional<json>;

// Throws Error (125) "template: " + what.
[[noreturn]] void template_error(const std::string& what);

// A character of a field, method or function name.
bool ident_char(char c);

bool known_function(const std::string& name);
// docker/cli's HeaderFunctions: in a table header these return their first argument.
bool header_passthrough(const std::string& name);

// Throws Error (125) "template: ..." for a wrong number or type of arguments.
Value call_function(const std::string& name, const std::vector<Value>& args);

// Go's fmt %v: strings bare, [a b] for lists, map[k:v] (keys sorted) for objects, "<no value>"
// for none.
std::string text_of(const Value& v);
// The argument checks of call_function, for methods (.Label "k").
std::string want_string(const std::string& fn, const Value& v);
void want_args(const std::string& fn, const std::vector<Value>& args, size_t n);

}  // namespace berth::cli::format
