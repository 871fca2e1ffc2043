#include "orchestrator/build.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "builder/builder.h"
#include "common/error.h"
#include "engine/image/image_writer.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "orchestrator/dag_runner.h"

namespace berth::orchestrator {

namespace img = berth::engine::image;

std::vector<std::string> services_with_build(const schema::Project& project,
                                             const std::vector<std::string>& names) {
  std::set<std::string> wanted;
  std::function<void(const std::string&)> add = [&](const std::string& name) {
    const schema::Service* s = project.find_service(name);
    if (!s) throw Error("no such service: " + name);
    if (!wanted.insert(name).second) return;
    for (const auto& [dep, _] : s->depends_on)
      if (project.find_service(dep)) add(dep);
  };
  for (const auto& n : names) add(n);
  std::vector<std::string> out;
  for (const auto& s : project.services)
    if (s.build && (names.empty() || wanted.count(s.name))) out.push_back(s.name);
  return out;
}

std::vector<std::string> services_missing_image(const Paths& paths, const schema::Project& project,
                                                const std::vector<std::string>& services) {
  const img::Store store(paths);
  std::vector<std::string> out;
  for (const auto& name : services)
    if (const schema::Service* s = project.find_service(name);
        s && !store.find(schema::service_image(project, *s)))
      out.push_back(name);
  return out;
}

namespace {

builder::BuildOptions build_options(const schema::Project& project, const schema::Service& s,
                                    const BuildServicesOptions& opts) {
  const schema::BuildConfig& b = *s.build;
  builder::BuildOptions o;
  if (b.context.find("://") != std::string::npos || b.context.rfind("git@", 0) == 0)
    throw Error("build.context " + b.context + ": a remote context is not supported yet");
  o.context_dir = b.context.empty() ? project.working_dir : b.context;
  if (!b.dockerfile_inline.empty()) {
    o.dockerfile_text = b.dockerfile_inline;
  } else {
    const std::filesystem::path file = b.dockerfile.empty() ? "Dockerfile" : b.dockerfile;
    o.dockerfile_path = (std::filesystem::path(o.context_dir) / file).lexically_normal().string();
    o.dockerfile_name = file.filename().string();
  }
  for (const auto& [k, v] : b.args) {
    if (v) {
      o.build_args[k] = *v;
    } else if (auto it = project.environment.find(k); it != project.environment.end()) {
      o.build_args[k] = it->second;  // `args: [NAME]`: from the environment, as Compose
    } else if (const char* e = std::getenv(k.c_str())) {
      o.build_args[k] = e;
    }
  }
  for (const auto& [k, v] : opts.build_args) o.build_args[k] = v;
  o.target = b.target;
  o.no_cache = b.no_cache || opts.no_cache;
  o.labels = b.labels;
  o.network = b.network;
  o.tags.push_back(img::parse_reference(schema::service_image(project, s)));
  for (const auto& t : b.tags) o.tags.push_back(img::parse_reference(t));
  o.source_date_epoch = img::parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
  return o;
}

}  // namespace

void build_services(const Paths& paths, const schema::Project& project,
                    const std::vector<std::string>& services, const BuildServicesOptions& opts,
                    builder::Cancel& cancel) {
  const std::map<std::string, std::set<std::string>> none;
  auto failures =
      run_dag(services, none,
              [&](const std::string& name) {
                const schema::Service& s = *project.find_service(name);
                builder::Progress progress(opts.quiet ? -1 : STDERR_FILENO, name + " ");
                builder::build_image(paths, build_options(project, s, opts), progress, cancel);
              },
              {.limit = parallel_limit_from_env()});
  if (cancel.cancelled) throw Error("build cancelled", 130);
  std::string all;
  for (const auto& f : failures) all += (all.empty() ? "" : "\n") + f;
  if (!all.empty()) throw Error(all);
}

}  // namespace berth::orchestrator
