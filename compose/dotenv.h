// `.env` and `env_file` parsing, following compose-go's dotenv: `KEY=VALUE` lines, `export`
// prefix, `#` comment lines and ` #` inline comments on unquoted values, single quotes
// (literal), double quotes (escapes \n \t \r \\ \" \$, may span lines), `${VAR}` expansion in
// unquoted and double-quoted values, a bare `KEY` taking its value from the lookup.
// `format: raw` takes everything after `=` literally. Used by the loader (.env of the project
// and of each include) and by the env_file canonicaliser.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compose/interpolate.h"

namespace berth::compose {

using EnvList = std::vector<std::pair<std::string, std::string>>;

// Parses dotenv text from `file` (used in errors "file:line: ..."). Variables defined earlier
// in the file are visible to later `${VAR}`; `lookup` supplies the rest. Throws
// schema::ComposeError for a malformed line.
EnvList parse_dotenv(std::string_view text, const std::string& file, const Lookup& lookup,
                     bool raw = false);

}  // namespace berth::compose
