// The compose document tree: YAML values (null, scalar, sequence, mapping) that keep the file,
// line and column they came from, so every loader phase can report `file:line:col: path: msg`.
// Mappings keep insertion order (the loader sorts only when printing). Built by the parse
// phase (compose/parse.cpp) from libyaml events; used by every later phase and by bind.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.h"

namespace berth::schema {

// Where a value was written. line/col are 1-based; 0 means "made by the loader".
struct Mark {
  const std::string* file = nullptr;  // from intern_file_name(): lives as long as the process
  int line = 0;
  int col = 0;
  // "compose.yaml:12:7" or "compose.yaml" or "" when unknown.
  std::string str() const;
};

// A stable pointer to `name` for marks (file names are few; they are never freed).
const std::string* intern_file_name(const std::string& name);

// A user mistake in a compose file: exit code 15 like `docker compose` parse failures.
class ComposeError : public Error {
 public:
  explicit ComposeError(const std::string& msg, int code = 15) : Error(msg, code) {}
};

// Throws ComposeError("file:line:col: path: msg").
[[noreturn]] void fail_at(const Mark& mark, std::string_view path, const std::string& msg);

// "services" + "web" -> "services.web"; index paths use "[0]".
std::string path_join(std::string_view path, std::string_view key);
std::string path_index(std::string_view path, size_t i);

class Node {
 public:
  enum class Kind { Null, Scalar, Sequence, Mapping };
  struct Entry;

  Node() = default;
  // Out of line: Entry is complete only after Node (clang insists for the vector's members).
  ~Node();
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;

  static Node null(Mark m = {});
  // A string value (printed quoted when it would read as another type).
  static Node str(std::string s, Mark m = {});
  // A plain value whose type YAML resolves from its text (numbers, booleans).
  static Node plain(std::string s, Mark m = {});
  static Node seq(Mark m = {});
  static Node map(Mark m = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_seq() const { return kind_ == Kind::Sequence; }
  bool is_map() const { return kind_ == Kind::Mapping; }
  // "null", "string", "number", "boolean", "array", "mapping" (for type errors).
  std::string type_name() const;

  const std::string& scalar() const { return scalar_; }
  void set_scalar(std::string s) { scalar_ = std::move(s); }
  // True when the text must stay a string (it was quoted, or the loader made it a string).
  bool quoted() const { return quoted_; }
  void set_quoted(bool q) { quoted_ = q; }
  // Resolved YAML 1.2 core types of a plain scalar.
  bool is_bool() const;
  bool is_int() const;
  bool is_number() const;
  bool as_bool() const;  // only when is_bool()

  // "!reset", "!override" or "" (other tags are not kept).
  std::string_view tag() const;
  void set_tag(std::string_view t);
  const Mark& mark() const { return mark_; }
  void set_mark(Mark m) { mark_ = std::move(m); }

  // Sequence access.
  std::vector<Node>& items() { return items_; }
  const std::vector<Node>& items() const { return items_; }
  void push(Node n) { items_.push_back(std::move(n)); }

  // Mapping access.
  std::vector<Entry>& entries() { return entries_; }
  const std::vector<Entry>& entries() const { return entries_; }
  Node* find(std::string_view key);
  const Node* find(std::string_view key) const;
  const Entry* find_entry(std::string_view key) const;
  // Sets key to value (replacing an existing value in place); returns the stored value.
  Node& set(std::string key, Node value, Mark key_mark = {});
  bool erase(std::string_view key);

  // Scalars by text, sequences and mappings element-wise (marks and tags ignored).
  bool operator==(const Node& o) const;

 private:
  enum class Tag : unsigned char { None, Reset, Override };
  Kind kind_ = Kind::Null;
  bool quoted_ = false;
  Tag tag_ = Tag::None;
  std::string scalar_;
  Mark mark_;
  std::vector<Node> items_;
  std::vector<Entry> entries_;
};

struct Node::Entry {
  std::string key;
  Mark key_mark;
  Node value;
};

}  // namespace berth::schema
