#include "registry/credentials.h"

#include <cstdlib>

#include "common/error.h"

namespace berth::registry {

// Stub until the credential store lands (issue 20).
ConfigDirs ConfigDirs::from_env() {
  ConfigDirs d;
  const char* home = std::getenv("HOME");
  std::filesystem::path h = home && *home ? home : "/root";
  if (const char* b = std::getenv("BERTH_CONFIG"); b && *b)
    d.berth = b;
  else if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    d.berth = std::filesystem::path(x) / "berth";
  else
    d.berth = h / ".config" / "berth";
  if (const char* dc = std::getenv("DOCKER_CONFIG"); dc && *dc)
    d.docker = dc;
  else
    d.docker = h / ".docker";
  return d;
}

std::string credential_key(const std::string& server) {
  return server;
}

CredentialStore::CredentialStore(ConfigDirs dirs) : dirs_(std::move(dirs)) {}

std::optional<Credential> CredentialStore::get(const std::string&) const {
  return std::nullopt;
}

void CredentialStore::put(const std::string&, const Credential&) {
  throw Error("credential store: not implemented yet");
}

bool CredentialStore::erase(const std::string&) {
  return false;
}

}  // namespace berth::registry
