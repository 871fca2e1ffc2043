// Phase 1, parse (see parse.h). Builds schema::Node directly from libyaml's parser events
// (no document graph in between: that graph costs more than the scanning itself). Aliases
// are expanded by copying the anchored node, with a budget on the total number of nodes.
#include "compose/parse.h"

#include <yaml.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <new>
#include <unordered_set>

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

// Turns libyaml's events into a Node tree. yaml-cpp's parser, used before, spent ~80 ms
// scanning a 1000-service file (its RegEx matcher); libyaml needs ~8 ms for the same events.
class TreeBuilder {
 public:
  TreeBuilder(const std::string* file, size_t budget) : file_(file), budget_(budget) {}

  bool has_root() const { return has_root_; }
  Node take_root() { return std::move(root_); }

  // Handles one event; returns false once the first document has ended.
  bool handle(const yaml_event_t& e) {
    const Mark at = mark(e.start_mark);
    switch (e.type) {
      case YAML_DOCUMENT_END_EVENT:
        return false;
      case YAML_ALIAS_EVENT:
        on_alias(at, text(e.data.alias.anchor));
        break;
      case YAML_SCALAR_EVENT:
        on_scalar(at, e);
        break;
      case YAML_SEQUENCE_START_EVENT:
        open(Node::seq(at), text(e.data.sequence_start.tag), text(e.data.sequence_start.anchor));
        break;
      case YAML_MAPPING_START_EVENT:
        open(Node::map(at), text(e.data.mapping_start.tag), text(e.data.mapping_start.anchor));
        break;
      case YAML_SEQUENCE_END_EVENT:
        close();
        break;
      case YAML_MAPPING_END_EVENT:
        close();
        break;
      default:
        break;
    }
    return true;
  }

 private:
  static std::string_view text(const yaml_char_t* s) {
    return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
  }

  void on_alias(const Mark& at, std::string_view anchor) {
    auto it = anchors_.find(std::string(anchor));
    if (it == anchors_.end()) fail(at, "unknown anchor \"" + std::string(anchor) + "\"");
    size_t size = it->second.second;
    charge(size, at);
    Node copy = it->second.first;
    copy.set_mark(at);
    add(std::move(copy), {}, size);
  }

  void on_scalar(const Mark& at, const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    std::string value(reinterpret_cast<const char*>(s.value), s.length);
    std::string_view tag = text(s.tag);
    bool plain = tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE;
    Node n;
    if (plain &&
        (value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")) {
      n = Node::null(at);
    } else if ((tag.empty() && !plain) || tag == "tag:yaml.org,2002:str") {
      n = Node::str(std::move(value), at);
    } else {
      n = Node::plain(std::move(value), at);
    }
    keep_tag(n, tag);
    // A `<<` key (plain) is a merge key; remember it by its tag-less plain text.
    if (plain && n.scalar() == "<<" && expecting_key()) merge_key_ = true;
    charge(1, at);
    add(std::move(n), text(s.anchor), 1);
  }

  struct Frame {
    Node node;
    size_t first = 0;  // this node's children start at pending_entries_/pending_items_[first]
    std::string anchor;
    size_t count = 1;  // nodes in this subtree so far
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
    Mark key_mark;
    std::vector<Node> merges;                  // values of `<<` keys
    std::unordered_set<std::string> big_keys;  // duplicate check once a mapping is large
  };

  // True when the mapping of `f` already has `key` (linear for small mappings).
  bool has_key(Frame& f, const std::string& key) {
    auto begin = pending_entries_.begin() + static_cast<std::ptrdiff_t>(f.first);
    if (pending_entries_.end() - begin < 32)
      return std::any_of(begin, pending_entries_.end(),
                         [&](const Node::Entry& e) { return e.key == key; });
    if (f.big_keys.empty())
      for (auto it = begin; it != pending_entries_.end(); ++it) f.big_keys.insert(it->key);
    return !f.big_keys.insert(key).second;
  }

  Mark mark(const yaml_mark_t& m) const {
    return Mark{file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1};
  }

  [[noreturn]] void fail(const Mark& m, const std::string& msg) const {
    schema::fail_at(m, path(), msg);
  }

  // The key path of the value being built, for error messages.
  std::string path() const {
    std::string p;
    for (size_t i = 0; i < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      if (i + 1 == stack_.size()) {
        if (f.node.is_map() && f.has_key) p = schema::path_join(p, f.key);
        break;
      }
      if (f.node.is_map()) {
        p = schema::path_join(p, f.key);
        continue;
      }
      // The sequence's items so far end where the next open sequence's begin.
      size_t end = pending_items_.size();
      for (size_t j = i + 1; j < stack_.size(); ++j)
        if (stack_[j].node.is_seq()) {
          end = stack_[j].first;
          break;
        }
      p = schema::path_index(p, end - f.first);
    }
    return p;
  }

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().node.is_map() && !stack_.back().has_key;
  }

  void keep_tag(Node& n, std::string_view tag) {
    if (tag == "!reset" || tag == "!override") n.set_tag(tag);
  }

  void charge(size_t nodes, const Mark& at) {
    count_ += nodes;
    if (count_ > budget_)
      fail(at, "document expands to more than " + std::to_string(budget_) +
                   " nodes through aliases: refusing it (alias bomb, \"billion laughs\")");
  }

  void open(Node n, std::string_view tag, std::string_view anchor) {
    if (stack_.size() >= 500) fail(n.mark(), "document nested deeper than 500 levels");
    charge(1, n.mark());
    if (expecting_key()) fail(n.mark(), "mapping keys must be strings");
    keep_tag(n, tag);
    Frame f;
    f.node = std::move(n);
    f.first = f.node.is_map() ? pending_entries_.size() : pending_items_.size();
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  // Finishes the innermost sequence or mapping: its pending children move into it with one
  // allocation of the exact size (growing each node's vector one child at a time made
  // glibc's malloc the top of the profile), then merge keys apply.
  void close() {
    Frame& top = stack_.back();
    if (top.node.is_map()) {
      take_pending(pending_entries_, top.first, top.node.entries());
      apply_merges(top);  // still on the stack: its errors name its path
    } else {
      take_pending(pending_items_, top.first, top.node.items());
    }
    Frame f = std::move(top);
    stack_.pop_back();
    if (!f.anchor.empty()) anchors_[f.anchor] = {f.node, f.count};
    add(std::move(f.node), {}, f.count);
  }

  template <typename T>
  static void take_pending(std::vector<T>& pending, size_t first, std::vector<T>& out) {
    auto begin = pending.begin() + static_cast<std::ptrdiff_t>(first);
    out.reserve(out.size() + static_cast<size_t>(pending.end() - begin));
    std::move(begin, pending.end(), std::back_inserter(out));
    pending.erase(begin, pending.end());
  }

  // Adds a finished value to its parent (or makes it the root). `nodes` is its size,
  // already charged to the budget.
  void add(Node n, std::string_view anchor, size_t nodes) {
    if (!anchor.empty()) anchors_[std::string(anchor)] = {n, nodes};
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    f.count += nodes;
    if (f.node.is_seq()) {
      pending_items_.push_back(std::move(n));
    } else if (!f.has_key) {
      if (!n.is_scalar() && !n.is_null()) fail(n.mark(), "mapping keys must be strings");
      f.key = n.scalar();
      f.key_mark = n.mark();
      f.key_is_merge = merge_key_;
      merge_key_ = false;
      f.has_key = true;
    } else {
      f.has_key = false;
      if (f.key_is_merge) {
        f.merges.push_back(std::move(n));
      } else {
        if (has_key(f, f.key)) {
          f.has_key = true;
          fail(f.key_mark, "mapping key \"" + f.key + "\" already defined");
        }
        pending_entries_.push_back(
            Node::Entry{std::move(f.key), std::move(f.key_mark), std::move(n)});
      }
    }
  }

  // `<<: *base` or `<<: [*a, *b]`: keys not set locally come from the merged maps, the
  // earlier map of a list winning (YAML merge key spec).
  void apply_merges(Frame& f) {
    for (Node& m : f.merges) {
      std::vector<Node> sources;
      if (m.is_map()) sources.push_back(std::move(m));
      if (m.is_seq()) sources = std::move(m.items());
      if (sources.empty() ||
          !std::all_of(sources.begin(), sources.end(), [](const Node& s) { return s.is_map(); }))
        schema::fail_at(m.mark(), path(),
                        "merge key value must be a mapping or a list of mappings");
      for (Node& s : sources)
        for (auto& e : s.entries())
          if (!f.node.find(e.key)) f.node.entries().push_back(std::move(e));
    }
    f.merges.clear();
  }

  const std::string* file_;
  size_t budget_;
  size_t count_ = 0;
  std::vector<Frame> stack_;
  // Children of the open sequences and mappings, innermost last (see close()).
  std::vector<Node> pending_items_;
  std::vector<Node::Entry> pending_entries_;
  std::map<std::string, std::pair<Node, size_t>, std::less<>> anchors_;
  Node root_;
  bool has_root_ = false;
  bool merge_key_ = false;
};

// Owns a libyaml parser reading `text` in place.
struct YamlParser {
  yaml_parser_t p;
  explicit YamlParser(std::string_view text) {
    if (!yaml_parser_initialize(&p)) throw std::bad_alloc();
    yaml_parser_set_input_string(&p, reinterpret_cast<const unsigned char*>(text.data()),
                                 text.size());
  }
  ~YamlParser() { yaml_parser_delete(&p); }
  YamlParser(const YamlParser&) = delete;
  YamlParser& operator=(const YamlParser&) = delete;
};

// Throws libyaml's error ("did not find expected key (while parsing a block mapping)") at its
// problem mark.
[[noreturn]] void fail_parse(const yaml_parser_t& p, const std::string* name) {
  if (p.error == YAML_MEMORY_ERROR) throw std::bad_alloc();
  std::string msg = p.problem ? p.problem : "invalid YAML";
  if (p.context) msg += std::string(" (") + p.context + ")";
  const yaml_mark_t& m = p.problem_mark;
  schema::fail_at(Mark{name, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1}, "",
                  msg);
}

}  // namespace

schema::Node parse_yaml(std::string_view text, const std::string& file) {
  const std::string* name = schema::intern_file_name(file);
  // A real compose file has far fewer nodes than bytes; aliases may multiply it, but not
  // by more than this, so an alias bomb stops long before it can exhaust memory.
  size_t budget = std::max<size_t>(100000, text.size() * 20);
  TreeBuilder builder(name, budget);
  YamlParser parser(text);
  yaml_event_t event;
  for (;;) {
    if (!yaml_parser_parse(&parser.p, &event)) fail_parse(parser.p, name);
    bool more = event.type != YAML_STREAM_END_EVENT;
    try {
      more = more && builder.handle(event);
    } catch (...) {
      yaml_event_delete(&event);
      throw;
    }
    yaml_event_delete(&event);
    if (!more) break;
  }
  if (!builder.has_root()) return Node::map(Mark{name, 1, 1});
  Node root = builder.take_root();
  if (root.is_null()) return Node::map(Mark{name, 1, 1});
  if (!root.is_map()) schema::fail_at(root.mark(), "", "top-level object must be a mapping");
  return root;
}

}  // namespace berth::compose
