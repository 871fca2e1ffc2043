// `import --change`: Dockerfile instructions applied to an image config, as `docker import
// --change` does (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR).
// Each change is read by the Dockerfile parser and typed instructions (dockerfile/); its
// variables expand with the image's Env. Pure logic on the "config" object; unit-tested.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace berth::engine::image {

// Applies one instruction ("ENV A=1 B=2", "CMD [\"sh\"]", "EXPOSE 80/udp" ...) to config
// (the image config's "config" object, Docker's key names: Cmd, Entrypoint, Env, ...).
// Throws Error("… is not a valid change command") for other instructions or bad syntax.
void apply_change(nlohmann::json& config, const std::string& change);

// Splits s into words as a Dockerfile does (dockerfile::ShellLex): whitespace separates, '…'
// and "…" quote, backslash escapes, $VARs are left as written. Throws Error for an
// unterminated quote.
std::vector<std::string> split_words(const std::string& s);

}  // namespace berth::engine::image
