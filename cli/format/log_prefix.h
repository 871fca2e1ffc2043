// How `compose logs` and an attached `compose up` mark each line with the container it came
// from, as Docker Compose does: the container's name without "<project>-", padded to the
// longest name, then " | "; on a terminal, each container's prefix in its own colour, taken in
// turn from Compose's list (cyan, yellow, green, magenta, blue, then their bold forms).
// Used by cli/compose_log_streams.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace berth::cli::format {

// The ANSI SGR code of the index-th colour ("36", ..., "34;1"), round again after the tenth.
const char* log_colour(size_t index);

// The name Compose shows for a container: "web-1" for "<project>-web-1", its default name;
// any other name (container_name) whole.
std::string log_name(const std::string& container_name, const std::string& project,
                     const std::string& service, int number);

class LogPrefixer {
 public:
  // names: the containers' shown names, in the order their colours are given. colour: ANSI
  // colours (a terminal); prefix: false for --no-log-prefix.
  LogPrefixer(std::vector<std::string> names, bool colour, bool prefix);

  // "web-1     | " (coloured), or "" without prefix.
  const std::string& prefix(size_t i) const { return prefixes_[i]; }
  // One output line: prefix, time and a space when time is not empty, the text without its
  // newline, one "\n".
  std::string line(size_t i, std::string_view text, std::string_view time) const;
  // "web-1 exited with code 0\n", in the container's colour.
  std::string status(size_t i, const std::string& message) const;

 private:
  std::string paint(size_t i, const std::string& s) const;

  std::vector<std::string> names_;
  std::vector<std::string> prefixes_;
  bool colour_;
};

}  // namespace berth::cli::format
