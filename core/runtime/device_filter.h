// cgroup v2's device controller is an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE, kernel
// Documentation/admin-guide/cgroup-v2.rst "Device controller") run on every open and mknod of
// a device node by a process of the cgroup; it returns 1 to allow, 0 to deny (EPERM). This is
// the pure generator, after runc's devicefilter: a prologue loads the device type, access,
// major and minor from struct bpf_cgroup_dev_ctx, then one block per allow rule returns 1 when
// the request matches, and the end returns 0. Unit-tested by interpreting the program;
// device_bpf.h loads and attaches it.
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "core/runtime/device_rules.h"

namespace berth::core::runtime {

// The program allowing exactly the requests some rule of allow matches (a request of several
// access bits needs one rule holding all of them, as in v1). Never throws.
std::vector<struct bpf_insn> device_filter_program(const std::vector<DeviceRule>& allow);

}  // namespace berth::core::runtime
