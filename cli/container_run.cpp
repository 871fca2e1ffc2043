// run, create, start: parse Docker's flags, then engine/lifecycle does the work.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>

#include "cli/container_commands.h"
#include "cli/image_pull.h"
#include "cli/request/run_flags.h"
#include "common/error.h"
#include "core/state/container_store.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "engine/lifecycle/attach.h"
#include "engine/lifecycle/container_create.h"
#include "engine/lifecycle/container_start.h"

namespace berth::cli {

namespace lc = engine::lifecycle;
namespace img = engine::image;

namespace {

struct CreateFlags {
  RunFlags flags;
  bool detach = false;
  std::string pull = "missing", platform;
};

void add_create_flags(CLI::App* sub, CreateFlags& f) {
  add_run_flags(sub, f.flags);
  sub->add_option("--pull", f.pull,
                  "Pull image before running (\"always\", \"missing\", \"never\")");
  sub->add_option("--platform", f.platform, "Set platform if server is multi-platform capable")
      ->envname("DOCKER_DEFAULT_PLATFORM");
}

// The image as --pull asks: pulled first (always), pulled when absent (missing), or only the
// local one (never). The registry is not touched when a local image is enough, so `run` of
// a local image loads no network code.
void ensure_image(Globals& g, const CreateFlags& f, const std::string& image) {
  if (f.pull != "always" && f.pull != "missing" && f.pull != "never")
    throw Error("invalid pull option: '" + f.pull +
                    "': must be one of \"always\", \"missing\" or \"never\"",
                125);
  img::Store store(g.paths);
  if (f.pull == "missing") {
    find_or_pull(g, store, image, f.platform);
    return;
  }
  if (store.find(image) && f.pull == "never") return;
  auto ref = img::try_parse_reference(image);
  if (f.pull == "never" || !ref) throw NotFound("No such image: " + (ref ? ref->str() : image));
  PullFlags pull;
  pull.platform = f.platform;
  pull_showing(g, store, ref->str(), pull, stderr);
}

request::ContainerRequest finish_options(CLI::App* sub, CreateFlags& f, const std::string& verb) {
  auto rest = sub->remaining();
  if (rest.empty())
    throw Error("\"" + verb + "\" requires at least 1 argument.\nSee 'berth " + verb + " --help'.",
                125);
  return to_request(f.flags, rest[0], std::vector<std::string>(rest.begin() + 1, rest.end()));
}

core::state::Container create(Globals& g, const CreateFlags& f,
                              const request::ContainerRequest& o) {
  try {
    ensure_image(g, f, o.image);
  } catch (const Error& e) {
    // Docker: a `run` or `create` whose image is neither local nor pulled exits 125.
    throw Error(e.what(), 125);
  }
  try {
    return lc::create_container(g.paths, o);
  } catch (const NotFound& e) {
    throw Error(e.what(), 125);  // Docker: a `run` that cannot find its image exits 125
  }
}

}  // namespace

int run_attached(Globals& g, const core::state::Container& c, bool with_stdin) {
  lc::Attach a;
  a.fds[0] = with_stdin ? 0 : -1;
  a.fds[1] = 1;
  a.fds[2] = 2;
  std::cout.flush();
  lc::RawTerminal raw(c.config.tty && with_stdin ? 0 : -1);
  std::optional<lc::SignalProxy> proxy;
  std::optional<lc::MonitorProcess> m;
  {
    // Signals that arrive while the container starts wait for the proxy, then go to it.
    lc::BlockForwardedSignals blocked;
    m.emplace(lc::start_container(g.paths, c, a));
    proxy.emplace(m->container_pid(), m->monitor_pid());
  }
  return m->wait_exit();
}

CLI::App* add_run(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("run", "Create and run a new container from an image");
  auto f = std::make_shared<CreateFlags>();
  add_create_flags(sub, *f);
  sub->add_flag("-d,--detach", f->detach, "Run container in background and print container ID");
  sub->callback([sub, f, &g] {
    auto o = finish_options(sub, *f, "run");
    auto c = create(g, *f, o);
    if (f->detach) {
      lc::start_container(g.paths, c);
      std::cout << c.id() << "\n";
      return;
    }
    g.exit_code = run_attached(g, c, o.process.open_stdin);
  });
  return sub;
}

CLI::App* add_create(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("create", "Create a new container");
  auto f = std::make_shared<CreateFlags>();
  add_create_flags(sub, *f);
  sub->callback([sub, f, &g] {
    auto c = create(g, *f, finish_options(sub, *f, "create"));
    std::cout << c.id() << "\n";
  });
  return sub;
}

CLI::App* add_start(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("start", "Start one or more stopped containers");
  auto names = std::make_shared<std::vector<std::string>>();
  auto attach = std::make_shared<bool>(false);
  auto interactive = std::make_shared<bool>(false);
  sub->add_flag("-a,--attach", *attach, "Attach STDOUT/STDERR and forward signals");
  sub->add_flag("-i,--interactive", *interactive, "Attach container's STDIN");
  sub->add_option("CONTAINER", *names, "Containers")->required();
  sub->callback([names, attach, interactive, &g] {
    core::state::ContainerStore store(g.paths);
    if (*attach || *interactive) {
      if (names->size() != 1)
        throw Error("you cannot start and attach multiple containers at once", 125);
      auto c = store.find(names->front());
      g.exit_code = run_attached(g, c, *interactive && c.config.open_stdin);
      return;
    }
    for_each_container(g, *names, [&](const std::string& name) {
      auto c = store.find(name);
      if (!c.running()) lc::start_container(g.paths, c);
      std::cout << name << "\n";
    });
  });
  return sub;
}

}  // namespace berth::cli
