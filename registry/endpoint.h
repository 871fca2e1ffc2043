// Where a repository lives and how it is reached, as Docker resolves it: the registry domain
// of a reference ("busybox" → docker.io, reached at https://registry-1.docker.io), the
// repository path ("library/busybox"), and per registry whether TLS is verified and with which
// CA bundle. Insecure registries (--insecure-registry HOST, the config file's
// "insecure-registries", and localhost / 127.0.0.0/8 / ::1, as Docker's default, unless
// BERTH_NO_DEFAULT_INSECURE=1: the tests use it to verify TLS on 127.0.0.1) are
// tried over HTTPS without verification first, then over plain HTTP. CA bundles and client
// certificates are read as Docker does: certs.d/HOST[:PORT]/*.crt (CAs), client.cert and
// client.key, from <berth config dir>/certs.d, /etc/berth/certs.d and /etc/docker/certs.d.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/image/reference.h"
#include "registry/credentials.h"

namespace berth::registry {

// "docker.io" for "busybox", "localhost:5000" for "localhost:5000/a/b".
std::string reference_domain(const engine::image::Reference& ref);
// The repository path within the registry: "library/busybox", "a/b".
std::string reference_path(const engine::image::Reference& ref);

struct Endpoint {
  std::string domain;    // "docker.io", "localhost:5000"
  std::string base_url;  // "https://registry-1.docker.io", "http://localhost:5000"
  bool verify_tls = true;
  std::vector<std::filesystem::path> ca_files;  // extra CAs (certs.d/HOST/*.crt)
  std::filesystem::path client_cert, client_key;
};

struct RegistryConfig {
  // host[:port] names and CIDR ranges ("10.0.0.0/8") of insecure registries.
  std::vector<std::string> insecure;
  // certs.d roots, searched in order.
  std::vector<std::filesystem::path> certs_dirs;

  // The config of <dirs.berth>/registries.json ({"insecure-registries": [...]}, optional) plus
  // the --insecure-registry flags. Throws Error naming the file when it is malformed.
  static RegistryConfig load(const ConfigDirs& dirs, const std::vector<std::string>& flags);

  bool is_insecure(const std::string& domain) const;
  // The endpoints to try for domain, in order: HTTPS (verified unless insecure), then, for an
  // insecure registry, HTTP.
  std::vector<Endpoint> endpoints(const std::string& domain) const;
};

// What every registry operation needs: the registry settings and the credentials.
struct RegistryContext {
  RegistryConfig config;
  CredentialStore credentials;
};

}  // namespace berth::registry
