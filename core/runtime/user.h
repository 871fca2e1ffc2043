// `-u USER[:GROUP]` → uid, gid, supplementary groups and home, resolved like runc's
// GetExecUser from the IMAGE's /etc/passwd and /etc/group (never the host's NSS). The files
// are read through in-root path resolution (rootfs_reader.h), so a symlinked /etc/passwd in an
// image cannot make berth read a host file.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::core::runtime {

struct PasswdEntry {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

struct GroupEntry {
  std::string name;
  gid_t gid = 0;
  std::vector<std::string> members;
};

// Parse passwd(5)/group(5) text; malformed lines are skipped (as libc does).
std::vector<PasswdEntry> parse_passwd(std::string_view text);
std::vector<GroupEntry> parse_group(std::string_view text);

struct ExecUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary, from /etc/group membership
  std::string home = "/";
};

// Resolves spec ("" = root; "name", "uid", "name:group", "uid:gid", ...). passwd/group are the
// image's files, nullopt when missing. Throws Error (exit 125) with runc's messages:
// "unable to find user NAME: no matching entries in passwd file".
ExecUser resolve_user(const std::string& spec, const std::optional<std::string>& passwd,
                      const std::optional<std::string>& group);

}  // namespace berth::core::runtime
