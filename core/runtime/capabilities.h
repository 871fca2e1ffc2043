// Linux capabilities (capabilities(7)) as Docker names and resolves them: the default set of
// 14, `--cap-add`/`--cap-drop` (names with or without "CAP_", any case, or "ALL"), and
// `--privileged` (every capability the kernel knows). A set is a 64-bit mask, bit N = cap N.
// Used by security.cpp (what the init keeps) and lifecycle (validating flags at create).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace berth::core::runtime {

using CapMask = uint64_t;

// "CAP_NET_ADMIN" for 12; nullptr for a number without a name.
const char* capability_name(int cap);
// Capability number of "net_admin", "NET_ADMIN" or "CAP_NET_ADMIN"; nullopt if unknown.
std::optional<int> capability_number(const std::string& name);
// "CAP_X" spelling of a valid name; throws Error (125) naming the flag for an unknown one.
std::string normalize_capability(const std::string& name, const std::string& flag);

// Docker's default set: CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP
// SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE.
CapMask default_capabilities();
// Every capability up to the running kernel's cap_last_cap (/proc/sys/kernel/cap_last_cap).
CapMask all_capabilities();
int last_capability();

// Docker's rule: start from the default set (or all with privileged); drop "ALL" empties it,
// add "ALL" fills it; then the named drops, then the named adds (an add wins over a drop of
// the same name). Throws Error (125) for an unknown name.
CapMask resolve_capabilities(bool privileged, const std::vector<std::string>& add,
                             const std::vector<std::string>& drop);

// "CAP_CHOWN CAP_KILL ..." for messages and inspect.
std::vector<std::string> capability_names(CapMask mask);

}  // namespace berth::core::runtime
