#include "core/runtime/security.h"

#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "core/runtime/seccomp_profile.h"

namespace berth::core::runtime {

using nlohmann::json;

json to_json(const SecuritySpec& s) {
  return {{"privileged", s.privileged},
          {"cap_add", s.cap_add},
          {"cap_drop", s.cap_drop},
          {"no_new_privileges", s.no_new_privileges},
          {"seccomp", s.seccomp},
          {"seccomp_source", s.seccomp_source},
          {"read_only_rootfs", s.read_only_rootfs},
          {"sysctls", s.sysctls}};
}

SecuritySpec security_from_json(const json& j) {
  SecuritySpec s;
  if (!j.is_object()) return s;
  s.privileged = j.value("privileged", false);
  s.cap_add = j.value("cap_add", std::vector<std::string>{});
  s.cap_drop = j.value("cap_drop", std::vector<std::string>{});
  s.no_new_privileges = j.value("no_new_privileges", false);
  s.seccomp = j.value("seccomp", "");
  s.seccomp_source = j.value("seccomp_source", "");
  s.read_only_rootfs = j.value("read_only_rootfs", false);
  s.sysctls = j.value("sysctls", std::map<std::string, std::string>{});
  return s;
}

ProcessSecurity& ProcessSecurity::operator=(ProcessSecurity&& o) noexcept {
  bounding = o.bounding;
  last_cap = o.last_cap;
  no_new_privs = o.no_new_privs;
  seccomp = std::move(o.seccomp);
  rlimits = std::move(o.rlimits);
  seccomp_prog.len = static_cast<unsigned short>(seccomp.size());
  seccomp_prog.filter = seccomp.empty() ? nullptr : seccomp.data();
  return *this;
}

namespace {

CapMask held_capabilities() {
  CapMask held = 0;
  for (int c = 0; c <= last_capability(); ++c)
    if (::prctl(PR_CAPBSET_READ, c) == 1) held |= CapMask{1} << c;
  return held;
}

// Docker's caps, limited to what berth itself holds. Privileged/ALL take what there is; a cap
// asked for by name that berth lacks is an error (it could never be granted).
CapMask container_capabilities(const SecuritySpec& spec) {
  CapMask wanted = resolve_capabilities(spec.privileged, spec.cap_add, spec.cap_drop);
  CapMask held = held_capabilities();
  for (const auto& a : spec.cap_add) {
    auto n = capability_number(a);
    if (n && !(held & (CapMask{1} << *n)))
      throw Error("--cap-add " + a + ": berth itself does not hold this capability", 125);
  }
  return wanted & held;
}

bool set_caps(CapMask effective, CapMask permitted, SecurityFailure* f) {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  for (int i = 0; i < 2; ++i) {
    data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
    data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
    data[i].inheritable = 0;
  }
  if (::syscall(SYS_capset, &hdr, data) < 0) return f->set("capset", "capabilities", errno);
  return true;
}

CapMask permitted_now() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (::syscall(SYS_capget, &hdr, data) < 0) return 0;
  return CapMask{data[0].permitted} | (CapMask{data[1].permitted} << 32);
}

}  // namespace

ProcessSecurity build_process_security(const SecuritySpec& spec, const std::vector<Ulimit>& ulimits,
                                       const std::filesystem::path& seccomp_cache) {
  ProcessSecurity s;
  s.bounding = container_capabilities(spec);
  s.last_cap = last_capability();
  s.no_new_privs = spec.no_new_privileges;
  if (!spec.privileged && spec.seccomp != "unconfined") {
    const bool builtin = spec.seccomp.empty();
    s.seccomp =
        cached_seccomp_program(builtin ? default_seccomp_profile() : spec.seccomp, s.bounding,
                               builtin ? "(default)" : spec.seccomp_source, seccomp_cache);
  }
  for (const auto& u : ulimits) {
    check_ulimit_settable(u);
    ProcessRlimit r;
    r.resource = rlimit_resource(u.name);
    r.value.rlim_cur = u.soft < 0 ? RLIM_INFINITY : static_cast<rlim_t>(u.soft);
    r.value.rlim_max = u.hard < 0 ? RLIM_INFINITY : static_cast<rlim_t>(u.hard);
    std::strncpy(r.name, u.name.c_str(), sizeof r.name - 1);
    s.rlimits.push_back(r);
  }
  s.seccomp_prog.len = static_cast<unsigned short>(s.seccomp.size());
  s.seccomp_prog.filter = s.seccomp.empty() ? nullptr : s.seccomp.data();
  return s;
}

bool prepare_user_switch(SecurityFailure* f) noexcept {
  if (::prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) return f->set("prctl", "PR_SET_KEEPCAPS", errno);
  return true;
}

bool apply_process_security(const ProcessSecurity& s, SecurityFailure* f) noexcept {
  for (const auto& r : s.rlimits)
    if (::setrlimit(static_cast<__rlimit_resource>(r.resource), &r.value) < 0)
      return f->set("setrlimit", r.name, errno);
  // setuid to a non-root uid cleared the effective set (permitted survived: KEEPCAPS); the
  // bounding set can only shrink with CAP_SETPCAP effective.
  const CapMask permitted = permitted_now();
  if (!set_caps(permitted, permitted, f)) return false;
  for (int c = 0; c <= s.last_cap; ++c) {
    if (s.bounding & (CapMask{1} << c)) continue;
    if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
      return f->set("drop capability", capability_name(c) ? capability_name(c) : "?", errno);
  }
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return f->set("prctl", "PR_CAP_AMBIENT_CLEAR_ALL", errno);
  // Without no_new_privs, installing a filter needs CAP_SYS_ADMIN: the init keeps it in its own
  // effective set until execve, which recomputes every set from the bounding set (root) or
  // empties them (other uids), so the program never holds it.
  const bool need_admin = !s.seccomp.empty() && !s.no_new_privs;
  const CapMask admin = need_admin ? (CapMask{1} << CAP_SYS_ADMIN) & permitted : 0;
  const CapMask keep = (s.bounding & permitted) | admin;
  if (!set_caps(keep, keep, f)) return false;
  if (::prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) return f->set("prctl", "PR_SET_KEEPCAPS", errno);
  if (s.no_new_privs && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return f->set("prctl", "PR_SET_NO_NEW_PRIVS", errno);
  if (!s.seccomp.empty() && ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &s.seccomp_prog) < 0)
    return f->set("install seccomp filter", "profile", errno);
  return true;
}

}  // namespace berth::core::runtime
