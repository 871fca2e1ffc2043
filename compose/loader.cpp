// The compose loader: sequences the phases (see phases.h and loader.h).
#include "compose/loader.h"

#include <spdlog/spdlog.h>

#include <time.h>

#include <chrono>
#include <filesystem>
#include <set>

#include "compose/graph.h"
#include "compose/merge.h"
#include "compose/parse.h"
#include "compose/phases.h"

namespace berth::compose {
namespace fs = std::filesystem;

Lookup LoadContext::lookup() const {
  return [this](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

schema::Node load_document(const SourceFile& file, LoadContext& ctx) {
  schema::Node doc = parse_yaml(file.content, file.name);
  if (ctx.interpolate) interpolate_tree(doc, ctx.lookup());
  return doc;
}

schema::Node load_files(const std::vector<SourceFile>& files, const std::string& project_dir,
                        LoadContext& ctx) {
  schema::Node merged;
  for (size_t i = 0; i < files.size(); ++i) {
    schema::Node doc = load_document(files[i], ctx);
    apply_extends(doc, files[i], ctx);
    apply_include(doc, files[i], project_dir, ctx);
    if (i == 0) {
      strip_reset_tags(doc);
      merged = std::move(doc);
    } else {
      merge_documents(merged, std::move(doc));
    }
  }
  return merged;
}

namespace {

// -p / COMPOSE_PROJECT_NAME, else top-level `name:`, else the project directory's name.
std::string project_name(const ResolvedOptions& r, const schema::Node& doc) {
  if (!r.name.empty()) return r.name;
  if (const schema::Node* n = doc.find("name"); n && n->is_scalar() && !n->scalar().empty()) {
    std::string name = n->scalar();
    if (normalize_project_name(name) != name)
      schema::fail_at(n->mark(), "name",
                      "invalid project name \"" + name +
                          "\": must consist only of lowercase alphanumeric "
                          "characters, hyphens, and underscores as well as "
                          "start with a letter or number");
    return name;
  }
  std::string name = normalize_project_name(fs::path(r.project_dir).filename().string());
  if (name.empty())
    throw schema::ComposeError("project name cannot be derived from directory \"" + r.project_dir +
                               "\": use -p");
  return name;
}

// Logs how long each phase took (--log-level debug).
class PhaseTimer {
 public:
  void done(const char* phase) {
    auto now = std::chrono::steady_clock::now();
    int64_t cpu = cpu_us();
    spdlog::debug("compose loader: {} took {} us ({} us cpu)", phase,
                  std::chrono::duration_cast<std::chrono::microseconds>(now - last_).count(),
                  cpu - last_cpu_);
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static int64_t cpu_us() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
  }
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  int64_t last_cpu_ = cpu_us();
};

std::vector<std::string> declared_profiles(const schema::Node& doc) {
  std::set<std::string> out;
  if (const schema::Node* services = doc.find("services"))
    for (const auto& e : services->entries())
      if (const schema::Node* p = e.value.find("profiles"); p && p->is_seq())
        for (const auto& i : p->items()) out.insert(i.scalar());
  return {out.begin(), out.end()};
}

}  // namespace

schema::Project load_project(const ProjectOptions& opts) {
  PhaseTimer t;
  ResolvedOptions r = resolve_options(opts);
  LoadContext ctx;
  ctx.env = r.env;
  ctx.interpolate = opts.interpolate;
  t.done("options");
  schema::Node doc = load_files(r.files, r.project_dir, ctx);
  t.done("parse+interpolate+extends+include+merge");
  resolve_paths(doc, r.project_dir, ctx);
  validate_document(doc);
  t.done("paths+validate");
  std::string name = project_name(r, doc);
  std::vector<std::string> profiles = declared_profiles(doc);
  std::vector<std::string> disabled = apply_profiles(doc, r.profiles, opts.services);
  t.done("profiles");
  canonicalize(doc, r.project_dir, ctx);
  check_constraints(doc);
  t.done("canonical+constraints");
  apply_defaults(doc, name);
  check_references(doc);
  check_service_graph(doc);
  t.done("defaults+references+graph");
  schema::Project p = bind_project(std::move(doc));
  t.done("bind");
  p.name = name;
  p.working_dir = r.project_dir;
  for (const auto& f : r.files) p.config_files.push_back(f.path);
  p.environment = std::move(ctx.env);
  p.disabled_services = std::move(disabled);
  p.all_profiles = std::move(profiles);
  return p;
}

}  // namespace berth::compose
