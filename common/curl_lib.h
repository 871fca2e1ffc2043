// libcurl, loaded with dlopen on first use, for Dockerfile `ADD <url>` downloads and the
// registry client (registry/). Linked, it
// would cost every exec of `berth` the loading of libcurl.so.4 and its own dependencies
// (libssl, nghttp2, libidn2, librtmp, libssh2, libpsl, GSSAPI, LDAP, brotli: ~20 objects),
// and it would bar the static monitor from linking berth_common; only `build` and the registry
// commands download.
// Only the functions listed in BERTH_CURL_FUNCTIONS are resolved; the header gives their
// types. CURL_DISABLE_TYPECHECK: curl.h otherwise defines curl_easy_setopt as a macro, which
// would rewrite `lib.curl_easy_setopt(...)`.
#pragma once

#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

namespace berth {

#define BERTH_CURL_FUNCTIONS(X) \
  X(curl_global_init)           \
  X(curl_easy_init)             \
  X(curl_easy_cleanup)          \
  X(curl_easy_setopt)           \
  X(curl_easy_perform)          \
  X(curl_easy_getinfo)          \
  X(curl_easy_strerror)         \
  X(curl_easy_reset)            \
  X(curl_easy_escape)           \
  X(curl_free)                  \
  X(curl_slist_append)          \
  X(curl_slist_free_all)

// The resolved functions, named as in curl.h: `curl_lib().curl_easy_init()`.
struct CurlLib {
#define BERTH_CURL_MEMBER(name) decltype(&::name) name = nullptr;
  BERTH_CURL_FUNCTIONS(BERTH_CURL_MEMBER)
#undef BERTH_CURL_MEMBER
};

// Returns the library, loading "libcurl.so.4" and running curl_global_init on the first call
// (thread-safe). Throws Error("load libcurl.so.4: ... (install libcurl4)") when it cannot be
// loaded, lacks a function or fails to initialise.
const CurlLib& curl_lib();

}  // namespace berth
