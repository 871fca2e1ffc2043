// .dockerignore as Docker and BuildKit read and apply it (moby/patternmatcher and its
// ignorefile reader): comments, `!` exceptions, `**`, the last matching pattern wins, a path
// is excluded when it or a parent matches; which directories the context walker must still
// enter; and which ignore file applies (`<Dockerfile>.dockerignore` before `.dockerignore`).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/glob.h"

namespace berth::dockerfile {

// The patterns of a .dockerignore: lines starting with '#' dropped, spaces trimmed, empty
// lines dropped, each cleaned (Go's filepath.Clean) and a leading '/' removed ("!" kept).
std::vector<std::string> read_dockerignore(std::string_view text);

// Go's path.Clean for slash paths: "a//b/./c/.." → "a/b", "" → ".".
std::string clean_path(std::string_view p);

class PatternMatcher {
 public:
  // Throws berth::Error("illegal exclusion pattern: \"!\"") or ("syntax error in pattern: P").
  explicit PatternMatcher(const std::vector<std::string>& patterns);

  // Whether path (relative to the context, slash-separated) is excluded: it or one of its
  // parent directories matches a pattern, and no later exception matches (BuildKit's
  // MatchesOrParentMatches). "." is never excluded.
  bool matches(std::string_view path) const;

  // Whether an excluded directory must still be walked because an exception pattern could
  // match something below it (otherwise the walker skips it whole).
  bool must_descend(std::string_view dir) const;

  bool has_exclusions() const { return exclusions_; }

 private:
  enum class Kind { kExact, kPrefix, kSuffix, kGlob };
  struct Pattern {
    std::string cleaned;
    std::vector<std::string> dirs;
    bool exclusion = false;
    Kind kind = Kind::kExact;
    detail::Glob glob;
  };
  static bool match_one(const Pattern& p, std::string_view path);
  std::vector<Pattern> patterns_;
  bool exclusions_ = false;
};

// The ignore file a build reads, or "" for none: `<dockerfile>.dockerignore` next to the
// Dockerfile when it exists, else `<context>/.dockerignore` when it exists. exists is the
// file test (a parameter, so the choice is tested without a file system).
std::filesystem::path choose_ignore_file(
    const std::filesystem::path& dockerfile, const std::filesystem::path& context,
    const std::function<bool(const std::filesystem::path&)>& exists);

}  // namespace berth::dockerfile
