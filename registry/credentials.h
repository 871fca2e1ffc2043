// Registry credentials as `docker login` keeps them. berth writes its own file,
// <berth config dir>/auth.json (mode 0600, written atomically), in Docker's config.json shape
// ({"auths": {"KEY": {"auth": base64("user:password")}}}), and reads Docker's
// <docker config dir>/config.json as well: its "auths", and its "credHelpers" / "credsStore"
// through the docker-credential-* protocol (`docker-credential-NAME get` with the server on
// stdin, JSON {"Username","Secret"} on stdout) where that helper is installed.
// A credential is never printed, logged or put in an error message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace berth::registry {

// Where configuration is read from. from_env():
//   berth:  $BERTH_CONFIG, else $XDG_CONFIG_HOME/berth, else $HOME/.config/berth
//   docker: $DOCKER_CONFIG, else $HOME/.docker
struct ConfigDirs {
  std::filesystem::path berth;
  std::filesystem::path docker;
  static ConfigDirs from_env();
};

struct Credential {
  std::string username;
  std::string password;
  // An identity (refresh) token from a registry's OAuth2 flow: sent as the refresh_token
  // instead of a password (Docker's "identitytoken").
  std::string identity_token;
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// The key a registry's credential is stored under, as Docker spells it: docker.io (and
// index.docker.io, registry-1.docker.io) → "https://index.docker.io/v1/", anything else its
// host[:port] with a scheme or path stripped ("https://localhost:5000/v2/" → "localhost:5000").
std::string credential_key(const std::string& server);

class CredentialStore {
 public:
  explicit CredentialStore(ConfigDirs dirs = ConfigDirs::from_env());

  // The credential for server (any spelling credential_key accepts): berth's auth.json first,
  // then Docker's credHelpers[server], credsStore, auths. nullopt when none has one. Throws
  // Error (naming the file, never the secret) when a file is malformed or a helper fails
  // otherwise than "credentials not found".
  std::optional<Credential> get(const std::string& server) const;
  // Stores the credential in berth's auth.json (mode 0600, atomic replace).
  void put(const std::string& server, const Credential& credential);
  // Removes server's entry from berth's auth.json. False when there was none.
  bool erase(const std::string& server);

  const ConfigDirs& dirs() const { return dirs_; }

 private:
  ConfigDirs dirs_;
};

}  // namespace berth::registry
