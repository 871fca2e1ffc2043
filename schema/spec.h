// What each compose key accepts: berth's own tables of the compose specification
// (compose-spec.json), so validation needs no JSON-schema engine at run time. Every
// top-level element and service attribute is listed as carried into the model or refused
// as unsupported (tests/unit/schema/spec_coverage_test.cpp checks this against the spec).
// Used by the validate phase (compose/validate.cpp) and by `did you mean` suggestions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth::schema {

// Accepted YAML types of a value, as a bit set.
enum Type : unsigned {
  kNull = 1,
  kString = 2,
  kNumber = 4,
  kBool = 8,
  kArray = 16,
  kMapping = 32,
  kScalar = kString | kNumber | kBool,
  kAny = 63,
};

struct Attr {
  const char* name;
  unsigned types;
  // nullptr when berth carries the attribute; else why berth refuses it.
  const char* unsupported = nullptr;
  // Allowed keys when the value is a mapping (nullptr: any key).
  const std::vector<Attr>* fields = nullptr;
};

const std::vector<Attr>& top_level_attrs();
const std::vector<Attr>& service_attrs();
const std::vector<Attr>& network_attrs();
const std::vector<Attr>& volume_attrs();
const std::vector<Attr>& secret_attrs();
const std::vector<Attr>& config_attrs();
const Attr* find_attr(const std::vector<Attr>& attrs, std::string_view name);

// "accepted types" for an error message: "a string or a number".
std::string describe_types(unsigned types);

// The closest name (edit distance <= 2, or a prefix match) or "" (for "did you mean").
std::string suggest(std::string_view name, const std::vector<Attr>& attrs);

}  // namespace berth::schema
