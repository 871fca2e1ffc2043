#include "core/monitor/log_writer.h"

#include <unistd.h>

#include <cerrno>

#include "common/timestamps.h"

namespace berth::core::monitor {

namespace {

constexpr size_t kMaxLine = 16 * 1024;

// Length of the valid UTF-8 sequence at s[0], 0 when invalid.
size_t utf8_length(std::string_view s) {
  auto c = static_cast<unsigned char>(s[0]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > s.size()) return 0;
  for (size_t i = 1; i < n; ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0;
  return n;
}

void escape(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  while (!s.empty()) {
    auto c = static_cast<unsigned char>(s[0]);
    size_t n = 1;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((n = utf8_length(s)) > 0) {
      out.append(s.data(), n);
    } else {
      out += "\\ufffd";
      n = 1;
    }
    s.remove_prefix(n);
  }
}

}  // namespace

void JsonLogWriter::encode(std::string& out, Stream s, std::string_view line) {
  char ts[48];
  size_t len = berth::format_rfc3339_nano(berth::now(), ts);
  out += "{\"log\":\"";
  escape(out, line);
  out += s == kStdout ? "\",\"stream\":\"stdout\",\"time\":\""
                      : "\",\"stream\":\"stderr\",\"time\":\"";
  out.append(ts, len);
  out += "\"}\n";
}

void JsonLogWriter::emit(Stream s, std::string_view line) {
  encode(batch_, s, line);
}

void JsonLogWriter::write(Stream s, std::string_view data) {
  std::string& part = partial_[s];
  while (!data.empty()) {
    size_t nl = data.find('\n');
    size_t take = nl == std::string_view::npos ? data.size() : nl + 1;
    if (part.size() + take > kMaxLine && nl == std::string_view::npos) {
      take = std::min(take, kMaxLine - part.size());
      part.append(data.substr(0, take));
      emit(s, part);
      part.clear();
    } else if (nl != std::string_view::npos) {
      if (part.empty()) {
        emit(s, data.substr(0, take));
      } else {
        part.append(data.substr(0, take));
        emit(s, part);
        part.clear();
      }
    } else {
      part.append(data.substr(0, take));
    }
    data.remove_prefix(take);
  }
  std::string_view out = batch_;
  while (!failed_ && !out.empty()) {
    ssize_t n = ::write(fd_, out.data(), out.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failed_ = true;
      break;
    }
    out.remove_prefix(static_cast<size_t>(n));
  }
  batch_.clear();
}

void JsonLogWriter::flush() {
  for (int s : {kStdout, kStderr}) {
    if (partial_[s].empty()) continue;
    emit(static_cast<Stream>(s), partial_[s]);
    partial_[s].clear();
  }
  write(kStdout, {});
}

}  // namespace berth::core::monitor
