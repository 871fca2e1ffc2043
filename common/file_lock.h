// FileLock: an flock(2) on a lock file, held for the object's lifetime. Coordinates
// concurrent berth commands (20 parallel `run -d` must not lose or corrupt a record).
#pragma once

#include <filesystem>

#include "sys/unique_fd.h"

namespace berth {

class FileLock {
 public:
  enum class Mode { kShared, kExclusive };
  // Creates the file if needed and blocks until the lock is held. Throws Error.
  explicit FileLock(const std::filesystem::path& path, Mode mode = Mode::kExclusive);
  // Non-blocking variant: returns an unlocked (held() == false) object when busy.
  static FileLock try_lock(const std::filesystem::path& path, Mode mode = Mode::kExclusive);
  bool held() const { return fd_.valid(); }
  void unlock() { fd_.reset(); }

 private:
  FileLock() = default;
  sys::UniqueFd fd_;
};

}  // namespace berth
