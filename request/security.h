// Isolation as asked: capabilities, privileged, seccomp profile, no-new-privileges, a
// read-only root, sysctls; and the one parser of `--security-opt` / compose's `security_opt:`
// and of `--sysctl K=V`. The engine checks the names against the kernel and this host
// (core/runtime/capabilities.h, sysctl rules) and reads the seccomp profile at create.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace berth::request {

struct Security {
  bool privileged = false;
  std::vector<std::string> cap_add, cap_drop;  // as given ("NET_ADMIN", "CAP_NET_ADMIN", "ALL")
  bool no_new_privileges = false;
  std::string seccomp;  // "" = the default profile, "unconfined", or a profile file's path
  bool read_only = false;
  std::map<std::string, std::string> sysctls;  // "net/ipv4/ip_forward" spelt with dots
  bool operator==(const Security&) const = default;
};

// Docker's forms: "no-new-privileges[=true|false]", "seccomp=unconfined", "seccomp=FILE", the
// old ":" separator too; "apparmor=unconfined" and "label=disable" ask for less than there is
// (no LSM confinement here) and are accepted. Throws std::invalid_argument.
void apply_security_opt(const std::string& opt, Security& s);

// "net.core.somaxconn=1024" (or with slashes) → {dotted key, value}. Throws
// std::invalid_argument when there is no KEY=.
std::pair<std::string, std::string> parse_sysctl(const std::string& kv);

}  // namespace berth::request
