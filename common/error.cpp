#include "common/error.h"

#include <cerrno>
#include <cstring>

namespace berth {

Error Error::with_context(std::string_view context) const {
  return Error(std::string(context) + ": " + what(), exit_code_);
}

std::string errno_message(std::string_view op, std::string_view subject, int err) {
  std::string msg(op);
  if (!subject.empty()) {
    msg += " `";
    msg += subject;
    msg += "`";
  }
  msg += ": ";
  msg += std::strerror(err);
  return msg;
}

void throw_errno(std::string_view op, std::string_view subject, int err) {
  throw Error(errno_message(op, subject, err));
}

long check(long rc, std::string_view op, std::string_view subject) {
  if (rc < 0) throw_errno(op, subject, errno);
  return rc;
}

}  // namespace berth
