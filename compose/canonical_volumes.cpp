// Canonical service volumes: compose-go's ParseVolume. "SRC:DST[:MODES]" where SRC is a
// path (bind, already absolute after the paths phase) or a volume name; "DST" alone is an
// anonymous volume. Modes: ro, rw, z, Z, nocopy, propagation (shared, slave, private and r*),
// consistency (consistent, cached, delegated). The long form is checked and normalised.
// Two mounts on the same target: the later wins.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "compose/canonical.h"

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

bool is_path(const std::string& s) {
  return !s.empty() && (s[0] == '/' || s[0] == '.' || s[0] == '~');
}

void apply_modes(Node& v, const std::string& type, const std::string& modes, const Mark& m) {
  static const std::set<std::string> kPropagation = {"shared", "rshared", "slave",
                                                     "rslave", "private", "rprivate"};
  static const std::set<std::string> kConsistency = {"consistent", "cached", "delegated"};
  size_t start = 0;
  while (start <= modes.size()) {
    size_t comma = modes.find(',', start);
    std::string mode =
        modes.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? modes.size() + 1 : comma + 1;
    if (mode == "ro") {
      v.set("read_only", Node::plain("true", m));
    } else if (mode == "rw") {
    } else if ((mode == "z" || mode == "Z") && type == "bind") {
      v.find("bind")->set("selinux", Node::str(mode, m));
    } else if (kPropagation.count(mode) && type == "bind") {
      v.find("bind")->set("propagation", Node::str(mode, m));
    } else if (mode == "nocopy" && type == "volume") {
      v.find("volume")->set("nocopy", Node::plain("true", m));
    } else if (kConsistency.count(mode)) {
      v.set("consistency", Node::str(mode, m));
    } else {
      throw std::invalid_argument("invalid mode \"" + mode + "\"");
    }
  }
}

Node parse_short(const std::string& spec, const Mark& m) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t c; (c = spec.find(':', start)) != std::string::npos; start = c + 1)
    parts.push_back(spec.substr(start, c - start));
  parts.push_back(spec.substr(start));
  if (parts.size() > 3) throw std::invalid_argument("too many colons");
  Node v = Node::map(m);
  if (parts.size() == 1) {
    if (parts[0].empty()) throw std::invalid_argument("empty target");
    v.set("type", Node::str("volume", m));
    v.set("target", Node::str(parts[0], m));
    v.set("volume", Node::map(m));
    return v;
  }
  const std::string& src = parts[0];
  const std::string& dst = parts[1];
  if (src.empty()) throw std::invalid_argument("empty source");
  if (dst.empty() || dst[0] != '/')
    throw std::invalid_argument("target \"" + dst + "\" is not an absolute path");
  std::string type = is_path(src) ? "bind" : "volume";
  v.set("type", Node::str(type, m));
  v.set("source", Node::str(src, m));
  v.set("target", Node::str(dst, m));
  if (type == "bind") {
    Node bind = Node::map(m);
    bind.set("create_host_path", Node::plain("true", m));
    v.set("bind", std::move(bind));
  } else {
    v.set("volume", Node::map(m));
  }
  if (parts.size() == 3) apply_modes(v, type, parts[2], m);
  return v;
}

void canonical_long_volume(Node& v, const std::string& path) {
  static const std::set<std::string> kTypes = {"bind",  "volume",  "tmpfs",
                                               "npipe", "cluster", "image"};
  static const std::set<std::string> kKeys = {
      "type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"};
  const Node* type = v.find("type");
  if (!type || !type->is_scalar()) schema::fail_at(v.mark(), path, "volume requires `type`");
  if (!kTypes.count(type->scalar()))
    schema::fail_at(type->mark(), path + ".type", "invalid volume type \"" + type->scalar() + "\"");
  const Node* target = v.find("target");
  if (!target || !target->is_scalar() || target->scalar().empty())
    schema::fail_at(v.mark(), path, "volume requires `target`");
  if (type->scalar() == "bind" && !v.find("source"))
    schema::fail_at(v.mark(), path, "bind mount requires `source`");
  for (const auto& e : v.entries())
    if (!kKeys.count(e.key) && e.key.rfind("x-", 0) != 0)
      schema::fail_at(e.key_mark, path, "additional property \"" + e.key + "\" is not allowed");
  if (Node* ro = v.find("read_only")) canonical_bool(*ro, path + ".read_only");
  if (Node* b = v.find("bind"); b && b->is_map())
    if (Node* c = b->find("create_host_path")) canonical_bool(*c, path + ".bind.create_host_path");
  if (Node* vol = v.find("volume"); vol && vol->is_map())
    if (Node* c = vol->find("nocopy")) canonical_bool(*c, path + ".volume.nocopy");
  if (Node* t = v.find("tmpfs"); t && t->is_map()) {
    if (Node* s = t->find("size")) canonical_bytes(*s, path + ".tmpfs.size");
    if (Node* md = t->find("mode")) canonical_int(*md, path + ".tmpfs.mode");
  }
}

}  // namespace

void canonical_volumes(Node& volumes, const std::string& path) {
  Node result = Node::seq(volumes.mark());
  for (size_t i = 0; i < volumes.items().size(); ++i) {
    Node& v = volumes.items()[i];
    std::string sub = schema::path_index(path, i);
    if (v.is_scalar()) {
      try {
        v = parse_short(v.scalar(), v.mark());
      } catch (const std::invalid_argument& e) {
        schema::fail_at(v.mark(), sub, "\"" + v.scalar() + "\" is not a valid volume: " + e.what());
      }
    } else if (v.is_map()) {
      canonical_long_volume(v, sub);
    } else {
      schema::fail_at(v.mark(), sub, "must be a string or a mapping");
    }
    auto& items = result.items();
    auto same = std::find_if(items.begin(), items.end(), [&](const Node& o) {
      return o.find("target")->scalar() == v.find("target")->scalar();
    });
    if (same != items.end())
      *same = std::move(v);
    else
      result.push(std::move(v));
  }
  volumes = std::move(result);
}

}  // namespace berth::compose
