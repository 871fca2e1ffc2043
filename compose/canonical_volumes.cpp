// Canonical service volumes: compose-go's ParseVolume, over the short-syntax parser `-v` uses
// (request/mounts.h). "SRC:DST[:MODES]" where SRC is a path (bind, already absolute after the
// paths phase) or a volume name; "DST" alone is an anonymous volume. Modes: ro, rw, z, Z,
// nocopy, propagation (shared, slave, private and r*), consistency (consistent, cached,
// delegated). The long form is checked and normalised.
// Two mounts on the same target: the later wins.
#include <algorithm>
#include <set>
#include <stdexcept>

#include "compose/canonical.h"
#include "request/mounts.h"

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

// "SRC:DST[:MODES]" or "DST" by the parser `-v` uses (request/mounts.h) → the long form.
Node parse_short(const std::string& spec, const Mark& m) {
  const request::MountRequest r = request::parse_volume_spec(spec);
  const bool bind = r.type == request::MountRequest::Type::kBind;
  Node v = Node::map(m);
  v.set("type", Node::str(bind ? "bind" : "volume", m));
  if (!r.source.empty()) v.set("source", Node::str(r.source, m));
  v.set("target", Node::str(r.target, m));
  if (r.readonly) v.set("read_only", Node::plain("true", m));
  if (!r.consistency.empty()) v.set("consistency", Node::str(r.consistency, m));
  Node options = Node::map(m);
  if (bind) {
    options.set("create_host_path", Node::plain("true", m));
    if (!r.selinux.empty()) options.set("selinux", Node::str(r.selinux, m));
    if (!r.propagation.empty()) options.set("propagation", Node::str(r.propagation, m));
  } else if (r.nocopy) {
    options.set("nocopy", Node::plain("true", m));
  }
  v.set(bind ? "bind" : "volume", std::move(options));
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
