// Shared libraries opened with dlopen the first time a command needs them, so that they cost
// nothing to the commands that do not (DESIGN-NOTES §3): libarchive, libisal, libnftables,
// libcrypto.
// Each shim lists the functions it uses in a struct of pointers typed from the library's own
// header and fills it once with load_once().
#pragma once

#include <mutex>

namespace berth {

// Opens soname for the process lifetime (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE: never
// closed, so the functions stay valid). Throws Error("load SONAME: WHY (install PACKAGE)").
void* open_shared_library(const char* soname, const char* package);

// The address of `name` in the library. Throws Error("SONAME: missing function NAME").
void* shared_library_function(void* handle, const char* soname, const char* name);

// lib.name = the function `name` of the library, typed as the member.
#define BERTH_RESOLVE_FUNCTION(lib, handle, soname, name) \
  lib.name = reinterpret_cast<decltype(lib.name)>(        \
      ::berth::shared_library_function(handle, soname, #name));

// The table load() returns, made on the first call (thread-safe) and kept.
template <class Lib>
const Lib& load_once(Lib (*load)()) {
  static Lib lib;
  static std::once_flag once;
  std::call_once(once, [load] { lib = load(); });
  return lib;
}

}  // namespace berth
