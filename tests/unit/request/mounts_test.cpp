// The mount syntaxes: -v and compose short volumes, --mount, --tmpfs (request/mounts.h).
#include "request/mounts.h"

#include <gtest/gtest.h>
#include <sys/mount.h>

#include <stdexcept>

#include "core/runtime/init_mounts.h"

namespace berth::request {
namespace {

using Type = MountRequest::Type;

TEST(MountParse, VolumeFlagForms) {
  auto r = parse_volume_spec("data:/srv//data/");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "data");
  EXPECT_EQ(r.target, "/srv/data");
  EXPECT_FALSE(r.readonly);
  EXPECT_EQ(r.mode, "z");
  r = parse_volume_spec("/host/dir:/x:ro");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_EQ(r.source, "/host/dir");
  EXPECT_TRUE(r.readonly);
  EXPECT_TRUE(r.from_v);
  r = parse_volume_spec("/anon");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "");
  r = parse_volume_spec("vv:/x:ro,nocopy");
  EXPECT_TRUE(r.nocopy);
  EXPECT_TRUE(r.readonly);
}

TEST(MountParse, VolumeFlagErrors) {
  EXPECT_THROW(parse_volume_spec("rel/path:/x"), std::invalid_argument);
  EXPECT_THROW(parse_volume_spec("v:relative"), std::invalid_argument);
  EXPECT_THROW(parse_volume_spec("vv:/x:bogus"), std::invalid_argument);
  EXPECT_THROW(parse_volume_spec("/h:/"), std::invalid_argument);
  EXPECT_THROW(parse_volume_spec("a:/b:ro:extra"), std::invalid_argument);
  try {
    parse_volume_spec("vv:/x:bogus");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "invalid mode: bogus (in vv:/x:bogus)");
  }
}

// compose's short syntax: relative and home sources are binds, kept as written for the front
// end to resolve; SELinux and consistency modes are accepted and kept.
TEST(MountParse, ComposeShortForms) {
  auto r = parse_volume_spec("./src:/app:ro,z");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_EQ(r.source, "./src");
  EXPECT_TRUE(r.readonly);
  EXPECT_EQ(r.selinux, "z");
  r = parse_volume_spec("~/cache:/root/.cache:cached");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_EQ(r.source, "~/cache");
  EXPECT_EQ(r.consistency, "cached");
  r = parse_volume_spec("../up:/up:rshared");
  EXPECT_EQ(r.propagation, "rshared");
  EXPECT_THROW(parse_volume_spec("./src:/app:nocopy"), std::invalid_argument);  // volumes only
  EXPECT_TRUE(is_host_path("./a") && is_host_path("/a") && is_host_path("~/a"));
  EXPECT_FALSE(is_host_path("data"));
}

TEST(MountParse, VolumesFrom) {
  EXPECT_EQ(parse_volumes_from("db"), (VolumesFrom{"db", std::nullopt}));
  EXPECT_EQ(parse_volumes_from("db:ro"), (VolumesFrom{"db", true}));
  EXPECT_EQ(parse_volumes_from("db:rw"), (VolumesFrom{"db", false}));
  EXPECT_THROW(parse_volumes_from("db:rx"), std::invalid_argument);
  EXPECT_THROW(parse_volumes_from(":ro"), std::invalid_argument);
}

TEST(MountParse, MountFlag) {
  auto r = parse_mount_spec("type=bind,source=/h,target=/t,readonly,bind-propagation=rslave");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_TRUE(r.readonly);
  EXPECT_EQ(r.propagation, "rslave");
  EXPECT_FALSE(r.from_v);
  r = parse_mount_spec("type=volume,src=vv,dst=/d,volume-nocopy");
  EXPECT_EQ(r.source, "vv");
  EXPECT_TRUE(r.nocopy);
  r = parse_mount_spec("target=/anon");
  EXPECT_EQ(r.type, Type::kVolume);
  EXPECT_EQ(r.source, "");
  r = parse_mount_spec("type=tmpfs,target=/t,tmpfs-size=1048576,tmpfs-mode=0700");
  EXPECT_EQ(r.type, Type::kTmpfs);
  EXPECT_EQ(r.tmpfs_data, "size=1048576,mode=0700");
  EXPECT_THROW(parse_mount_spec("type=bind,target=/t"), std::invalid_argument);
  EXPECT_THROW(parse_mount_spec("type=nfs,target=/t"), std::invalid_argument);
  EXPECT_THROW(parse_mount_spec("type=volume,source=v"), std::invalid_argument);
  EXPECT_THROW(parse_mount_spec("type=bind,source=/h,target=/t,bind-propagation=weird"),
               std::invalid_argument);
  EXPECT_THROW(parse_mount_spec("type=tmpfs,source=x,target=/t"), std::invalid_argument);
}

// Docker's CLI reads --mount as one CSV record (Go's encoding/csv): a quoted field may hold
// commas; quoting a plain field changes nothing.
TEST(MountParse, MountFlagIsCsv) {
  auto r = parse_mount_spec(R"(type=bind,"source=/a,b",target=/x)");
  EXPECT_EQ(r.type, Type::kBind);
  EXPECT_EQ(r.source, "/a,b");
  EXPECT_EQ(r.target, "/x");
  EXPECT_EQ(parse_mount_spec(R"("type=bind",source=/h,"target=/t","readonly")"),
            parse_mount_spec("type=bind,source=/h,target=/t,readonly"));
  MountRequest plain{.type = Type::kBind, .source = "/h", .target = "/t", .readonly = true};
  EXPECT_EQ(parse_mount_spec("type=bind,source=/h,target=/t,readonly"), plain);
  EXPECT_EQ(parse_mount_spec(R"(type=bind,"source=/h""q",target=/t)").source, "/h\"q");
  try {
    parse_mount_spec(R"(type=bind,source=/a"b,target=/x)");
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 R"(invalid argument "type=bind,source=/a"b,target=/x" for "--mount" flag: )"
                 R"(parse error on line 1, column 20: bare " in non-quoted-field)");
  }
}

TEST(MountParse, TmpfsFlag) {
  auto r = parse_tmpfs_spec("/run");
  EXPECT_EQ(r.tmpfs_flags, static_cast<unsigned long>(MS_NOEXEC | MS_NOSUID | MS_NODEV));
  EXPECT_EQ(r.tmpfs_data, "mode=1777");
  r = parse_tmpfs_spec("/run:rw,exec,size=64m");
  EXPECT_EQ(r.tmpfs_flags, static_cast<unsigned long>(MS_NOSUID | MS_NODEV));
  EXPECT_EQ(r.tmpfs_data, "size=64m,mode=1777");
  r = parse_tmpfs_spec("/ro:ro");
  EXPECT_TRUE(r.readonly);
  EXPECT_THROW(parse_tmpfs_spec("/x:evil=1"), std::invalid_argument);
  EXPECT_THROW(parse_tmpfs_spec("x"), std::invalid_argument);
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
}  // namespace berth::request
