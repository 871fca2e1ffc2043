#include "core/runtime/ulimits.h"

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "common/error.h"

namespace berth::core::runtime {

using request::limit_text;

namespace {

bool have_sys_resource() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) < 0) return false;
  return data[0].effective & (1u << CAP_SYS_RESOURCE);
}

}  // namespace

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
