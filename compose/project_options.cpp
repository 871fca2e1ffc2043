// Finding a compose project (see project_options.h).
#include "compose/project_options.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>

#include "common/atomic_file.h"
#include "common/strings.h"
#include "compose/dotenv.h"
#include "schema/node.h"

extern char** environ;

namespace berth::compose {
namespace fs = std::filesystem;
namespace {

constexpr int kNotFoundExit = 14;

std::map<std::string, std::string> process_env() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

// The non-empty pieces of a list variable.
std::vector<std::string> list_of(const std::string& s, const std::string& sep) {
  std::vector<std::string> out = split(s, sep);
  std::erase(out, "");
  return out;
}

bool truthy(const std::string& v) {
  return v == "1" || v == "true" || v == "TRUE" || v == "True";
}

// compose.yaml ... in `dir` or a parent; empty when none. Adds the matching override.
std::vector<fs::path> discover(fs::path dir) {
  static const char* const kNames[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
                                       "docker-compose.yaml"};
  for (;;) {
    for (const char* name : kNames) {
      fs::path p = dir / name;
      if (!fs::is_regular_file(p)) continue;
      std::vector<fs::path> found{p};
      std::string stem = p.stem().string();  // compose or docker-compose
      for (const char* ext : {".yaml", ".yml"}) {
        fs::path o = dir / (stem + ".override" + ext);
        if (fs::is_regular_file(o)) {
          found.push_back(o);
          break;
        }
      }
      return found;
    }
    if (dir == dir.root_path() || dir.empty()) return {};
    dir = dir.parent_path();
  }
}

std::string display_name(const fs::path& p, const fs::path& cwd) {
  if (p.parent_path() == cwd) return p.filename().string();
  return p.string();
}

SourceFile read_source(const std::string& given, const fs::path& cwd, const ProjectOptions& o) {
  if (given == "-") {
    std::string text = o.stdin_content ? *o.stdin_content
                                       : std::string(std::istreambuf_iterator<char>(std::cin), {});
    return SourceFile{"-", "-", std::move(text)};
  }
  fs::path p = fs::path(given).is_absolute() ? fs::path(given) : cwd / given;
  p = p.lexically_normal();
  auto content = read_regular_file(p.string());
  if (!content)
    throw schema::ComposeError("open " + given + ": no such file or directory", kNotFoundExit);
  return SourceFile{given, p.string(), std::move(*content)};
}

// Variables of the .env files: --env-file (must exist) or <dir>/.env (optional).
std::map<std::string, std::string> dotenv_vars(const ProjectOptions& o, const fs::path& cwd,
                                               const fs::path& dir,
                                               const std::map<std::string, std::string>& os) {
  std::map<std::string, std::string> vars;
  auto it = os.find("COMPOSE_DISABLE_ENV_FILE");
  if (it != os.end() && truthy(it->second)) return vars;
  std::vector<std::pair<std::string, bool>> files;  // path, required
  for (const auto& f : o.env_files)
    files.emplace_back(fs::path(f).is_absolute() ? f : (cwd / f).string(), true);
  if (files.empty()) files.emplace_back((dir / ".env").string(), false);
  Lookup lookup = [&](std::string_view name) -> std::optional<std::string> {
    if (auto v = os.find(std::string(name)); v != os.end()) return v->second;
    if (auto v = vars.find(std::string(name)); v != vars.end()) return v->second;
    return std::nullopt;
  };
  for (const auto& [path, required] : files) {
    if (!required && fs::is_directory(path)) continue;
    auto text = read_regular_file(path);
    if (!text) {
      if (required) throw schema::ComposeError("couldn't find env file: " + path, kNotFoundExit);
      continue;
    }
    for (auto& [k, v] : parse_dotenv(*text, path, lookup)) vars[k] = v;
  }
  return vars;
}

}  // namespace

ResolvedOptions resolve_options(const ProjectOptions& o) {
  ResolvedOptions r;
  fs::path cwd = o.working_dir.empty() ? fs::current_path() : fs::absolute(o.working_dir);
  std::map<std::string, std::string> os = o.os_env ? *o.os_env : process_env();
  // The directory whose .env may itself say COMPOSE_FILE: the project directory when
  // given, else the first file's directory, else the working directory.
  fs::path env_dir = cwd;
  if (!o.project_directory.empty()) {
    env_dir = fs::absolute(cwd / o.project_directory).lexically_normal();
  } else if (!o.files.empty() && o.files[0] != "-") {
    env_dir = (cwd / o.files[0]).lexically_normal().parent_path();
  }
  auto vars = dotenv_vars(o, cwd, env_dir, os);
  auto get = [&](const std::string& k) -> std::string {
    if (auto it = os.find(k); it != os.end()) return it->second;
    if (auto it = vars.find(k); it != vars.end()) return it->second;
    return "";
  };
  std::vector<std::string> given = o.files;
  if (given.empty()) {
    std::string sep = get("COMPOSE_PATH_SEPARATOR");
    given = list_of(get("COMPOSE_FILE"), sep.empty() ? ":" : sep);
  }
  if (given.empty()) {
    auto found = discover(o.project_directory.empty() ? cwd : env_dir);
    if (found.empty())
      throw schema::ComposeError("no configuration file provided: not found", kNotFoundExit);
    for (const auto& p : found) {
      auto content = read_regular_file(p.string());
      r.files.push_back(SourceFile{display_name(p, cwd), p.string(), std::move(*content)});
    }
  } else {
    for (const auto& g : given) r.files.push_back(read_source(g, cwd, o));
  }
  if (!o.project_directory.empty()) {
    r.project_dir = env_dir.string();
  } else if (r.files[0].path != "-") {
    r.project_dir = fs::path(r.files[0].path).parent_path().string();
  } else {
    r.project_dir = cwd.string();
  }
  if (r.project_dir != env_dir.string() && o.env_files.empty())
    vars = dotenv_vars(o, cwd, r.project_dir, os);
  r.env = vars;
  for (auto& [k, v] : os) r.env[k] = v;
  r.profiles = o.profiles;
  if (r.profiles.empty()) r.profiles = list_of(get("COMPOSE_PROFILES"), ",");
  r.name = o.name.empty() ? get("COMPOSE_PROJECT_NAME") : o.name;
  if (!r.name.empty()) check_project_name(r.name, o.name.empty() ? "COMPOSE_PROJECT_NAME" : "-p");
  return r;
}

std::optional<std::string> read_regular_file(const std::string& path) {
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (!fs::exists(status)) return std::nullopt;
  if (!fs::is_regular_file(status))
    throw schema::ComposeError("read " + path + ": not a regular file");
  return read_file_if_exists(path);
}

std::string normalize_project_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || ((c == '_' || c == '-') && !out.empty())) out += c;
  }
  return out;
}

void check_project_name(const std::string& name, const std::string& origin) {
  if (!name.empty() && normalize_project_name(name) == name) return;
  throw schema::ComposeError(origin + ": invalid project name \"" + name +
                             "\": must consist only of lowercase alphanumeric characters, "
                             "hyphens, and underscores as well as start with a letter or number");
}

}  // namespace berth::compose
