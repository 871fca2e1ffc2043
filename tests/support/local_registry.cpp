#include "tests/support/local_registry.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>
#include <thread>

namespace berth::test {

namespace fs = std::filesystem;

namespace {

// The program's path on $PATH, "" when it is not installed.
std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path p = fs::path(dir.empty() ? "." : dir) / name;
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  return "";
}

// A port nobody listens on now (the kernel's pick; the registry binds it right after).
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

bool write_file(const fs::path& p, const std::string& content) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << content;
  return static_cast<bool>(f);
}

// Runs a setup command; on failure sets why and returns false.
bool setup_step(const std::vector<std::string>& argv, std::string& why,
                std::string* out = nullptr) {
  auto r = run_command(argv, "", 60);
  if (r.exit_code != 0) {
    why = argv[0] + " failed (" + std::to_string(r.exit_code) + "): " + r.err;
    return false;
  }
  if (out) *out = r.out;
  return true;
}

// A CA (name.key, name.crt) in dir: EC P-256, valid two days.
bool make_ca(const std::string& openssl, const fs::path& dir, const std::string& name,
             std::string& why) {
  return setup_step(
      {openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-days", "2", "-subj", "/CN=berth test " + name, "-keyout",
       (dir / (name + ".key")).string(), "-out", (dir / (name + ".crt")).string()},
      why);
}

}  // namespace

std::unique_ptr<LocalRegistry> LocalRegistry::start(const Options& options) {
  std::unique_ptr<LocalRegistry> reg(new LocalRegistry);
  std::string why;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (reg->launch(options, why)) return reg;
    if (why.rfind("skip:", 0) == 0) {
      [&] { GTEST_SKIP() << why.substr(5); }();
      return nullptr;
    }
  }
  ADD_FAILURE() << "local registry did not start: " << why;
  return nullptr;
}

bool LocalRegistry::launch(const Options& options, std::string& why) {
  options_ = options;
  std::string registry = find_program("docker-registry");
  if (registry.empty()) {
    why = "skip:docker-registry is not installed (Debian package docker-registry)";
    return false;
  }
  std::string htpasswd = options.user.empty() ? "" : find_program("htpasswd");
  if (!options.user.empty() && htpasswd.empty()) {
    why = "skip:htpasswd is not installed (Debian package apache2-utils)";
    return false;
  }
  std::string openssl = options.tls ? find_program("openssl") : "";
  if (options.tls && openssl.empty()) {
    why = "skip:openssl is not installed";
    return false;
  }
  if (find_program("curl").empty()) {
    why = "skip:curl is not installed";
    return false;
  }
  if (dir_.empty()) dir_ = make_temp_dir("berth-registry-");
  port_ = free_port();

  std::string config =
      "version: 0.1\n"
      "log:\n  level: info\n  formatter: text\n"
      "  accesslog:\n    disabled: false\n"
      "storage:\n  filesystem:\n    rootdirectory: " +
      (dir_ / "storage").string() +
      "\n  delete:\n    enabled: true\n"
      "  maintenance:\n    uploadpurging:\n      enabled: false\n"
      "http:\n  addr: 127.0.0.1:" +
      std::to_string(port_) + "\n  secret: berth-test-secret\n";
  if (options.tls) {
    if (!fs::exists(dir_ / "server.crt")) {
      // The test CA, a second CA that signs nothing (for the wrong-CA case), and the server's
      // certificate for 127.0.0.1 and localhost signed by the first.
      if (!make_ca(openssl, dir_, "ca", why) || !make_ca(openssl, dir_, "other-ca", why))
        return false;
      if (!write_file(dir_ / "server.ext",
                      "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                      "keyUsage=digitalSignature,keyEncipherment\n"
                      "extendedKeyUsage=serverAuth\n")) {
        why = "cannot write server.ext";
        return false;
      }
      if (!setup_step(
              {openssl, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
               "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", (dir_ / "server.key").string(),
               "-out", (dir_ / "server.csr").string()},
              why) ||
          !setup_step({openssl, "x509", "-req", "-in", (dir_ / "server.csr").string(), "-CA",
                       (dir_ / "ca.crt").string(), "-CAkey", (dir_ / "ca.key").string(),
                       "-CAcreateserial", "-days", "2", "-extfile", (dir_ / "server.ext").string(),
                       "-out", (dir_ / "server.crt").string()},
                      why))
        return false;
    }
    config += "  tls:\n    certificate: " + (dir_ / "server.crt").string() +
              "\n    key: " + (dir_ / "server.key").string() + "\n";
  }
  if (!options.user.empty()) {
    std::string line;
    if (!setup_step({htpasswd, "-Bbn", options.user, options.password}, why, &line)) return false;
    if (!write_file(dir_ / "htpasswd", line)) {
      why = "cannot write htpasswd";
      return false;
    }
    config +=
        "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + (dir_ / "htpasswd").string() +
        "\n";
  }
  if (!write_file(dir_ / "config.yml", config)) {
    why = "cannot write config.yml";
    return false;
  }

  fs::path log = dir_ / "registry.log";
  std::string config_path = (dir_ / "config.yml").string();
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || null < 0) _exit(126);
    ::dup2(null, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setpgid(0, 0);
    ::execl(registry.c_str(), registry.c_str(), "serve", config_path.c_str(),
            static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid < 0) {
    why = "fork failed";
    return false;
  }
  pid_ = pid;

  // Up when /v2/ answers (200, or 401 with auth), at most 20 s.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      why = "docker-registry exited: " + this->log();
      return false;
    }
    auto r = curl("/v2/", {"-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2"});
    if (r.out == "200" || r.out == "401") return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  why = "/v2/ did not answer within 20 s: " + this->log();
  ::kill(-pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return false;
}

LocalRegistry::~LocalRegistry() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    int status = 0;
    bool gone = false;
    for (int i = 0; i < 50 && !gone; ++i) {
      gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!gone) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::string LocalRegistry::url(const std::string& path) const {
  return (options_.tls ? "https://" : "http://") + authority() + path;
}

void LocalRegistry::trust_in(const TempState& st, bool wrong_ca) const {
  fs::path dir = st.berth_config() / "certs.d" / authority();
  fs::create_directories(dir);
  fs::copy_file(wrong_ca ? other_ca_cert() : ca_cert(), dir / "ca.crt",
                fs::copy_options::overwrite_existing);
}

std::string LocalRegistry::log() const {
  return read_all(dir_ / "registry.log");
}

int LocalRegistry::count_requests(const std::string& method, const std::string& needle) const {
  // The access log line is written as the response ends, maybe after the client has gone:
  // wait until the log has not grown for 150 ms (2 s at most).
  std::error_code ec;
  auto size = fs::file_size(dir_ / "registry.log", ec);
  int stable = 0;
  for (int i = 0; i < 40 && stable < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto now = fs::file_size(dir_ / "registry.log", ec);
    stable = now == size ? stable + 1 : 0;
    size = now;
  }
  std::istringstream in(log());
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    // The access log's request: "GET /v2/x/blobs/sha256:... HTTP/1.1"
    auto at = line.find("\"" + method + " ");
    if (at == std::string::npos) continue;
    auto end = line.find('"', at + 1);
    if (line.substr(at, end - at).find(needle) != std::string::npos) ++n;
  }
  return n;
}

RunResult LocalRegistry::curl(const std::string& path,
                              const std::vector<std::string>& extra) const {
  std::vector<std::string> argv = {find_program("curl"), "-sS"};
  if (options_.tls) argv.insert(argv.end(), {"--cacert", ca_cert().string()});
  if (!options_.user.empty())
    argv.insert(argv.end(), {"-u", options_.user + ":" + options_.password});
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(url(path));
  return run_command(argv, "", 60);
}

}  // namespace berth::test
