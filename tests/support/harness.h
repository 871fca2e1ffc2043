// Test harness for integration and security tests: a private state root per test,
// running the real `berth` binary, and the busybox test image.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace berth::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv (argv[0] is a path) with optional stdin; captures stdout/stderr. Never throws
// for a non-zero exit. timeout_s bounds it (the child is killed; exit_code = -1).
RunResult run_command(const std::vector<std::string>& argv, const std::string& input = "",
                      int timeout_s = 60);
// Like run_command, with "NAME=VALUE" entries added to the inherited environment (replacing a
// variable of the same name).
RunResult run_command_env(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          const std::string& input = "", int timeout_s = 60);

// A fresh --root/--runroot pair in a temp dir. The destructor force-removes every container
// berth knows there, unmounts anything left below the dirs and deletes them, so a failing
// test still cleans up. berth runs with its configuration inside the dir: BERTH_CONFIG,
// XDG_CONFIG_HOME and DOCKER_CONFIG point below dir()/config, so no test reads or writes the
// user's ~/.config/berth or ~/.docker (credentials, certs.d, registries.json).
class TempState {
 public:
  TempState();
  ~TempState();
  TempState(const TempState&) = delete;
  TempState& operator=(const TempState&) = delete;

  const std::filesystem::path& root() const { return root_; }
  const std::filesystem::path& runroot() const { return runroot_; }
  const std::filesystem::path& dir() const { return dir_; }
  // $BERTH_CONFIG and $DOCKER_CONFIG of the berth this runs (not made until written to).
  std::filesystem::path berth_config() const { return dir_ / "config" / "berth"; }
  std::filesystem::path docker_config() const { return dir_ / "config" / "docker"; }
  // Sets an environment variable for every later berth() call ("" is kept as an empty value).
  void set_env(const std::string& name, const std::string& value);

  // Runs `berth --root R --runroot RR args...`.
  RunResult berth(const std::vector<std::string>& args, const std::string& input = "",
                  int timeout_s = 60) const;
  // Imports the busybox rootfs as image "busybox" (ASSERTs on failure).
  void import_busybox() const;
  // Imports a Debian base rootfs (scripts/make-debian-base.sh, cached outside the clone) with
  // the given extra packages, as image `ref` (when empty: "debian:SUITE-KEY", KEY the cache
  // key). Returns the reference, or "" after GTEST_SKIP (no mmdebstrap, not root, the mirror
  // unreachable) or a test failure: the caller returns at once when it gets "".
  std::string import_debian_base(const std::vector<std::string>& packages = {},
                                 const std::string& ref = "") const;

 private:
  std::filesystem::path dir_, root_, runroot_;
  std::vector<std::string> env_;  // "NAME=VALUE"
};

// Path of the busybox rootfs tarball made at build time (scripts/make-busybox-rootfs.sh).
const std::filesystem::path& busybox_tar();

// scripts/make-debian-base.sh in the source tree.
std::filesystem::path debian_base_script();

// A new directory (0700) named PREFIX + 6 random characters under TMPDIR (/tmp when unset),
// so the suite runs wherever the temp dir is: ext4, or tmpfs as on Debian 13 and Fedora.
// Throws std::system_error when it cannot be made.
std::filesystem::path make_temp_dir(const std::string& prefix);

// Sends "ping" over UDP to ip:port from the network namespace /run/netns/NETNS (the
// caller's when empty, in a forked child otherwise); true when "ping" comes back within 1 s.
// The published-port tests' echo server is tests/support/udp_echo.c.
bool udp_echoes(const std::string& ip, int port, const std::string& netns = "");

// The whole content of the file at p ("" when it cannot be read).
std::string read_all(const std::filesystem::path& p);

// True when running as root; tests that need root GTEST_SKIP() otherwise.
bool is_root();

// A unique name with the given prefix, for resources visible host-wide (bridges, cgroups).
std::string unique_name(const std::string& prefix);

}  // namespace berth::test
