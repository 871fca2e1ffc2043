// What the registry integration tests share: an image's ID and manifest digest as berth keeps
// them, the digest and size lines of push and pull output, and the checks that an output is
// Docker's.
#pragma once

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "tests/support/harness.h"
#include "tests/support/local_registry.h"

namespace berth::test {

// Pushes and pulls move whole images: more than the default minute on a loaded CI machine.
constexpr int kTransferTimeout = 180;

inline std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// The image ID ("sha256:...") berth has for ref, "" when none.
inline std::string image_id(const TempState& st, const std::string& ref) {
  auto r = st.berth({"image", "inspect", "--format", "{{.Id}}", ref});
  return r.exit_code == 0 ? trimmed(r.out) : "";
}

inline std::string image_field(const TempState& st, const std::string& ref,
                               const std::string& format) {
  auto r = st.berth({"image", "inspect", "--format", format, ref});
  return r.exit_code == 0 ? trimmed(r.out) : "";
}

// The manifest digest the store's index.json records for the tag ("NAME:TAG" as berth
// names it), "" when none.
inline std::string stored_manifest_digest(const TempState& st, const std::string& tag) {
  auto text = read_all(st.root() / "images" / "index.json");
  auto index = nlohmann::json::parse(text, nullptr, false);
  if (index.is_discarded()) return "";
  for (const auto& m : index.value("manifests", nlohmann::json::array()))
    if (m.contains("annotations") &&
        m["annotations"].value("org.opencontainers.image.ref.name", "") == tag)
      return m.value("digest", "");
  return "";
}

// "TAG: digest: sha256:... size: N" of push output: the digest ("" when absent).
inline std::string push_digest(const std::string& out, const std::string& tag) {
  std::smatch m;
  std::regex re("(^|\n)" + tag + ": digest: (sha256:[0-9a-f]{64}) size: [0-9]+");
  return std::regex_search(out, m, re) ? m[2].str() : "";
}

// "Digest: sha256:..." of pull output ("" when absent).
inline std::string pull_digest(const std::string& out) {
  std::smatch m;
  std::regex re("(^|\n)Digest: (sha256:[0-9a-f]{64})(\n|$)");
  return std::regex_search(out, m, re) ? m[2].str() : "";
}

inline std::string last_line(const std::string& out) {
  std::string s = trimmed(out);
  auto nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

inline int lines_matching(const std::string& out, const std::string& pattern) {
  std::regex re(pattern);
  std::istringstream in(out);
  int n = 0;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, re)) ++n;
  return n;
}

// An error Docker's way: one line on stderr (the harness's own notes aside).
inline bool one_line(const std::string& err) {
  std::string s = trimmed(err);
  return !s.empty() && s.find('\n') == std::string::npos;
}

inline std::string skopeo_path() {
  for (const char* p : {"/usr/bin/skopeo", "/usr/local/bin/skopeo"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

inline int file_mode(const std::filesystem::path& p) {
  struct stat s {};
  if (::stat(p.c_str(), &s) != 0) return -1;
  return static_cast<int>(s.st_mode & 07777);
}

}  // namespace berth::test
