#include "core/runtime/user.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::core::runtime {
namespace {

const std::string kPasswd =
    "root:x:0:0:root:/root:/bin/sh\n"
    "# comment\n"
    "broken line\n"
    "www-data:x:33:33:www-data:/var/www:/bin/false\n"
    "alice:x:1000:1000::/home/alice:/bin/sh\n";
const std::string kGroup =
    "root:x:0:\n"
    "www-data:x:33:\n"
    "alice:x:1000:\n"
    "staff:x:50:alice,bob\n"
    "audio:x:29:alice\n";

TEST(Passwd, Parse) {
  auto users = parse_passwd(kPasswd);
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[1].name, "www-data");
  EXPECT_EQ(users[1].uid, 33u);
  EXPECT_EQ(users[1].home, "/var/www");
}

TEST(Group, Parse) {
  auto groups = parse_group(kGroup);
  ASSERT_EQ(groups.size(), 5u);
  EXPECT_EQ(groups[3].members, (std::vector<std::string>{"alice", "bob"}));
}

TEST(ResolveUser, DefaultIsRoot) {
  auto u = resolve_user("", kPasswd, kGroup);
  EXPECT_EQ(u.uid, 0u);
  EXPECT_EQ(u.gid, 0u);
  EXPECT_EQ(u.home, "/root");
}

TEST(ResolveUser, ByNameWithSupplementaryGroups) {
  auto u = resolve_user("alice", kPasswd, kGroup);
  EXPECT_EQ(u.uid, 1000u);
  EXPECT_EQ(u.gid, 1000u);
  EXPECT_EQ(u.groups, (std::vector<gid_t>{50, 29}));
  EXPECT_EQ(u.home, "/home/alice");
}

TEST(ResolveUser, UidNotInPasswd) {
  auto u = resolve_user("4242", kPasswd, kGroup);
  EXPECT_EQ(u.uid, 4242u);
  EXPECT_EQ(u.gid, 0u);
  EXPECT_EQ(u.home, "/");
}

TEST(ResolveUser, ExplicitGroupByNameAndNumber) {
  EXPECT_EQ(resolve_user("www-data:staff", kPasswd, kGroup).gid, 50u);
  EXPECT_EQ(resolve_user("33:777", kPasswd, kGroup).gid, 777u);
  EXPECT_EQ(resolve_user("4242:4243", std::nullopt, std::nullopt).gid, 4243u);
}

TEST(ResolveUser, UnknownNamesFail) {
  try {
    resolve_user("nobody2", kPasswd, kGroup);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unable to find user nobody2: no matching entries in passwd file");
    EXPECT_EQ(e.exit_code(), 125);
  }
  EXPECT_THROW(resolve_user("alice:nogroup", kPasswd, kGroup), Error);
  EXPECT_THROW(resolve_user("alice", std::nullopt, std::nullopt), Error);
}

}  // namespace
}  // namespace berth::core::runtime
