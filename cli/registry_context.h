// The registry settings and credentials every registry command uses (pull, push, login,
// logout, and the automatic pulls of run, create, build and compose), from the globals.
#pragma once

#include "cli/commands.h"
#include "registry/endpoint.h"

namespace berth::cli {

inline registry::RegistryContext registry_context(const Globals& g) {
  auto dirs = registry::ConfigDirs::from_env();
  return {registry::RegistryConfig::load(dirs, g.insecure_registries),
          registry::CredentialStore(dirs)};
}

}  // namespace berth::cli
