// berth::Error: the one exception type of control-plane code (STYLE.md "Errors").
// Its message is a chain "what was being done: on what: why", built by callers adding
// context; exit_code() is what the CLI exits with (Docker's conventions: 125 engine error,
// 126 not executable, 127 not found, 1 for ordinary command failures).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace berth {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg, int exit_code = 1)
      : std::runtime_error(msg), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }
  // A copy of this error with "context: " in front, same exit code.
  Error with_context(std::string_view context) const;

 private:
  int exit_code_;
};

// A named object does not exist ("No such container: web"), exit code 1 as docker.
class NotFound : public Error {
 public:
  using Error::Error;
};

// Builds ``op `subject`: strerror(err)`` (crun's error contract).
std::string errno_message(std::string_view op, std::string_view subject, int err);

// Throws Error(errno_message(op, subject, err)).
[[noreturn]] void throw_errno(std::string_view op, std::string_view subject, int err);

// Throws with the current errno when rc < 0; returns rc otherwise.
long check(long rc, std::string_view op, std::string_view subject = {});

}  // namespace berth
