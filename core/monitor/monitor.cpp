#include "core/monitor/monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/child_process.h"
#include "common/error.h"
#include "common/file_lock.h"
#include "common/private_root.h"
#include "common/timestamps.h"
#include "core/monitor/code_pages.h"
#include "core/monitor/log_writer.h"
#include "core/monitor/protocol.h"
#include "core/runtime/init.h"
#include "core/runtime/init_binary.h"
#include "core/runtime/resources.h"
#include "core/runtime/rootfs_hardening.h"
#include "core/runtime/security.h"
#include "core/state/events.h"
#include "core/state/volume_refs.h"
#include "sys/fd_passing.h"
#include "sys/syscalls.h"
#include "sys/write_all.h"

namespace berth::core::monitor {

namespace fs = std::filesystem;
using runtime::InitMessage;
using runtime::InitPlan;

namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

Paths paths_of(const runtime::RuntimeSpec& s) {
  Paths p;
  p.root = s.root;
  p.runroot = s.runroot;
  return p;
}

std::pair<sys::UniqueFd, sys::UniqueFd> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) throw_errno("pipe2", "stdio", errno);
  return {sys::UniqueFd(fds[0]), sys::UniqueFd(fds[1])};
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Set by SIGWINCH: the attached CLI's terminal changed size.
volatile sig_atomic_t g_winch = 0;
void on_winch(int) {
  g_winch = 1;
}

int exit_code_of(const siginfo_t& info) {
  return info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
}

}  // namespace

Monitor::Monitor(runtime::RuntimeSpec spec, const Fds& fds)
    : spec_(std::move(spec)),
      store_(paths_of(spec_)),
      cgroups_(spec_.cgroup_root),
      status_(fds.status),
      network_channel_(fds.network),
      self_mount_(fds.self) {
  for (int i = 0; i < 3; ++i) attached_[i].reset(fds.attached[i]);
  if (spec_.health)
    health_.emplace(spec_, store_, cgroups_, [this](const std::string& t) { note_in_log(t); });
}

// The CLI's one message on the network socket (protocol.h kNetworkFd), read once: restarts
// keep the namespace and the spec.
void Monitor::receive_network() {
  if (network_received_) return;
  if (!network_channel_) throw Error("berth-monitor: no network socket", 125);
  std::string msg(kNetworkMessageMax, '\0');
  int fd = -1;
  const ssize_t n = sys::recv_with_fd(network_channel_.get(), msg.data(), msg.size(), &fd);
  sys::UniqueFd received(fd);
  network_channel_.reset();
  if (n < 0) throw_errno("read network", spec_.id, static_cast<int>(-n));
  msg.resize(static_cast<size_t>(n));
  if (auto e = parse_error_message(msg)) throw Error(e->message, e->code);
  if (!msg.starts_with("network "))
    throw Error("the command starting the container ended before its network was ready", 125);
  try {
    spec_.network = runtime::network_spec_from_json(nlohmann::json::parse(msg.substr(8)));
  } catch (const std::exception& e) {
    throw Error(std::string("berth-monitor: bad network message: ") + e.what(), 125);
  }
  if (spec_.network.join_netns && !received)
    throw Error("berth-monitor: the network namespace is missing", 125);
  netns_ = std::move(received);
  network_received_ = true;
}

void Monitor::report(const std::string& line) {
  if (!status_) return;
  ssize_t n = ::write(status_.get(), line.data(), line.size());
  (void)n;
}

std::optional<winsize> Monitor::attached_window_size() const {
  winsize ws{};
  for (const auto& fd : attached_)
    if (fd && ::ioctl(fd.get(), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) return ws;
  return std::nullopt;
}

void Monitor::copy_window_size(int pty) {
  if (auto ws = attached_window_size()) ::ioctl(pty, TIOCSWINSZ, &*ws);
}

void Monitor::drop_attached() {
  for (auto& fd : attached_) fd.reset();
}

namespace {

// Everything the init reads, as C strings built before clone: the init may not allocate.
struct InitStrings {
  InitStrings(const runtime::RuntimeSpec& spec, const fs::path& dir,
              const runtime::Cgroups& cgroups)
      : cgroup_strings(cgroups, spec.id, spec.security.privileged),
        cgroup_mounts(cgroup_strings.plan()),
        rootfs((dir / "rootfs").string()),
        etc{(dir / "hostname").string(), (dir / "hosts").string(), (dir / "resolv.conf").string()},
        argv(c_strings(spec.argv)),
        envp(c_strings(spec.env)),
        path_env(kDefaultPath),
        mounts(spec.mounts) {
    // --rm containers are thrown away: "volatile" skips the sync of the upper filesystem
    // when the kernel unmounts the overlay at exit (a journal commit on the hot path).
    overlay = overlay_options({spec.lowerdirs, (dir / "upper").string(), (dir / "work").string()}) +
              (spec.auto_remove ? ",volatile" : "");
    for (const auto& e : spec.env)
      if (e.starts_with("PATH=")) path_env = e.substr(5);
  }

  // The plan without its fds.
  InitPlan plan(const runtime::RuntimeSpec& spec) const {
    InitPlan p;
    p.tty = spec.tty;
    p.rootfs = rootfs.c_str();
    p.overlay_options = overlay.c_str();
    p.hostname = spec.hostname.empty() ? nullptr : spec.hostname.c_str();
    for (int i = 0; i < 3; ++i) p.etc_files[i] = fs::exists(etc[i]) ? etc[i].c_str() : nullptr;
    p.argv = argv.data();
    p.envp = envp.data();
    p.path_env = path_env.c_str();
    p.cwd = spec.cwd.empty() ? "/" : spec.cwd.c_str();
    p.uid = spec.uid;
    p.gid = spec.gid;
    p.groups = spec.groups.data();
    p.ngroups = spec.groups.size();
    p.mounts = mounts.data();
    p.nmounts = mounts.size();
    p.cgroups = &cgroup_mounts;
    return p;
  }

  runtime::CgroupMountStrings cgroup_strings;
  runtime::InitCgroupMounts cgroup_mounts;

  std::string overlay, rootfs, etc[3];
  std::vector<char*> argv, envp;
  std::string path_env;
  runtime::InitMounts mounts;
};

// A command's stderr as one line: its lines "; "-joined, without the CLI's "Error: ".
std::string error_lines(const std::string& text) {
  std::string out;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    if (line.starts_with("Error: ")) line.remove_prefix(7);
    if (!line.empty()) out += (out.empty() ? "" : "; ") + std::string(line);
    at = end + 1;
  }
  return out;
}

// After the exit: drops the network namespace (its veths go with it), then runs the
// network's teardown, `berth __cleanup ID` (DNS entry, firewall rules), and waits for it.
// Returns "" or, when it failed, what it could not undo (its stderr names it).
std::string run_network_cleanup(const runtime::NetworkSpec& net, sys::UniqueFd& netns) {
  netns.reset();
  if (net.cleanup_argv.empty()) return "";
  std::vector<char*> argv = c_strings(net.cleanup_argv);
  char* const envp[] = {nullptr};
  auto [err_r, err_w] = make_pipe();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, err_w.get(), STDERR_FILENO);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp);
  posix_spawn_file_actions_destroy(&fa);
  err_w.reset();
  if (rc != 0) return errno_message("run", argv[0], rc);
  const std::string text = drain_pipe(err_r.get());
  const int st = wait_for(pid);
  // A warning of a teardown that succeeded concerns some other object (another container's
  // record, say), not this container.
  if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return "";
  if (std::string lines = error_lines(text); !lines.empty()) return lines;
  return "network teardown (" + std::string(argv[0]) + " __cleanup) ended with status " +
         std::to_string(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

// Whether fd names the network namespace this process is in (runc's "host" check: "host"
// meaning ours, the one the CLI started us in).
bool is_our_netns(int fd) {
  struct stat ns {
  }, ours{};
  return fd >= 0 && ::fstat(fd, &ns) == 0 && ::stat("/proc/self/ns/net", &ours) == 0 &&
         ns.st_dev == ours.st_dev && ns.st_ino == ours.st_ino;
}

void reap(int pidfd) {
  siginfo_t info{};
  ::waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED);
}

}  // namespace

void Monitor::prepare_files() {
  const fs::path dir = store_.dir(spec_.id);
  for (const char* d : {"upper", "work", "rootfs"}) {
    if (::mkdir((dir / d).c_str(), 0755) < 0 && errno != EEXIST)
      throw_errno("mkdir", (dir / d).string(), errno);
  }
  log_.reset(::open((dir / "log.json").c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!log_) throw_errno("open", (dir / "log.json").string(), errno);
  cgroups_.create(spec_.id);
  runtime::apply_resources(cgroups_, spec_.id, spec_.resources, spec_.security.privileged);
}

// Our ends go into c; the init's ends (to become its 0, 1, 2) into child_io. With a tty there
// are none: the init allocates the pty and sends us the master.
void Monitor::make_stdio(Started& c, sys::UniqueFd (&child_io)[3]) {
  if (spec_.tty) return;
  if (spec_.open_stdin) {
    std::tie(child_io[0], c.in) = make_pipe();
    ::fcntl(c.in.get(), F_SETFL, O_NONBLOCK);
  } else {
    child_io[0].reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  }
  std::tie(c.out, child_io[1]) = make_pipe();
  std::tie(c.err, child_io[2]) = make_pipe();
}

// clone3 into the new namespaces (v2: straight into the container's cgroup); the child runs
// the init and never returns here.
void Monitor::clone_init(Started& c, const InitPlan& plan, int parent_sync) {
  sys::UniqueFd cgroup_dir;
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_PIDFD |
               (plan.netns_fd >= 0 ? 0 : CLONE_NEWNET);
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroups_.version() == runtime::Cgroups::Version::kV2) {
    // With CLONE_INTO_CGROUP the new cgroup namespace is rooted at the container's cgroup:
    // the init's /sys/fs/cgroup (cgroup_mount.h) and /proc/self/cgroup show only its own.
    args.flags |= CLONE_NEWCGROUP;
    const fs::path cg = cgroups_.paths(spec_.id).front();
    cgroup_dir.reset(::open(cg.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!cgroup_dir) throw_errno("open cgroup", cg.string(), errno);
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_dir.get());
  }
  // The init is cloned pinned to our CPU and restores our affinity first thing (InitPlan::
  // cpus). Left to the scheduler, a new task goes to the idlest CPU, on these VMs a halted
  // vCPU the host must wake first (the init's first run came ~0.8 ms after its fork in
  // traced runs); here it runs as soon as we block, at the first cgroup migration or in the
  // handshake. Alternated runs, bench/alternate-cpu.py: 0.3-0.8 ms faster. (The same pin for
  // the CLI's spawn of the monitor, common/spawn.cpp, measured 0.5 ms slower: not done.)
  cpu_set_t all, one;
  CPU_ZERO(&one);
  const int cpu = ::sched_getcpu();
  bool pinned = false;
  if (cpu >= 0 && ::sched_getaffinity(0, sizeof all, &all) == 0) {
    CPU_SET(cpu, &one);
    pinned = ::sched_setaffinity(0, sizeof one, &one) == 0;
  }
  InitPlan pinned_plan = plan;
  if (pinned) pinned_plan.cpus = &all;
  long pid = sys::clone3(&args);
  if (pid == 0) {
    ::close(parent_sync);
    runtime::run_init(pinned_plan);
  }
  if (pinned) ::sched_setaffinity(0, sizeof all, &all);
  if (pid < 0) throw_errno("clone3", "container init", static_cast<int>(-pid));
  c.pid = static_cast<pid_t>(pid);
  c.pidfd.reset(pidfd);
  // Held until finish() (mount_ns_); without it the init's exit tears the tree down. A
  // failure only costs that time.
  const std::string ns = "/proc/" + std::to_string(pid) + "/ns/mnt";
  mount_ns_.reset(::open(ns.c_str(), O_RDONLY | O_CLOEXEC));
}

// v1 cgroups, then "go" (the init builds its mount tree meanwhile and waits for it before
// it takes the container's credentials); then the init's messages until its execve closes
// the socket. (The network namespace is made and wired by the CLI: receive_network().)
void Monitor::handshake(Started& c, int sync) {
  std::optional<Error> join_failure;
  try {
    cgroups_.add_pid(spec_.id, c.pid);
    if (::send(sync, "g", 1, MSG_NOSIGNAL) != 1) throw_errno("start init", spec_.id, errno);
  } catch (const Error& e) {
    // The init may have failed on its own first (its message explains it): kill it and read
    // what it sent before its end.
    join_failure = e;
    ::kill(c.pid, SIGKILL);
  }
  for (;;) {
    InitMessage m;
    int received = -1;
    ssize_t n = sys::recv_with_fd(sync, &m, sizeof m, &received);
    sys::UniqueFd fd(received);
    if (n == 0 && !join_failure) return;  // close-on-exec: execve succeeded
    if (n <= 0) {
      ::kill(c.pid, SIGKILL);
      reap(c.pidfd.get());
      if (join_failure) throw *join_failure;
      throw_errno("read from init", spec_.id, static_cast<int>(-n));
    }
    if (m.kind == InitMessage::kPtyMaster) {
      c.pty = std::move(fd);
      continue;
    }
    reap(c.pidfd.get());
    m.text[sizeof m.text - 1] = '\0';
    throw Error(m.text, m.exit_code);
  }
}

Monitor::Started Monitor::launch() {
  prepare_files();
  const InitStrings strings(spec_, store_.dir(spec_.id), cgroups_);
  // Compiled here, once, before clone: the init only installs them.
  const auto security = runtime::build_process_security(spec_.security, spec_.resources.ulimits,
                                                        fs::path(spec_.runroot) / "seccomp");
  const auto hardening = runtime::build_rootfs_hardening(spec_.security);
  Started c;
  sys::UniqueFd child_io[3];
  make_stdio(c, child_io);
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    throw_errno("socketpair", "sync", errno);
  sys::UniqueFd sync(sv[0]), child_sync(sv[1]);
  // The CLI set up the network meanwhile (it also writes the hosts and resolv.conf the plan
  // looks for): the first and only wait for it.
  receive_network();
  // Checked at create too; this also catches a record made before that check.
  runtime::refuse_sysctls_in_host_netns(spec_.security.sysctls, is_our_netns(netns_.get()));
  InitPlan plan = strings.plan(spec_);
  if (auto ws = attached_window_size()) {
    plan.tty_rows = ws->ws_row;
    plan.tty_cols = ws->ws_col;
  }
  plan.sync_fd = child_sync.get();
  plan.netns_fd = netns_ ? netns_.get() : -1;
  plan.security = &security;
  plan.hardening = &hardening;
  for (int i = 0; i < 3; ++i) plan.stdio[i] = child_io[i].get();
  sys::UniqueFd init_binary;  // --init: this executable, mounted read-only at /dev/init
  if (spec_.supervision.init) {
    init_binary.reset(runtime::detached_init_binary());
    if (!init_binary) throw_errno("mount init", "/dev/init", -init_binary.get());
    plan.init_fd = init_binary.get();
  }
  clone_init(c, plan, sync.get());
  child_sync.reset();
  for (auto& fd : child_io) fd.reset();
  handshake(c, sync.get());
  return c;
}

// The poll timeout: the sooner of the code-page release and the healthcheck's next event.
int Monitor::next_timeout_ms() const {
  const int pages = code_pages_.timeout_ms();
  const int health = health_ ? health_->timeout_ms() : -1;
  if (pages < 0 || health < 0) return std::max(pages, health);
  return std::min(pages, health);
}

int Monitor::supervise(Started& c) {
  JsonLogWriter log(log_.get());
  int sources[2] = {spec_.tty ? c.pty.get() : c.out.get(), spec_.tty ? -1 : c.err.get()};
  int sink = spec_.tty ? c.pty.get() : c.in.get();
  bool reading_stdin = static_cast<bool>(attached_[0]) && sink >= 0;
  std::string pending;
  bool exited = false;
  int code = 0;
  static char buf[16384];
  if (health_) health_->start(c.pidfd.get(), self_mount_.get());
  for (;;) {
    if (exited && sources[0] < 0 && sources[1] < 0) break;
    const bool checking = health_ && !exited;
    pollfd fds[7] = {{sources[0], POLLIN, 0},
                     {sources[1], POLLIN, 0},
                     {reading_stdin && pending.empty() ? attached_[0].get() : -1, POLLIN, 0},
                     {exited ? -1 : c.pidfd.get(), POLLIN, 0},
                     {pending.empty() ? -1 : sink, POLLOUT, 0},
                     {checking ? health_->output_fd() : -1, POLLIN, 0},
                     {checking ? health_->process_fd() : -1, POLLIN, 0}};
    int ready = ::poll(fds, 7, exited ? 2000 : next_timeout_ms());
    if (ready < 0 && errno == EINTR) {
      if (g_winch && c.pty) copy_window_size(c.pty.get());
      g_winch = 0;
      continue;
    }
    if (!exited) code_pages_.due();
    // A check runs set-up code again (spawn, state.json): its pages go again after it too.
    if (checking && health_->service(fds[5].revents != 0, fds[6].revents != 0)) code_pages_.arm();
    if (ready == 0 && !exited) continue;
    if (ready <= 0) break;  // after the exit, output that never ends is cut short
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !fds[i].revents) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {  // EOF, or EIO from a pty master whose slave is closed everywhere
        sources[i] = -1;
        continue;
      }
      log.write(i == 0 ? JsonLogWriter::kStdout : JsonLogWriter::kStderr, {buf, size_t(n)});
      // A failed write: the attached CLI went away, the container goes on.
      sys::UniqueFd& out = attached_[i + 1];
      if (out && sys::write_all(out.get(), buf, static_cast<size_t>(n)) != 0) out.reset();
    }
    if (fds[2].fd >= 0 && fds[2].revents) {
      ssize_t n = ::read(fds[2].fd, buf, sizeof buf);
      if (n > 0) {
        pending.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        reading_stdin = false;
        if (!spec_.tty) c.in.reset();  // EOF closes the container's stdin
      }
    }
    if (!pending.empty() && sink >= 0) {
      ssize_t n = ::write(sink, pending.data(), pending.size());
      if (n > 0) pending.erase(0, static_cast<size_t>(n));
      if (n < 0 && errno != EAGAIN && errno != EINTR) pending.clear();
      if (pending.empty() && !reading_stdin && !spec_.tty) c.in.reset();
    }
    if (fds[3].fd >= 0 && fds[3].revents) {
      siginfo_t info{};
      if (::waitid(P_PIDFD, static_cast<id_t>(c.pidfd.get()), &info, WEXITED) == 0) {
        code = exit_code_of(info);
        exited = true;
        c.in.reset();
        if (health_) health_->stop();  // checks end with the container
      }
    }
  }
  log.flush();
  return code;
}

// --rm: like Docker, the container's anonymous volumes go with it (unless another container
// mounts them too, --volumes-from).
// Returns "" or the failures.
std::string Monitor::release_anonymous_volumes() {
  std::vector<std::filesystem::path> dirs;
  for (const auto& m : spec_.mounts)
    if (!m.anonymous_volume.empty()) dirs.push_back(m.anonymous_volume);
  return state::release_anonymous_volumes(store_, dirs);
}

// The monitor's own stderr is /dev/null and a detached container has no one listening: what
// it could not do and cannot record in state.json goes into the container's log, as a stderr
// line that `logs` shows.
void Monitor::note_in_log(const std::string& text) {
  if (!log_) return;
  JsonLogWriter log(log_.get());
  log.write(JsonLogWriter::kStderr, "berth-monitor: " + one_line(text) + "\n");
}

// The exit in state.json; `error`, when not empty, as State.Error. A failed write leaves the
// record saying "running" (the next reader marks it "monitor lost"), and the log says why.
void Monitor::record_exit(int exit_code, const std::string& error) {
  const std::string& id = spec_.id;
  try {
    state::ContainerState st = store_.read_state(id);
    st.status = state::Status::kExited;
    st.restarting = false;
    st.exit_code = exit_code;
    st.pid = 0;
    st.finished_at = berth::format_rfc3339_nano(berth::now());
    st.oom_killed = runtime::oom_killed(cgroups_, id);
    if (!error.empty()) st.error = error;
    store_.write_state(id, st, true);
  } catch (const Error& e) {
    note_in_log("record the exit (code " + std::to_string(exit_code) + ") of container " + id +
                ": " + e.what() + (error.empty() ? "" : "; " + error));
  }
}

// The init is reaped and its pid namespace is empty, so the cgroups are too; their removal
// can still race with the kernel's bookkeeping for a moment (EBUSY). Returns "" or what is
// left, one line.
std::string Monitor::remove_cgroups() {
  std::string left = cgroups_.remove(spec_.id);
  for (int attempt = 0; attempt < 20 && !left.empty(); ++attempt) {
    ::usleep(5000);
    left = cgroups_.remove(spec_.id);
  }
  while (!left.empty() && left.back() == '\n') left.pop_back();
  return one_line(left);
}

void Monitor::emit(const std::string& action, std::map<std::string, std::string> extra) {
  try {
    if (!event_config_) event_config_ = store_.load(spec_.id).config;
  } catch (const Error&) {
    return;  // no record to describe it (removed meanwhile): no event
  }
  state::Event e = state::container_event(*event_config_, action);
  for (auto& [k, v] : extra) e.attributes[k] = std::move(v);
  state::record_event(store_.paths(), std::move(e));
}

void Monitor::finish(int exit_code) {
  const std::string& id = spec_.id;
  if (!spec_.auto_remove) record_exit(exit_code, "");
  emit("die", {{"exitCode", std::to_string(exit_code)}});  // --rm: before its record goes
  drop_attached();
  // --rm: the container vanishes (its name is free) before the exit is reported; the slow
  // part, deleting its files, happens after the caller has its exit code. When it cannot be
  // made to vanish it stays, exited, with State.Error saying why.
  std::vector<std::filesystem::path> retired;
  bool removed = false;
  if (spec_.auto_remove) {
    try {
      retired = store_.retire(id);
      removed = true;
    } catch (const Error& e) {
      record_exit(exit_code, "remove container " + id + ": " + e.what());
    }
  }
  // Its anonymous volumes go before the exit is reported, so `volume ls` right after an
  // attached `run --rm` no longer lists them (no cost when there are none). A container that
  // stays keeps them. (Once it is removed, no record is left to carry a failure: the volumes
  // that stay are listed by `volume ls`, and `volume prune` takes them.)
  if (removed) release_anonymous_volumes();
  if (removed) emit("destroy");
  report("exited " + std::to_string(exit_code) + "\n");
  const std::string network_left = run_network_cleanup(spec_.network, netns_);
  // What is left is housekeeping that holds no lock: it yields the CPU to anything else, e.g.
  // the next `run` (the network teardown above takes the network lock: not at idle priority).
  sched_param idle{};
  ::sched_setscheduler(0, SCHED_IDLE, &idle);
  mount_ns_.reset();  // the container's mounts go now, off the caller's path
  self_mount_.reset();
  if (!removed && !network_left.empty()) note_in_log(network_left);
  if (std::string left = remove_cgroups(); !left.empty() && !removed) note_in_log(left);
  log_.reset();
  state::ContainerStore::purge(retired);
}

// After a failed start: --rm removes the container; otherwise, or when that fails, Docker keeps
// it as "created" with the error (State.Error). Returns msg, plus why the error could not be
// recorded. A failed removal is not added: the CLI removes a --rm container again after a failed
// start, and reports it (lifecycle/container_start.cpp).
std::string Monitor::undo_failed_start(int exit_code, const std::string& msg) {
  const std::string& id = spec_.id;
  std::string error = msg;
  if (spec_.auto_remove) {
    try {
      store_.remove(id);
      const std::string left = release_anonymous_volumes();
      return left.empty() ? msg : msg + "; " + one_line(left);
    } catch (const Error& e) {
      error += "; remove container " + id + ": " + one_line(e.what());
    }
  }
  try {
    state::ContainerState st = store_.read_state(id);
    st.exit_code = exit_code;
    st.error = error;
    store_.write_state(id, st, true);
  } catch (const Error& e) {
    return msg + "; record the failed start of container " + id + ": " + one_line(e.what());
  }
  return msg;
}

int Monitor::run() {
  ::signal(SIGPIPE, SIG_IGN);
  struct sigaction winch {};
  winch.sa_handler = on_winch;  // no SA_RESTART: poll returns EINTR
  sigemptyset(&winch.sa_mask);
  ::sigaction(SIGWINCH, &winch, nullptr);
  const std::string& id = spec_.id;
  std::optional<FileLock> lock;
  try {
    make_dirs(store_.run_dir(id));
    lock.emplace(FileLock::try_lock(store_.monitor_lock(id)));
    if (!lock->held()) throw Error("container " + id + " is already running", 125);
    state::clear_stop_request(store_, id);  // a new start: its restart policy applies again
  } catch (const Error& e) {
    report(error_message(e.exit_code(), e.what()) + "\n");
    return 1;
  }
  Started c;
  try {
    c = launch();
    mark_running(c);
    emit("start");  // here, not in the CLI: before its "die", however soon that comes
  } catch (const Error& e) {
    std::string msg = one_line(e.what());
    if (std::string left = remove_cgroups(); !left.empty()) msg += "; " + left;
    report(error_message(e.exit_code(), undo_failed_start(e.exit_code(), msg)) + "\n");
    return 1;
  }
  report("started " + std::to_string(c.pid) + " " + std::to_string(::getpid()) + "\n");
  if (!attached_[0] && !attached_[1] && !attached_[2]) status_.reset();
  code_pages_.arm();  // the set-up ran once; the wait needs a few pages of it
  int code = supervise(c);
  while (restart(c, code)) code = supervise(c);
  finish(code);
  return 0;
}

}  // namespace berth::core::monitor
