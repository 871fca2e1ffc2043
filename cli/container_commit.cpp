// `berth commit` (and `container commit`): a container's changes as a new image, with
// Docker's flags; prints the image ID. SOURCE_DATE_EPOCH, when set, pins the image's times
// (created, history, file mtimes clamped) so the same container commits to the same image.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/container_commands.h"
#include "common/error.h"
#include "engine/image/image_writer.h"
#include "engine/lifecycle/container_commit.h"

namespace berth::cli {

namespace {

struct CommitArgs {
  std::string container;
  std::string reference;
  std::string author;
  std::string message;
  std::vector<std::string> changes;
  bool pause = true;
};

void run_commit(Globals& g, const CommitArgs& a) {
  engine::lifecycle::CommitOptions opts;
  opts.author = a.author;
  opts.message = a.message;
  opts.changes = a.changes;
  opts.pause = a.pause;
  if (!a.reference.empty()) {
    opts.reference = engine::image::parse_reference(a.reference);
    if (opts.reference->tag.empty())
      throw Error("refusing to create a tag with a digest reference");
  }
  opts.source_date_epoch = engine::image::parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
  auto image = engine::lifecycle::commit_container(g.paths, a.container, opts);
  std::printf("%s\n", image.id.c_str());
}

}  // namespace

CLI::App* add_commit(CLI::App& parent, Globals& g) {
  auto a = std::make_shared<CommitArgs>();
  auto* cmd = parent.add_subcommand("commit", "Create a new image from a container's changes");
  cmd->add_option("container", a->container, "CONTAINER")->required();
  cmd->add_option("repository", a->reference, "REPOSITORY[:TAG]");
  cmd->add_option("-a,--author", a->author,
                  "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
  cmd->add_option("-c,--change", a->changes, "Apply Dockerfile instruction to the created image")
      ->allow_extra_args(false);  // one value per flag, as docker
  cmd->add_option("-m,--message", a->message, "Commit message");
  cmd->add_flag("-p,--pause", a->pause, "Pause container during commit (default true)");
  cmd->callback([&g, a] { run_commit(g, *a); });
  return cmd;
}

}  // namespace berth::cli
