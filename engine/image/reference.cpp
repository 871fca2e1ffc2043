#include "engine/image/reference.h"

#include <string_view>
#include <utility>

#include "common/error.h"
#include "engine/image/digest.h"

namespace berth::engine::image {

namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alnum(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool has_upper(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return true;
  return false;
}

// pathComponent: [a-z0-9]+ (separator [a-z0-9]+)*, separator = [._] | __ | -+.
bool valid_component(std::string_view c) {
  size_t i = 0;
  for (;;) {
    size_t run = i;
    while (i < c.size() && is_lower_alnum(c[i])) ++i;
    if (i == run) return false;  // every separator sits between alphanumerics
    if (i == c.size()) return true;
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      i += (i + 1 < c.size() && c[i + 1] == '_') ? 2 : 1;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

// remoteName: pathComponent ("/" pathComponent)*.
bool valid_path(std::string_view p) {
  for (size_t start = 0;;) {
    size_t end = p.find('/', start);
    if (!valid_component(p.substr(start, end == std::string_view::npos ? end : end - start)))
      return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

// domainNameComponent: [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9].
bool valid_domain_component(std::string_view c) {
  if (c.empty() || !is_alnum(c.front()) || !is_alnum(c.back())) return false;
  for (char ch : c)
    if (!is_alnum(ch) && ch != '-') return false;
  return true;
}

// domainAndPort: (domainName | "[" [a-fA-F0-9:]+ "]") (":" [0-9]+)?. A domain is never "." or
// "..": every component starts and ends with an alphanumeric.
bool valid_domain(std::string_view d) {
  if (d.empty()) return false;
  std::string_view host = d, port;
  if (d.front() == '[') {
    auto close = d.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : d.substr(1, close - 1))
      if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'))
        return false;
    host = {};
    if (close + 1 < d.size()) {
      if (d[close + 1] != ':') return false;
      port = d.substr(close + 2);
      if (port.empty()) return false;
    }
  } else if (auto colon = d.find(':'); colon != std::string_view::npos) {
    host = d.substr(0, colon);
    port = d.substr(colon + 1);
    if (port.empty()) return false;
  }
  for (char c : port)
    if (!is_digit(c)) return false;
  if (d.front() == '[') return true;
  for (size_t start = 0;;) {
    size_t end = host.find('.', start);
    if (!valid_domain_component(
            host.substr(start, end == std::string_view::npos ? end : end - start)))
      return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

// tag: [\w][\w.-]{0,127}.
bool valid_tag(std::string_view t) {
  auto word = [](char c) { return is_alnum(c) || c == '_'; };
  if (t.empty() || t.size() > 128 || !word(t[0])) return false;
  for (char c : t)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

// The reference grammar's digest:
// [A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[[:xdigit:]]{32,}. The value itself is checked
// afterwards by validate_digest.
bool digest_shaped(std::string_view d) {
  auto colon = d.find(':');
  if (colon == std::string_view::npos) return false;
  bool need_alpha = true;
  for (char c : d.substr(0, colon)) {
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (need_alpha) {
      if (!alpha) return false;
      need_alpha = false;
    } else if (c == '-' || c == '_' || c == '+' || c == '.') {
      need_alpha = true;
    } else if (!alpha && !is_digit(c)) {
      return false;
    }
  }
  if (need_alpha) return false;
  std::string_view hex = d.substr(colon + 1);
  if (hex.size() < 32) return false;
  for (char c : hex)
    if (!(is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

struct Parts {
  std::string domain, path, tag, digest;
};

// distribution/reference's anchored ReferenceRegexp, with Go's leftmost-first choice of the
// optional domain. nullopt when s does not match.
std::optional<Parts> match(std::string_view s) {
  Parts p;
  if (auto at = s.find('@'); at != std::string_view::npos) {
    p.digest = s.substr(at + 1);
    if (!digest_shaped(p.digest)) return std::nullopt;
    s = s.substr(0, at);
  }
  // A name has ":" only in its domain, which a "/" always follows: a ":" after the last "/"
  // starts the tag.
  auto colon = s.rfind(':');
  auto slash = s.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    p.tag = s.substr(colon + 1);
    if (!valid_tag(p.tag)) return std::nullopt;
    s = s.substr(0, colon);
  }
  if (auto first = s.find('/'); first != std::string_view::npos &&
                                valid_domain(s.substr(0, first)) &&
                                valid_path(s.substr(first + 1))) {
    p.domain = s.substr(0, first);
    p.path = s.substr(first + 1);
  } else if (valid_path(s)) {
    p.path = s;
  } else {
    return std::nullopt;
  }
  return p;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// distribution/reference Parse: the grammar, then the repository length, then the digest.
Parts parse_canonical(const std::string& s) {
  auto parts = match(s);
  if (!parts) {
    if (has_upper(s) && match(lower(s))) throw Error("repository name must be lowercase");
    throw Error("invalid reference format");
  }
  if (parts->path.size() > 255) throw Error("repository name must not be more than 255 characters");
  if (!parts->digest.empty()) validate_digest(parts->digest);
  return *parts;
}

// distribution/reference splitDockerDomain: the registry domain (Docker Hub by default) and
// the rest, with "library/" for Docker Hub's official images.
std::pair<std::string, std::string> split_docker_domain(const std::string& name) {
  std::string domain, rest;
  auto slash = name.find('/');
  if (slash == std::string::npos) return {"docker.io", "library/" + name};
  std::string first = name.substr(0, slash);
  if (first == "localhost" || first.find_first_of(".:") != std::string::npos || has_upper(first)) {
    domain = first == "index.docker.io" ? "docker.io" : first;
    rest = name.substr(slash + 1);
  } else {
    domain = "docker.io";
    rest = name;
  }
  if (domain == "docker.io" && rest.find('/') == std::string::npos) rest = "library/" + rest;
  return {domain, rest};
}

bool is_identifier(const std::string& s) {
  return s.size() == 64 && is_hex(s);
}

}  // namespace

Reference parse_reference(const std::string& s) {
  if (is_identifier(s))
    throw Error("invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
  auto [domain, rest] = split_docker_domain(s);
  std::string remote = rest.substr(0, rest.find(':'));
  if (has_upper(remote))
    throw Error("invalid reference format: repository name (" + remote + ") must be lowercase");
  Parts p = parse_canonical(domain + "/" + rest);
  // The familiar form: Docker Hub's domain and its "library/" prefix are dropped.
  if (p.domain == "docker.io") {
    p.domain.clear();
    if (p.path.rfind("library/", 0) == 0 && p.path.find('/', 8) == std::string::npos)
      p.path = p.path.substr(8);
  }
  Reference ref;
  ref.name = p.domain.empty() ? p.path : p.domain + "/" + p.path;
  ref.tag = p.tag;
  ref.digest = p.digest;
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
  if (!first.empty() &&
      (first.find_first_of(".:") != std::string::npos || first == "localhost" || has_upper(first)))
    return name;
  return slash == std::string::npos ? "docker.io/library/" + name : "docker.io/" + name;
}

}  // namespace berth::engine::image
