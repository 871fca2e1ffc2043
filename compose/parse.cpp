// Phase 1, parse (see parse.h).
#include "compose/parse.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace berth::compose {
namespace {

using schema::Mark;
using schema::Node;

class Converter {
 public:
  Converter(std::shared_ptr<const std::string> file, size_t budget)
      : file_(std::move(file)), budget_(budget) {}

  Node convert(const YAML::Node& y, const std::string& path, int depth) {
    if (++count_ > budget_)
      schema::fail_at(mark(y), path,
                      "document expands to more than " + std::to_string(budget_) +
                          " nodes through aliases: refusing it (alias bomb, \"billion laughs\")");
    if (depth > 500) schema::fail_at(mark(y), path, "document nested deeper than 500 levels");
    Node n;
    switch (y.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        n = Node::null(mark(y));
        break;
      case YAML::NodeType::Scalar:
        n = scalar(y);
        break;
      case YAML::NodeType::Sequence:
        n = Node::seq(mark(y));
        for (size_t i = 0; i < y.size(); ++i)
          n.push(convert(y[i], schema::path_index(path, i), depth + 1));
        break;
      case YAML::NodeType::Map:
        n = mapping(y, path, depth);
        break;
    }
    const std::string& tag = y.Tag();
    if (tag == "!reset" || tag == "!override") n.set_tag(tag);
    return n;
  }

 private:
  Mark mark(const YAML::Node& y) const {
    YAML::Mark m = y.Mark();
    if (m.is_null()) return Mark{file_, 0, 0};
    return Mark{file_, m.line + 1, m.column + 1};
  }

  Node scalar(const YAML::Node& y) const {
    const std::string& tag = y.Tag();
    const std::string& text = y.Scalar();
    if (tag == "?" && (text == "~" || text == "null" || text == "Null" || text == "NULL"))
      return Node::null(mark(y));
    if (tag == "!" || tag == "tag:yaml.org,2002:str") return Node::str(text, mark(y));
    return Node::plain(text, mark(y));
  }

  Node mapping(const YAML::Node& y, const std::string& path, int depth) {
    Node n = Node::map(mark(y));
    std::vector<YAML::Node> keep;
    for (auto it = y.begin(); it != y.end(); ++it) {
      if (!it->first.IsScalar())
        schema::fail_at(mark(it->first), path, "mapping keys must be strings");
      const std::string& key = it->first.Scalar();
      if (key == "<<" && it->first.Tag() == "?") {
        keep.push_back(it->second);
        continue;
      }
      std::string sub = schema::path_join(path, key);
      if (n.find(key))
        schema::fail_at(mark(it->first), sub, "mapping key \"" + key + "\" already defined");
      n.set(key, convert(it->second, sub, depth + 1), mark(it->first));
    }
    for (const YAML::Node& m : keep) apply_merge(n, m, path, depth);
    return n;
  }

  // `<<: *base` or `<<: [*a, *b]`: keys not set locally come from the merged maps, the
  // earlier map of a list winning (YAML merge key spec).
  void apply_merge(Node& n, const YAML::Node& m, const std::string& path, int depth) {
    std::vector<YAML::Node> sources;
    if (m.IsMap()) {
      sources.push_back(m);
    } else if (m.IsSequence()) {
      for (size_t i = 0; i < m.size(); ++i) sources.push_back(m[i]);
    }
    if (sources.empty() ||
        !std::all_of(sources.begin(), sources.end(), [](const YAML::Node& s) { return s.IsMap(); }))
      schema::fail_at(mark(m), schema::path_join(path, "<<"),
                      "merge key value must be a mapping or a list of mappings");
    for (const YAML::Node& s : sources) {
      Node src = convert(s, path, depth + 1);
      for (auto& e : src.entries())
        if (!n.find(e.key)) n.set(e.key, std::move(e.value), e.key_mark);
    }
  }

  std::shared_ptr<const std::string> file_;
  size_t budget_;
  size_t count_ = 0;
};

}  // namespace

schema::Node parse_yaml(std::string_view text, const std::string& file) {
  auto name = std::make_shared<const std::string>(file);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    schema::fail_at(Mark{name, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
  // A real compose file has far fewer nodes than bytes; aliases may multiply it, but not
  // by more than this, so an alias bomb stops long before it can exhaust memory.
  size_t budget = std::max<size_t>(100000, text.size() * 20);
  Converter c(name, budget);
  try {
    Node n = c.convert(root, "", 0);
    if (n.is_null()) return Node::map(Mark{name, 1, 1});
    if (!n.is_map()) schema::fail_at(n.mark(), "", "top-level object must be a mapping");
    return n;
  } catch (const YAML::Exception& e) {
    schema::fail_at(Mark{name, e.mark.line + 1, e.mark.column + 1}, "", e.msg);
  }
}

}  // namespace berth::compose
