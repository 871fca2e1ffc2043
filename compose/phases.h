// The loader's phases, in the order compose/loader.cpp runs them (compose-go's structure):
//   parse → interpolate → extends → include → merge   (per file, load_files)
//   → paths → validate → profiles → canonical → constraints → defaults → references → graph → bind
// Each phase is its own file and works on the schema::Node tree, keeping marks so that an
// error names file:line:col and the key path. Internal to compose/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compose/interpolate.h"
#include "compose/project_options.h"
#include "schema/model.h"
#include "schema/node.h"

namespace berth::compose {

struct LoadContext {
  std::map<std::string, std::string> env;  // interpolation variables
  bool interpolate = true;
  std::vector<std::string> include_stack;  // absolute paths of the files being included
  Lookup lookup() const;
};

// parse + interpolate + extends + include of each file, then merge (loader.cpp).
schema::Node load_files(const std::vector<SourceFile>& files, const std::string& project_dir,
                        LoadContext& ctx);
// parse + interpolate of one file (loader.cpp).
schema::Node load_document(const SourceFile& file, LoadContext& ctx);

// extends.cpp: resolves every `extends` of the document, same file or `file:`.
void apply_extends(schema::Node& doc, const SourceFile& file, LoadContext& ctx);

// include.cpp: loads each `include` entry as its own project and adds its resources.
void apply_include(schema::Node& doc, const SourceFile& file, const std::string& project_dir,
                   LoadContext& ctx);

// paths.cpp: relative paths (build contexts, env_file, bind sources, secret files ...)
// made absolute against `dir`; `~` is the home directory.
void resolve_paths(schema::Node& doc, const std::string& dir, const LoadContext& ctx);
void resolve_service_paths(schema::Node& service, const std::string& dir, const LoadContext& ctx);

// validate.cpp: keys and types against schema/spec tables (unsupported attributes: loader.h).
void validate_document(const schema::Node& doc);

// profiles.cpp: removes services not enabled by `profiles` (or, when services are named,
// every service but those and their dependencies); returns
// their names. Throws when an enabled service depends on a disabled one.
std::vector<std::string> apply_profiles(schema::Node& doc, const std::vector<std::string>& profiles,
                                        const std::vector<std::string>& services);

// canonical.cpp (+ canonical_*.cpp): every short syntax to its long form.
void canonicalize(schema::Node& doc, const std::string& project_dir, const LoadContext& ctx);

// constraints.cpp: the spec's enums and ranges (cgroup, oom_score_adj, cpu_percent, ...).
void check_constraints(const schema::Node& doc);

// defaults.cpp: the default network, resource names (`<project>_<key>`), `name:`.
void apply_defaults(schema::Node& doc, const std::string& project_name);

// references.cpp: services refer only to defined networks, volumes, secrets, configs and
// services.
void check_references(const schema::Node& doc);

// bind.cpp: the canonical tree → the typed model.
schema::Project bind_project(schema::Node doc);

}  // namespace berth::compose
