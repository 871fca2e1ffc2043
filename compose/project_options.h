// How a compose project is found: the compose files (`-f`, `COMPOSE_FILE`, or
// compose.yaml / compose.yml / docker-compose.yaml / docker-compose.yml in the working
// directory or a parent, plus the matching override file), the project directory, the
// variables for interpolation (`.env` or `--env-file`, overridden by the process
// environment), the active profiles and the project name (`-p`, COMPOSE_PROJECT_NAME,
// top-level `name:`, directory name). Used by the loader and by cli/compose_cmds.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::compose {

// What the command line says (`berth compose -f ... -p ... SUBCOMMAND`).
struct ProjectOptions {
  std::vector<std::string> files;      // -f, in order; "-" is stdin
  std::string name;                    // -p
  std::string project_directory;       // --project-directory
  std::vector<std::string> env_files;  // --env-file
  std::vector<std::string> profiles;   // --profile
  std::vector<std::string> services;   // services named on the command line
  bool interpolate = true;             // false: --no-interpolate
  std::string working_dir;             // default: the current directory
  // The process environment; default: environ. Tests set it.
  std::optional<std::map<std::string, std::string>> os_env;
  // Content of "-" (default: read stdin). Tests set it.
  std::optional<std::string> stdin_content;
};

// One compose file to read.
struct SourceFile {
  std::string name;  // as shown in errors
  std::string path;  // absolute, or "-"
  std::string content;
};

// The options after discovery and the environment are applied.
struct ResolvedOptions {
  std::vector<SourceFile> files;
  std::string project_dir;                 // absolute
  std::map<std::string, std::string> env;  // interpolation variables
  std::vector<std::string> profiles;
  std::string name;  // from -p or COMPOSE_PROJECT_NAME, "" when neither
};

// The content of a file the project names (compose file, include, extends, .env, env_file),
// nullopt when it does not exist. Throws schema::ComposeError for a directory or a device
// (`include: [/dev/zero]` must not hang the loader).
std::optional<std::string> read_regular_file(const std::string& path);

// Finds and reads the files and the environment. Throws schema::ComposeError (exit 14
// when no compose file is found).
ResolvedOptions resolve_options(const ProjectOptions& opts);

// Lowercases and drops characters Docker does not allow (from a directory name).
std::string normalize_project_name(const std::string& name);

// Throws unless `name` is a valid project name ([a-z0-9][a-z0-9_-]*).
void check_project_name(const std::string& name, const std::string& origin);

}  // namespace berth::compose
