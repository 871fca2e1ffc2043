#include "core/runtime/ulimits.h"

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "common/error.h"

namespace berth::core::runtime {

namespace {

constexpr std::pair<const char*, int> kResources[] = {
    {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},         {"fsize", RLIMIT_FSIZE},
    {"locks", RLIMIT_LOCKS},       {"memlock", RLIMIT_MEMLOCK},
    {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},     {"nproc", RLIMIT_NPROC},
    {"rss", RLIMIT_RSS},           {"rtprio", RLIMIT_RTPRIO},
    {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK}};

int64_t parse_limit(const std::string& v, const std::string& text) {
  if (v == "unlimited" || v == "-1") return -1;
  size_t used = 0;
  int64_t n = -1;
  try {
    n = std::stoll(v, &used);
  } catch (const std::exception&) {
  }
  if (v.empty() || used != v.size() || n < 0)
    throw Error(
        "invalid argument \"" + text + "\" for \"--ulimit\" flag: invalid limit \"" + v + "\"",
        125);
  return n;
}

std::string limit_text(int64_t v) {
  return v < 0 ? "unlimited" : std::to_string(v);
}

bool have_sys_resource() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) < 0) return false;
  return data[0].effective & (1u << CAP_SYS_RESOURCE);
}

}  // namespace

int rlimit_resource(const std::string& name) {
  for (const auto& [n, r] : kResources)
    if (name == n) return r;
  return -1;
}

Ulimit parse_ulimit(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error(
        "invalid argument \"" + text + "\" for \"--ulimit\" flag: expected NAME=SOFT[:HARD]", 125);
  Ulimit u;
  u.name = text.substr(0, eq);
  if (rlimit_resource(u.name) < 0)
    throw Error(
        "invalid argument \"" + text + "\" for \"--ulimit\" flag: invalid ulimit type: " + u.name,
        125);
  std::string rest = text.substr(eq + 1);
  auto colon = rest.find(':');
  u.soft = parse_limit(rest.substr(0, colon), text);
  u.hard = colon == std::string::npos ? u.soft : parse_limit(rest.substr(colon + 1), text);
  auto as_unsigned = [](int64_t v) { return v < 0 ? RLIM_INFINITY : static_cast<rlim_t>(v); };
  if (as_unsigned(u.soft) > as_unsigned(u.hard))
    throw Error("invalid argument \"" + text + "\" for \"--ulimit\" flag: ulimit soft limit must " +
                    "be less than or equal to hard limit: " + limit_text(u.soft) + " > " +
                    limit_text(u.hard),
                125);
  return u;
}

void check_ulimit_settable(const Ulimit& u) {
  rlimit cur{};
  if (::getrlimit(rlimit_resource(u.name), &cur) < 0) throw_errno("getrlimit", u.name, errno);
  rlim_t hard = u.hard < 0 ? RLIM_INFINITY : static_cast<rlim_t>(u.hard);
  if (hard <= cur.rlim_max || have_sys_resource()) return;
  throw Error("ulimit " + u.name + "=" + limit_text(u.soft) + ":" + limit_text(u.hard) +
                  ": cannot raise the hard limit above " +
                  (cur.rlim_max == RLIM_INFINITY ? std::string("unlimited")
                                                 : std::to_string(cur.rlim_max)) +
                  " without CAP_SYS_RESOURCE",
              125);
}

nlohmann::json to_json(const Ulimit& u) {
  return {{"Name", u.name}, {"Soft", u.soft}, {"Hard", u.hard}};
}

Ulimit ulimit_from_json(const nlohmann::json& j) {
  Ulimit u;
  j.at("Name").get_to(u.name);
  j.at("Soft").get_to(u.soft);
  j.at("Hard").get_to(u.hard);
  return u;
}

}  // namespace berth::core::runtime
