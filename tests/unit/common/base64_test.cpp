#include "common/base64.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

// RFC 4648 §10's test vectors.
TEST(Base64, EncodesTheRfcVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesTheRfcVectors) {
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_EQ(base64_encode(all).size(), 344u);
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(Base64, AcceptsMissingPadding) {
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
}

TEST(Base64, RejectsWhatIsNotBase64) {
  EXPECT_EQ(base64_decode("Zm9v!"), std::nullopt);     // outside the alphabet
  EXPECT_EQ(base64_decode("Z"), std::nullopt);         // no encoding is 1 mod 4 long
  EXPECT_EQ(base64_decode("Zg==Zg=="), std::nullopt);  // padding in the middle
  EXPECT_EQ(base64_decode("Zg="), std::nullopt);       // half a padding
  EXPECT_EQ(base64_decode("Zm9v\n"), std::nullopt);
}

}  // namespace
}  // namespace berth
