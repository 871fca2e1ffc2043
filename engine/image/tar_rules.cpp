#include "engine/image/tar_rules.h"

#include "common/error.h"
#include "common/strings.h"

namespace berth::engine::image {

namespace {
constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kWhiteoutMeta = ".wh..wh.";
constexpr std::string_view kOpaque = ".wh..wh..opq";

}  // namespace

std::vector<std::string> entry_components(std::string_view name) {
  if (name.empty()) throw Error("empty name");
  if (name.find('\0') != std::string_view::npos) throw Error("NUL in name");
  std::vector<std::string> out;
  for (auto& part : split(name, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") throw Error("path contains \"..\"");
    out.push_back(std::move(part));
  }
  return out;
}

WhiteoutKind classify_whiteout(std::string_view base, std::string* target) {
  if (base.substr(0, kWhiteoutPrefix.size()) != kWhiteoutPrefix) return WhiteoutKind::kNone;
  if (base == kOpaque) return WhiteoutKind::kOpaque;
  if (base.substr(0, kWhiteoutMeta.size()) == kWhiteoutMeta) return WhiteoutKind::kMeta;
  std::string_view name = base.substr(kWhiteoutPrefix.size());
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos)
    throw Error("whiteout `" + std::string(base) + "` names no file");
  if (target) *target = std::string(name);
  return WhiteoutKind::kFile;
}

bool symlink_escapes(const std::vector<std::string>& entry, std::string_view link) {
  if (link.empty() || link.front() == '/') return false;
  std::vector<std::string> dir(entry.begin(), entry.empty() ? entry.end() : entry.end() - 1);
  return !resolve_lexically(dir, link).has_value();
}

std::optional<std::vector<std::string>> resolve_lexically(const std::vector<std::string>& dir,
                                                          std::string_view target) {
  std::vector<std::string> out;
  if (target.empty() || target.front() != '/') out = dir;
  for (auto& part : split(target, '/')) {
    if (part.empty() || part == ".") continue;
    if (part != "..") {
      out.push_back(std::move(part));
    } else if (out.empty()) {
      return std::nullopt;
    } else {
      out.pop_back();
    }
  }
  return out;
}

bool layer_xattr_allowed(std::string_view name) {
  if (name.starts_with("trusted.overlay.")) return false;
  return name.starts_with("user.") || name.starts_with("security.") ||
         name.starts_with("trusted.") || name == "system.posix_acl_access" ||
         name == "system.posix_acl_default";
}

std::string join_components(const std::vector<std::string>& parts) {
  if (parts.empty()) return ".";
  std::string out;
  for (auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace berth::engine::image
