// `berth import`, `load`, `save` (and `image import|load|save`): images in and out of the
// store as tarballs, with Docker's flags and output.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/image_groups.h"
#include "common/error.h"
#include "engine/image/import.h"
#include "engine/image/store.h"
#include "sys/unique_fd.h"

namespace berth::cli {

namespace img = berth::engine::image;

namespace {

struct ImportArgs {
  std::string source;
  std::string reference;
  std::vector<std::string> changes;
  std::string message;
};

void run_import(Globals& g, const ImportArgs& a) {
  img::ImportOptions opts;
  opts.source = a.source;
  opts.changes = a.changes;
  opts.message = a.message;
  if (!a.reference.empty()) opts.reference = img::parse_reference(a.reference);
  sys::UniqueFd file;
  int fd = STDIN_FILENO;
  if (a.source != "-") {
    file.reset(::open(a.source.c_str(), O_RDONLY | O_CLOEXEC));
    if (!file) throw_errno("open", a.source, errno);
    fd = file.get();
  }
  img::Store store(g.paths);
  img::Image image = img::import_image(store, fd, opts);
  std::printf("%s\n", image.id.c_str());
}

}  // namespace

void add_import_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto a = std::make_shared<ImportArgs>();
  auto* cmd = parent.add_subcommand(name,
                                    "Import the contents from a tarball to create a "
                                    "filesystem image");
  cmd->add_option("file", a->source, "Tarball path, or - for stdin")->required();
  cmd->add_option("reference", a->reference, "REPOSITORY[:TAG]");
  cmd->add_option("-c,--change", a->changes, "Apply Dockerfile instruction to the created image");
  cmd->add_option("-m,--message", a->message, "Set commit message for imported image");
  cmd->callback([&g, a] { run_import(g, *a); });
}

namespace {
void register_io(CLI::App& app, Globals& g) {
  add_import_command(app, g, "import");
}
}  // namespace

BERTH_COMMANDS(register_io);

}  // namespace berth::cli
