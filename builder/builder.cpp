#include "builder/builder.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "builder/base_images.h"
#include "builder/build_args.h"
#include "builder/cache.h"
#include "builder/source_tree.h"
#include "builder/stage_plan.h"
#include "builder/step_fs.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/http_fetch.h"
#include "dockerfile/dockerignore.h"
#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "engine/image/change.h"
#include "engine/image/image_writer.h"
#include "engine/image/layer_diff.h"
#include "engine/lifecycle/container_commit.h"
#include "sys/unique_fd.h"

namespace berth::builder {

namespace df = berth::dockerfile;
namespace img = berth::engine::image;
using json = nlohmann::json;

namespace {

// BERTH_BUILD_TRACE=1: the milliseconds since the build began at each phase, on stderr (for
// finding where a build's time goes; bench/build.sh reports the totals).
void trace(const char* what) {
  static const bool on = std::getenv("BERTH_BUILD_TRACE") != nullptr;
  static const auto t0 = std::chrono::steady_clock::now();
  if (!on) return;
  std::fprintf(
      stderr, "[trace %7.1f ms] %s\n",
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
      what);
}

constexpr const char* kCacheVersion = "berth-build-1";

std::vector<std::string> env_list(const json& config) {
  std::vector<std::string> out;
  if (auto it = config.find("Env"); it != config.end() && it->is_array())
    for (const auto& e : *it)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

bool is_url(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

// One stage being built: the image written last, the config and history since.
struct State {
  std::optional<img::Image> image;
  json config = json::object();
  std::vector<img::HistoryEntry> pending;
  std::string key;
  bool cmd_set = false;
  std::string author;
  std::string name;  // for titles: the stage's name or its index
  int steps = 0, step = 0;
};

class Build {
 public:
  ~Build() {
    for (auto& t : removals_) t.join();
  }
  Build(const Paths& paths, const BuildOptions& o, Progress& progress, Cancel& cancel)
      : paths_(paths),
        o_(o),
        progress_(progress),
        cancel_(cancel),
        store_(paths),
        cache_(paths),
        args_(o.build_args, host_platform()) {}

  BuildResult run();

 private:
  std::string where(const df::Instruction& ins) const {
    return o_.dockerfile_name + ":" + std::to_string(ins.start_line) + ": ";
  }
  void check_cancel() {
    if (cancel_.check()) throw Error("build cancelled", 130);
  }
  BaseImageSource base_source() const {
    return {o_.registry ? &*o_.registry : nullptr, o_.pull, o_.platform};
  }
  bool adopt_cached(State& st);
  img::Image materialize(State& st);
  void write_step(State& st, const img::NewLayer& layer, img::HistoryEntry entry);
  // The state as an intermediate image (its pending history, then entry with layer, if
  // any), cached under its key.
  void write_state(State& st, const img::NewLayer* layer, std::optional<img::HistoryEntry> entry);
  std::vector<std::string> layer_dirs_top_first(const State& st) const;
  std::string parent_chain(const State& st) const {
    return st.image && !st.image->chain_ids.empty() ? st.image->chain_ids.back() : "";
  }

  void dispatch(State& st, BuildArgs::Stage& args, const df::Instruction& ins);
  void run_step(State& st, BuildArgs::Stage& args, const df::Instruction& ins,
                const df::RunInstr& run);
  void copy_step(State& st, BuildArgs::Stage& args, const df::Instruction& ins,
                 const df::CopyInstr& copy);
  void workdir_step(State& st, const df::Instruction& ins);

  const Paths& paths_;
  const BuildOptions& o_;
  Progress& progress_;
  Cancel& cancel_;
  img::Store store_;
  BuildCache cache_;
  BuildArgs args_;
  std::optional<SourceTree> context_;
  df::Stages stages_;
  char escape_ = '\\';
  std::vector<std::optional<img::Image>> results_;
  int stage_index_ = 0;
  std::vector<std::string> warnings_;
  std::vector<std::thread> removals_;  // build containers being removed meanwhile
};

bool Build::adopt_cached(State& st) {
  if (o_.no_cache) return false;
  auto digest = cache_.lookup(st.key);
  if (!digest) return false;
  auto found = store_.find_manifest(*digest);
  if (!found) return false;
  st.image = std::move(*found);
  st.config = st.image->config.value("config", json::object());
  st.pending.clear();
  return true;
}

img::Image Build::materialize(State& st) {
  if (st.image && st.pending.empty() &&
      st.config == st.image->config.value("config", json::object()))
    return *st.image;
  write_state(st, nullptr, std::nullopt);
  return *st.image;
}

void Build::write_step(State& st, const img::NewLayer& layer, img::HistoryEntry entry) {
  write_state(st, &layer, std::move(entry));
}

void Build::write_state(State& st, const img::NewLayer* layer,
                        std::optional<img::HistoryEntry> entry) {
  img::NewImage spec;
  spec.parent = st.image;
  spec.config = st.config;
  spec.history = std::move(st.pending);
  if (entry) {
    entry->empty_layer = !layer || layer->digest.empty();
    if (!entry->empty_layer) spec.layers.push_back(*layer);
    spec.history.push_back(std::move(*entry));
  }
  spec.author = st.author;
  spec.source_date_epoch = o_.source_date_epoch;
  spec.intermediate = true;
  st.pending.clear();
  st.image = img::write_image(store_, spec);
  cache_.store(st.key, st.image->manifest_digest);
}

std::vector<std::string> Build::layer_dirs_top_first(const State& st) const {
  std::vector<std::string> out;
  if (!st.image) return out;
  for (const auto& d : store_.layer_dirs(*st.image)) out.push_back(d.string());
  std::reverse(out.begin(), out.end());
  return out;
}

void Build::dispatch(State& st, BuildArgs::Stage& args, const df::Instruction& ins) {
  check_cancel();
  if (auto* a = ins.get<df::ArgInstr>()) {
    args.declare(*a, args.vars(env_list(st.config)), escape_);
    st.key = chain_key(st.key, "ARG\n" + json(args.values()).dump());
    return;
  }
  if (auto* r = ins.get<df::RunInstr>()) return run_step(st, args, ins, *r);
  if (auto* c = ins.get<df::CopyInstr>()) return copy_step(st, args, ins, *c);
  if (auto* m = ins.get<df::MaintainerInstr>()) {
    st.author = m->maintainer;
    st.key = chain_key(st.key, "MAINTAINER\n" + m->maintainer);
    st.pending.push_back({.created_by = "MAINTAINER " + m->maintainer, .empty_layer = true});
    return;
  }
  const auto vars = args.vars(env_list(st.config));
  img::DispatchScope scope{vars, st.cmd_set, escape_};
  try {
    img::apply_instruction(st.config, ins, scope);
  } catch (const Error& e) {
    throw Error(where(ins) + e.what());
  }
  st.cmd_set = scope.cmd_set;
  st.key = chain_key(st.key, ins.keyword + "\n" + st.config.dump());
  if (ins.get<df::WorkdirInstr>()) return workdir_step(st, ins);
  if (adopt_cached(st)) return;
  st.pending.push_back({.created_by = ins.original, .empty_layer = true});
}

void Build::workdir_step(State& st, const df::Instruction& ins) {
  if (adopt_cached(st)) return;
  const std::string dir = st.config.value("WorkingDir", "/");
  StepDir step(paths_);
  mkdir_in_step(step, layer_dirs_top_first(st), dir);
  auto upper = step.upper();
  img::LayerTarOptions opts;
  opts.clamp_mtime = o_.source_date_epoch;
  const img::NewLayer layer = img::add_layer_diff(store_, upper.get(), parent_chain(st), opts);
  if (layer.digest.empty()) {
    st.pending.push_back({.created_by = ins.original, .empty_layer = true});
    return;
  }
  write_step(st, layer, {.created_by = ins.original + " # buildkit"});
}

void Build::run_step(State& st, BuildArgs::Stage& args, const df::Instruction& ins,
                     const df::RunInstr& run) {
  ++st.step;
  auto v = progress_.begin("[" + st.name + " " + std::to_string(st.step) + "/" +
                           std::to_string(st.steps) + "] " + ins.original);
  const auto env = env_list(st.config);
  const auto vars = args.vars(env);
  std::vector<std::string> argv;
  if (run.cmd.prepend_shell) {
    std::string script = run.cmd.args.at(0);
    if (!run.files.empty()) {
      auto only = df::parse_heredoc(script);
      if (run.files.size() == 1 && only && only->name == run.files[0].name) {
        script = run.files[0].data;  // the heredoc is the whole script
      } else {
        for (const auto& f : run.files) script += "\n" + f.data + f.name;
      }
    }
    for (const auto& s : img::config_command(st.config, {{script}, true})) argv.push_back(s);
  } else {
    argv = run.cmd.args;
  }
  std::string network = run.network.empty() || run.network == "default" ? o_.network : run.network;
  std::vector<request::MountRequest> mounts;
  json mount_key = json::array();
  df::Expander expand = [&](std::string_view w) {
    return df::ShellLex(escape_).process_word(w, vars);
  };
  for (const auto& spec : run.mount_specs) {
    df::RunMount m;
    try {
      m = df::parse_run_mount(spec, &expand);
    } catch (const Error& e) {
      throw Error(where(ins) + e.what());
    }
    request::MountRequest r;
    r.target = m.target;
    r.readonly = m.readonly;
    if (m.type == df::MountType::kCache) {
      const std::string id = m.id.empty() ? m.target : m.id;
      const auto dir = paths_.build_cache() / "mounts" / chain_key("cache", id);
      make_dirs(dir, 0755);
      r.type = request::MountRequest::Type::kBind;
      r.source = dir.string();
      r.readonly = false;
      mount_key.push_back("cache " + id + " " + m.target);
    } else if (m.type == df::MountType::kSecret) {
      const std::string id = m.id.empty() ? m.source : m.id;
      auto it = o_.secrets.find(id);
      if (it == o_.secrets.end()) {
        if (m.required) throw Error(where(ins) + "secret " + id + ": not found");
        continue;
      }
      r.type = request::MountRequest::Type::kBind;
      r.source = it->second;
      r.target = m.target.empty() ? "/run/secrets/" + id : m.target;
      r.readonly = true;
      mount_key.push_back("secret " + id + " " + r.target);
    } else if (m.type == df::MountType::kTmpfs) {
      r = request::tmpfs_mount(m.target, m.size.value_or(0), 01777, false);
      mount_key.push_back("tmpfs " + m.target);
    } else if (m.type == df::MountType::kBind && m.from.empty()) {
      if (o_.context_dir.empty()) throw Error(where(ins) + "RUN --mount=type=bind needs a context");
      const auto src = context_->start(m.source);
      if (!src.fd) throw Error(where(ins) + "--mount source " + m.source + ": not found");
      r.type = request::MountRequest::Type::kBind;
      r.source = (std::filesystem::path(o_.context_dir) / df::clean_path("/" + m.source).substr(1))
                     .string();
      img::Sha256 h;
      context_->hash(df::clean_path("/" + m.source).substr(1), h);
      mount_key.push_back("bind " + h.digest() + " " + m.target + (m.readonly ? " ro" : " rw"));
    } else {
      throw Error(where(ins) + "RUN --mount=type=" + std::string(df::mount_type_name(m.type)) +
                  (m.from.empty() ? "" : ",from=") + " is not supported yet");
    }
    mounts.push_back(std::move(r));
  }
  std::string created_by = "RUN ";
  const auto hargs = args.history_args();
  if (!hargs.empty()) {
    created_by += "|" + std::to_string(hargs.size());
    for (const auto& a : hargs) created_by += " " + a;
    created_by += " ";
  }
  for (size_t i = 0; i < argv.size(); ++i) created_by += (i ? " " : "") + argv[i];
  created_by += " # buildkit";
  st.key = chain_key(st.key, "RUN\n" + json({{"argv", argv},
                                             {"args", hargs},
                                             {"network", network},
                                             {"mounts", mount_key},
                                             {"security", run.security}})
                                           .dump());
  if (adopt_cached(st)) {
    v.cached();
    return;
  }
  trace("run: key computed, cache missed");
  const img::Image base = materialize(st);
  trace("run: image materialized");
  RunSpec spec{base.id, argv, args.run_env(env), network, std::move(mounts)};
  img::NewLayer layer;
  {
    BuildContainer c(paths_, spec);
    trace("run: container created");
    const int code = c.run(v, cancel_);
    trace("run: container exited");
    if (code != 0) {
      std::string cmd;
      for (size_t i = 0; i < argv.size(); ++i) cmd += (i ? " " : "") + argv[i];
      const std::string msg = "process \"" + cmd + "\" did not complete successfully: exit code: " +
                              std::to_string(code);
      v.error(msg);
      std::string tail = v.tail();
      while (!tail.empty() && tail.back() == '\n') tail.pop_back();
      throw Error(where(ins) + ins.original + ": " + msg + (tail.empty() ? "" : "\n" + tail));
    }
    c.remove_mount_stubs(layer_dirs_top_first(st));
    layer = engine::lifecycle::container_layer(paths_, store_, c.id(), parent_chain(st),
                                               o_.source_date_epoch);
    trace("run: layer stored");
    removals_.push_back(c.release_later());
  }
  trace("run: container removed");
  write_step(st, layer, {.created_by = created_by});
  trace("run: image written");
  v.done();
}

void Build::copy_step(State& st, BuildArgs::Stage& args, const df::Instruction& ins,
                      const df::CopyInstr& copy) {
  ++st.step;
  auto v = progress_.begin("[" + st.name + " " + std::to_string(st.step) + "/" +
                           std::to_string(st.steps) + "] " + ins.original);
  const auto vars = args.vars(env_list(st.config));
  const df::ShellLex lex(escape_);
  auto expand = [&](const std::string& w) {
    try {
      return lex.process_word(w, vars);
    } catch (const Error& e) {
      throw Error(where(ins) + e.what());
    }
  };
  const std::string verb = copy.is_add ? "ADD" : "COPY";
  CopySpec spec;
  std::string dest = expand(copy.dest);
  const std::string workdir = st.config.value("WorkingDir", "");
  const bool dest_slash = dest.ends_with('/') || dest == "." || dest.ends_with("/.");
  if (dest.empty() || dest.front() != '/') dest = (workdir.empty() ? "/" : workdir) + "/" + dest;
  spec.dest = df::clean_path(dest);
  spec.chown = copy.chown.empty() ? "" : expand(copy.chown);
  if (!copy.chmod.empty()) {
    const std::string m = expand(copy.chmod);
    char* end = nullptr;
    const unsigned long mode = std::strtoul(m.c_str(), &end, 8);
    if (m.empty() || *end || mode > 07777)
      throw Error(where(ins) + "invalid chmod parameter: " + m);
    spec.chmod = static_cast<mode_t>(mode);
  }
  json key = {{"verb", verb},
              {"dest", spec.dest},
              {"chown", spec.chown},
              {"chmod", spec.chmod ? static_cast<int>(*spec.chmod) : -1}};
  std::optional<std::vector<std::string>> from_layers;
  std::optional<SourceTree> heredoc_tree;
  std::unique_ptr<StepDir> heredoc_dir;
  const SourceTree* tree = context_ ? &*context_ : nullptr;
  if (!copy.from.empty()) {
    const std::string from = expand(copy.from);
    std::optional<img::Image> src;
    try {
      if (auto i = stage_ref(stages_, stage_index_, from)) {
        src = results_.at(*i);
      } else {
        src = base_image(store_, from, base_source(), progress_);
        if (!src) throw Error("COPY --from: image " + from + " not found");
      }
    } catch (const Error& e) {
      throw Error(where(ins) + e.what());
    }
    from_layers.emplace();
    if (src) {
      for (const auto& d : store_.layer_dirs(*src)) from_layers->push_back(d.string());
      std::reverse(from_layers->begin(), from_layers->end());
      key["from"] = src->id;
    }
    spec.keep_owners = true;
    for (const auto& s : copy.sources) spec.sources.push_back(expand(s));
    key["sources"] = spec.sources;
  } else if (!copy.contents.empty()) {
    heredoc_dir = std::make_unique<StepDir>(paths_);
    img::Sha256 h;
    for (const auto& f : copy.contents) {
      const std::string data = f.expand ? expand(f.data) : f.data;
      write_file_atomic(heredoc_dir->path() / "empty" / f.name, data, 0644);
      spec.sources.push_back(f.name);
      h.update(f.name + "\n" + data + "\n");
    }
    heredoc_tree.emplace(SourceTree::context((heredoc_dir->path() / "empty").string(), {}));
    tree = &*heredoc_tree;
    key["content"] = h.digest();
  } else if (copy.is_add && std::any_of(copy.sources.begin(), copy.sources.end(), is_url)) {
    // ADD URL: downloaded (every build, as Docker: the content decides the cache), then
    // copied as a file of mode 0600 named after the URL or its Content-Disposition.
    heredoc_dir = std::make_unique<StepDir>(paths_);
    const auto dir = heredoc_dir->path() / "empty";
    img::Sha256 h;
    for (const auto& s : copy.sources) {
      const std::string url = expand(s);
      if (!is_url(url))
        throw Error(where(ins) + "ADD: URLs and local sources in one ADD are not supported yet");
      const auto tmp = dir / ".download";
      sys::UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
      if (!out) throw_errno("create", tmp.string(), errno);
      FetchResult got;
      try {
        got = fetch_url(url, out.get());
      } catch (const Error& e) {
        throw Error(where(ins) + e.what());
      }
      if (!copy.checksum.empty() && expand(copy.checksum) != got.digest)
        throw Error(where(ins) + "digest mismatch for " + got.final_url + ": " + got.digest +
                    ", expected " + expand(copy.checksum));
      if (got.last_modified) {
        const timespec times[2] = {{*got.last_modified, 0}, {*got.last_modified, 0}};
        ::futimens(out.get(), times);
      }
      out.reset();
      std::filesystem::rename(tmp, dir / got.filename);
      spec.sources.push_back(got.filename);
      h.update(got.filename + "\n" + got.digest + "\n");
    }
    heredoc_tree.emplace(SourceTree::context(dir.string(), {}));
    tree = &*heredoc_tree;
    key["content"] = h.digest();
  } else {
    if (!tree) throw Error(where(ins) + verb + " needs a build context");
    img::Sha256 h;
    for (const auto& s : copy.sources) {
      const std::string src = expand(s);
      if (is_url(src)) throw Error(where(ins) + "COPY: a source can't be a URL (use ADD): " + src);
      std::vector<std::string> found;
      try {
        found = tree->expand(src);
      } catch (const Error& e) {
        throw Error(where(ins) + verb + " failed: " + e.what());
      }
      for (const auto& f : found) {
        spec.sources.push_back(f);
        h.update("\n" + f + "\n");
        try {
          tree->hash(f, h);
        } catch (const Error& e) {
          throw Error(where(ins) + verb + " failed: " + e.what());
        }
      }
    }
    key["content"] = h.digest();
  }
  if (spec.sources.size() > 1 && !dest_slash)
    throw Error(where(ins) + "When using " + verb +
                " with more than one source file, the destination must be a directory and end "
                "with a /");
  spec.dest_is_dir = dest_slash;
  spec.unpack_archives = copy.is_add && copy.from.empty() && copy.unpack.value_or(true) &&
                         !std::any_of(copy.sources.begin(), copy.sources.end(), is_url);
  key["unpack"] = spec.unpack_archives;
  key["dest_dir"] = spec.dest_is_dir;  // `COPY f /x` and `COPY f /x/` differ
  st.key = chain_key(st.key, key.dump());
  if (adopt_cached(st)) {
    v.cached();
    return;
  }
  trace("copy: sources hashed, cache missed");
  StepDir step(paths_);
  try {
    copy_into_step(step, layer_dirs_top_first(st), tree, from_layers, spec);
  } catch (const Error& e) {
    v.error(e.what());
    throw Error(where(ins) + verb + " failed: " + e.what());
  }
  trace("copy: copied");
  auto upper = step.upper();
  img::LayerTarOptions opts;
  opts.clamp_mtime = o_.source_date_epoch;
  const img::NewLayer layer = img::add_layer_diff(store_, upper.get(), parent_chain(st), opts);
  trace("copy: layer stored");
  write_step(
      st, layer,
      {.created_by = verb + " " + json(spec.sources).dump() + " " + spec.dest + " # buildkit"});
  trace("copy: image written");
  v.done();
}

BuildResult Build::run() {
  std::string text;
  if (o_.dockerfile_text) {
    text = *o_.dockerfile_text;
  } else {
    auto t = read_file_if_exists(o_.dockerfile_path);
    if (!t)
      throw Error("failed to read dockerfile: open " + o_.dockerfile_path +
                  ": no such file or directory");
    text = std::move(*t);
  }
  trace("start");
  const df::ParseResult parsed = df::parse(text, o_.dockerfile_name);
  escape_ = parsed.escape;
  stages_ = df::parse_stages(parsed, o_.dockerfile_name);
  for (const auto& w : parsed.warnings) warnings_.push_back(w);
  args_.declare_global(stages_.meta_args, escape_);
  const StagePlan plan =
      plan_stages(stages_, args_.global(), o_.target, escape_, o_.dockerfile_name);

  std::vector<std::string> ignore;
  if (!o_.context_dir.empty()) {
    const auto ignore_file = df::choose_ignore_file(
        o_.dockerfile_path.empty() ? std::filesystem::path(o_.context_dir) / "Dockerfile"
                                   : std::filesystem::path(o_.dockerfile_path),
        o_.context_dir, [](const std::filesystem::path& p) { return std::filesystem::exists(p); });
    if (!ignore_file.empty()) ignore = df::read_dockerignore(read_file(ignore_file));
  }
  context_.emplace(SourceTree::context(o_.context_dir, ignore));

  // Pulled before the content lock is taken: the pull takes it itself.
  std::map<int, img::Image> bases;
  std::map<std::string, img::Image> by_name;  // an image several stages start from, once
  for (int i : plan.order) {
    if (plan.bases[i].kind != StageBase::Kind::kImage) continue;
    const std::string& name = plan.bases[i].image;
    try {
      if (auto known = by_name.find(name); known != by_name.end())
        bases.emplace(i, known->second);
      else if (auto b = base_image(store_, name, base_source(), progress_))
        bases.emplace(i, by_name[name] = std::move(*b));
    } catch (const Error& e) {
      throw Error(o_.dockerfile_name + ":" + std::to_string(stages_.stages[i].line) + ": " +
                  e.what());
    }
  }
  FileLock content = store_.content_lock();
  results_.assign(stages_.stages.size(), std::nullopt);
  for (int i : plan.order) {
    stage_index_ = i;
    const df::Stage& s = stages_.stages[i];
    State st;
    st.name = s.name.empty() ? "stage-" + std::to_string(i) : s.name;
    st.steps = 1;
    for (const auto& ins : s.instructions)
      if (ins.get<df::RunInstr>() || ins.get<df::CopyInstr>()) ++st.steps;
    const StageBase& base = plan.bases[i];
    ++st.step;
    auto v = progress_.begin("[" + st.name + " 1/" + std::to_string(st.steps) + "] FROM " +
                             (base.kind == StageBase::Kind::kImage ? base.image : s.base_name));
    if (base.kind == StageBase::Kind::kImage) {
      if (auto b = bases.find(i); b != bases.end()) st.image = b->second;
      if (!st.image)
        throw Error(o_.dockerfile_name + ":" + std::to_string(s.line) + ": base image " +
                    base.image + " not found: import, pull or build it first");
      st.key = chain_key(kCacheVersion, "FROM " + st.image->id);
    } else if (base.kind == StageBase::Kind::kStage) {
      st.image = results_.at(base.stage);
      st.key = chain_key(kCacheVersion, "FROM " + st.image->id);
    } else {
      st.key = chain_key(kCacheVersion, "FROM scratch");
    }
    if (st.image) st.config = st.image->config.value("config", json::object());
    v.done();
    BuildArgs::Stage args = args_.stage();
    // ONBUILD triggers of the base run first; the new image does not inherit them.
    std::vector<std::string> triggers;
    if (auto it = st.config.find("OnBuild"); it != st.config.end() && it->is_array())
      for (const auto& t : *it) triggers.push_back(t.get<std::string>());
    if (!triggers.empty()) {
      st.config.erase("OnBuild");
      for (const auto& t : triggers) {
        auto p = df::parse(t, o_.dockerfile_name);
        for (const auto& node : p.children) dispatch(st, args, df::parse_instruction(node));
      }
    }
    for (const auto& ins : s.instructions) dispatch(st, args, ins);
    if (i == plan.target && !o_.labels.empty()) {
      for (const auto& [k, val] : o_.labels) st.config["Labels"][k] = val;
      st.key = chain_key(st.key, "LABELS\n" + st.config.dump());
      if (!adopt_cached(st))
        st.pending.push_back({.created_by = "LABEL (--label)", .empty_layer = true});
    }
    results_[i] = materialize(st);
    trace("stage done");
  }
  check_cancel();
  for (const auto& a : args_.unused())
    warnings_.push_back("One or more build-args [" + a + "] were not consumed");

  BuildResult result;
  auto v = progress_.begin("exporting to image");
  const img::Image& final_image = *results_.at(plan.target);
  result.image = store_.add_image(final_image.manifest_digest, o_.tags, false);
  v.output("writing image " + result.image.id + " done\n");
  for (const auto& t : o_.tags) v.output("naming to " + t.str() + " done\n");
  v.done();
  trace("tagged");
  for (const auto& w : warnings_) progress_.note("[warning] " + w);
  result.warnings = warnings_;
  return result;
}

}  // namespace

BuildResult build_image(const Paths& paths, const BuildOptions& opts, Progress& progress,
                        Cancel& cancel) {
  return Build(paths, opts, progress, cancel).run();
}

}  // namespace berth::builder
