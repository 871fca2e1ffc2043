// Printing a canonical compose document (see render.h).
#include "compose/render.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/crypto_lib.h"

namespace berth::compose {
namespace {

using schema::Node;

// Key order of the objects `docker compose config` prints in struct order; other mappings
// are sorted by key.
const std::vector<std::string>& preferred_order(const Node& m, bool top) {
  static const std::vector<std::string> kTop = {"name",    "services", "networks",
                                                "volumes", "secrets",  "configs"};
  static const std::vector<std::string> kPort = {"name",      "mode",     "host_ip",     "target",
                                                 "published", "protocol", "app_protocol"};
  static const std::vector<std::string> kVolume = {
      "type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"};
  static const std::vector<std::string> kHealth = {
      "test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"};
  static const std::vector<std::string> kBuild = {"context", "dockerfile"};
  static const std::vector<std::string> kNone;
  if (top) return kTop;
  if (m.find("target") && m.find("type")) return kVolume;
  if (m.find("target") && m.find("protocol")) return kPort;
  if (m.find("test") && (m.find("interval") || m.find("timeout") || m.find("retries")))
    return kHealth;
  if (m.find("context")) return kBuild;
  return kNone;
}

std::vector<const Node::Entry*> sorted(const Node& m, bool top) {
  const auto& order = preferred_order(m, top);
  auto rank = [&](const std::string& k) {
    auto it = std::find(order.begin(), order.end(), k);
    return static_cast<size_t>(it - order.begin());
  };
  std::vector<const Node::Entry*> es;
  for (const auto& e : m.entries()) es.push_back(&e);
  std::sort(es.begin(), es.end(), [&](const Node::Entry* a, const Node::Entry* b) {
    size_t ra = rank(a->key), rb = rank(b->key);
    if (ra != rb) return ra < rb;
    return a->key < b->key;
  });
  return es;
}

// Numbers YAML 1.1 readers would see in a plain scalar: 0x1F, 0o17, 017, 1_000, 12:30.
bool yaml11_number(const std::string& s) {
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  if (s.compare(i, 2, "0x") == 0 || s.compare(i, 2, "0o") == 0)
    return s.find_first_not_of("0123456789abcdefABCDEF_", i + 2) == std::string::npos;
  bool colon = false;
  for (size_t j = i; j < s.size(); ++j) {
    char c = s[j];
    if (c == ':')
      colon = true;
    else if (c == '.' && colon)
      return s.find_first_not_of("0123456789_", j + 1) == std::string::npos;
    else if (!std::isdigit(static_cast<unsigned char>(c)) && c != '_')
      return false;
  }
  return true;
}

bool plain_safe(const std::string& s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  static const std::string kIndicators = "-?:,[]{}#&*!|>'\"%@`";
  if (kIndicators.find(s.front()) != std::string::npos &&
      !(s.size() > 1 && (s[0] == '-' || s[0] == '?' || s[0] == ':') && s[1] != ' '))
    return false;
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  static const char* const kWords[] = {"true", "false", "yes", "no",   "on",
                                       "off",  "y",     "n",   "null", "~"};
  std::string l = s;
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* w : kWords)
    if (l == w) return false;
  Node probe = Node::plain(s);
  if (probe.is_number()) return false;
  return !yaml11_number(s);
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string scalar_text(const Node& n) {
  if (n.is_null()) return "null";
  if (!n.quoted() && (n.is_number() || n.is_bool())) return n.scalar();
  return plain_safe(n.scalar()) ? n.scalar() : quote(n.scalar());
}

bool inline_value(const Node& n) {
  return n.is_null() || n.is_scalar() || (n.is_map() && n.entries().empty()) ||
         (n.is_seq() && n.items().empty());
}

std::string inline_text(const Node& n) {
  if (n.is_map()) return "{}";
  if (n.is_seq()) return "[]";
  return scalar_text(n);
}

void emit(std::string& out, const Node& n, int indent, bool top);

void emit_map(std::string& out, const Node& n, int indent, bool top, bool first_inline) {
  bool first = true;
  for (const Node::Entry* e : sorted(n, top)) {
    if (!(first && first_inline)) out.append(indent, ' ');
    first = false;
    out += plain_safe(e->key) ? e->key : quote(e->key);
    out += ':';
    if (inline_value(e->value)) {
      out += ' ' + inline_text(e->value) + '\n';
    } else {
      out += '\n';
      emit(out, e->value, indent + 2, false);
    }
  }
}

void emit(std::string& out, const Node& n, int indent, bool top) {
  if (n.is_map()) return emit_map(out, n, indent, top, false);
  if (!n.is_seq()) {
    out.append(indent, ' ');
    out += inline_text(n) + '\n';
    return;
  }
  for (const Node& i : n.items()) {
    out.append(indent, ' ');
    out += "- ";
    if (i.is_map() && !i.entries().empty()) {
      emit_map(out, i, indent + 2, false, true);
    } else if (inline_value(i)) {
      out += inline_text(i) + '\n';
    } else {
      out += '\n';
      emit(out, i, indent + 2, false);
    }
  }
}

nlohmann::ordered_json to_json(const Node& n, bool top) {
  switch (n.kind()) {
    case Node::Kind::Null:
      return nullptr;
    case Node::Kind::Scalar:
      if (!n.quoted() && n.is_bool()) return n.as_bool();
      if (!n.quoted() && n.is_int()) {
        try {
          return std::stoll(n.scalar());
        } catch (const std::out_of_range&) {
          return n.scalar();
        }
      }
      if (!n.quoted() && n.is_number()) return std::stod(n.scalar());
      return n.scalar();
    case Node::Kind::Sequence: {
      auto a = nlohmann::ordered_json::array();
      for (const Node& i : n.items()) a.push_back(to_json(i, false));
      return a;
    }
    case Node::Kind::Mapping:
      break;
  }
  auto o = nlohmann::ordered_json::object();
  for (const Node::Entry* e : sorted(n, top)) o[e->key] = to_json(e->value, false);
  return o;
}

}  // namespace

Node project_document(const schema::Project& project) {
  Node doc = project.tree;
  Node* services = doc.find("services");
  if (!services) services = &doc.set("services", Node::map(doc.mark()));
  for (const auto& s : project.services) services->set(s.name, s.node);
  return doc;
}

std::string render_yaml(const Node& doc) {
  std::string out;
  out.reserve(4096);
  emit(out, doc, 0, true);
  return out;
}

std::string render_json(const Node& doc) {
  return to_json(doc, true).dump(2);
}

std::string service_config_json(const schema::Service& service) {
  Node n = service.node;
  for (const char* k : {"build", "pull_policy", "scale", "depends_on", "profiles"}) n.erase(k);
  if (Node* d = n.find("deploy"); d && d->is_map()) d->erase("replicas");
  return to_json(n, false).dump();
}

std::string service_config_hash(const schema::Service& service) {
  return sha256_hex(service_config_json(service));
}

}  // namespace berth::compose
