#include "engine/image/digest.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::image {
namespace {

TEST(Digest, Sha256OfKnownStrings) {
  EXPECT_EQ(sha256_digest(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 h;
  h.update("ab");
  h.update("c");
  EXPECT_EQ(h.digest(), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, Validation) {
  std::string hex(64, 'f');
  EXPECT_TRUE(is_sha256_digest("sha256:" + hex));
  EXPECT_FALSE(is_sha256_digest("sha256:" + hex.substr(1)));
  EXPECT_FALSE(is_sha256_digest("sha256:" + std::string(64, 'F')));
  EXPECT_FALSE(is_sha256_digest("sha512:" + hex));
  EXPECT_TRUE(is_hex("abc123"));
  EXPECT_FALSE(is_hex(""));
  EXPECT_FALSE(is_hex("xyz"));
  EXPECT_EQ(digest_hex("sha256:" + hex), hex);
}

std::string validation_error(const std::string& d) {
  try {
    validate_digest(d);
  } catch (const Error& e) {
    return e.what();
  }
  return "valid";
}

TEST(Digest, ValidateDigestUsesGoDigestMessages) {
  std::string hex(64, 'f');
  EXPECT_EQ(validation_error("sha256:" + hex), "valid");
  EXPECT_EQ(validation_error(""), "invalid checksum digest format");
  EXPECT_EQ(validation_error("sha256"), "invalid checksum digest format");
  EXPECT_EQ(validation_error("sha256:"), "invalid checksum digest format");
  EXPECT_EQ(validation_error(":" + hex), "invalid checksum digest format");
  EXPECT_EQ(validation_error("sha256:../../.."), "invalid checksum digest length");
  EXPECT_EQ(validation_error("sha256:abc"), "invalid checksum digest length");
  EXPECT_EQ(validation_error("sha256:" + std::string(64, 'F')), "invalid checksum digest format");
  EXPECT_EQ(validation_error("sha256:/" + hex.substr(1)), "invalid checksum digest format");
  EXPECT_EQ(validation_error("sha512:" + std::string(128, 'a')), "unsupported digest algorithm");
  EXPECT_EQ(validation_error("md5:" + std::string(32, 'a')), "unsupported digest algorithm");
  EXPECT_EQ(validation_error("../x:" + hex), "invalid checksum digest format");
  EXPECT_EQ(validation_error(std::string("sha256:") + '\0' + hex.substr(1)),
            "invalid checksum digest format");
}

TEST(Digest, ChainIdsFollowTheOciSpec) {
  std::string a = "sha256:" + std::string(64, 'a');
  std::string b = "sha256:" + std::string(64, 'b');
  std::string c = "sha256:" + std::string(64, 'c');
  auto ids = chain_ids({a, b, c});
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], a);
  EXPECT_EQ(ids[1], sha256_digest(a + " " + b));
  EXPECT_EQ(ids[2], sha256_digest(ids[1] + " " + c));
  EXPECT_TRUE(chain_ids({}).empty());
}

}  // namespace
}  // namespace berth::engine::image
