// ARG scoping as Docker's builders do it. Build args (--build-arg) override defaults; the ARGs
// before the first FROM form the global scope, which only FROM lines see, until a stage
// declares `ARG NAME` to bring one in; a stage sees only what it declared (and its ENV, which
// wins over an ARG of the same name). The proxy args are passed to RUN without a declaration
// and kept out of the image's history; TARGETPLATFORM and friends are predefined. Pure logic.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "dockerfile/instructions.h"
#include "dockerfile/shell_lex.h"

namespace berth::builder {

// The platform the build runs on and builds for (no cross builds): os/arch[/variant] of this
// machine, as Go names them ("linux/amd64", "linux/arm64").
struct Platform {
  std::string os = "linux", arch, variant;
  std::string str() const { return os + "/" + arch + (variant.empty() ? "" : "/" + variant); }
};
Platform host_platform();

// --build-arg values as Docker reads them: "K=V", or "K" alone for the environment's K (left
// out when the environment has none).
std::map<std::string, std::string> parse_build_arg_flags(const std::vector<std::string>& flags);

// Whether name is one of Docker's predefined proxy args (HTTP_PROXY, https_proxy, ...).
bool is_proxy_arg(const std::string& name);

class BuildArgs {
 public:
  // given: --build-arg values (a `--build-arg K` without value resolved by the caller).
  BuildArgs(std::map<std::string, std::string> given, Platform platform);

  // The ARGs before the first FROM: declares them in the global scope. Throws Error for a bad
  // default (expansion syntax).
  void declare_global(const std::vector<dockerfile::ArgInstr>& meta, char escape);
  // What FROM lines and --from flags expand with: the global ARGs and the platform args.
  const dockerfile::EnvMap& global() const { return global_; }

  // A stage's own scope, empty at its FROM.
  class Stage {
   public:
    // Declares the ARGs of one instruction: --build-arg, else the default expanded with vars
    // (the stage's args and the config's Env), else the global value, else declared unset.
    void declare(const dockerfile::ArgInstr& arg, const dockerfile::EnvMap& vars, char escape);
    // Declared ARGs that have a value, in declaration order.
    const std::vector<std::pair<std::string, std::string>>& values() const { return values_; }
    // The args in scope merged with env ("K=V" items, the image's Env): what the stage's
    // instructions expand with; env wins.
    dockerfile::EnvMap vars(const std::vector<std::string>& env) const;
    // The environment a RUN gets on top of the image's Env: the declared ARGs and the given
    // proxy args, minus names env already sets.
    std::vector<std::pair<std::string, std::string>> run_env(
        const std::vector<std::string>& env) const;
    // The declared ARGs for a RUN's history and cache key, as "K=V" (proxy args left out).
    std::vector<std::string> history_args() const;

   private:
    friend class BuildArgs;
    explicit Stage(BuildArgs* owner) : owner_(owner) {}
    BuildArgs* owner_;
    std::vector<std::pair<std::string, std::string>> values_;
  };
  Stage stage() { return Stage(this); }

  // --build-arg names no ARG declared (Docker warns: "One or more build-args [..] were not
  // consumed"), sorted; the proxy and platform args never count.
  std::vector<std::string> unused() const;

 private:
  std::map<std::string, std::string> given_;
  std::map<std::string, std::string> platform_args_;
  dockerfile::EnvMap global_;
  std::set<std::string> used_;
};

}  // namespace berth::builder
