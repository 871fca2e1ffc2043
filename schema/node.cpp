// The compose document tree (see node.h).
#include "schema/node.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace berth::schema {

const std::string* intern_file_name(const std::string& name) {
  static std::set<std::string> names;
  return &*names.insert(name).first;
}

std::string_view Node::tag() const {
  switch (tag_) {
    case Tag::Reset:
      return "!reset";
    case Tag::Override:
      return "!override";
    case Tag::None:
      break;
  }
  return "";
}

void Node::set_tag(std::string_view t) {
  tag_ = t == "!reset" ? Tag::Reset : t == "!override" ? Tag::Override : Tag::None;
}

std::string Mark::str() const {
  std::string s = file ? *file : std::string();
  if (line > 0) s += ":" + std::to_string(line) + ":" + std::to_string(col);
  return s;
}

void fail_at(const Mark& mark, std::string_view path, const std::string& msg) {
  std::string s = mark.str();
  if (!s.empty()) s += ": ";
  if (!path.empty()) s += std::string(path) + ": ";
  throw ComposeError(s + msg);
}

std::string path_join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string s(path);
  s += '.';
  s += key;
  return s;
}

std::string path_index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

Node::~Node() = default;
Node::Node(const Node&) = default;
Node::Node(Node&&) noexcept = default;
Node& Node::operator=(const Node&) = default;
Node& Node::operator=(Node&&) noexcept = default;

Node Node::null(Mark m) {
  Node n;
  n.mark_ = std::move(m);
  return n;
}

Node Node::str(std::string s, Mark m) {
  Node n = plain(std::move(s), std::move(m));
  n.quoted_ = true;
  return n;
}

Node Node::plain(std::string s, Mark m) {
  Node n;
  n.kind_ = Kind::Scalar;
  n.scalar_ = std::move(s);
  n.mark_ = std::move(m);
  return n;
}

Node Node::seq(Mark m) {
  Node n;
  n.kind_ = Kind::Sequence;
  n.mark_ = std::move(m);
  return n;
}

Node Node::map(Mark m) {
  Node n;
  n.kind_ = Kind::Mapping;
  n.mark_ = std::move(m);
  return n;
}

bool Node::is_bool() const {
  if (kind_ != Kind::Scalar || quoted_) return false;
  static const char* const kWords[] = {"true", "True", "TRUE", "false", "False", "FALSE"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char* w) { return scalar_ == w; });
}

bool Node::as_bool() const {
  return scalar_[0] == 't' || scalar_[0] == 'T';
}

bool Node::is_int() const {
  if (kind_ != Kind::Scalar || quoted_ || scalar_.empty()) return false;
  size_t i = (scalar_[0] == '-' || scalar_[0] == '+') ? 1 : 0;
  if (i == scalar_.size()) return false;
  return std::all_of(scalar_.begin() + i, scalar_.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

bool Node::is_number() const {
  if (is_int()) return true;
  if (kind_ != Kind::Scalar || quoted_ || scalar_.empty()) return false;
  // [-+]? digits [. digits] [e [-+]? digits], with at least one digit before the exponent.
  const std::string& s = scalar_;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++digits;
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    size_t exp = 0;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

std::string Node::type_name() const {
  switch (kind_) {
    case Kind::Null:
      return "null";
    case Kind::Sequence:
      return "array";
    case Kind::Mapping:
      return "mapping";
    case Kind::Scalar:
      break;
  }
  if (is_bool()) return "boolean";
  if (is_number()) return "number";
  return "string";
}

Node* Node::find(std::string_view key) {
  for (auto& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

const Node* Node::find(std::string_view key) const {
  const Entry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

const Node::Entry* Node::find_entry(std::string_view key) const {
  for (auto& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

Node& Node::set(std::string key, Node value, Mark key_mark) {
  for (auto& e : entries_) {
    if (e.key == key) {
      e.value = std::move(value);
      return e.value;
    }
  }
  if (!key_mark.file) key_mark = value.mark();
  // Maps the loader builds key by key (canonical forms, defaults) have a handful of keys:
  // start at 8 rather than growing 1, 2, 4, 8 (each growth a malloc, a move and a free).
  if (entries_.size() == entries_.capacity())
    entries_.reserve(std::max<size_t>(8, 2 * entries_.size()));
  entries_.push_back(Entry{std::move(key), std::move(key_mark), std::move(value)});
  return entries_.back().value;
}

bool Node::erase(std::string_view key) {
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](auto& e) { return e.key == key; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

bool Node::operator==(const Node& o) const {
  if (kind_ != o.kind_) return false;
  switch (kind_) {
    case Kind::Null:
      return true;
    case Kind::Scalar:
      return scalar_ == o.scalar_;
    case Kind::Sequence:
      return items_ == o.items_;
    case Kind::Mapping:
      if (entries_.size() != o.entries_.size()) return false;
      for (size_t i = 0; i < entries_.size(); ++i)
        if (entries_[i].key != o.entries_[i].key || !(entries_[i].value == o.entries_[i].value))
          return false;
      return true;
  }
  return false;
}

}  // namespace berth::schema
