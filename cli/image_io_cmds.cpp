// `berth import`, `load`, `save` (and `image import|load|save`): images in and out of the
// store as tarballs, with Docker's flags and output.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cli/commands.h"
#include "cli/image_groups.h"
#include "common/error.h"
#include "engine/image/archive_load.h"
#include "engine/image/archive_save.h"
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
  cmd->add_option("-c,--change", a->changes, "Apply Dockerfile instruction to the created image")
      ->allow_extra_args(false);  // one value per flag, as docker
  cmd->add_option("-m,--message", a->message, "Set commit message for imported image");
  cmd->callback([&g, a] { run_import(g, *a); });
}

void add_load_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto input = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  auto* cmd = parent.add_subcommand(name, "Load an image from a tar archive or STDIN");
  cmd->add_option("-i,--input", *input, "Read from tar archive file, instead of STDIN");
  cmd->add_flag("-q,--quiet", *quiet, "Suppress the load output");
  cmd->callback([&g, input, quiet] {
    sys::UniqueFd file;
    int fd = STDIN_FILENO;
    if (!input->empty()) {
      file.reset(::open(input->c_str(), O_RDONLY | O_CLOEXEC));
      if (!file) throw_errno("open", *input, errno);
      fd = file.get();
    } else if (::isatty(STDIN_FILENO)) {
      throw Error("requested load from stdin, but stdin is empty");
    }
    img::Store store(g.paths);
    auto lines = img::load_archive(store, fd);
    if (!*quiet)
      for (const auto& l : lines) std::printf("%s\n", l.c_str());
  });
}

namespace {

// Writes to a temp file next to out and renames it, so a failed save leaves no half file.
void save_to_file(const img::Store& store, const std::vector<std::string>& refs,
                  const std::string& out) {
  std::string tmp = out + ".berth-tmp";
  sys::UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd) throw_errno("create", tmp, errno);
  try {
    img::save_images(store, refs, fd.get());
    if (::fsync(fd.get()) < 0) throw_errno("fsync", tmp, errno);
    if (::rename(tmp.c_str(), out.c_str()) < 0) throw_errno("rename", out, errno);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

}  // namespace

void add_save_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto output = std::make_shared<std::string>();
  auto refs = std::make_shared<std::vector<std::string>>();
  auto* cmd = parent.add_subcommand(name, "Save one or more images to a tar archive");
  cmd->add_option("images", *refs, "IMAGE")->required();
  cmd->add_option("-o,--output", *output, "Write to a file, instead of STDOUT");
  cmd->callback([&g, output, refs] {
    img::Store store(g.paths);
    if (!output->empty()) return save_to_file(store, *refs, *output);
    if (::isatty(STDOUT_FILENO))
      throw Error("cowardly refusing to save to a terminal. Use the -o flag or redirect");
    std::fflush(stdout);
    img::save_images(store, *refs, STDOUT_FILENO);
  });
}

namespace {
void register_io(CLI::App& app, Globals& g) {
  add_import_command(app, g, "import");
  add_load_command(app, g, "load");
  add_save_command(app, g, "save");
}
}  // namespace

BERTH_COMMANDS(register_io);

}  // namespace berth::cli
