#include "core/runtime/path_exec.h"

#include <limits.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <initializer_list>

namespace berth::core::runtime {

namespace {

// snprintf may allocate: strings are appended by hand.
int message(char* msg, size_t cap, int code, const char* a, const char* b = nullptr,
            const char* c = nullptr, const char* d = nullptr, const char* e = nullptr) {
  size_t len = 0;
  for (const char* s : {a, b, c, d, e})
    while (s && *s && len + 1 < cap) msg[len++] = *s++;
  if (cap > 0) msg[len] = '\0';
  return code;
}

int failed(char* msg, size_t cap, const char* cmd, int err) {
  if (err == ENOENT || err == ENOTDIR)
    return message(msg, cap, 127, "exec: \"", cmd, "\": stat ", cmd, ": no such file or directory");
  if (err == EACCES || err == EPERM)
    return message(msg, cap, 126, "exec: \"", cmd, "\": permission denied");
  return message(msg, cap, 126, "exec: \"", cmd, "\": ", strerrordesc_np(err));
}

}  // namespace

int exec_in_path(char* const* argv, char* const* envp, const char* path_env, char* msg,
                 size_t cap) {
  const char* cmd = argv[0];
  if (!cmd || !*cmd)
    return message(msg, cap, 127, "exec: \"\": executable file not found in $PATH");
  if (std::strchr(cmd, '/')) {
    ::execve(cmd, argv, envp);
    return failed(msg, cap, cmd, errno);
  }
  bool denied = false;
  const char* dir = path_env ? path_env : "";
  char full[PATH_MAX];
  const size_t clen = std::strlen(cmd);
  while (*dir) {
    const char* end = std::strchr(dir, ':');
    size_t dlen = end ? static_cast<size_t>(end - dir) : std::strlen(dir);
    if (dlen > 0 && dlen + clen + 2 < sizeof full) {
      std::memcpy(full, dir, dlen);
      full[dlen] = '/';
      std::memcpy(full + dlen + 1, cmd, clen + 1);
      ::execve(full, argv, envp);
      if (errno == EACCES)
        denied = true;
      else if (errno != ENOENT && errno != ENOTDIR)
        return failed(msg, cap, cmd, errno);
    }
    if (!end) break;
    dir = end + 1;
  }
  if (denied) return failed(msg, cap, cmd, EACCES);
  return message(msg, cap, 127, "exec: \"", cmd, "\": executable file not found in $PATH");
}

}  // namespace berth::core::runtime
