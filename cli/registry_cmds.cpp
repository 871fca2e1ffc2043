// `berth pull` and `berth push` (and `image pull|push`): images to and from registries, with
// Docker's output (cli/image_pull.h, cli/format/layer_progress.h).
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "cli/commands.h"
#include "cli/format/layer_progress.h"
#include "cli/image_groups.h"
#include "cli/image_pull.h"
#include "cli/registry_context.h"
#include "common/error.h"
#include "registry/pull.h"

namespace berth::cli {

namespace {

namespace img = engine::image;

struct PullArgs {
  std::string name;
  PullFlags flags;
  bool all_tags = false;
};

void run_pull(Globals& g, const PullArgs& a) {
  img::Store store(g.paths);
  if (!a.all_tags) {
    pull_with_output(g, store, a.name, a.flags, stdout);
    return;
  }
  img::Reference ref = img::parse_reference(a.name);
  if (a.name.find('@') != std::string::npos ||
      a.name.find(':', a.name.rfind('/') == std::string::npos ? 0 : a.name.rfind('/')) !=
          std::string::npos)
    throw Error("tag can't be used with --all-tags/-a", 1);
  // Docker: each tag's lines, then one status for the repository.
  auto tags = registry::list_tags(registry_context(g), ref);
  bool any_new = false;
  for (const auto& t : tags) {
    img::Reference one = ref;
    one.tag = t;
    PullFlags f = a.flags;
    f.summary = false;
    bool up_to_date = false;
    f.up_to_date = &up_to_date;
    pull_with_output(g, store, one.str(), f, stdout);
    any_new = any_new || !up_to_date;
  }
  if (!a.flags.quiet)
    std::printf("Status: %s%s\n",
                any_new ? "Downloaded newer image for " : "Image is up to date for ",
                ref.name.c_str());
  std::printf("%s\n", ref.full_name().c_str());
}

}  // namespace

void add_pull_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto a = std::make_shared<PullArgs>();
  auto* cmd = parent.add_subcommand(name, "Download an image from a registry");
  cmd->add_option("name", a->name, "NAME[:TAG|@DIGEST]")->required();
  cmd->add_flag("-a,--all-tags", a->all_tags, "Download all tagged images in the repository");
  cmd->add_option("--platform", a->flags.platform,
                  "Set platform if server is multi-platform capable")
      ->envname("DOCKER_DEFAULT_PLATFORM");
  cmd->add_flag("-q,--quiet", a->flags.quiet, "Suppress verbose output");
  cmd->add_flag("--disable-content-trust")->description("Skip image verification (no effect)");
  cmd->callback([&g, a] { run_pull(g, *a); });
}

namespace {

struct PushArgs {
  std::string name;
  bool quiet = false, all_tags = false;
};

bool stdout_is_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

void push_one(Globals& g, img::Store& store, const img::Reference& ref, bool quiet) {
  format::LayerProgress view(stdout, stdout_is_terminal());
  registry::PushOptions options;
  if (!quiet) {
    std::printf("The push refers to repository [%s]\n", ref.full_name().c_str());
    std::fflush(stdout);
    options.progress = [&view](const registry::LayerEvent& e) {
      view.update(e.id, e.status, e.current, e.total);
    };
  }
  auto r = registry::push_image(store, registry_context(g), ref, options);
  if (quiet)
    std::printf("%s%s\n", ref.full_name().c_str(), (":" + r.tag).c_str());
  else
    view.line(r.tag + ": digest: " + r.digest + " size: " + std::to_string(r.size));
}

void run_push(Globals& g, const PushArgs& a) {
  img::Store store(g.paths);
  img::Reference ref = img::parse_reference(a.name);
  if (!a.all_tags) {
    push_one(g, store, ref, a.quiet);
    return;
  }
  bool any = false;
  for (const auto& image : store.list())
    for (const auto& t : image.repo_tags) {
      auto tagged = img::try_parse_reference(t);
      if (tagged && tagged->name == ref.name) {
        push_one(g, store, *tagged, a.quiet);
        any = true;
      }
    }
  if (!any) throw NotFound("An image does not exist locally with the tag: " + ref.name);
}

}  // namespace

void add_push_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto a = std::make_shared<PushArgs>();
  auto* cmd = parent.add_subcommand(name, "Upload an image to a registry");
  cmd->add_option("name", a->name, "NAME[:TAG]")->required();
  cmd->add_flag("-a,--all-tags", a->all_tags, "Push all tags of an image to the repository");
  cmd->add_flag("-q,--quiet", a->quiet, "Suppress verbose output");
  cmd->add_flag("--disable-content-trust")->description("Skip image signing (no effect)");
  cmd->callback([&g, a] { run_push(g, *a); });
}

namespace {

void register_registry(CLI::App& app, Globals& g) {
  add_pull_command(app, g, "pull");
  add_push_command(app, g, "push");
}

}  // namespace

BERTH_COMMANDS(register_registry, "pull", "push");

}  // namespace berth::cli
