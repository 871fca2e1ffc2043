// `cp`'s SRC and DEST arguments as Docker's CLI and Compose read them (splitCpArg): "NAME:PATH"
// names a path in container (or, for `compose cp`, service) NAME, unless the text is a local
// path: absolute, starting with '.', or without a name before the first ':'.
// Used by `berth cp` and `berth compose cp`.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace berth::cli {

// {NAME, PATH} for a container (service) path; nullopt for a local path ("-" included).
std::optional<std::pair<std::string, std::string>> split_cp_arg(const std::string& arg);

}  // namespace berth::cli
