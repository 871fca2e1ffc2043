// The security and resource settings travel in the RuntimeSpec (CLI → monitor) and in
// config.json (create → start/exec): both JSON round trips keep every field.
#include <gtest/gtest.h>

#include "core/runtime/spec.h"

namespace berth::core::runtime {
namespace {

TEST(SecuritySpec, RoundTripsThroughTheRuntimeSpec) {
  RuntimeSpec s;
  s.security.privileged = true;
  s.security.cap_add = {"CAP_NET_ADMIN"};
  s.security.cap_drop = {"ALL"};
  s.security.no_new_privileges = true;
  s.security.seccomp = R"({"defaultAction":"SCMP_ACT_ALLOW"})";
  s.security.seccomp_source = "/p.json";
  s.security.read_only_rootfs = true;
  s.security.sysctls = {{"net.ipv4.ip_forward", "1"}};
  s.resources.memory = 64 << 20;
  s.resources.memory_swap = -1;
  s.resources.nano_cpus = 500000000;
  s.resources.cpu_shares = 512;
  s.resources.cpuset_cpus = "0-1";
  s.resources.pids_limit = -1;
  s.resources.ulimits = {{"nofile", 10, 20}};
  RuntimeSpec r = spec_from_json(nlohmann::json::parse(to_json(s).dump()));
  EXPECT_EQ(r.security, s.security);
  EXPECT_EQ(r.resources, s.resources);
}

TEST(SecuritySpec, MissingKeysMeanTheDefaults) {
  EXPECT_EQ(security_from_json(nlohmann::json::object()), SecuritySpec{});
  ResourceSpec r = resources_from_json(nlohmann::json::object());
  EXPECT_EQ(r.pids_limit, kDefaultPidsLimit);
  EXPECT_EQ(r, ResourceSpec{});
}

TEST(ProcessSecurity, DefaultSpecGivesDockersCapsAndAFilter) {
  ProcessSecurity p = build_process_security(SecuritySpec{}, {});
  EXPECT_EQ(p.bounding, default_capabilities() & p.bounding);
  EXPECT_FALSE(p.seccomp.empty());
  EXPECT_EQ(p.seccomp_prog.filter, p.seccomp.data());
  ProcessSecurity moved = std::move(p);
  EXPECT_EQ(moved.seccomp_prog.filter, moved.seccomp.data());
  EXPECT_EQ(moved.seccomp_prog.len, moved.seccomp.size());
  SecuritySpec unconfined;
  unconfined.seccomp = "unconfined";
  EXPECT_TRUE(build_process_security(unconfined, {}).seccomp.empty());
}

}  // namespace
}  // namespace berth::core::runtime
