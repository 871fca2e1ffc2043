// Phase 3b, include: each `include` entry (a path, or {path, project_directory, env_file})
// is loaded as its own project: its own directory for relative paths and its own `.env`
// (values the including project already defines win). Its services, networks, volumes,
// secrets and configs are added to the including document; a resource defined differently
// on both sides is an error, as is an include cycle.
#include <algorithm>
#include <filesystem>

#include "compose/dotenv.h"
#include "compose/phases.h"
#include "compose/project_options.h"

namespace berth::compose {
namespace fs = std::filesystem;
namespace {

using schema::Node;

std::vector<const Node*> strings_of(const Node& n) {
  std::vector<const Node*> out;
  if (n.is_scalar()) out.push_back(&n);
  if (n.is_seq())
    for (const Node& i : n.items()) out.push_back(&i);
  return out;
}

void add_env_file(LoadContext& ctx, const fs::path& p, bool required, const Node& at,
                  const std::string& path) {
  auto text = read_regular_file(p.string());
  if (!text) {
    if (required) schema::fail_at(at.mark(), path, "env file " + p.string() + " not found");
    return;
  }
  for (auto& [k, v] : parse_dotenv(*text, p.string(), ctx.lookup()))
    ctx.env.emplace(k, v);  // the including project's variables win
}

void add_resources(Node& doc, Node included, const Node& at, const std::string& path) {
  for (const char* section : {"services", "networks", "volumes", "secrets", "configs"}) {
    Node* src = included.find(section);
    if (!src || !src->is_map()) continue;
    Node* dst = doc.find(section);
    if (!dst || !dst->is_map()) dst = &doc.set(section, Node::map(at.mark()));
    for (auto& e : src->entries()) {
      if (const Node* existing = dst->find(e.key)) {
        if (*existing == e.value) continue;
        schema::fail_at(at.mark(), path,
                        std::string(section) + "." + e.key + " conflicts with imported resource");
      }
      dst->set(e.key, std::move(e.value), e.key_mark);
    }
  }
}

void include_one(Node& doc, const Node& entry, const std::string& path, const std::string& dir,
                 LoadContext& ctx) {
  const Node* paths = entry.is_map() ? entry.find("path") : &entry;
  if (!paths) schema::fail_at(entry.mark(), path, "include requires `path`");
  std::vector<SourceFile> files;
  for (const Node* p : strings_of(*paths)) {
    fs::path abs = (fs::path(dir) / p->scalar()).lexically_normal();
    if (std::find(ctx.include_stack.begin(), ctx.include_stack.end(), abs.string()) !=
        ctx.include_stack.end())
      schema::fail_at(p->mark(), path, "include cycle: " + abs.string() + " includes itself");
    auto text = read_regular_file(abs.string());
    if (!text) schema::fail_at(p->mark(), path, "cannot read " + abs.string() + ": no such file");
    files.push_back(SourceFile{abs.string(), abs.string(), std::move(*text)});
  }
  if (files.empty()) schema::fail_at(entry.mark(), path, "include requires `path`");
  std::string pdir = fs::path(files[0].path).parent_path().string();
  if (const Node* pd = entry.is_map() ? entry.find("project_directory") : nullptr)
    pdir = (fs::path(dir) / pd->scalar()).lexically_normal().string();
  LoadContext sub = ctx;
  const Node* env_file = entry.is_map() ? entry.find("env_file") : nullptr;
  if (env_file) {
    for (const Node* f : strings_of(*env_file))
      add_env_file(sub, fs::path(dir) / f->scalar(), true, *f, path + ".env_file");
  } else {
    add_env_file(sub, fs::path(pdir) / ".env", false, entry, path);
  }
  for (const auto& f : files) sub.include_stack.push_back(f.path);
  Node included = load_files(files, pdir, sub);
  resolve_paths(included, pdir, sub);
  add_resources(doc, std::move(included), entry, path);
}

}  // namespace

void apply_include(Node& doc, const SourceFile& file, const std::string& project_dir,
                   LoadContext& ctx) {
  const Node* inc = doc.find("include");
  if (!inc) return;
  if (!inc->is_seq()) schema::fail_at(inc->mark(), "include", "must be a list");
  Node entries = *inc;
  doc.erase("include");
  if (file.path != "-") ctx.include_stack.push_back(file.path);
  for (size_t i = 0; i < entries.items().size(); ++i)
    include_one(doc, entries.items()[i], schema::path_index("include", i), project_dir, ctx);
  if (file.path != "-") ctx.include_stack.pop_back();
}

}  // namespace berth::compose
