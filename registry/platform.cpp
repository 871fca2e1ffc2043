#include "registry/platform.h"

#include <sys/utsname.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::registry {

std::string Platform::str() const {
  return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

namespace {

std::string normal_arch(std::string a) {
  if (a == "x86_64" || a == "x86-64") return "amd64";
  if (a == "aarch64") return "arm64";
  if (a == "i386" || a == "i686") return "386";
  return a;
}

}  // namespace

Platform host_platform() {
  Platform p;
  struct utsname u {};
  ::uname(&u);
  p.arch = normal_arch(u.machine);
  if (p.arch == "arm64") p.variant = "v8";
  return p;
}

Platform parse_platform(const std::string& s) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    size_t slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string::npos ? slash : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  for (const auto& p : parts)
    if (p.empty()) throw Error("invalid platform `" + s + "`: empty component");
  if (parts.size() > 3) throw Error("invalid platform `" + s + "`: too many components");
  Platform p;
  if (parts.size() == 1) {
    p.arch = normal_arch(parts[0]);
  } else {
    p.os = parts[0];
    p.arch = normal_arch(parts[1]);
    if (parts.size() == 3) p.variant = parts[2];
  }
  for (char c : p.os + p.arch + p.variant)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'))
      throw Error("invalid platform `" + s + "`");
  return p;
}

namespace {

bool platform_matches(const nlohmann::json& p, const Platform& want) {
  if (!p.is_object()) return false;
  if (p.value("os", "") != want.os || normal_arch(p.value("architecture", "")) != want.arch)
    return false;
  std::string variant = p.value("variant", "");
  if (want.arch == "arm64") {
    if (variant.empty()) variant = "v8";
    return want.variant.empty() || want.variant == variant;
  }
  return want.variant.empty() || want.variant == variant;
}

}  // namespace

std::string select_manifest(const std::string& index_json, const Platform& want,
                            const std::string& shown) {
  auto j = nlohmann::json::parse(index_json, nullptr, false);
  if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
    throw Error("manifest list of " + shown + " has no manifests");
  size_t i = 0;
  for (const auto& m : j["manifests"]) {
    const std::string where =
        "manifest list of " + shown + ": manifests[" + std::to_string(i++) + "]";
    if (!m.is_object() || !m.contains("platform") || !platform_matches(m["platform"], want))
      continue;
    try {
      return engine::image::validate_digest(
          m.contains("digest") && m["digest"].is_string() ? m["digest"].get<std::string>() : "");
    } catch (const Error& e) {
      throw e.with_context(where);
    }
  }
  throw NotFound("no matching manifest for " + want.str() + " in the manifest list entries of " +
                 shown);
}

}  // namespace berth::registry
