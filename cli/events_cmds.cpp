// `berth events` and `berth compose events`: the engine's event stream (core/state/events.h),
// past events from --since, then new ones as they come until --until (or Ctrl-C).
//   berth events    Docker's lines, `2026-12-07T23:12:29.1Z container start ID (image=busybox,
//                   name=web)`; --format json / '{{json .}}' / a Go template over Docker's
//                   message; --filter container=, event=, label=, type=.
//   compose events  the project's containers (one-off `run` containers left out, as Compose
//                   does), `2026-12-07 23:12:29.123456 container start ID (image=..., name=...)`
//                   or with --json Compose's objects {time, type, action, id, service,
//                   attributes}; attributes without the com.docker.compose.* labels.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/compose_cmds.h"
#include "cli/format/template.h"
#include "common/error.h"
#include "common/timestamps.h"
#include "core/state/events.h"

namespace berth::cli {
namespace {

using core::state::Event;
using nlohmann::json;

constexpr const char* kProjectLabel = "com.docker.compose.project";

timespec time_of(const Event& e) {
  return {static_cast<time_t>(e.time_nano / 1'000'000'000),
          static_cast<long>(e.time_nano % 1'000'000'000)};
}

int64_t nanos(const timespec& t) {
  return int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
}

std::optional<int64_t> parse_time_flag(const std::string& flag, const std::string& value) {
  if (value.empty()) return std::nullopt;
  auto t = parse_since(value, berth::now());
  if (!t) throw Error("invalid value for \"" + flag + "\": \"" + value + "\" is not a timestamp");
  return nanos(*t);
}

// Past events from `since`, then new ones until `until` (none: until interrupted); each that
// `keep` accepts goes to `print`, then stdout is flushed.
void stream_events(const Paths& paths, std::optional<int64_t> since, std::optional<int64_t> until,
                   const std::function<bool(const Event&)>& keep,
                   const std::function<void(const Event&)>& print) {
  auto show = [&](const Event& e) {
    if (until && e.time_nano > *until) return;
    if (keep(e)) print(e);
  };
  // Following starts first, so that nothing written while the past is read is missed; what
  // both see is shown once (by time).
  core::state::EventFollower follower(paths);
  int64_t seen = 0;
  if (since) {
    for (const auto& e : core::state::read_events(paths)) {
      if (e.time_nano < *since) continue;
      show(e);
      seen = std::max(seen, e.time_nano);
    }
    std::fflush(stdout);
  }
  for (;;) {
    int wait_ms = -1;
    if (until) {
      const int64_t left = *until - nanos(berth::now());
      if (left <= 0) return;
      wait_ms = static_cast<int>(std::min<int64_t>(left / 1'000'000 + 1, 1000));
    }
    for (const auto& e : follower.next(wait_ms))
      if (e.time_nano > seen) show(e);
    std::fflush(stdout);
  }
}

// "k=v, k=v" sorted by key (the attributes are a std::map).
std::string attribute_list(const std::map<std::string, std::string>& attrs) {
  std::string out;
  for (const auto& [k, v] : attrs) out += (out.empty() ? "" : ", ") + k + "=" + v;
  return out;
}

bool label_matches(const Event& e, const std::string& filter) {
  const size_t eq = filter.find('=');
  auto it = e.attributes.find(filter.substr(0, eq));
  if (it == e.attributes.end()) return false;
  return eq == std::string::npos || it->second == filter.substr(eq + 1);
}

struct EventsFlags {
  std::string since, until, format;
  std::vector<std::string> filters;
};

void run_events(Globals& g, const EventsFlags& f) {
  std::multimap<std::string, std::string> filters;
  for (const auto& spec : f.filters) {
    const size_t eq = spec.find('=');
    const std::string key = spec.substr(0, eq);
    if (eq == std::string::npos ||
        (key != "container" && key != "event" && key != "label" && key != "type"))
      throw Error("invalid filter '" + spec + "'");
    filters.emplace(key, spec.substr(eq + 1));
  }
  // Filters of one key: any may match; of different keys: all must (Docker's filters.Args).
  auto keep = [filters](const Event& e) {
    for (auto it = filters.begin(); it != filters.end();) {
      const auto range = filters.equal_range(it->first);
      bool any = false;
      for (auto f = range.first; f != range.second && !any; ++f) {
        const std::string& v = f->second;
        if (f->first == "container") {
          auto name = e.attributes.find("name");
          any = e.id.starts_with(v) || (name != e.attributes.end() && name->second == v);
        } else if (f->first == "event") {
          any = e.action == v || e.action.starts_with(v + ":");
        } else if (f->first == "label") {
          any = label_matches(e, v);
        } else {
          any = e.type == v;
        }
      }
      if (!any) return false;
      it = range.second;
    }
    return true;
  };
  const std::string format = f.format;
  auto print = [format](const Event& e) {
    if (format == "json" || format == "{{json .}}") {
      std::cout << core::state::event_json(e).dump() << "\n";
    } else if (!format.empty()) {
      std::cout << format::render_template(format, core::state::event_json(e)) << "\n";
    } else {
      std::cout << format_rfc3339_nano(time_of(e)) << " " << e.type << " " << e.action << " "
                << e.id << " (" << attribute_list(e.attributes) << ")\n";
    }
  };
  stream_events(g.paths, parse_time_flag("--since", f.since), parse_time_flag("--until", f.until),
                keep, print);
}

void register_events(CLI::App& app, Globals& g) {
  auto f = std::make_shared<EventsFlags>();
  auto* cmd = app.add_subcommand("events", "Get real time events from the server");
  cmd->add_option("-f,--filter", f->filters, "Filter output based on conditions provided");
  cmd->add_option("--format", f->format, "Format output using a custom template or json");
  cmd->add_option("--since", f->since, "Show all events created since timestamp");
  cmd->add_option("--until", f->until, "Stream events until this timestamp");
  cmd->callback([f, &g] { run_events(g, *f); });
}

struct ComposeEventsFlags {
  bool json = false;
  std::string since, until;
  std::vector<std::string> services;
};

// Go's time.Time.Format("2006-01-02 15:04:05.000000") in UTC.
std::string compose_time(const timespec& t) {
  const tm u = utc_time(t.tv_sec);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", u.tm_year + 1900,
                u.tm_mon + 1, u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec, t.tv_nsec / 1000);
  return buf;
}

void run_compose_events(Globals& g, const ComposeEventsFlags& f) {
  const schema::Project project = load_compose_project(f.services);
  const std::string name = project.name;
  const std::vector<std::string> services = f.services;
  auto keep = [name, services](const Event& e) {
    auto label = [&e](const char* key) {
      auto it = e.attributes.find(key);
      return it == e.attributes.end() ? std::string() : it->second;
    };
    if (e.type != "container" || label(kProjectLabel) != name) return false;
    if (label("com.docker.compose.oneoff") == "True") return false;
    return services.empty() || std::find(services.begin(), services.end(),
                                         label("com.docker.compose.service")) != services.end();
  };
  const bool as_json = f.json;
  auto print = [as_json](const Event& e) {
    std::map<std::string, std::string> attrs;
    std::string service;
    for (const auto& [k, v] : e.attributes) {
      if (k == "com.docker.compose.service") service = v;
      if (!k.starts_with("com.docker.compose.")) attrs.emplace(k, v);
    }
    if (as_json) {
      json j = {{"time", format_rfc3339_nano(time_of(e))},
                {"type", "container"},
                {"service", service},
                {"id", e.id},
                {"action", e.action},
                {"attributes", attrs}};
      std::cout << j.dump() << "\n";
    } else {
      std::cout << compose_time(time_of(e)) << " container " << e.action << " " << e.id << " ("
                << attribute_list(attrs) << ")\n";
    }
  };
  stream_events(g.paths, parse_time_flag("--since", f.since), parse_time_flag("--until", f.until),
                keep, print);
}

void register_compose_events(CLI::App& app, Globals& g) {
  auto f = std::make_shared<ComposeEventsFlags>();
  auto* cmd =
      compose_group(app).add_subcommand("events", "Receive real time events from containers");
  cmd->add_flag("--json", f->json, "Output events as a stream of json objects");
  cmd->add_option("--since", f->since, "Show all events created since timestamp");
  cmd->add_option("--until", f->until, "Stream events until this timestamp");
  cmd->add_option("service", f->services, "Services");
  cmd->callback([f, &g] { run_compose_events(g, *f); });
}

}  // namespace
BERTH_COMMANDS(register_events, "events");
BERTH_COMMANDS(register_compose_events);
}  // namespace berth::cli
