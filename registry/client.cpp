#include "registry/client.h"

#include "common/error.h"

namespace berth::registry {

// Placeholder until the distribution client lands (issue 20).
std::string check_login(const RegistryContext&, const std::string& domain, const Credential&) {
  throw Error("login to " + domain + ": the registry client is not implemented yet");
}

}  // namespace berth::registry
