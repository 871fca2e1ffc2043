#include "dockerfile/build_flags.h"

#include "common/error.h"
#include "dockerfile/ascii.h"

namespace berth::dockerfile {

void BuildFlags::add_bool(const std::string& name, bool def) {
  flags_[name] = Flag{Type::kBool, def ? "true" : "false", {}};
}

void BuildFlags::add_string(const std::string& name, std::string def) {
  flags_[name] = Flag{Type::kString, std::move(def), {}};
}

void BuildFlags::add_strings(const std::string& name) {
  flags_[name] = Flag{Type::kStrings, {}, {}};
}

void BuildFlags::parse() {
  for (const auto& full : args_) {
    if (full.rfind("--", 0) != 0) throw Error("arg should start with -- : " + full);
    if (full == "--") return;
    std::string arg = full.substr(2), value;
    auto eq = arg.find('=');
    const bool has_value = eq != std::string::npos;
    if (has_value) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    }
    auto it = flags_.find(arg);
    if (it == flags_.end()) throw Error("unknown flag: " + arg);
    Flag& f = it->second;
    if (f.used && f.type != Type::kStrings) throw Error("duplicate flag specified: " + arg);
    f.used = true;
    switch (f.type) {
      case Type::kBool: {
        if (has_value && value.empty()) throw Error("missing a value on flag: " + arg);
        std::string lower = detail::to_lower(value);
        if (lower.empty())
          f.value = "true";
        else if (lower == "true" || lower == "false")
          f.value = lower;
        else
          throw Error("expecting boolean value for flag " + arg + ", not: " + value);
        break;
      }
      case Type::kString:
        if (!has_value) throw Error("missing a value on flag: " + arg);
        f.value = value;
        break;
      case Type::kStrings:
        if (!has_value) throw Error("missing a value on flag: " + arg);
        f.values.push_back(value);
        break;
    }
  }
}

bool BuildFlags::get_bool(const std::string& name) const {
  return flags_.at(name).value == "true";
}

const std::string& BuildFlags::get_string(const std::string& name) const {
  return flags_.at(name).value;
}

const std::vector<std::string>& BuildFlags::get_strings(const std::string& name) const {
  return flags_.at(name).values;
}

bool BuildFlags::used(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.used;
}

}  // namespace berth::dockerfile
