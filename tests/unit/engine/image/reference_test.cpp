#include "engine/image/reference.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace berth::engine::image {
namespace {

TEST(Reference, DefaultsTagToLatest) {
  auto r = parse_reference("busybox");
  EXPECT_EQ(r.name, "busybox");
  EXPECT_EQ(r.tag, "latest");
  EXPECT_EQ(r.str(), "busybox:latest");
}

TEST(Reference, DropsDockerHubPrefixes) {
  EXPECT_EQ(parse_reference("docker.io/library/busybox:1.36").str(), "busybox:1.36");
  EXPECT_EQ(parse_reference("index.docker.io/library/busybox").str(), "busybox:latest");
  EXPECT_EQ(parse_reference("library/busybox").str(), "busybox:latest");
  EXPECT_EQ(parse_reference("docker.io/foo/bar").str(), "foo/bar:latest");
}

TEST(Reference, KeepsOtherRegistriesAndPorts) {
  auto r = parse_reference("localhost:5000/app");
  EXPECT_EQ(r.name, "localhost:5000/app");
  EXPECT_EQ(r.tag, "latest");
  EXPECT_EQ(parse_reference("quay.io/a/b:v1").str(), "quay.io/a/b:v1");
}

TEST(Reference, FullName) {
  EXPECT_EQ(parse_reference("busybox").full_name(), "docker.io/library/busybox");
  EXPECT_EQ(parse_reference("foo/bar").full_name(), "docker.io/foo/bar");
  EXPECT_EQ(parse_reference("quay.io/a/b").full_name(), "quay.io/a/b");
}

TEST(Reference, Digest) {
  std::string d = "sha256:" + std::string(64, 'a');
  auto r = parse_reference("busybox@" + d);
  EXPECT_EQ(r.tag, "");
  EXPECT_EQ(r.digest, d);
  EXPECT_EQ(r.str(), "busybox@" + d);
  EXPECT_THROW(parse_reference("busybox@sha256:abc"), Error);
}

TEST(Reference, RejectsInvalid) {
  EXPECT_THROW(parse_reference(""), Error);
  EXPECT_THROW(parse_reference("BusyBox"), Error);
  EXPECT_THROW(parse_reference("busybox:"), Error);
  EXPECT_THROW(parse_reference("busy box"), Error);
  EXPECT_THROW(parse_reference("a//b"), Error);
  EXPECT_THROW(parse_reference("-a"), Error);
  EXPECT_THROW(parse_reference("a:-tag"), Error);
  EXPECT_FALSE(try_parse_reference("UPPER").has_value());
}

TEST(Reference, UppercaseMessage) {
  try {
    parse_reference("Busybox");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "invalid reference format: repository name must be lowercase");
  }
}

TEST(Reference, SeparatorsInComponents) {
  EXPECT_NO_THROW(parse_reference("a_b-c__d/f---g.h:T.1_x"));
  EXPECT_THROW(parse_reference("a_.b"), Error);
}

}  // namespace
}  // namespace berth::engine::image
