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

std::string error_of(const std::string& ref) {
  try {
    parse_reference(ref);
  } catch (const Error& e) {
    return e.what();
  }
  return "accepted";
}

TEST(Reference, UppercaseMessage) {
  EXPECT_EQ(error_of("Busybox"),
            "invalid reference format: repository name (library/Busybox) must be lowercase");
  EXPECT_EQ(error_of("Bad:Name"),
            "invalid reference format: repository name (library/Bad) must be lowercase");
  EXPECT_EQ(error_of("foo/Bar"),
            "invalid reference format: repository name (foo/Bar) must be lowercase");
  EXPECT_EQ(error_of("quay.io/Bar:v"),
            "invalid reference format: repository name (Bar) must be lowercase");
  // An uppercase first component is a domain, and a domain may not have "_".
  EXPECT_EQ(error_of("Foo_Bar/x"), "repository name must be lowercase");
}

TEST(Reference, DotDotAndDotAreNeverNamesOrDomains) {
  for (const char* bad : {"../y", "a/../b", "./y", "..", ".", "a/./b", "../../../etc/x:1", "x/..",
                          "..:5000/x", ".a/b", "a./b/c", "a..b/c", "-a.b/c", "a-.b/c"})
    EXPECT_EQ(error_of(bad), "invalid reference format") << bad;
}

TEST(Reference, DomainGrammar) {
  EXPECT_EQ(parse_reference("Foo/bar").name, "Foo/bar");
  EXPECT_EQ(parse_reference("my-registry.example.com:5000/a/b:1").str(),
            "my-registry.example.com:5000/a/b:1");
  EXPECT_EQ(parse_reference("[::1]:5000/app:v").str(), "[::1]:5000/app:v");
  EXPECT_EQ(parse_reference("127.0.0.1/x").name, "127.0.0.1/x");
  EXPECT_EQ(parse_reference("localhost/x").name, "localhost/x");
  // "localhost:5000" alone is the name "localhost" with tag "5000".
  EXPECT_EQ(parse_reference("localhost:5000").str(), "localhost:5000");
  EXPECT_EQ(parse_reference("localhost:5000").tag, "5000");
  // Not a valid domain but a valid path component: a name without a domain, as Docker reads it.
  EXPECT_EQ(parse_reference("foo_bar.com/x").name, "foo_bar.com/x");
  EXPECT_EQ(error_of("host:port/x"), "invalid reference format");
  EXPECT_EQ(error_of("[zz]:1/x"), "invalid reference format");
  EXPECT_EQ(error_of("a b/c"), "invalid reference format");
}

TEST(Reference, NameLength) {
  // Docker counts the path without the domain, "library/" included.
  EXPECT_NO_THROW(parse_reference(std::string(247, 'a')));
  EXPECT_EQ(error_of(std::string(248, 'a')),
            "repository name must not be more than 255 characters");
  EXPECT_EQ(error_of(std::string(256, 'a')),
            "repository name must not be more than 255 characters");
  EXPECT_NO_THROW(parse_reference("quay.io/" + std::string(255, 'a')));
  EXPECT_EQ(error_of("quay.io/" + std::string(256, 'a')),
            "repository name must not be more than 255 characters");
}

TEST(Reference, TagGrammar) {
  EXPECT_EQ(parse_reference("a:" + std::string(128, 'T')).tag, std::string(128, 'T'));
  EXPECT_EQ(error_of("a:" + std::string(129, 't')), "invalid reference format");
  EXPECT_EQ(error_of("a:.x"), "invalid reference format");
  EXPECT_EQ(error_of("a:x/y"), "invalid reference format");
}

TEST(Reference, HexNameAndDigestMessages) {
  std::string hex(64, 'a');
  EXPECT_EQ(error_of(hex),
            "invalid repository name (" + hex + "), cannot specify 64-byte hexadecimal strings");
  EXPECT_EQ(error_of("a@sha256:" + std::string(40, 'a')), "invalid checksum digest length");
  EXPECT_EQ(error_of("a@sha256:" + std::string(64, 'A')), "invalid checksum digest format");
  EXPECT_EQ(error_of("a@md5:" + std::string(32, 'a')), "unsupported digest algorithm");
  EXPECT_EQ(error_of("a@sha256:../../x"), "invalid reference format");
  EXPECT_EQ(parse_reference("a:1@sha256:" + hex).digest, "sha256:" + hex);
}

TEST(Reference, SeparatorsInComponents) {
  EXPECT_NO_THROW(parse_reference("a_b-c__d/f---g.h:T.1_x"));
  EXPECT_THROW(parse_reference("a_.b"), Error);
}

}  // namespace
}  // namespace berth::engine::image
