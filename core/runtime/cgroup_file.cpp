#include "core/runtime/cgroup_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "sys/unique_fd.h"

namespace berth::core::runtime {

void write_cgroup_values(const std::filesystem::path& file,
                         const std::vector<std::string>& values) {
  sys::UniqueFd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw_errno("open", file.string(), errno);
  for (const std::string& value : values) {
    ssize_t n;
    do {
      n = ::write(fd.get(), value.data(), value.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) throw_errno("write " + value, file.string(), errno);
  }
  if (::close(fd.release()) < 0 && errno != EINTR)
    throw_errno("write " + (values.empty() ? std::string() : values.back()), file.string(), errno);
}

void write_cgroup_file(const std::filesystem::path& file, const std::string& value) {
  write_cgroup_values(file, {value});
}

}  // namespace berth::core::runtime
