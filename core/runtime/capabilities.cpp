#include "core/runtime/capabilities.h"

#include <linux/capability.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::core::runtime {

namespace {

// capabilities(7), by number; CAP_CHECKPOINT_RESTORE (40) is the last one in Linux 6.x.
constexpr const char* kNames[] = {"CAP_CHOWN",
                                  "CAP_DAC_OVERRIDE",
                                  "CAP_DAC_READ_SEARCH",
                                  "CAP_FOWNER",
                                  "CAP_FSETID",
                                  "CAP_KILL",
                                  "CAP_SETGID",
                                  "CAP_SETUID",
                                  "CAP_SETPCAP",
                                  "CAP_LINUX_IMMUTABLE",
                                  "CAP_NET_BIND_SERVICE",
                                  "CAP_NET_BROADCAST",
                                  "CAP_NET_ADMIN",
                                  "CAP_NET_RAW",
                                  "CAP_IPC_LOCK",
                                  "CAP_IPC_OWNER",
                                  "CAP_SYS_MODULE",
                                  "CAP_SYS_RAWIO",
                                  "CAP_SYS_CHROOT",
                                  "CAP_SYS_PTRACE",
                                  "CAP_SYS_PACCT",
                                  "CAP_SYS_ADMIN",
                                  "CAP_SYS_BOOT",
                                  "CAP_SYS_NICE",
                                  "CAP_SYS_RESOURCE",
                                  "CAP_SYS_TIME",
                                  "CAP_SYS_TTY_CONFIG",
                                  "CAP_MKNOD",
                                  "CAP_LEASE",
                                  "CAP_AUDIT_WRITE",
                                  "CAP_AUDIT_CONTROL",
                                  "CAP_SETFCAP",
                                  "CAP_MAC_OVERRIDE",
                                  "CAP_MAC_ADMIN",
                                  "CAP_SYSLOG",
                                  "CAP_WAKE_ALARM",
                                  "CAP_BLOCK_SUSPEND",
                                  "CAP_AUDIT_READ",
                                  "CAP_PERFMON",
                                  "CAP_BPF",
                                  "CAP_CHECKPOINT_RESTORE"};
constexpr int kKnown = static_cast<int>(sizeof kNames / sizeof kNames[0]);

CapMask bit(int cap) {
  return CapMask{1} << cap;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool is_all(const std::string& name) {
  return upper(name) == "ALL";
}

}  // namespace

const char* capability_name(int cap) {
  return cap >= 0 && cap < kKnown ? kNames[cap] : nullptr;
}

std::optional<int> capability_number(const std::string& name) {
  std::string n = upper(name);
  if (!n.starts_with("CAP_")) n = "CAP_" + n;
  for (int i = 0; i < kKnown; ++i)
    if (n == kNames[i]) return i;
  return std::nullopt;
}

std::string normalize_capability(const std::string& name, const std::string& flag) {
  if (is_all(name)) return "ALL";
  auto n = capability_number(name);
  if (!n) throw Error("invalid " + flag + " value: unknown capability: \"" + name + "\"", 125);
  return kNames[*n];
}

int last_capability() {
  static const int last = [] {
    // Without the file (no /proc) or a number in it, the headers' value: what this build knows.
    auto text = read_file_if_exists("/proc/sys/kernel/cap_last_cap");
    int v = CAP_LAST_CAP;
    if (text) std::from_chars(text->data(), text->data() + text->size(), v);
    return std::clamp(v, 0, 63);
  }();
  return last;
}

CapMask default_capabilities() {
  CapMask m = 0;
  for (int c : {CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE})
    m |= bit(c);
  return m;
}

CapMask all_capabilities() {
  int last = last_capability();
  return last >= 63 ? ~CapMask{0} : (bit(last + 1) - 1);
}

CapMask resolve_capabilities(bool privileged, const std::vector<std::string>& add,
                             const std::vector<std::string>& drop) {
  CapMask m = privileged ? all_capabilities() : default_capabilities();
  if (std::any_of(drop.begin(), drop.end(), is_all)) m = 0;
  if (std::any_of(add.begin(), add.end(), is_all)) m = all_capabilities();
  for (const auto& d : drop)
    if (!is_all(d)) m &= ~bit(capability_number(normalize_capability(d, "--cap-drop")).value());
  for (const auto& a : add)
    if (!is_all(a)) m |= bit(capability_number(normalize_capability(a, "--cap-add")).value());
  return m & all_capabilities();
}

std::vector<std::string> capability_names(CapMask mask) {
  std::vector<std::string> out;
  for (int i = 0; i < 64; ++i)
    if (mask & bit(i)) out.push_back(capability_name(i) ? capability_name(i) : std::to_string(i));
  return out;
}

}  // namespace berth::core::runtime
