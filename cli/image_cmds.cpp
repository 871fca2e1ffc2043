// `berth images`, `tag`, `rmi` and the `image` group (ls, rm, tag, inspect, prune, plus
// import/load/save from image_io_cmds.cpp): Docker's flags, tables and JSON.
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/format/list.h"
#include "cli/image_format.h"
#include "cli/image_groups.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "engine/image/digest.h"
#include "engine/image/inspect.h"
#include "engine/image/remove.h"
#include "engine/image/store.h"

namespace berth::cli {

namespace img = berth::engine::image;

namespace {

std::string short_id(const std::string& id) {
  return img::digest_hex(id).substr(0, 12);
}

struct ImagesArgs {
  std::string filter;
  std::vector<std::string> filters;  // --filter dangling=…, reference=…, label=…
  bool quiet = false, all = false, no_trunc = false, digests = false;
  std::string format;
};

struct Row {
  std::string repo, tag;
  const img::Image* image;
};

std::vector<Row> image_rows(const std::vector<img::Image>& images, const std::string& filter) {
  std::optional<img::Reference> want;
  if (!filter.empty()) want = img::parse_reference(filter);
  // "busybox" lists every tag of busybox; "busybox:1" only that one.
  auto slash = filter.rfind('/');
  bool want_tag = filter.find(':', slash == std::string::npos ? 0 : slash) != std::string::npos;
  std::vector<Row> rows;
  for (const auto& image : images) {
    if (image.repo_tags.empty() && !want) rows.push_back({"<none>", "<none>", &image});
    for (const auto& t : image.repo_tags) {
      auto r = img::parse_reference(t);
      if (want && (r.name != want->name || (want_tag && r.tag != want->tag))) continue;
      rows.push_back({r.name, r.tag, &image});
    }
  }
  return rows;
}

// Docker's `images --filter`: dangling=true|false, reference=GLOB (on repo or repo:tag),
// label=KEY or label=KEY=VALUE. Several filters must all match.
bool matches(const Row& r, const std::string& filter) {
  auto eq = filter.find('=');
  if (eq == std::string::npos) throw Error("bad format of filter (expected name=value)", 125);
  std::string key = filter.substr(0, eq), value = filter.substr(eq + 1);
  if (key == "dangling") {
    if (value != "true" && value != "false")
      throw Error("invalid filter 'dangling=" + value + "'", 125);
    return (r.repo == "<none>") == (value == "true");
  }
  if (key == "reference") {
    std::string full = r.repo + ":" + r.tag;
    return ::fnmatch(value.c_str(), r.repo.c_str(), 0) == 0 ||
           ::fnmatch(value.c_str(), full.c_str(), 0) == 0;
  }
  if (key == "label") {
    auto labels = r.image->config.value("config", nlohmann::json::object())
                      .value("Labels", nlohmann::json::object());
    auto veq = value.find('=');
    std::string lk = value.substr(0, veq);
    if (!labels.is_object() || !labels.contains(lk)) return false;
    return veq == std::string::npos || labels[lk] == value.substr(veq + 1);
  }
  throw Error("invalid filter '" + key + "'", 125);
}

std::vector<Row> apply_filters(std::vector<Row> rows, const std::vector<std::string>& filters) {
  std::erase_if(rows, [&](const Row& r) {
    return !std::all_of(filters.begin(), filters.end(),
                        [&](const std::string& f) { return matches(r, f); });
  });
  return rows;
}

// docker/cli's ImageContext fields: what --format json prints and templates read.
format::Row format_row(const Row& r, std::time_t now, bool no_trunc) {
  const std::time_t created = berth::parse_rfc3339(r.image->created).value_or(timespec{}).tv_sec;
  return {{{"Containers", "N/A"},
           {"CreatedAt", go_time_string(created)},
           {"CreatedSince", berth::human_duration(static_cast<double>(now - created)) + " ago"},
           {"Digest", "<none>"},
           {"ID", no_trunc ? r.image->id : short_id(r.image->id)},
           {"Repository", r.repo},
           {"SharedSize", "N/A"},
           {"Size", human_size(static_cast<double>(r.image->size))},
           {"Tag", r.tag},
           {"UniqueSize", "N/A"},
           {"VirtualSize", human_size(static_cast<double>(r.image->size))}},
          {}};
}

format::Columns image_columns(bool digests) {
  return {{{"ID", "IMAGE ID"},
           {"Repository", "REPOSITORY"},
           {"Tag", "TAG"},
           {"Digest", "DIGEST"},
           {"CreatedSince", "CREATED"},
           {"CreatedAt", "CREATED AT"},
           {"Size", "SIZE"},
           {"Containers", "CONTAINERS"},
           {"VirtualSize", "SIZE"},
           {"SharedSize", "SHARED SIZE"},
           {"UniqueSize", "UNIQUE SIZE"}},
          std::string("table {{.Repository}}\\t{{.Tag}}\\t") + (digests ? "{{.Digest}}\\t" : "") +
              "{{.ID}}\\t{{.CreatedSince}}\\t{{.Size}}"};
}

void run_images(Globals& g, const ImagesArgs& a) {
  img::Store store(g.paths);
  auto images = store.list();
  // Build steps' images are the build cache: listed with -a only, as Docker's intermediate
  // images.
  if (!a.all) std::erase_if(images, [](const img::Image& i) { return i.intermediate; });
  auto rows = apply_filters(image_rows(images, a.filter), a.filters);
  std::time_t now = std::time(nullptr);
  if (a.quiet) {
    std::set<std::string> seen;
    for (const auto& r : rows)
      if (seen.insert(r.image->id).second)
        std::printf("%s\n", a.no_trunc ? r.image->id.c_str() : short_id(r.image->id).c_str());
    return;
  }
  std::vector<format::Row> out;
  for (const auto& r : rows) out.push_back(format_row(r, now, a.no_trunc));
  format::print_list(std::cout, a.format, image_columns(a.digests), out);
}

void add_images_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto a = std::make_shared<ImagesArgs>();
  auto* cmd = parent.add_subcommand(name, "List images");
  if (name == "ls") cmd->alias("list");
  cmd->add_option("repository", a->filter, "REPOSITORY[:TAG]");
  cmd->add_flag("-q,--quiet", a->quiet, "Only show image IDs");
  cmd->add_flag("-a,--all", a->all, "Show all images (default hides intermediate images)");
  cmd->add_flag("--no-trunc", a->no_trunc, "Don't truncate output");
  cmd->add_flag("--digests", a->digests, "Show digests");
  cmd->add_option("--format", a->format,
                  "Format output: table, json, a Go template ({{.Repository}}) or table TEMPLATE");
  cmd->add_option("-f,--filter", a->filters, "Filter output based on conditions provided")
      ->allow_extra_args(false);
  cmd->callback([&g, a] { run_images(g, *a); });
}

void add_tag_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto src = std::make_shared<std::string>();
  auto dst = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand(name, "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE");
  cmd->add_option("source", *src, "SOURCE_IMAGE[:TAG]")->required();
  cmd->add_option("target", *dst, "TARGET_IMAGE[:TAG]")->required();
  cmd->callback([&g, src, dst] {
    img::Store store(g.paths);
    img::Reference target;
    try {
      target = img::parse_reference(*dst);
    } catch (const Error& e) {
      // Docker's client wording for `docker tag`.
      throw e.with_context("Error parsing reference: \"" + *dst +
                           "\" is not a valid repository/tag");
    }
    if (target.tag.empty()) throw Error("refusing to create a tag with a digest reference");
    store.tag(store.resolve(*src), target);
  });
}

void add_rmi_command(CLI::App& parent, Globals& g, const std::string& name) {
  auto refs = std::make_shared<std::vector<std::string>>();
  auto force = std::make_shared<bool>(false);
  auto* cmd = parent.add_subcommand(name, "Remove one or more images");
  if (name == "rm") cmd->alias("remove");
  cmd->add_option("images", *refs, "IMAGE")->required();
  cmd->add_flag("-f,--force", *force, "Force removal of the image");
  cmd->add_flag("--no-prune")->description("Do not delete untagged parents (no effect)");
  cmd->callback([&g, refs, force] { g.exit_code = remove_images(g.paths, *refs, *force); });
}

void register_images(CLI::App& app, Globals& g) {
  add_images_command(app, g, "images");
  add_tag_command(app, g, "tag");
  add_rmi_command(app, g, "rmi");
  add_history_command(app, g, "history");
  auto* group = app.add_subcommand("image", "Manage images");
  group->require_subcommand(1);
  add_images_command(*group, g, "ls");
  add_rmi_command(*group, g, "rm");
  add_tag_command(*group, g, "tag");
  add_history_command(*group, g, "history");
  add_import_command(*group, g, "import");
  add_load_command(*group, g, "load");
  add_save_command(*group, g, "save");
  add_inspect_command(*group, g, "inspect");
  add_prune_command(*group, g, "prune");
  add_pull_command(*group, g, "pull");
  add_push_command(*group, g, "push");
}

}  // namespace

BERTH_COMMANDS(register_images);

}  // namespace berth::cli
