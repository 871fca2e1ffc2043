#include "cli/image_pull.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "cli/format/layer_progress.h"
#include "cli/registry_context.h"
#include "common/error.h"
#include "registry/pull.h"

namespace berth::cli {

namespace img = engine::image;

namespace {

bool is_terminal(FILE* out) {
  const char* term = std::getenv("TERM");
  return ::isatty(::fileno(out)) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

// Whether the user wrote a tag or digest (Docker says "Using default tag: latest" otherwise).
bool names_tag_or_digest(const std::string& name) {
  if (name.find('@') != std::string::npos) return true;
  auto slash = name.rfind('/');
  return name.find(':', slash == std::string::npos ? 0 : slash) != std::string::npos;
}

// The pull with its lines on out (none with quiet).
registry::PullResult pull_reporting(const Globals& g, img::Store& store, const std::string& name,
                                    const img::Reference& ref, const PullFlags& flags, FILE* out) {
  registry::PullOptions options;
  if (!flags.platform.empty()) options.platform = registry::parse_platform(flags.platform);
  auto ctx = registry_context(g);
  format::LayerProgress view(out, is_terminal(out));
  if (!flags.quiet) {
    if (!names_tag_or_digest(name)) std::fprintf(out, "Using default tag: latest\n");
    std::fprintf(out, "%s: Pulling from %s\n",
                 ref.digest.empty() ? ref.tag.c_str() : ref.digest.c_str(),
                 registry::reference_path(ref).c_str());
    std::fflush(out);
    options.progress = [&view](const registry::LayerEvent& e) {
      view.update(e.id, e.status, e.current, e.total);
    };
  }
  auto result = registry::pull_image(store, ctx, ref, options);
  if (flags.up_to_date) *flags.up_to_date = result.up_to_date;
  if (!flags.quiet) view.line("Digest: " + result.digest);
  if (!flags.quiet && flags.summary) {
    view.line(std::string("Status: ") +
              (result.up_to_date ? "Image is up to date for " : "Downloaded newer image for ") +
              ref.str());
  }
  return result;
}

}  // namespace

img::Image pull_with_output(const Globals& g, img::Store& store, const std::string& name,
                            const PullFlags& flags, FILE* out) {
  img::Reference ref = img::parse_reference(name);
  auto result = pull_reporting(g, store, name, ref, flags, out);
  if (!flags.summary) return result.image;
  std::fprintf(stdout, "%s%s\n", ref.full_name().c_str(),
               (ref.digest.empty() ? ":" + ref.tag : "@" + ref.digest).c_str());
  std::fflush(stdout);
  return result.image;
}

img::Image pull_showing(const Globals& g, img::Store& store, const std::string& name,
                        const PullFlags& flags, FILE* out) {
  return pull_reporting(g, store, name, img::parse_reference(name), flags, out).image;
}

img::Image find_or_pull(const Globals& g, img::Store& store, const std::string& name,
                        const std::string& platform) {
  if (auto local = store.find(name)) return *local;
  // An image ID (or its prefix) is never pulled.
  auto ref = img::try_parse_reference(name);
  if (!ref) throw NotFound("No such image: " + name);
  std::fprintf(stderr, "Unable to find image '%s' locally\n", ref->str().c_str());
  PullFlags flags;
  flags.platform = platform;
  return pull_reporting(g, store, ref->str(), *ref, flags, stderr).image;
}

}  // namespace berth::cli
