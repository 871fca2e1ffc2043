// logs: the container's output from its json-file log, stdout to stdout and stderr to stderr.
#include <cstdio>
#include <memory>

#include "cli/container_commands.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "engine/lifecycle/container_logs.h"

namespace berth::cli {

namespace lc = engine::lifecycle;

namespace {
struct LogFlags {
  std::string name, tail = "all", since, until;
  bool follow = false, timestamps = false;
};

std::optional<timespec> time_flag(const std::string& flag, const std::string& value) {
  if (value.empty()) return std::nullopt;
  auto t = berth::parse_since(value, berth::now());
  if (!t) throw Error(flag + ": invalid value \"" + value + "\"", 125);
  return t;
}
}  // namespace

lc::LogOptions log_options(const std::string& tail, const std::string& since,
                           const std::string& until) {
  lc::LogOptions o;
  if (tail != "all") {
    try {
      o.tail = std::stol(tail);
    } catch (const std::exception&) {
      throw Error("--tail: invalid value \"" + tail + "\"", 125);
    }
  }
  o.since = time_flag("--since", since);
  o.until = time_flag("--until", until);
  return o;
}

CLI::App* add_logs(CLI::App& parent, Globals& g) {
  auto* sub = parent.add_subcommand("logs", "Fetch the logs of a container");
  auto f = std::make_shared<LogFlags>();
  sub->add_flag("-f,--follow", f->follow, "Follow log output");
  sub->add_flag("-t,--timestamps", f->timestamps, "Show timestamps");
  sub->add_option("-n,--tail", f->tail, "Number of lines to show from the end of the logs");
  sub->add_option("--since", f->since, "Show logs since timestamp or relative (e.g. 42m)");
  sub->add_option("--until", f->until, "Show logs before a timestamp or relative (e.g. 42m)");
  sub->add_option("CONTAINER", f->name, "Container")->required();
  sub->callback([f, &g] {
    lc::LogOptions o = log_options(f->tail, f->since, f->until);
    o.follow = f->follow;
    o.timestamps = f->timestamps;
    core::state::ContainerStore store(g.paths);
    lc::read_logs(store, store.resolve(f->name), o, [&](const lc::LogEntry& e) {
      FILE* out = e.is_stderr ? stderr : stdout;
      if (o.timestamps) std::fprintf(out, "%s ", e.time.c_str());
      std::fwrite(e.text.data(), 1, e.text.size(), out);
      if (o.follow) std::fflush(out);
    });
  });
  return sub;
}

}  // namespace berth::cli
