// Writing one value into a cgroupfs control file (cgroup.procs, pids.max, freezer.state,
// cgroup.freeze, ...): one open + one write + close, because the kernel parses each write(2)
// separately and reports a refused value on write or on close. Shared by the cgroup layout
// (cgroups.cpp), the limits (resources.cpp) and the freezer (freezer.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace berth::core::runtime {

// Writes value into file. On cgroupfs the file exists or its controller is missing (ENOENT:
// cgroupfs refuses to create files); a fake cgroupfs in a temp dir (unit tests) gets it made.
// Throws Error: "open `FILE`: why" or "write VALUE `FILE`: why".
void write_cgroup_file(const std::filesystem::path& file, const std::string& value);

// Writes each value into file with its own write(2) on one open file (devices.allow takes one
// rule per write: 13 rules, one open). Throws as write_cgroup_file, naming the value refused.
void write_cgroup_values(const std::filesystem::path& file, const std::vector<std::string>& values);

}  // namespace berth::core::runtime
