// The per-instruction argument parsers behind parse() (BuildKit's line_parsers.go and
// split_command.go): each turns the text after the keyword into the node's args.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/parser.h"

namespace berth::dockerfile::detail {

// Splits a logical line into keyword (lower case), leading --flags and the rest.
struct SplitLine {
  std::string keyword;
  std::vector<std::string> flags;
  std::string rest;
};
SplitLine split_command(std::string_view line, char escape);

// Fills node.args (and node.json, node.sub) from rest for node.value's instruction.
// Throws berth::Error with BuildKit's message (no location) on a bad argument.
void parse_arguments(Node& node, std::string_view rest, char escape);

// Words separated by whitespace, quotes and escapes kept (BuildKit's parseWords).
std::vector<std::string> parse_words(std::string_view rest, char escape);

}  // namespace berth::dockerfile::detail
