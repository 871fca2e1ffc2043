// A container's device allow-list: which device nodes its processes may create (mknod), read
// and write. One list, two kernel forms: cgroup v1's devices.allow lines ("c 1:3 rwm") and
// cgroup v2's BPF_PROG_TYPE_CGROUP_DEVICE program (device_filter.h). The default is Docker's
// (moby oci/devices_linux.go): mknod of any node, and the standard character devices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace berth::core::runtime {

struct DeviceRule {
  static constexpr int64_t kAny = -1;
  static constexpr uint8_t kMknod = 1, kRead = 2, kWrite = 4;  // BPF_DEVCG_ACC_* values
  char type = 'a';                                             // 'c' character, 'b' block, 'a' both
  int64_t major = kAny;                                        // kAny: every major
  int64_t minor = kAny;
  uint8_t access = kMknod | kRead | kWrite;
  bool operator==(const DeviceRule&) const = default;
};

// Docker's default allow-list.
const std::vector<DeviceRule>& default_device_rules();

// "c 1:3 rwm", "b *:* m": the v1 devices.allow syntax.
std::string v1_rule_text(const DeviceRule& rule);

}  // namespace berth::core::runtime
