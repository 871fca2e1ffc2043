// ISA-L's igzip inflater (libisal.so.2, Debian libisal2), loaded with dlopen on first use like
// libarchive (DESIGN-NOTES §3). It inflates gzip layers several times faster than zlib, which
// libarchive's gzip filter uses; LayerStream (layer_stream.h) prefers it for gzip and falls
// back to libarchive when the library is missing. Only the functions listed in
// BERTH_ISAL_FUNCTIONS are resolved; the header's declarations give their types.
#pragma once

#include <isa-l/igzip_lib.h>

namespace berth::engine::image {

#define BERTH_ISAL_FUNCTIONS(X) \
  X(isal_inflate_init)          \
  X(isal_inflate_reset)         \
  X(isal_inflate)

// The resolved functions, named as in igzip_lib.h: `lib->isal_inflate(&state)`.
struct IsalLib {
#define BERTH_ISAL_MEMBER(name) decltype(&::name) name = nullptr;
  BERTH_ISAL_FUNCTIONS(BERTH_ISAL_MEMBER)
#undef BERTH_ISAL_MEMBER
};

// The library, loading "libisal.so.2" on the first call (thread-safe); nullptr when it cannot
// be loaded (said once at debug level) or when the environment has BERTH_NO_ISAL=1 (read at
// every call: tests use it to force libarchive's gzip filter). Never throws.
const IsalLib* isal_lib();

}  // namespace berth::engine::image
