#include "engine/image/reference.h"

#include <cctype>

#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::engine::image {

namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One path component: [a-z0-9]+ joined by ".", "_", "__" or "-"+.
bool valid_component(const std::string& c) {
  if (c.empty() || !is_lower_alnum(c.front()) || !is_lower_alnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    char ch = c[i];
    if (is_lower_alnum(ch) || ch == '-') continue;
    if (ch == '.' || ch == '_') {
      bool double_us = ch == '_' && i + 1 < c.size() && c[i + 1] == '_';
      if (double_us) ++i;
      if (!is_lower_alnum(c[i + 1])) return false;
      continue;
    }
    return false;
  }
  return true;
}

bool valid_domain(const std::string& d) {
  if (d.empty()) return false;
  for (char c : d)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':'))
      return false;
  return true;
}

bool valid_tag(const std::string& t) {
  if (t.empty() || t.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(t[0])) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

[[noreturn]] void invalid(const std::string& why) {
  throw Error("invalid reference format" + (why.empty() ? "" : ": " + why));
}

// Splits off a registry domain and drops Docker Hub's "docker.io/library/" prefix.
std::string familiar_name(const std::string& remote) {
  std::string domain, path = remote;
  auto slash = remote.find('/');
  if (slash != std::string::npos) {
    std::string first = remote.substr(0, slash);
    bool has_upper = false;
    for (char c : first) has_upper = has_upper || std::isupper(static_cast<unsigned char>(c));
    if (first.find_first_of(".:") != std::string::npos || first == "localhost" || has_upper) {
      domain = first;
      path = remote.substr(slash + 1);
    }
  }
  if (!domain.empty() && !valid_domain(domain)) invalid("");
  for (size_t start = 0;;) {
    auto end = path.find('/', start);
    std::string comp = path.substr(start, end == std::string::npos ? end : end - start);
    if (!valid_component(comp)) {
      for (char c : comp)
        if (std::isupper(static_cast<unsigned char>(c)))
          invalid("repository name must be lowercase");
      invalid("");
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (domain == "docker.io" || domain == "index.docker.io") domain.clear();
  if (domain.empty() && path.rfind("library/", 0) == 0 && path.find('/', 8) == std::string::npos)
    path = path.substr(8);
  return domain.empty() ? path : domain + "/" + path;
}

}  // namespace

Reference parse_reference(const std::string& s) {
  if (s.empty()) invalid("");
  Reference ref;
  std::string rest = s;
  if (auto at = rest.find('@'); at != std::string::npos) {
    ref.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!is_sha256_digest(ref.digest)) invalid("");
  }
  auto colon = rest.rfind(':');
  auto slash = rest.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (!valid_tag(ref.tag)) invalid("");
  }
  if (rest.size() > 255) invalid("repository name must not be more than 255 characters");
  ref.name = familiar_name(rest);
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

std::optional<Reference> try_parse_reference(const std::string& s) {
  try {
    return parse_reference(s);
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string Reference::str() const {
  if (!tag.empty()) return name + ":" + tag;
  return name + "@" + digest;
}

std::string Reference::full_name() const {
  auto slash = name.find('/');
  std::string first = slash == std::string::npos ? "" : name.substr(0, slash);
  if (!first.empty() && (first.find_first_of(".:") != std::string::npos || first == "localhost"))
    return name;
  return slash == std::string::npos ? "docker.io/library/" + name : "docker.io/" + name;
}

}  // namespace berth::engine::image
