// Phase 1, parse (see parse.h). Builds schema::Node directly from yaml-cpp's parser events
// (no YAML::Node graph in between: that graph costs more than the scanning itself). Aliases
// are expanded by copying the anchored node, with a budget on the total number of nodes.
#include "compose/parse.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <unordered_set>

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string* file, size_t budget) : file_(std::move(file)), budget_(budget) {}

  bool has_root() const { return has_root_; }
  Node take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override { done_ = true; }

  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override {
    charge(1, mark(m));
    add(Node::null(mark(m)), anchor, 1);
  }

  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) fail(mark(m), "unknown anchor");
    size_t size = it->second.second;
    charge(size, mark(m));
    Node copy = it->second.first;
    copy.set_mark(mark(m));
    add(std::move(copy), 0, size);
  }

  void OnScalar(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    if (tag == "?" && (value == "~" || value == "null" || value == "Null" || value == "NULL")) {
      n = Node::null(mark(m));
    } else if (tag == "!" || tag == "tag:yaml.org,2002:str") {
      n = Node::str(value, mark(m));
    } else {
      n = Node::plain(value, mark(m));
    }
    keep_tag(n, tag);
    // A `<<` key (plain) is a merge key; remember it by its tag-less plain text.
    if (tag == "?" && value == "<<" && expecting_key()) merge_key_ = true;
    charge(1, n.mark());
    add(std::move(n), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::seq(mark(m)), tag, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& m, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::map(mark(m)), tag, anchor);
  }
  void OnMapEnd() override {
    apply_merges(stack_.back());
    close();
  }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    size_t count = 1;  // nodes in this subtree so far
    bool has_key = false;
    bool key_is_merge = false;
    std::string key;
    Mark key_mark;
    std::vector<Node> merges;                  // values of `<<` keys
    std::unordered_set<std::string> big_keys;  // duplicate check once a mapping is large
  };

  // True when the mapping of `f` already has `key` (linear for small mappings).
  static bool has_key(Frame& f, const std::string& key) {
    auto& es = f.node.entries();
    if (es.size() < 32)
      return std::any_of(es.begin(), es.end(), [&](const Node::Entry& e) { return e.key == key; });
    if (f.big_keys.empty())
      for (const auto& e : es) f.big_keys.insert(e.key);
    return !f.big_keys.insert(key).second;
  }

  Mark mark(const YAML::Mark& m) const { return Mark{file_, m.line + 1, m.column + 1}; }

  [[noreturn]] void fail(const Mark& m, const std::string& msg) const {
    schema::fail_at(m, path(), msg);
  }

  // The key path of the value being built, for error messages.
  std::string path() const {
    std::string p;
    for (const Frame& f : stack_) {
      if (&f == &stack_.back()) {
        if (f.node.is_map() && f.has_key) p = schema::path_join(p, f.key);
        break;
      }
      if (f.node.is_map())
        p = schema::path_join(p, f.key);
      else
        p = schema::path_index(p, f.node.items().size());
    }
    return p;
  }

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().node.is_map() && !stack_.back().has_key;
  }

  void keep_tag(Node& n, const std::string& tag) {
    if (tag == "!reset" || tag == "!override") n.set_tag(tag);
  }

  void charge(size_t nodes, const Mark& at) {
    count_ += nodes;
    if (count_ > budget_)
      fail(at, "document expands to more than " + std::to_string(budget_) +
                   " nodes through aliases: refusing it (alias bomb, \"billion laughs\")");
  }

  void open(Node n, const std::string& tag, YAML::anchor_t anchor) {
    if (stack_.size() >= 500) fail(n.mark(), "document nested deeper than 500 levels");
    charge(1, n.mark());
    if (expecting_key()) fail(n.mark(), "mapping keys must be strings");
    keep_tag(n, tag);
    Frame f;
    f.node = std::move(n);
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }

  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    if (f.anchor) anchors_[f.anchor] = {f.node, f.count};
    add(std::move(f.node), 0, f.count);
  }

  // Adds a finished value to its parent (or makes it the root). `nodes` is its size,
  // already charged to the budget.
  void add(Node n, YAML::anchor_t anchor, size_t nodes) {
    if (anchor) anchors_[anchor] = {n, nodes};
    if (stack_.empty()) {
      root_ = std::move(n);
      has_root_ = true;
      return;
    }
    Frame& f = stack_.back();
    f.count += nodes;
    if (f.node.is_seq()) {
      f.node.push(std::move(n));
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
        f.node.entries().push_back(
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
  std::map<YAML::anchor_t, std::pair<Node, size_t>> anchors_;
  Node root_;
  bool has_root_ = false;
  bool done_ = false;
  bool merge_key_ = false;
};

}  // namespace

schema::Node parse_yaml(std::string_view text, const std::string& file) {
  const std::string* name = schema::intern_file_name(file);
  // A real compose file has far fewer nodes than bytes; aliases may multiply it, but not
  // by more than this, so an alias bomb stops long before it can exhaust memory.
  size_t budget = std::max<size_t>(100000, text.size() * 20);
  TreeBuilder builder(name, budget);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
  } catch (const YAML::Exception& e) {
    schema::fail_at(Mark{name, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
  if (!builder.has_root()) return Node::map(Mark{name, 1, 1});
  Node root = builder.take_root();
  if (root.is_null()) return Node::map(Mark{name, 1, 1});
  if (!root.is_map()) schema::fail_at(root.mark(), "", "top-level object must be a mapping");
  return root;
}

}  // namespace berth::compose
