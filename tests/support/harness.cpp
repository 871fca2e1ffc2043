#include "tests/support/harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <system_error>

namespace berth::test {

namespace fs = std::filesystem;

RunResult run_command(const std::vector<std::string>& argv, const std::string& input,
                      int timeout_s) {
  return run_command_env(argv, {}, input, timeout_s);
}

RunResult run_command_env(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                          const std::string& input, int timeout_s) {
  RunResult r;
  // The child's environment, made before fork (the test may have threads of its own).
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    bool replaced = false;
    for (const auto& x : env)
      if (entry.substr(0, entry.find('=') + 1) == std::string_view(x).substr(0, x.find('=') + 1))
        replaced = true;
    if (!replaced) envs.emplace_back(entry);
  }
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return r;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    ::setpgid(0, 0);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!input.empty()) {
    ssize_t n = ::write(in[1], input.data(), input.size());
    (void)n;
  }
  ::close(in[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  bool timed_out = false;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left)) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  if (timed_out) ::kill(-pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (timed_out) {
    r.exit_code = -1;
    r.err += "\n[harness: timed out after " + std::to_string(timeout_s) + "s]";
  } else if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.exit_code = 128 + WTERMSIG(status);
  }
  return r;
}

fs::path make_temp_dir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (!::mkdtemp(tmpl.data())) throw std::system_error(errno, std::generic_category(), tmpl);
  return tmpl;
}

namespace {

bool udp_ping(const std::string& ip, int port) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  char buf[16] = {};
  bool ok = ::sendto(fd, "ping", 4, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) == 4 &&
            ::recv(fd, buf, sizeof buf, 0) == 4 && std::string(buf, 4) == "ping";
  ::close(fd);
  return ok;
}

}  // namespace

bool udp_echoes(const std::string& ip, int port, const std::string& netns) {
  if (netns.empty()) return udp_ping(ip, port);
  pid_t pid = ::fork();
  if (pid == 0) {
    int nsfd = ::open(("/run/netns/" + netns).c_str(), O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || ::setns(nsfd, CLONE_NEWNET) != 0) _exit(2);
    _exit(udp_ping(ip, port) ? 0 : 1);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

bool is_root() {
  return ::geteuid() == 0;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(::getpid() % 100000) + "x" + std::to_string(counter++);
}

const fs::path& busybox_tar() {
  // Made at build time by tests/CMakeLists.txt (scripts/make-busybox-rootfs.sh).
  static const fs::path path = BERTH_BUSYBOX_TAR;
  return path;
}

TempState::TempState() {
  dir_ = berth::test::make_temp_dir("berth-test-");
  root_ = dir_ / "root";
  runroot_ = dir_ / "run";
  set_env("BERTH_CONFIG", berth_config().string());
  set_env("XDG_CONFIG_HOME", (dir_ / "config").string());
  set_env("DOCKER_CONFIG", docker_config().string());
}

void TempState::set_env(const std::string& name, const std::string& value) {
  std::string prefix = name + "=";
  std::erase_if(env_, [&](const std::string& e) { return e.rfind(prefix, 0) == 0; });
  env_.push_back(prefix + value);
}

namespace {
// Unmounts every mount point at or below dir, deepest first (lazy, so busy mounts go too).
void unmount_below(const fs::path& dir) {
  std::ifstream mounts("/proc/self/mountinfo");
  std::vector<std::string> targets;
  std::string line;
  const std::string prefix = dir.string();
  while (std::getline(mounts, line)) {
    std::istringstream ss(line);
    std::string id, parent, devno, root, target;
    ss >> id >> parent >> devno >> root >> target;
    if (target.rfind(prefix, 0) == 0) targets.push_back(target);
  }
  std::sort(targets.begin(), targets.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (auto& t : targets) ::umount2(t.c_str(), MNT_DETACH);
}
}  // namespace

TempState::~TempState() {
  if (fs::exists(root_)) {
    auto ids = berth({"ps", "-aq"}, "", 30);
    std::istringstream ss(ids.out);
    std::vector<std::string> args = {"rm", "-f"};
    for (std::string id; ss >> id;) args.push_back(id);
    if (args.size() > 2) berth(args, "", 60);
    berth({"__network-reset"}, "", 30);  // bridges outlive the directory otherwise
  }
  unmount_below(dir_);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

RunResult TempState::berth(const std::vector<std::string>& args, const std::string& input,
                           int timeout_s) const {
  std::vector<std::string> argv = {BERTH_BIN, "--root", root_.string(), "--runroot",
                                   runroot_.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command_env(argv, env_, input, timeout_s);
}

void TempState::import_busybox() const {
  auto r = berth({"import", busybox_tar().string(), "busybox"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

fs::path debian_base_script() {
  return fs::path(BERTH_SOURCE_DIR) / "scripts" / "make-debian-base.sh";
}

namespace {

// The script's tarball for these packages. A cold build takes minutes (scripts/test.sh makes
// the default base before the tests); later calls are cache hits, remembered per process.
// Skips the test on the script's "prerequisite missing" (3) and "mirror unreachable" (4).
void debian_base_tar(const std::vector<std::string>& packages, fs::path& tar) {
  static std::map<std::vector<std::string>, fs::path> made;
  if (auto it = made.find(packages); it != made.end()) {
    tar = it->second;
    return;
  }
  std::string list;
  for (const auto& p : packages) list += (list.empty() ? "" : ",") + p;
  // --check-mirror: a cached base still skips the test when the host cannot reach the mirror,
  // so that a container that cannot is berth's failure.
  auto r = run_command(
      {"/bin/bash", debian_base_script().string(), "--check-mirror", "--packages", list}, "", 900);
  if (r.exit_code == 3 || r.exit_code == 4) GTEST_SKIP() << "no Debian base image: " << r.err;
  ASSERT_EQ(r.exit_code, 0) << "make-debian-base.sh: " << r.err;
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  ASSERT_TRUE(fs::is_regular_file(r.out)) << "make-debian-base.sh printed '" << r.out << "'";
  tar = made[packages] = r.out;
}

void import_debian_base_as(const TempState& st, const std::vector<std::string>& packages,
                           const std::string& ref, std::string& imported) {
  fs::path tar;
  debian_base_tar(packages, tar);
  if (tar.empty()) return;
  // debian-SUITE-KEY.tar -> debian:SUITE-KEY
  std::string name = ref.empty() ? "debian:" + tar.stem().string().substr(7) : ref;
  auto r = st.berth({"import", tar.string(), name}, "", 300);
  ASSERT_EQ(r.exit_code, 0) << "import " << tar << ": " << r.err;
  imported = name;
}

}  // namespace

std::string TempState::import_debian_base(const std::vector<std::string>& packages,
                                          const std::string& ref) const {
  std::string imported;
  import_debian_base_as(*this, packages, ref, imported);
  return imported;
}

}  // namespace berth::test
