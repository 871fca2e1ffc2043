// `berth build` (and `image build`), `builder prune`: Docker's flags onto the builder
// (builder/builder.h). Progress goes to stderr as BuildKit's plain output; -q prints only the
// image ID on stdout. Ctrl-C cancels: the running step's container is killed and removed,
// nothing is tagged.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>

#include "builder/build_args.h"
#include "builder/builder.h"
#include "builder/cache.h"
#include "cli/commands.h"
#include "cli/registry_context.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/signal_fd.h"
#include "common/strings.h"
#include "engine/image/image_writer.h"
#include "engine/image/remove.h"

namespace berth::cli {

namespace {

namespace img = berth::engine::image;

struct BuildFlags {
  std::vector<std::string> tags, build_args, labels, secrets;
  std::string file, target, network, progress = "auto", iidfile, context;
  bool no_cache = false, pull = false, quiet = false;
};

// "id=mysecret,src=/path" (also source=, and env= for a variable) as Docker's --secret.
std::pair<std::string, std::string> parse_secret(const std::string& spec) {
  std::string id, src, env;
  for (const auto& field : split(spec, ',')) {
    const auto eq = field.find('=');
    const std::string k = field.substr(0, eq),
                      v = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (k == "id") {
      id = v;
    } else if (k == "src" || k == "source") {
      src = v;
    } else if (k == "env") {
      env = v;
    } else if (k != "type") {
      throw Error("invalid argument \"" + spec + "\" for \"--secret\" flag: unexpected key '" + k +
                  "'");
    }
  }
  if (id.empty())
    throw Error("invalid argument \"" + spec + "\" for \"--secret\" flag: id is required");
  if (src.empty() && env.empty()) src = id;
  if (!env.empty() && src.empty())
    throw Error("--secret env=: secrets from environment variables are not supported yet");
  return {id, std::filesystem::absolute(src).string()};
}

void run_build(Globals& g, const BuildFlags& f) {
  builder::BuildOptions o;
  if (f.context == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    if (text.size() > 262 && text.compare(257, 5, "ustar") == 0)
      throw Error("a build context as a tar archive on stdin is not supported yet");
    o.dockerfile_text = std::move(text);
  } else {
    o.context_dir = std::filesystem::absolute(f.context).lexically_normal().string();
    if (!std::filesystem::is_directory(o.context_dir))
      throw Error("unable to prepare context: path \"" + f.context + "\" not found");
    if (f.file == "-") {
      o.dockerfile_text =
          std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      o.dockerfile_path = f.file.empty() ? o.context_dir + "/Dockerfile"
                                         : std::filesystem::absolute(f.file).string();
      o.dockerfile_name = std::filesystem::path(o.dockerfile_path).filename().string();
    }
  }
  o.build_args = builder::parse_build_arg_flags(f.build_args);
  for (const auto& l : f.labels) {
    const auto eq = l.find('=');
    o.labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  for (const auto& t : f.tags) {
    try {
      o.tags.push_back(img::parse_reference(t));
    } catch (const Error& e) {
      throw Error("invalid argument \"" + t + "\" for \"-t, --tag\" flag: " + e.what());
    }
  }
  for (const auto& s : f.secrets) o.secrets.insert(parse_secret(s));
  if (f.progress != "auto" && f.progress != "plain" && f.progress != "tty" && f.progress != "quiet")
    throw Error("invalid argument \"" + f.progress + "\" for \"--progress\" flag");
  o.target = f.target;
  o.no_cache = f.no_cache;
  o.network = f.network;
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (auto it = o.build_args.find("SOURCE_DATE_EPOCH"); it != o.build_args.end())
    epoch = it->second.c_str();
  o.source_date_epoch = img::parse_source_date_epoch(epoch);
  o.registry = registry_context(g);
  o.pull = f.pull;

  SignalFd signals({SIGINT, SIGTERM, SIGHUP});
  builder::Cancel cancel;
  cancel.signal_fd = signals.fd();
  const bool quiet = f.quiet || f.progress == "quiet";
  builder::Progress progress(quiet ? -1 : STDERR_FILENO);
  auto result = builder::build_image(g.paths, o, progress, cancel);
  if (!f.iidfile.empty()) write_file_atomic(f.iidfile, result.image.id, 0644);
  if (quiet) std::printf("%s\n", result.image.id.c_str());
}

void add_build(CLI::App& parent, Globals& g, const std::string& name) {
  auto f = std::make_shared<BuildFlags>();
  auto* cmd = parent.add_subcommand(name, "Build an image from a Dockerfile");
  cmd->add_option("context", f->context, "PATH | -")->required();
  cmd->add_option("-t,--tag", f->tags, "Name and optionally a tag in the \"name:tag\" format");
  cmd->add_option("-f,--file", f->file, "Name of the Dockerfile (default: \"PATH/Dockerfile\")");
  cmd->add_option("--build-arg", f->build_args, "Set build-time variables");
  cmd->add_option("--target", f->target, "Set the target build stage to build");
  cmd->add_flag("--no-cache", f->no_cache, "Do not use cache when building the image");
  cmd->add_flag("--pull", f->pull, "Always attempt to pull all referenced images");
  cmd->add_option("--label", f->labels, "Set metadata for an image");
  cmd->add_option("--network", f->network,
                  "Set the networking mode for the RUN instructions during build");
  cmd->add_option("--progress", f->progress,
                  "Set type of progress output (\"auto\", \"plain\", \"tty\", \"quiet\")");
  cmd->add_flag("-q,--quiet", f->quiet, "Suppress the build output and print image ID on success");
  cmd->add_option("--iidfile", f->iidfile, "Write the image ID to the file");
  cmd->add_option("--secret", f->secrets,
                  "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\")");
  cmd->callback([&g, f] { run_build(g, *f); });
}

void register_build(CLI::App& app, Globals& g) {
  add_build(app, g, "build");
  auto* builder_cmd = app.add_subcommand("builder", "Manage builds");
  builder_cmd->require_subcommand(1);
  auto all = std::make_shared<bool>(false);
  auto force = std::make_shared<bool>(false);
  auto* prune = builder_cmd->add_subcommand("prune", "Remove build cache");
  prune->add_flag("-a,--all", *all, "Remove all unused build cache, not just dangling ones");
  prune->add_flag("-f,--force", *force, "Do not prompt for confirmation");
  prune->callback([&g] {
    img::Store store(g.paths);
    std::vector<std::string> removed;
    for (const auto& i : store.list()) {
      if (!i.intermediate) continue;
      try {
        img::remove_image(store, i.id, false);
        removed.push_back(i.id);
      } catch (const Error&) {
        continue;  // a container uses it: kept, as Docker keeps cache in use
      }
    }
    builder::BuildCache(g.paths).clear();
    if (!removed.empty()) std::printf("Deleted build cache objects:\n");
    for (const auto& id : removed) std::printf("%s\n", id.c_str());
    std::printf("\nTotal reclaimed space: %zu images\n", removed.size());
  });
}

}  // namespace

BERTH_COMMANDS(register_build, "build", "builder");

}  // namespace berth::cli
