#include "common/curl_lib.h"

#include "common/error.h"
#include "common/shared_lib.h"

namespace berth {

namespace {

// Names unique in the library: a unity build compiles this file with crypto_lib.cpp.
constexpr const char* kCurlSoname = "libcurl.so.4";

CurlLib load_curl() {
  void* handle = open_shared_library(kCurlSoname, "libcurl4");
  CurlLib lib;
#define BERTH_CURL_RESOLVE(name) BERTH_RESOLVE_FUNCTION(lib, handle, kCurlSoname, name)
  BERTH_CURL_FUNCTIONS(BERTH_CURL_RESOLVE)
#undef BERTH_CURL_RESOLVE
  // Once per process, before any handle (curl_global_init is not thread-safe on every build;
  // load_once runs this under std::call_once).
  if (CURLcode rc = lib.curl_global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
    throw Error(std::string("init ") + kCurlSoname + ": " + lib.curl_easy_strerror(rc));
  return lib;
}

}  // namespace

const CurlLib& curl_lib() {
  return load_once(&load_curl);
}

}  // namespace berth
