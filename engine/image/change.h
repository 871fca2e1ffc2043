// `import --change`: Dockerfile instructions applied to an image config, as `docker import
// --change` does (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR).
// Each change is read by the Dockerfile parser and typed instructions (dockerfile/); its
// variables expand with the image's Env. Pure logic on the "config" object; unit-tested.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "dockerfile/instructions.h"
#include "dockerfile/shell_lex.h"

namespace berth::engine::image {

// What applying an instruction needs besides the config: the variables its words expand with
// (the builder: the ARGs in scope and the Env; --change: the image's Env), and whether this
// stage set CMD (an ENTRYPOINT then keeps it; otherwise it drops an inherited one).
struct DispatchScope {
  const dockerfile::EnvMap& vars;
  bool cmd_set = false;
  char escape = '\\';
};

// Applies one typed metadata instruction to config as Docker's dispatchers do: CMD,
// ENTRYPOINT (shell form under the config's Shell, else /bin/sh -c), ENV, LABEL, EXPOSE,
// USER, WORKDIR (relative to the current one), VOLUME, ONBUILD, SHELL, STOPSIGNAL,
// HEALTHCHECK. Others (FROM, ARG, RUN, COPY, ADD, MAINTAINER) are the builder's and ignored
// here. Throws Error for a bad value (EXPOSE port, empty WORKDIR).
void apply_instruction(nlohmann::json& config, const dockerfile::Instruction& ins,
                       DispatchScope& scope);

// A command in the config's form: exec form as given, shell form under the config's Shell
// (default /bin/sh -c).
nlohmann::json config_command(const nlohmann::json& config, const dockerfile::CommandLine& cmd);

// Applies one instruction ("ENV A=1 B=2", "CMD [\"sh\"]", "EXPOSE 80/udp" ...) to config
// (the image config's "config" object, Docker's key names: Cmd, Entrypoint, Env, ...).
// Throws Error("… is not a valid change command") for other instructions or bad syntax.
// cmd_set: whether an earlier change of the same list set CMD (an ENTRYPOINT then keeps it),
// updated; Docker dispatches a --change list as one Dockerfile.
void apply_change(nlohmann::json& config, const std::string& change, bool* cmd_set = nullptr);

// The changes of one --change list, in order, as one dispatch.
void apply_changes(nlohmann::json& config, const std::vector<std::string>& changes);

// Splits s into words as a Dockerfile does (dockerfile::ShellLex): whitespace separates, '…'
// and "…" quote, backslash escapes, $VARs are left as written. Throws Error for an
// unterminated quote.
std::vector<std::string> split_words(const std::string& s);

}  // namespace berth::engine::image
