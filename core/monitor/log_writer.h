// JsonLogWriter: a container's stdout/stderr as Docker's json-file log driver writes it, one
// JSON object per line in <root>/containers/<id>/log.json:
//   {"log":"hello\n","stream":"stdout","time":"2026-11-29T19:00:19.123456789Z"}
// Output is split into lines; a line longer than 16 KiB, or an unterminated last line at
// exit, becomes an entry without "\n" (as Docker does). Invalid UTF-8 becomes U+FFFD so the
// file always parses. Used by the monitor; `logs` reads the file back (lifecycle/logs).
#pragma once

#include <string>
#include <string_view>

namespace berth::core::monitor {

class JsonLogWriter {
 public:
  // fd: the log file, opened O_APPEND; not owned.
  explicit JsonLogWriter(int fd) : fd_(fd) {}

  enum Stream { kStdout = 0, kStderr = 1 };
  // Appends the complete lines of data (and keeps the rest for later). Write errors are
  // remembered (failed()) and further output is dropped: a full disk must not stop the
  // container.
  void write(Stream s, std::string_view data);
  // Writes any partial lines (at container exit).
  void flush();
  bool failed() const { return failed_; }

  // One encoded entry (including the final '\n'), appended to out. Exposed for unit tests.
  static void encode(std::string& out, Stream s, std::string_view line);

 private:
  void emit(Stream s, std::string_view line);

  int fd_;
  std::string partial_[2];
  std::string batch_;
  bool failed_ = false;
};

}  // namespace berth::core::monitor
