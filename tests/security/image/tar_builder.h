// TarBuilder: writes tarballs entry by entry with libarchive's writer (through berth's own
// dlopen shim), names kept exactly as given (no sanitising), so tests can make hostile
// layers: "..", absolute names, escaping links, bad whiteouts. Header-only, test use only.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "engine/image/archive_lib.h"
#include "engine/image/digest.h"

namespace berth::test {

// The hex of data's sha256: its blob's file name in an OCI layout.
inline std::string hex(const std::string& data) {
  return engine::image::sha256_digest(data).substr(7);
}

class TarBuilder {
 public:
  TarBuilder& file(const std::string& name, const std::string& data, unsigned perm = 0644,
                   std::map<std::string, std::string> xattrs = {}) {
    entries_.push_back({name, AE_IFREG, perm, data, "", "", 0, 0, std::move(xattrs)});
    return *this;
  }
  TarBuilder& dir(const std::string& name, unsigned perm = 0755) {
    entries_.push_back({name, AE_IFDIR, perm, "", "", "", 0, 0, {}});
    return *this;
  }
  TarBuilder& symlink(const std::string& name, const std::string& target) {
    entries_.push_back({name, AE_IFLNK, 0777, "", target, "", 0, 0, {}});
    return *this;
  }
  TarBuilder& hardlink(const std::string& name, const std::string& target) {
    entries_.push_back({name, AE_IFREG, 0644, "", "", target, 0, 0, {}});
    return *this;
  }
  TarBuilder& chardev(const std::string& name, unsigned major, unsigned minor) {
    entries_.push_back({name, AE_IFCHR, 0600, "", "", "", major, minor, {}});
    return *this;
  }

  // Sets the owner of the entry added last.
  TarBuilder& owner(unsigned uid, unsigned gid) {
    entries_.back().uid = uid;
    entries_.back().gid = gid;
    return *this;
  }

  // Writes the tarball to path. Throws std::runtime_error.
  void write(const std::filesystem::path& path) const {
    const auto& la = engine::image::archive_lib();
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("create " + path.string());
    struct archive* a = la.archive_write_new();
    la.archive_write_set_format_pax_restricted(a);
    la.archive_write_open_fd(a, fd);
    for (const auto& e : entries_) {
      struct archive_entry* ae = la.archive_entry_new();
      la.archive_entry_set_pathname(ae, e.name.c_str());
      la.archive_entry_set_filetype(ae, e.type);
      la.archive_entry_set_perm(ae, e.perm);
      la.archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
      la.archive_entry_set_mtime(ae, 1700000000, 0);
      la.archive_entry_set_uid(ae, e.uid);
      la.archive_entry_set_gid(ae, e.gid);
      if (!e.symlink.empty()) la.archive_entry_set_symlink(ae, e.symlink.c_str());
      if (!e.hardlink.empty()) la.archive_entry_set_hardlink(ae, e.hardlink.c_str());
      if (e.type == AE_IFCHR) {
        la.archive_entry_set_rdevmajor(ae, e.major);
        la.archive_entry_set_rdevminor(ae, e.minor);
      }
      for (const auto& [k, v] : e.xattrs)
        la.archive_entry_xattr_add_entry(ae, k.c_str(), v.data(), v.size());
      if (la.archive_write_header(a, ae) != ARCHIVE_OK)
        throw std::runtime_error("tar header " + e.name + ": " + engine::image::archive_error(a));
      if (!e.data.empty()) la.archive_write_data(a, e.data.data(), e.data.size());
      la.archive_entry_free(ae);
    }
    la.archive_write_close(a);
    la.archive_write_free(a);
    ::close(fd);
  }

 private:
  struct Entry {
    std::string name;
    unsigned type;
    unsigned perm;
    std::string data, symlink, hardlink;
    unsigned major, minor;
    std::map<std::string, std::string> xattrs;
    unsigned uid = 0, gid = 0;
  };
  std::vector<Entry> entries_;
};

}  // namespace berth::test
