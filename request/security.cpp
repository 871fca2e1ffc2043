#include "request/security.h"

#include <stdexcept>

namespace berth::request {

namespace {

bool parse_bool(const std::string& v, const std::string& opt) {
  if (v == "true" || v == "1") return true;
  if (v == "false" || v == "0") return false;
  throw std::invalid_argument("invalid --security-opt " + opt + ": expected true or false");
}

}  // namespace

void apply_security_opt(const std::string& opt, Security& s) {
  auto sep = opt.find_first_of("=:");
  std::string key = opt.substr(0, sep);
  std::string value = sep == std::string::npos ? "" : opt.substr(sep + 1);
  if (key == "no-new-privileges") {
    s.no_new_privileges = value.empty() || parse_bool(value, opt);
  } else if (key == "seccomp" && !value.empty()) {
    s.seccomp = value;
  } else if ((key == "apparmor" && value == "unconfined") ||
             (key == "label" && value == "disable")) {
  } else {
    throw std::invalid_argument("invalid --security-opt: \"" + opt + "\"");
  }
}

std::pair<std::string, std::string> parse_sysctl(const std::string& kv) {
  auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) throw std::invalid_argument("expected KEY=VALUE");
  std::string key = kv.substr(0, eq);
  for (char& ch : key)
    if (ch == '/') ch = '.';
  return {key, kv.substr(eq + 1)};
}

}  // namespace berth::request
