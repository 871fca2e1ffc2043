// .dockerignore reading and matching as moby/patternmatcher, the walker's descent rule, and
// the choice of ignore file (dockerfile/dockerignore.h).
#include "dockerfile/dockerignore.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"

namespace berth::dockerfile {
namespace {

bool excluded(std::vector<std::string> patterns, std::string_view path) {
  return PatternMatcher(patterns).matches(path);
}

TEST(Dockerignore, ReadCleansAndDropsComments) {
  EXPECT_EQ(read_dockerignore("\xEF\xBB\xBF# comment\n  /foo/../bar  \n./baz/\n!/keep\n\n"
                              "  # not a comment\n!  spaced\r\n"),
            (std::vector<std::string>{"bar", "baz", "!keep", "# not a comment", "!spaced"}));
  EXPECT_EQ(read_dockerignore("/\n"), (std::vector<std::string>{"/"}));
}

TEST(Dockerignore, Wildcards) {
  EXPECT_TRUE(excluded({"*.go"}, "file.go"));
  EXPECT_FALSE(excluded({"*.go"}, "a/file.go"));
  EXPECT_TRUE(excluded({"**/*.go"}, "a/b/c.go"));
  EXPECT_TRUE(excluded({"**/*.go"}, "c.go"));
  EXPECT_TRUE(excluded({"docs/**"}, "docs/a/b"));
  EXPECT_TRUE(excluded({"**/foo"}, "foo"));
  EXPECT_TRUE(excluded({"**/foo"}, "a/b/foo"));
  EXPECT_TRUE(excluded({"dir/**/file"}, "dir/file"));
  EXPECT_TRUE(excluded({"dir/**/file"}, "dir/a/b/file"));
  EXPECT_TRUE(excluded({"a?c"}, "abc"));
  EXPECT_FALSE(excluded({"a?c"}, "a/c"));
  EXPECT_TRUE(excluded({"[a-c]x"}, "bx"));
  EXPECT_FALSE(excluded({"[a-c]x"}, "dx"));
  EXPECT_TRUE(excluded({"a\\*b"}, "a*b"));
  EXPECT_FALSE(excluded({"a\\*b"}, "axb"));
  EXPECT_TRUE(excluded({"**"}, "anything/at/all"));
  EXPECT_TRUE(excluded({"a.b"}, "a.b"));
  EXPECT_FALSE(excluded({"a.b"}, "axb"));
}

TEST(Dockerignore, ParentDirectoriesMatch) {
  EXPECT_TRUE(excluded({"node_modules"}, "node_modules/x/y.js"));
  EXPECT_TRUE(excluded({"*"}, "a/b"));
  EXPECT_TRUE(excluded(read_dockerignore("/build/\n"), "build/out.o"));
  EXPECT_FALSE(excluded({"build"}, "src/build"));
  EXPECT_FALSE(excluded({"*"}, "."));
}

TEST(Dockerignore, ExceptionsAndLastMatchWins) {
  std::vector<std::string> p = {"docs", "!docs/README.md"};
  EXPECT_TRUE(excluded(p, "docs/x.md"));
  EXPECT_FALSE(excluded(p, "docs/README.md"));
  EXPECT_TRUE(excluded({"!a", "a"}, "a"));
  EXPECT_FALSE(excluded({"a", "!a"}, "a"));
  EXPECT_TRUE(excluded({"*.md", "!README.md", "README.md"}, "README.md"));
  EXPECT_FALSE(excluded({"*", "!src", "src/*.tmp", "!src/keep.tmp"}, "src/keep.tmp"));
  EXPECT_TRUE(excluded({"*", "!src", "src/*.tmp", "!src/keep.tmp"}, "src/drop.tmp"));
  EXPECT_FALSE(excluded({"*", "!src"}, "src/main.c"));
}

TEST(Dockerignore, WalkerDescendsOnlyWhereAnExceptionCouldMatch) {
  PatternMatcher m({"*", "!src/app/*.c", "!**/keep.txt", "!lib*/inc"});
  EXPECT_TRUE(m.must_descend("src"));
  EXPECT_TRUE(m.must_descend("src/app"));
  EXPECT_TRUE(m.must_descend("anything"));  // **/keep.txt could be below any directory
  PatternMatcher n({"*", "!src/app/*.c", "!lib*/inc"});
  EXPECT_TRUE(n.must_descend("src"));
  EXPECT_TRUE(n.must_descend("libfoo"));
  EXPECT_FALSE(n.must_descend("docs"));
  EXPECT_FALSE(n.must_descend("src/other"));
  EXPECT_FALSE(PatternMatcher({"docs"}).must_descend("docs"));
}

TEST(Dockerignore, BadPatterns) {
  EXPECT_THROW(PatternMatcher({"!"}), Error);
  EXPECT_THROW(PatternMatcher({"[a-"}), Error);
  EXPECT_THROW(PatternMatcher({"a\\"}), Error);
  try {
    PatternMatcher({"!"});
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "illegal exclusion pattern: \"!\"");
  }
}

TEST(Dockerignore, DockerfileSpecificIgnoreFileWins) {
  std::set<std::string> files;
  auto exists = [&](const std::filesystem::path& p) { return files.count(p.string()) > 0; };
  EXPECT_EQ(choose_ignore_file("/ctx/Dockerfile", "/ctx", exists), "");
  files.insert("/ctx/.dockerignore");
  EXPECT_EQ(choose_ignore_file("/ctx/Dockerfile", "/ctx", exists), "/ctx/.dockerignore");
  files.insert("/ctx/sub/dev.Dockerfile.dockerignore");
  EXPECT_EQ(choose_ignore_file("/ctx/sub/dev.Dockerfile", "/ctx", exists),
            "/ctx/sub/dev.Dockerfile.dockerignore");
  EXPECT_EQ(choose_ignore_file("/ctx/Dockerfile", "/ctx", exists), "/ctx/.dockerignore");
}

TEST(Dockerignore, ManyStarsOnALongPathStayLinear) {
  std::string path(3000, 'a');
  for (size_t i = 100; i < path.size(); i += 100) path[i] = '/';
  EXPECT_FALSE(excluded({"**/*a*a*a*a*a*a*a*a*b"}, path));
  EXPECT_TRUE(excluded({"**/a*a*a"}, path));
}

TEST(Dockerignore, CleanPath) {
  EXPECT_EQ(clean_path("a//b/./c/.."), "a/b");
  EXPECT_EQ(clean_path(""), ".");
  EXPECT_EQ(clean_path("/../x"), "/x");
  EXPECT_EQ(clean_path("../x/"), "../x");
  EXPECT_EQ(clean_path("./"), ".");
}

}  // namespace
}  // namespace berth::dockerfile
