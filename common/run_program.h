// Running a short helper program to completion and taking its answer from its output: the
// input is written to its stdin (then closed) while its stdout and stderr are read, so that
// neither side blocks on a full pipe. The program inherits berth's environment. Used for
// Docker's credential helpers (docker-credential-NAME get).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

struct ProgramOutput {
  int status = 0;  // waitpid(2)'s wait status
  std::string out;
  std::string err;
  bool exited_zero() const;
};

// The first executable regular file named name in $PATH's directories, as execvp looks it up
// ("/usr/local/bin:/usr/bin:/bin" when PATH is unset); nullopt when there is none. A name with
// a '/' is not looked up.
std::optional<std::filesystem::path> find_on_path(const std::string& name);

// Runs program with argv (argv[0] included) and input on its stdin, and returns once it has
// exited. The program starts with default signal dispositions and an empty signal mask.
// Throws Error("run `program`: strerror") when it cannot be started.
ProgramOutput run_program(const std::filesystem::path& program,
                          const std::vector<std::string>& argv, std::string_view input);

}  // namespace berth
