// Phase 4, merge (see merge.h).
#include "compose/merge.h"

#include <algorithm>
#include <set>
#include <string_view>

namespace berth::compose {
namespace {

using schema::Node;

enum class Rule { Default, Replace, Dict, ServiceDict, Build, Logging, Unique };

// The rule for a key inside a service mapping.
Rule service_rule(std::string_view key) {
  static const std::set<std::string_view> kDict = {"environment", "labels", "annotations",
                                                   "sysctls", "extra_hosts"};
  static const std::set<std::string_view> kUnique = {
      "dns",        "dns_opt", "dns_search", "tmpfs",    "env_file",
      "label_file", "expose",  "cap_add",    "cap_drop", "profiles"};
  if (key == "command" || key == "entrypoint") return Rule::Replace;
  if (kDict.count(key)) return Rule::Dict;
  if (key == "depends_on" || key == "networks") return Rule::ServiceDict;
  if (key == "build") return Rule::Build;
  if (key == "logging") return Rule::Logging;
  if (kUnique.count(key)) return Rule::Unique;
  return Rule::Default;
}

void merge_value(Node& base, Node over, std::string_view ctx);

void merge_map(Node& base, Node over, std::string_view ctx) {
  for (auto& e : over.entries()) {
    Node* b = base.find(e.key);
    if (e.value.tag() == "!reset") {
      base.erase(e.key);
      continue;
    }
    if (!b || e.value.tag() == "!override") {
      e.value.set_tag("");
      strip_reset_tags(e.value);
      base.set(e.key, std::move(e.value), e.key_mark);
      continue;
    }
    std::string sub = ctx.empty() ? e.key : std::string(ctx) + "." + e.key;
    merge_value(*b, std::move(e.value), sub);
  }
}

// A list of strings as a scalar-or-list, so that "a" and ["a"] merge alike.
Node as_list(const Node& n) {
  if (n.is_seq()) return n;
  Node s = Node::seq(n.mark());
  if (!n.is_null()) s.push(n);
  return s;
}

// depends_on / networks: a list of names becomes {name: null} (long form merges by key).
Node names_to_map(const Node& n) {
  if (!n.is_seq()) return n;
  Node m = Node::map(n.mark());
  for (const Node& item : n.items())
    if (item.is_scalar()) m.set(item.scalar(), Node::null(item.mark()), item.mark());
  return m;
}

Node build_to_map(const Node& n) {
  if (!n.is_scalar()) return n;
  Node m = Node::map(n.mark());
  m.set("context", n, n.mark());
  return m;
}

void merge_service_key(Node& base, Node over, std::string_view key) {
  switch (service_rule(key)) {
    case Rule::Replace:
      base = std::move(over);
      return;
    case Rule::Dict:
      base = list_or_dict_to_map(base, key == "extra_hosts" ? ':' : '=');
      merge_map(base, list_or_dict_to_map(over, key == "extra_hosts" ? ':' : '='), "");
      return;
    case Rule::ServiceDict:
      base = names_to_map(base);
      merge_value(base, names_to_map(over), "");
      return;
    case Rule::Build:
      base = build_to_map(base);
      merge_map(base, build_to_map(over), "build");
      return;
    case Rule::Logging: {
      const Node* bd = base.find("driver");
      const Node* od = over.find("driver");
      if (bd && od && !(*bd == *od)) base = Node::map(over.mark());
      merge_value(base, std::move(over), "");
      return;
    }
    case Rule::Unique: {
      Node b = as_list(base);
      Node o = as_list(over);
      for (Node& item : o.items())
        if (std::find(b.items().begin(), b.items().end(), item) == b.items().end())
          b.push(std::move(item));
      base = std::move(b);
      return;
    }
    case Rule::Default:
      break;
  }
  merge_value(base, std::move(over), "");
}

void merge_value(Node& base, Node over, std::string_view ctx) {
  if (over.tag() == "!reset") return;
  if (base.is_map() && over.is_map()) {
    if (ctx == "healthcheck") {
      if (Node* t = over.find("test")) {
        Node test = std::move(*t);
        over.erase("test");
        merge_map(base, std::move(over), ctx);
        base.set("test", std::move(test));
        return;
      }
    }
    merge_map(base, std::move(over), ctx);
  } else if (base.is_seq() && over.is_seq()) {
    for (Node& item : over.items()) {
      strip_reset_tags(item);
      base.push(std::move(item));
    }
  } else {
    over.set_tag("");
    strip_reset_tags(over);
    base = std::move(over);
  }
}

}  // namespace

void merge_service(Node& base, Node over) {
  if (!base.is_map() || !over.is_map()) {
    base = std::move(over);
    return;
  }
  for (auto& e : over.entries()) {
    Node* b = base.find(e.key);
    if (e.value.tag() == "!reset") {
      base.erase(e.key);
    } else if (!b || e.value.tag() == "!override") {
      e.value.set_tag("");
      strip_reset_tags(e.value);
      base.set(e.key, std::move(e.value), e.key_mark);
    } else if (e.key == "healthcheck") {
      merge_value(*b, std::move(e.value), "healthcheck");
    } else {
      merge_service_key(*b, std::move(e.value), e.key);
    }
  }
}

void merge_documents(Node& base, Node over) {
  for (auto& e : over.entries()) {
    Node* b = base.find(e.key);
    if (e.value.tag() == "!reset") {
      base.erase(e.key);
    } else if (!b || !b->is_map() || !e.value.is_map() || e.value.tag() == "!override") {
      e.value.set_tag("");
      strip_reset_tags(e.value);
      base.set(e.key, std::move(e.value), e.key_mark);
    } else if (e.key == "services") {
      for (auto& s : e.value.entries()) {
        Node* bs = b->find(s.key);
        if (s.value.tag() == "!reset") {
          b->erase(s.key);
        } else if (!bs || s.value.tag() == "!override") {
          s.value.set_tag("");
          strip_reset_tags(s.value);
          b->set(s.key, std::move(s.value), s.key_mark);
        } else {
          merge_service(*bs, std::move(s.value));
        }
      }
    } else {
      merge_value(*b, std::move(e.value), e.key);
    }
  }
}

void strip_reset_tags(Node& n) {
  n.set_tag("");
  if (n.is_map()) {
    auto& es = n.entries();
    es.erase(std::remove_if(es.begin(), es.end(),
                            [](const Node::Entry& e) { return e.value.tag() == "!reset"; }),
             es.end());
    for (auto& e : es) strip_reset_tags(e.value);
  } else if (n.is_seq()) {
    auto& is = n.items();
    is.erase(
        std::remove_if(is.begin(), is.end(), [](const Node& i) { return i.tag() == "!reset"; }),
        is.end());
    for (auto& i : is) strip_reset_tags(i);
  }
}

Node list_or_dict_to_map(const Node& n, char sep) {
  if (!n.is_seq()) return n;
  Node m = Node::map(n.mark());
  for (const Node& item : n.items()) {
    if (!item.is_scalar()) {
      m.set("", item, item.mark());  // the validate phase reports it
      continue;
    }
    const std::string& s = item.scalar();
    size_t eq = s.find(sep);
    if (sep == ':' && s.find('=') != std::string::npos) eq = s.find('=');
    if (eq == std::string::npos) {
      m.set(s, Node::null(item.mark()), item.mark());
    } else {
      m.set(s.substr(0, eq), Node::str(s.substr(eq + 1), item.mark()), item.mark());
    }
  }
  return m;
}

}  // namespace berth::compose
