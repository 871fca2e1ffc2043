// Docker's -v / --mount / --tmpfs grammar (volumes/mount_parse.h).
#include "volumes/mount_parse.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include "common/error.h"
#include "core/runtime/init_mounts.h"

namespace berth::volumes {
namespace {

using Type = MountRequest::Type;

TEST(MountParse, VolumeFlagForms) {
  auto r = parse_volume_flag("data:/srv//data/");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "data");
  EXPECT_EQ(r.target, "/srv/data");
  EXPECT_FALSE(r.readonly);
  EXPECT_EQ(r.mode, "z");
  r = parse_volume_flag("/host/dir:/x:ro");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_EQ(r.source, "/host/dir");
  EXPECT_TRUE(r.readonly);
  EXPECT_TRUE(r.from_v);
  r = parse_volume_flag("/anon");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "");
  r = parse_volume_flag("vv:/x:ro,nocopy");
  EXPECT_TRUE(r.nocopy);
  EXPECT_TRUE(r.readonly);
}

TEST(MountParse, VolumeFlagErrors) {
  EXPECT_THROW(parse_volume_flag("rel/path:/x"), Error);
  EXPECT_THROW(parse_volume_flag("v:relative"), Error);
  EXPECT_THROW(parse_volume_flag("v:/x:bogus"), Error);
  EXPECT_THROW(parse_volume_flag("/h:/"), Error);
  EXPECT_THROW(parse_volume_flag("a:/b:ro:extra"), Error);
  try {
    parse_volume_flag("v:/x:bogus");
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), 125);
  }
}

TEST(MountParse, MountFlag) {
  auto r = parse_mount_flag("type=bind,source=/h,target=/t,readonly,bind-propagation=rslave");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_TRUE(r.readonly);
  EXPECT_EQ(r.propagation, "rslave");
  EXPECT_FALSE(r.from_v);
  r = parse_mount_flag("type=volume,src=vv,dst=/d,volume-nocopy");
  EXPECT_EQ(r.source, "vv");
  EXPECT_TRUE(r.nocopy);
  r = parse_mount_flag("target=/anon");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "");
  r = parse_mount_flag("type=tmpfs,target=/t,tmpfs-size=1048576,tmpfs-mode=0700");
  EXPECT_EQ(r.type, Type::kTmpfs);
  EXPECT_EQ(r.tmpfs_data, "size=1048576,mode=0700");
  EXPECT_THROW(parse_mount_flag("type=bind,target=/t"), Error);
  EXPECT_THROW(parse_mount_flag("type=nfs,target=/t"), Error);
  EXPECT_THROW(parse_mount_flag("type=volume,source=v"), Error);
  EXPECT_THROW(parse_mount_flag("type=bind,source=/h,target=/t,bind-propagation=weird"), Error);
  EXPECT_THROW(parse_mount_flag("type=tmpfs,source=x,target=/t"), Error);
}

TEST(MountParse, TmpfsFlag) {
  auto r = parse_tmpfs_flag("/run");
  EXPECT_EQ(r.tmpfs_flags, static_cast<unsigned long>(MS_NOEXEC | MS_NOSUID | MS_NODEV));
  EXPECT_EQ(r.tmpfs_data, "mode=1777");
  r = parse_tmpfs_flag("/run:rw,exec,size=64m");
  EXPECT_EQ(r.tmpfs_flags, static_cast<unsigned long>(MS_NOSUID | MS_NODEV));
  EXPECT_EQ(r.tmpfs_data, "size=64m,mode=1777");
  r = parse_tmpfs_flag("/ro:ro");
  EXPECT_TRUE(r.readonly);
  EXPECT_THROW(parse_tmpfs_flag("/x:evil=1"), Error);
  EXPECT_THROW(parse_tmpfs_flag("x"), Error);
}

TEST(MountParse, NamesAndPaths) {
  EXPECT_TRUE(valid_volume_name("my-vol_1.x"));
  EXPECT_FALSE(valid_volume_name("a"));
  EXPECT_FALSE(valid_volume_name("-a"));
  EXPECT_FALSE(valid_volume_name("a/b"));
  EXPECT_FALSE(valid_volume_name(".."));
  EXPECT_EQ(clean_absolute("/a/./b/../c//", "x"), "/a/c");
  EXPECT_EQ(clean_absolute("/../..", "x"), "/");
  EXPECT_EQ(core::runtime::relative_target("//a/./b/"), "a/b");
  EXPECT_EQ(core::runtime::relative_target("/"), "");
}

}  // namespace
}  // namespace berth::volumes
