// One repository of a registry, spoken to with the OCI distribution protocol over libcurl.
// Authentication follows the registry's WWW-Authenticate challenge: Bearer (a token from the
// realm for the repository's pull or push scope, with the stored credential as basic auth or
// an identity token, cached for the session) or Basic (the stored credential). Redirects are
// followed (10 at most; credentials are never sent to another host). Every call has a bounded
// connect and idle time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "registry/endpoint.h"

namespace berth::registry {

struct Manifest {
  std::string media_type;  // from the body's mediaType, else the Content-Type
  std::string digest;      // "sha256:<hex>" of bytes (checked against a requested digest)
  std::string bytes;
};

// Accepted manifest media types, for the Accept header and checks.
extern const char* const kOciManifest;
extern const char* const kOciIndex;
extern const char* const kDockerManifest;
extern const char* const kDockerManifestList;
bool is_index_media_type(const std::string& media_type);

// Receives a blob's bytes in order; returns false to abort the transfer.
using BlobSink = std::function<bool(const char* data, size_t len)>;

class Repository {
 public:
  enum class Access { kPull, kPush };
  // path: reference_path(ref). Picks the first endpoint that answers GET /v2/ (cached per
  // process) lazily, at the first call.
  Repository(const RegistryContext& ctx, std::string domain, std::string path,
             Access access = Access::kPull);
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  const std::string& domain() const;
  const std::string& path() const;

  // GET /v2/<path>/manifests/<tag or digest>. Throws NotFound("manifest for REF not found:
  // manifest unknown") on 404, Error otherwise; the body is limited to 4 MiB.
  Manifest get_manifest(const std::string& reference);
  // HEAD of a manifest: its digest (Docker-Content-Digest), nullopt when it does not exist.
  std::optional<std::string> head_manifest(const std::string& reference);
  // PUT a manifest under tag (or its digest); returns the digest the registry reports.
  std::string put_manifest(const std::string& reference, const Manifest& manifest);

  // GET a blob from byte offset (a Range request when offset > 0; a registry that answers the
  // whole blob instead is handled: the first offset bytes are skipped). The caller verifies
  // the digest. Throws Error on a transport failure, a status outside 2xx, or more bytes than
  // expected_size - offset (when expected_size >= 0).
  void get_blob(const std::string& digest, int64_t offset, int64_t expected_size,
                const BlobSink& sink);
  // HEAD of a blob: its size, nullopt when the registry does not have it.
  std::optional<int64_t> blob_exists(const std::string& digest);
  // Asks the registry to mount the blob from another repository of the same registry. True
  // when mounted (201), false when the registry wants an upload instead.
  bool mount_blob(const std::string& digest, const std::string& from_path);
  // Uploads the blob read from fd (size bytes, from offset 0): POST, PATCH in chunks of
  // chunk_size, PUT with the digest.
  void upload_blob(const std::string& digest, int fd, int64_t size,
                   const std::function<void(int64_t done)>& progress = {},
                   int64_t chunk_size = 16 << 20);

  // GET /v2/<path>/tags/list, following its Link pages.
  std::vector<std::string> list_tags();

  // Requests a pull-and-push scoped token for from_path as well (for mount_blob).
  void add_scope(const std::string& scope);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// `login`: checks credential against the registry's /v2/ (and its token realm when it
// challenges with Bearer). Returns the identity token the realm issued, if any. Throws
// Error("login attempt to URL failed with status: 401 Unauthorized") or a transport error.
std::string check_login(const RegistryContext& ctx, const std::string& domain,
                        const Credential& credential);

}  // namespace berth::registry
