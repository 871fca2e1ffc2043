// The short syntaxes both front ends share, in their Docker CLI and compose-spec forms:
// ports, ulimits, byte sizes, durations, CPUs, env files and variables, security options,
// sysctls, restart policies (mounts and tmpfs: mounts_test.cpp).
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "common/units.h"
#include "request/env.h"
#include "request/hosts.h"
#include "request/ports.h"
#include "request/resources.h"
#include "request/security.h"
#include "request/supervision.h"
#include "request/ulimits.h"

namespace berth::request {
namespace {

PortBinding port(std::string ip, uint16_t host, uint16_t end, uint16_t ctr, std::string proto) {
  PortBinding b;
  b.host_ip = std::move(ip);
  b.host_port = host;
  b.host_port_end = end;
  b.container_port = ctr;
  b.proto = std::move(proto);
  return b;
}

std::string reason(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(PortSpec, DockerAndComposeForms) {
  using V = std::vector<PortBinding>;
  EXPECT_EQ(parse_port_spec("80"), (V{port("", 0, 0, 80, "tcp")}));
  EXPECT_EQ(parse_port_spec("8080:80"), (V{port("", 8080, 0, 80, "tcp")}));
  EXPECT_EQ(parse_port_spec("127.0.0.1::53/udp"), (V{port("127.0.0.1", 0, 0, 53, "udp")}));
  EXPECT_EQ(parse_port_spec("127.0.0.1:5000:5000"), (V{port("127.0.0.1", 5000, 0, 5000, "tcp")}));
  EXPECT_EQ(parse_port_spec("[::1]:80:80"), (V{port("::1", 80, 0, 80, "tcp")}));
  EXPECT_EQ(parse_port_spec("::1:80:80"), (V{port("::1", 80, 0, 80, "tcp")}));
  EXPECT_EQ(parse_port_spec("8000-8001:80-81"),
            (V{port("", 8000, 0, 80, "tcp"), port("", 8001, 0, 81, "tcp")}));
  EXPECT_EQ(parse_port_spec("9090-9091:8080"), (V{port("", 9090, 9091, 8080, "tcp")}));
  EXPECT_EQ(parse_port_spec("0:80"), (V{port("", 0, 0, 80, "tcp")}));
  EXPECT_EQ(parse_port_spec("6060:6060/sctp"), (V{port("", 6060, 0, 6060, "sctp")}));
  EXPECT_EQ(parse_port_spec("3000-3002").size(), 3u);
}

TEST(PortSpec, ErrorsAreDockers) {
  EXPECT_EQ(reason([] { parse_port_spec("80:abc"); }), "invalid containerPort: abc");
  EXPECT_EQ(reason([] { parse_port_spec("x:80"); }), "invalid hostPort: x");
  EXPECT_EQ(reason([] { parse_port_spec("80/icmp"); }), "invalid proto: icmp");
  EXPECT_EQ(reason([] { parse_port_spec("300.0.0.1:80:80"); }), "invalid IP address: 300.0.0.1");
  EXPECT_EQ(reason([] { parse_port_spec("8000-8002:80-81"); }),
            "invalid ranges specified for container and host Ports: 80-81 and 8000-8002");
  EXPECT_EQ(reason([] { parse_port_spec("0"); }), "invalid containerPort: 0");
  EXPECT_EQ(reason([] { parse_port_spec("70000"); }), "invalid containerPort: 70000");
}

TEST(Ulimit, CliAndComposeForms) {
  EXPECT_EQ(parse_ulimit("nofile=1024:2048"), (Ulimit{"nofile", 1024, 2048}));
  EXPECT_EQ(parse_ulimit("nproc=512"), (Ulimit{"nproc", 512, 512}));
  EXPECT_EQ(parse_ulimit("core=-1"), (Ulimit{"core", -1, -1}));
  EXPECT_EQ(parse_ulimit("memlock=unlimited:unlimited"), (Ulimit{"memlock", -1, -1}));
  EXPECT_EQ(parse_ulimit("nofile=+10"), (Ulimit{"nofile", 10, 10}));
  EXPECT_EQ(reason([] { parse_ulimit("nofile=2048:1024"); }),
            "ulimit soft limit must be less than or equal to hard limit: 2048 > 1024");
  EXPECT_EQ(reason([] { parse_ulimit("bogus=1"); }), "invalid ulimit type: bogus");
  EXPECT_EQ(reason([] { parse_ulimit("nofile"); }), "expected NAME=SOFT[:HARD]");
  EXPECT_EQ(reason([] { parse_ulimit("nofile= 5"); }), "invalid limit \" 5\"");
  // compose's `ulimits: {nofile: {soft: 20000, hard: 10000}}` is checked the same way.
  EXPECT_THROW(validate_ulimit({"nofile", 20000, 10000}), std::invalid_argument);
  EXPECT_NO_THROW(validate_ulimit({"nofile", 10000, 20000}));
}

TEST(ByteSize, RamInBytesForms) {
  EXPECT_EQ(parse_bytes("512m"), 512LL << 20);  // -m 512m
  EXPECT_EQ(parse_bytes("1g"), 1LL << 30);
  EXPECT_EQ(parse_bytes("2GB"), 2LL << 30);  // mem_limit: 2GB
  EXPECT_EQ(parse_bytes("1GiB"), 1LL << 30);
  EXPECT_EQ(parse_bytes("1.5g"), 1536LL << 20);
  EXPECT_EQ(parse_bytes("100 k"), 100LL << 10);
  EXPECT_EQ(parse_bytes("4096"), 4096);
  EXPECT_EQ(reason([] { parse_bytes("12x"); }), "invalid size: '12x'");
  EXPECT_EQ(reason([] { parse_bytes("m"); }), "invalid size: 'm'");
}

TEST(Duration, GoForms) {
  EXPECT_EQ(parse_duration("1m30s"), 90'000'000'000);  // healthcheck interval
  EXPECT_EQ(parse_duration("1.5s"), 1'500'000'000);
  EXPECT_EQ(parse_duration("10ms"), 10'000'000);
  EXPECT_EQ(parse_duration("2h"), 7'200'000'000'000);
  EXPECT_EQ(parse_duration("0"), 0);
  EXPECT_THROW(parse_duration("10"), std::invalid_argument);  // Go wants a unit
  EXPECT_THROW(parse_duration("1d"), std::invalid_argument);
  EXPECT_EQ(format_duration(90'000'000'000), "1m30s");
}

TEST(Cpus, CliAndComposeForms) {
  EXPECT_EQ(parse_cpus("1.5"), 1'500'000'000);  // --cpus 1.5
  EXPECT_EQ(nano_cpus(0.25), 250'000'000);      // cpus: 0.25
  EXPECT_EQ(reason([] { parse_cpus("abc"); }), "failed to parse abc as a rational number");
  EXPECT_THROW(nano_cpus(-1), std::invalid_argument);
  EXPECT_NO_THROW(validate_cpuset("0-1,3"));
  EXPECT_THROW(validate_cpuset("0-"), std::invalid_argument);
  EXPECT_THROW(validate_cpuset("1,"), std::invalid_argument);
}

TEST(Env, VariablesAndFiles) {
  ::setenv("BERTH_TEST_HOSTVAR", "from-host", 1);
  ::unsetenv("BERTH_TEST_UNSET");
  EXPECT_EQ(parse_env_var("A=b=c", process_env), (EnvPair{"A", "b=c"}));
  EXPECT_EQ(parse_env_var("BERTH_TEST_HOSTVAR", process_env),
            (EnvPair{"BERTH_TEST_HOSTVAR", "from-host"}));
  EXPECT_EQ(parse_env_var("BERTH_TEST_UNSET", process_env), std::nullopt);  // dropped, as Docker
  EXPECT_THROW(parse_env_var("=x", process_env), std::invalid_argument);
  auto vars =
      parse_env_file("# c\nA=1\n\n  B=two words\r\nC=\nBERTH_TEST_HOSTVAR\n", "f.env", process_env);
  EXPECT_EQ(vars,
            (std::vector<EnvPair>{
                {"A", "1"}, {"B", "two words"}, {"C", ""}, {"BERTH_TEST_HOSTVAR", "from-host"}}));
  EXPECT_EQ(reason([] { parse_env_file("A=1\nBAD KEY=2\n", "f.env", process_env); }),
            "f.env:2: variable 'BAD KEY' contains whitespaces or is empty");
  EXPECT_EQ(parse_label("a=b=c"), (EnvPair{"a", "b=c"}));
  EXPECT_EQ(parse_label("flag"), (EnvPair{"flag", ""}));
  EXPECT_THROW(parse_label("=x"), std::invalid_argument);
}

TEST(SecurityOpt, DockerForms) {
  Security s;
  apply_security_opt("no-new-privileges", s);
  EXPECT_TRUE(s.no_new_privileges);
  apply_security_opt("no-new-privileges:false", s);
  EXPECT_FALSE(s.no_new_privileges);
  apply_security_opt("seccomp=unconfined", s);
  EXPECT_EQ(s.seccomp, "unconfined");
  apply_security_opt("seccomp=/etc/profile.json", s);
  EXPECT_EQ(s.seccomp, "/etc/profile.json");
  EXPECT_NO_THROW(apply_security_opt("apparmor=unconfined", s));
  EXPECT_NO_THROW(apply_security_opt("label=disable", s));
  EXPECT_EQ(reason([&s] { apply_security_opt("apparmor=docker-default", s); }),
            "invalid --security-opt: \"apparmor=docker-default\"");
  EXPECT_EQ(parse_sysctl("net/ipv4/ip_forward=1"),
            (std::pair<std::string, std::string>{"net.ipv4.ip_forward", "1"}));
  EXPECT_THROW(parse_sysctl("=1"), std::invalid_argument);
}

TEST(Hosts, ExtraHostsAndAddresses) {
  EXPECT_EQ(parse_extra_host("db:10.0.0.5"),
            (std::pair<std::string, std::string>{"db", "10.0.0.5"}));
  EXPECT_EQ(parse_extra_host("v6=::1").second, "::1");  // compose's canonical form
  EXPECT_EQ(parse_extra_host("v6:::1").second, "::1");  // --add-host v6:::1
  EXPECT_EQ(reason([] { parse_extra_host("db"); }), "bad format");
  EXPECT_EQ(reason([] { parse_extra_host(":10.0.0.1"); }), "bad format");
  EXPECT_EQ(reason([] { parse_extra_host("db:notanip"); }), "invalid IP address");
  EXPECT_TRUE(is_ip_address("9.9.9.9") && is_ip_address("fe80::1"));
  EXPECT_FALSE(is_ip_address("9.9.9") || is_ip_address("dns.example"));
}

TEST(RestartPolicy, DockerAndComposeForms) {
  EXPECT_EQ(parse_restart_policy("").name, "no");
  EXPECT_EQ(parse_restart_policy("unless-stopped").name, "unless-stopped");
  EXPECT_EQ(parse_restart_policy("on-failure:3"), (RestartPolicy{"on-failure", 3}));
  EXPECT_THROW(parse_restart_policy("always:3"), std::invalid_argument);
}

}  // namespace
}  // namespace berth::request
