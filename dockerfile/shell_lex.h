// Shell word expansion as Dockerfile instructions do it (BuildKit's frontend/dockerfile/shell
// lexer): quotes, the escape character, $VAR and ${VAR} with the modifiers BuildKit supports
// (:- - :+ + :? ? # ## % %% / //), and splitting into words after expansion. Used by the
// parser (heredoc words) and by the builder to expand ARG/ENV in instructions. Pure logic.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace berth::dockerfile {

// Variables by name; a name absent from the map is unset, present with "" is set and empty.
using EnvMap = std::map<std::string, std::string, std::less<>>;

// "K=V" strings to a map; a later K wins, "K" alone is K set to "" (BuildKit's BuildEnvs).
EnvMap build_envs(const std::vector<std::string>& env);

struct LexResult {
  std::string result;               // the word, expanded, quotes removed (ProcessWord)
  std::vector<std::string> words;   // the same split into words (ProcessWords)
  std::set<std::string> matched;    // variables referenced and set
  std::set<std::string> unmatched;  // variables referenced and unset
};

class ShellLex {
 public:
  explicit ShellLex(char escape = '\\') : escape_(escape) {}

  // Options as BuildKit's Lex has them: keep quote characters in the output, keep escape
  // characters, treat quotes as ordinary characters, leave unset variables as written.
  bool raw_quotes = false;
  bool raw_escapes = false;
  bool skip_process_quotes = false;
  bool skip_unset_env = false;

  // Expands word. Throws berth::Error("failed to process \"WORD\": why") on bad syntax
  // (unterminated quote, bad substitution) or a ${VAR?msg} whose variable is unset.
  LexResult process(std::string_view word, const EnvMap& env) const;
  std::string process_word(std::string_view word, const EnvMap& env) const {
    return process(word, env).result;
  }
  std::vector<std::string> process_words(std::string_view word, const EnvMap& env) const {
    return process(word, env).words;
  }

  char escape() const { return escape_; }

 private:
  char escape_;
};

}  // namespace berth::dockerfile
