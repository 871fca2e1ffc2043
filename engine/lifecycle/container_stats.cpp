#include "engine/lifecycle/container_stats.h"

#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "core/runtime/cgroups.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;

namespace {

uint64_t number_in(const fs::path& file) {
  auto text = read_file_if_exists(file);
  if (!text) return 0;
  try {
    return std::stoull(*text);
  } catch (const std::exception&) {
    return 0;  // "max"
  }
}

// The value of "key N" in a flat-keyed file (memory.stat, cpu.stat).
uint64_t keyed(const fs::path& file, const std::string& key) {
  auto text = read_file_if_exists(file);
  if (!text) return 0;
  std::istringstream in(*text);
  std::string k;
  uint64_t v = 0;
  while (in >> k >> v)
    if (k == key) return v;
  return 0;
}

uint64_t host_memory() {
  return keyed("/proc/meminfo", "MemTotal:") * 1024;
}

uint64_t host_cpu_ns() {
  auto text = read_file_if_exists("/proc/stat");
  if (!text) return 0;
  std::istringstream in(text->substr(0, text->find('\n')));
  std::string cpu;
  in >> cpu;
  uint64_t total = 0;
  for (uint64_t v; in >> v;) total += v;
  return total * (1000000000ull / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK)));
}

void read_net(pid_t pid, StatsSample& s) {
  auto text = read_file_if_exists("/proc/" + std::to_string(pid) + "/net/dev");
  if (!text) return;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name == "lo") continue;
    std::istringstream f(line.substr(colon + 1));
    uint64_t v[9] = {};
    for (auto& x : v) f >> x;
    s.net_rx += v[0];
    s.net_tx += v[8];
  }
}

void read_v1(const core::runtime::Cgroups& cg, const std::string& id, StatsSample& s) {
  auto dir = [&](const char* c) { return cg.path_for(id, c); };
  s.cpu_ns = number_in(dir("cpuacct") / "cpuacct.usage");
  const fs::path mem = dir("memory");
  s.mem_usage = number_in(mem / "memory.usage_in_bytes");
  uint64_t inactive = keyed(mem / "memory.stat", "total_inactive_file");
  if (inactive < s.mem_usage) s.mem_usage -= inactive;
  s.mem_limit = number_in(mem / "memory.limit_in_bytes");
  s.pids = number_in(dir("pids") / "pids.current");
  auto blk = read_file_if_exists(dir("blkio") / "blkio.throttle.io_service_bytes_recursive");
  std::istringstream in(blk.value_or(""));
  std::string dev, op;
  uint64_t v = 0;
  while (in >> dev >> op) {
    if (dev == "Total") continue;
    if (!(in >> v)) break;
    if (op == "Read") s.blk_read += v;
    if (op == "Write") s.blk_write += v;
  }
}

void read_v2(const core::runtime::Cgroups& cg, const std::string& id, StatsSample& s) {
  const fs::path dir = cg.paths(id).front();
  s.cpu_ns = keyed(dir / "cpu.stat", "usage_usec") * 1000;
  s.mem_usage = number_in(dir / "memory.current");
  uint64_t inactive = keyed(dir / "memory.stat", "inactive_file");
  if (inactive < s.mem_usage) s.mem_usage -= inactive;
  s.mem_limit = number_in(dir / "memory.max");
  s.pids = number_in(dir / "pids.current");
  auto io = read_file_if_exists(dir / "io.stat");
  std::istringstream in(io.value_or(""));
  for (std::string w; in >> w;) {
    if (w.starts_with("rbytes=")) s.blk_read += std::stoull(w.substr(7));
    if (w.starts_with("wbytes=")) s.blk_write += std::stoull(w.substr(7));
  }
}

// Go's %.4g, then the unit.
std::string with_unit(double v, double base, const char* const* units, int precision) {
  int i = 0;
  while (v >= base && units[i + 1]) {
    v /= base;
    ++i;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g%s", precision, v, units[i]);
  return buf;
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", v);
  return buf;
}

}  // namespace

std::string bytes_size(double v) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", nullptr};
  return with_unit(v, 1024, kUnits, 4);
}

std::string human_size(double v) {
  static const char* const kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB", nullptr};
  return with_unit(v, 1000, kUnits, 3);
}

StatsSample sample_stats(const core::state::Container& c) {
  core::runtime::Cgroups cg;
  StatsSample s;
  s.system_ns = host_cpu_ns();
  if (cg.version() == core::runtime::Cgroups::Version::kV2)
    read_v2(cg, c.id(), s);
  else
    read_v1(cg, c.id(), s);
  const uint64_t host = host_memory();
  if (s.mem_limit == 0 || (host > 0 && s.mem_limit > host)) s.mem_limit = host;
  read_net(c.state.pid, s);
  return s;
}

StatsRow stats_row(const core::state::Container& c, const StatsSample& a, const StatsSample& b) {
  StatsRow r;
  r.id = c.id().substr(0, 12);
  r.name = c.config.name;
  double cpu = 0;
  if (b.system_ns > a.system_ns && b.cpu_ns >= a.cpu_ns)
    cpu = static_cast<double>(b.cpu_ns - a.cpu_ns) /
          static_cast<double>(b.system_ns - a.system_ns) *
          static_cast<double>(::sysconf(_SC_NPROCESSORS_ONLN)) * 100.0;
  r.cpu = percent(cpu);
  r.mem_usage = bytes_size(static_cast<double>(b.mem_usage)) + " / " +
                bytes_size(static_cast<double>(b.mem_limit));
  r.mem_perc = percent(b.mem_limit ? static_cast<double>(b.mem_usage) * 100.0 /
                                         static_cast<double>(b.mem_limit)
                                   : 0);
  r.net_io =
      human_size(static_cast<double>(b.net_rx)) + " / " + human_size(static_cast<double>(b.net_tx));
  r.block_io = human_size(static_cast<double>(b.blk_read)) + " / " +
               human_size(static_cast<double>(b.blk_write));
  r.pids = std::to_string(b.pids);
  return r;
}

nlohmann::ordered_json stats_json(const StatsRow& r) {
  return {
      {"BlockIO", r.block_io}, {"CPUPerc", r.cpu},        {"Container", r.id}, {"ID", r.id},
      {"MemPerc", r.mem_perc}, {"MemUsage", r.mem_usage}, {"Name", r.name},    {"NetIO", r.net_io},
      {"PIDs", r.pids}};
}

std::string stats_table(const std::vector<StatsRow>& rows) {
  std::vector<std::vector<std::string>> cells = {{"CONTAINER ID", "NAME", "CPU %",
                                                  "MEM USAGE / LIMIT", "MEM %", "NET I/O",
                                                  "BLOCK I/O", "PIDS"}};
  for (const auto& r : rows)
    cells.push_back({r.id, r.name, r.cpu, r.mem_usage, r.mem_perc, r.net_io, r.block_io, r.pids});
  std::vector<size_t> width(8, 0);
  for (const auto& row : cells)
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  std::string out;
  for (const auto& row : cells) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size())
        out += std::string(std::max<size_t>(width[i] + 3, 10) - row[i].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

}  // namespace berth::engine::lifecycle
