// The --flags of one instruction (BuildKit's BFlags): an instruction declares the flags it
// accepts, then parse() checks what the Dockerfile gave: unknown flags, duplicates, missing
// values, non-boolean values, all with BuildKit's messages.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerfile {

class BuildFlags {
 public:
  explicit BuildFlags(std::vector<std::string> args) : args_(std::move(args)) {}

  // Declares a flag; its value is read after parse().
  void add_bool(const std::string& name, bool def = false);
  void add_string(const std::string& name, std::string def = {});
  void add_strings(const std::string& name);  // may be given several times

  // Throws berth::Error ("unknown flag: x", "duplicate flag specified: x",
  // "missing a value on flag: x", "expecting boolean value for flag x, not: y").
  void parse();

  bool get_bool(const std::string& name) const;
  const std::string& get_string(const std::string& name) const;
  const std::vector<std::string>& get_strings(const std::string& name) const;
  bool used(const std::string& name) const;

 private:
  enum class Type { kBool, kString, kStrings };
  struct Flag {
    Type type;
    std::string value;
    std::vector<std::string> values;
    bool used = false;
  };
  std::vector<std::string> args_;
  std::map<std::string, Flag, std::less<>> flags_;
};

}  // namespace berth::dockerfile
