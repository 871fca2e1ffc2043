// The Dockerfile parser: text → one node per instruction, as BuildKit's
// frontend/dockerfile/parser builds its tree (parser directives, line continuations with the
// escape character, comments, --flags, JSON or shell form, heredocs), with each node's start
// and end line. dump() prints BuildKit's parse-tree format (its testfiles' `result`). The
// typed layer (instructions.h) and the builder read these nodes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerfile {

// A here-document attached to RUN, COPY or ADD: `<<EOF` (expand), `<<"EOF"`/`<<'EOF'` (no
// expansion), `<<-EOF` (chomp: leading tabs stripped from the content and terminator).
struct Heredoc {
  std::string name;
  unsigned fd = 0;  // the N of N<<EOF
  bool expand = true;
  bool chomp = false;
  std::string content;  // every line up to the terminator, newlines kept, tabs not yet stripped
};

struct Node {
  std::string value;               // the instruction keyword in lower case ("run")
  std::vector<std::string> args;   // what BuildKit chains as Next: words, JSON items, pairs
  std::unique_ptr<Node> sub;       // ONBUILD's instruction (args is then empty)
  std::vector<std::string> flags;  // "--from=build", before the arguments
  bool json = false;               // the arguments were a JSON array (exec form)
  std::string original;            // the logical line, continuations joined
  int start_line = 0;              // 1-based, the first physical line
  int end_line = 0;                // the last one (continuations and heredocs included)
  std::vector<Heredoc> heredocs;
  std::vector<std::string> comments;  // the comment lines right above it
};

struct ParseResult {
  std::vector<Node> children;
  char escape = '\\';
  std::vector<std::string> warnings;  // empty continuation lines
};

// Parses a Dockerfile. Throws berth::Error("FILE:LINE: message") — FILE is file_name
// ("Dockerfile", or the -f name) — for a bad directive, bad JSON form, ENV/LABEL without a
// value, an unterminated heredoc, or a file with no instructions.
ParseResult parse(std::string_view text, std::string_view file_name = "Dockerfile");

// One node in BuildKit's dump format: `run ["--mount=x"] "echo hi"`; ONBUILD's instruction
// in parentheses.
std::string dump(const Node& node);
// Every node as `(…)` on its own line, as BuildKit's Node.Dump() of the root (no final newline).
std::string dump(const ParseResult& result);

// A heredoc word of a line (`<<EOF`, `<<-"EOF"`, `3<<EOF`), nullopt when word is not one
// (BuildKit's ParseHeredoc); content is empty.
std::optional<Heredoc> parse_heredoc(std::string_view word);

// Go's strconv.Quote: a double-quoted string with Go escapes (used by dump()).
std::string go_quote(std::string_view s);

}  // namespace berth::dockerfile
