#include "common/shared_lib.h"

#include <dlfcn.h>

#include <string>

#include "common/error.h"

namespace berth {

void* open_shared_library(const char* soname, const char* package) {
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* why = ::dlerror();
    throw Error(std::string("load ") + soname + ": " + (why ? why : "unknown error") +
                " (install " + package + ")");
  }
  return handle;
}

void* shared_library_function(void* handle, const char* soname, const char* name) {
  void* f = ::dlsym(handle, name);
  if (!f) throw Error(std::string(soname) + ": missing function " + name);
  return f;
}

}  // namespace berth
