// The subset of Go's text/template that `inspect -f/--format` is used with in scripts:
// literal text around actions {{.Field.Sub}} (a path into the JSON object; strings print
// bare, other values as JSON) and {{json .Field}} (always JSON). Anything else is refused
// with an error naming the action, rather than printing something wrong.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace berth::engine::lifecycle {

// Throws Error (exit 125) "template: ...". A missing field prints "<no value>", as Go does.
std::string render_template(const std::string& format, const nlohmann::ordered_json& value);

}  // namespace berth::engine::lifecycle
