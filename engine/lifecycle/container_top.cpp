#include "engine/lifecycle/container_top.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "common/atomic_file.h"
#include "common/child_process.h"
#include "common/error.h"
#include "core/runtime/cgroups.h"
#include "core/runtime/user.h"
#include "sys/unique_fd.h"

namespace berth::engine::lifecycle {

namespace fs = std::filesystem;

namespace {

struct Stat {
  std::string comm;
  pid_t ppid = 0;
  unsigned long tty = 0;
  unsigned long long utime = 0, stime = 0, start = 0;  // clock ticks
};

// /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
std::optional<Stat> read_stat(pid_t pid) {
  auto text = read_file_if_exists("/proc/" + std::to_string(pid) + "/stat");
  if (!text) return std::nullopt;
  size_t open = text->find('('), close = text->rfind(')');
  if (open == std::string::npos || close == std::string::npos) return std::nullopt;
  Stat s;
  s.comm = text->substr(open + 1, close - open - 1);
  std::istringstream in(text->substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; in >> w;) f.push_back(w);
  if (f.size() < 20) return std::nullopt;
  // Fields from 3 (state) on: f[0] = state, f[1] = ppid, f[4] = tty_nr, f[11] utime,
  // f[12] stime, f[19] starttime.
  s.ppid = std::stoi(f[1]);
  s.tty = std::stoul(f[4]);
  s.utime = std::stoull(f[11]);
  s.stime = std::stoull(f[12]);
  s.start = std::stoull(f[19]);
  return s;
}

uid_t read_uid(pid_t pid) {
  auto text = read_file_if_exists("/proc/" + std::to_string(pid) + "/status");
  if (!text) return 0;
  size_t at = text->find("\nUid:");
  return at == std::string::npos ? 0 : static_cast<uid_t>(std::stoul(text->substr(at + 5)));
}

std::string cmdline(pid_t pid, const std::string& comm) {
  auto text = read_file_if_exists("/proc/" + std::to_string(pid) + "/cmdline");
  if (!text || text->empty()) return "[" + comm + "]";
  while (!text->empty() && text->back() == '\0') text->pop_back();
  std::replace(text->begin(), text->end(), '\0', ' ');
  return *text;
}

std::string tty_name(unsigned long tty) {
  if (tty == 0) return "?";
  unsigned maj = major(tty), min = minor(tty);
  if (maj >= 136 && maj <= 143) return "pts/" + std::to_string((maj - 136) * 256 + min);
  if (maj == 4) return "tty" + std::to_string(min);
  return "?";
}

std::string two(long v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

// Cumulative CPU time as ps prints it: [DD-]HH:MM:SS.
std::string cpu_time(unsigned long long ticks, long hz) {
  long secs = static_cast<long>(ticks / static_cast<unsigned long long>(hz));
  std::string days = secs >= 86400 ? std::to_string(secs / 86400) + "-" : "";
  secs %= 86400;
  return days + two(secs / 3600) + ":" + two(secs / 60 % 60) + ":" + two(secs % 60);
}

double uptime_seconds() {
  auto text = read_file_if_exists("/proc/uptime");
  return text ? std::stod(*text) : 0;
}

// STIME: HH:MM today, "Mon DD" before.
std::string start_time(unsigned long long start_ticks, long hz) {
  time_t now = ::time(nullptr);
  time_t started =
      now - static_cast<time_t>(uptime_seconds() - static_cast<double>(start_ticks) / hz);
  tm s{}, n{};
  ::localtime_r(&started, &s);
  ::localtime_r(&now, &n);
  char buf[32];
  std::strftime(buf, sizeof buf,
                s.tm_yday == n.tm_yday && s.tm_year == n.tm_year ? "%H:%M" : "%b%d", &s);
  return buf;
}

std::map<uid_t, std::string> host_users() {
  std::map<uid_t, std::string> out;
  if (auto text = read_file_if_exists("/etc/passwd"))
    for (const auto& e : core::runtime::parse_passwd(*text)) out.emplace(e.uid, e.name);
  return out;
}

ProcessTable from_proc(const std::vector<pid_t>& pids) {
  ProcessTable t;
  t.titles = {"UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"};
  const long hz = ::sysconf(_SC_CLK_TCK);
  const double up = uptime_seconds();
  const auto users = host_users();
  for (pid_t pid : pids) {
    auto s = read_stat(pid);
    if (!s) continue;  // ended meanwhile
    uid_t uid = read_uid(pid);
    auto user = users.find(uid);
    double ran = up - static_cast<double>(s->start) / hz;
    double cpu = ran > 0 ? static_cast<double>(s->utime + s->stime) / hz / ran * 100 : 0;
    t.processes.push_back(
        {user != users.end() ? user->second : std::to_string(uid), std::to_string(pid),
         std::to_string(s->ppid), std::to_string(static_cast<int>(cpu)), start_time(s->start, hz),
         tty_name(s->tty), cpu_time(s->utime + s->stime, hz), cmdline(pid, s->comm)});
  }
  return t;
}

std::string run_ps(const std::vector<std::string>& args) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe2", "ps", errno);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, wr.get(), 1);
  std::vector<char*> argv = {const_cast<char*>("ps")};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, "ps", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw_errno("run", "ps", rc);
  wr.reset();
  const std::string out = drain_pipe(rd.get());
  const int st = wait_for(pid);
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    throw Error("Error running top: ps exited with status " + std::to_string(WEXITSTATUS(st)));
  return out;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Docker's parsePSOutput: the header names the columns; rows whose PID is the container's.
ProcessTable from_ps(const std::string& output, const std::vector<pid_t>& pids) {
  std::istringstream in(output);
  std::string line;
  ProcessTable t;
  std::getline(in, line);
  t.titles = words(line);
  auto at = std::find(t.titles.begin(), t.titles.end(), "PID");
  if (at == t.titles.end()) throw Error("Couldn't find PID field in ps output");
  const size_t pid_col = static_cast<size_t>(at - t.titles.begin());
  const std::set<pid_t> mine(pids.begin(), pids.end());
  while (std::getline(in, line)) {
    auto f = words(line);
    if (f.size() <= pid_col || !mine.count(std::atoi(f[pid_col].c_str()))) continue;
    std::vector<std::string> row(f.begin(), f.begin() + std::min(f.size(), t.titles.size()));
    for (size_t i = t.titles.size(); i < f.size(); ++i) row.back() += " " + f[i];
    t.processes.push_back(std::move(row));
  }
  return t;
}

}  // namespace

std::vector<pid_t> container_pids(const std::string& id) {
  core::runtime::Cgroups cgroups;
  auto dirs = cgroups.paths(id);
  if (dirs.empty()) throw Error("no cgroup hierarchy for container " + id);
  auto text = read_file_if_exists(dirs.front() / "cgroup.procs");
  if (!text) throw Error("read `" + (dirs.front() / "cgroup.procs").string() + "`: missing");
  std::vector<pid_t> pids;
  std::istringstream in(*text);
  for (pid_t p; in >> p;) pids.push_back(p);
  std::sort(pids.begin(), pids.end());
  return pids;
}

ProcessTable top_container(const core::state::ContainerStore& store, const std::string& id,
                           const std::vector<std::string>& ps_args) {
  core::state::Container c = store.load(id);
  if (!c.running()) throw Error("Container " + id + " is not running");
  const auto pids = container_pids(id);
  if (ps_args.empty()) return from_proc(pids);
  return from_ps(run_ps(ps_args), pids);
}

std::string format_table(const ProcessTable& t) {
  std::vector<size_t> width(t.titles.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  };
  measure(t.titles);
  for (const auto& r : t.processes) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size())
        out += std::string(std::max<size_t>(width[i] + 3, 20) - row[i].size(), ' ');
    }
    return out + "\n";
  };
  std::string out = line(t.titles);
  for (const auto& r : t.processes) out += line(r);
  return out;
}

}  // namespace berth::engine::lifecycle
