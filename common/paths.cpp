#include "common/paths.h"

#include "common/atomic_file.h"

namespace berth {

void Paths::ensure() const {
  make_dirs(root, 0700);
  make_dirs(runroot, 0700);
  make_dirs(locks(), 0700);
}

}  // namespace berth
