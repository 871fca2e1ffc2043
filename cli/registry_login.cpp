// `berth login` and `berth logout`, with Docker's flags, prompts and messages. A login is
// checked against the registry (registry::check_login) before it is kept in berth's auth.json
// (registry/credentials.h); an identity token the registry issues is kept instead of the
// password, as Docker does. The password is never printed.
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/registry_context.h"
#include "common/child_process.h"
#include "common/error.h"
#include "registry/client.h"

namespace berth::cli {

namespace {

// Printed before the username prompt for Docker Hub, as Docker does.
constexpr const char* kHubRegisterHint =
    "Log in with your Docker ID or email address to push and pull images from Docker Hub. If you "
    "don't have a Docker ID, head over to https://hub.docker.com/ to create one.";

struct LoginArgs {
  std::string server;
  std::string username;
  std::string password;
  bool password_stdin = false;
  CLI::Option* password_flag = nullptr;
};

// The terminal's echo turned off while a password is typed, turned back on when destroyed.
class TerminalEchoOff {
 public:
  explicit TerminalEchoOff(int fd) : fd_(fd) {
    if (::tcgetattr(fd_, &saved_) < 0) return;
    struct termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(fd_, TCSANOW, &quiet) == 0;
  }
  ~TerminalEchoOff() {
    if (active_) ::tcsetattr(fd_, TCSANOW, &saved_);
  }
  TerminalEchoOff(const TerminalEchoOff&) = delete;
  TerminalEchoOff& operator=(const TerminalEchoOff&) = delete;

 private:
  int fd_;
  struct termios saved_ {};
  bool active_ = false;
};

// One line typed on stdin, without its "\n" or "\r\n".
std::string read_typed_line() {
  std::string line;
  for (int c; (c = std::getc(stdin)) != EOF && c != '\n';) line.push_back(static_cast<char>(c));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::string trim_spaces(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// The registry domain check_login speaks to for a credential key.
std::string login_domain(const std::string& key) {
  return key == registry::credential_key("docker.io") ? "docker.io" : key;
}

// Docker's flag rules, then the password from stdin when asked for.
void check_login_flags(LoginArgs& a) {
  const bool password_given = a.password_flag->count() > 0;
  if (password_given) {
    std::fprintf(stderr,
                 "WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
    if (a.password_stdin) throw Error("--password and --password-stdin are mutually exclusive");
  }
  if (a.password_stdin) {
    if (a.username.empty()) throw Error("Must provide --username with --password-stdin");
    a.password = drain_pipe(STDIN_FILENO);
    if (!a.password.empty() && a.password.back() == '\n') a.password.pop_back();
    if (!a.password.empty() && a.password.back() == '\r') a.password.pop_back();
  }
}

// Asks for what the flags did not give: the username (stored_user as the default) and the
// password, echo off. Docker's messages when stdin is no terminal or an answer is empty.
registry::Credential prompt_for_credential(const LoginArgs& a, const std::string& key,
                                           const std::string& stored_user) {
  registry::Credential c{trim_spaces(a.username), a.password, ""};
  if ((c.username.empty() || c.password.empty()) && !::isatty(STDIN_FILENO))
    throw Error("Cannot perform an interactive login from a non TTY device");
  if (c.username.empty()) {
    if (key == registry::credential_key("docker.io")) std::printf("%s\n", kHubRegisterHint);
    if (stored_user.empty())
      std::printf("Username: ");
    else
      std::printf("Username (%s): ", stored_user.c_str());
    std::fflush(stdout);
    c.username = trim_spaces(read_typed_line());
    if (c.username.empty()) c.username = stored_user;
    if (c.username.empty()) throw Error("Non-null Username Required");
  }
  if (c.password.empty()) {
    TerminalEchoOff echo_off(STDIN_FILENO);
    std::printf("Password: ");
    std::fflush(stdout);
    c.password = read_typed_line();
    std::printf("\n");
    if (c.password.empty()) throw Error("Password Required");
  }
  return c;
}

// Checks credential with the registry; on success keeps it (the identity token the registry
// issued, if any, instead of the password) and prints Docker's "Login Succeeded".
void login_and_store(registry::RegistryContext& ctx, const std::string& key,
                     registry::Credential credential) {
  const std::string token = registry::check_login(ctx, login_domain(key), credential);
  if (!token.empty()) {
    credential.password.clear();
    credential.identity_token = token;
  }
  try {
    ctx.credentials.put(key, credential);
  } catch (const Error& e) {
    throw e.with_context("saving credentials");
  }
  std::printf("Login Succeeded\n");
}

// Docker first tries a stored username and password when no flag names the account. True
// when they still work (and were stored again).
bool login_with_stored(registry::RegistryContext& ctx, const std::string& key,
                       const std::optional<registry::Credential>& stored) {
  if (!stored || stored->username.empty() || stored->password.empty()) return false;
  std::fprintf(stderr, "Authenticating with existing credentials... [Username: %s]\n",
               stored->username.c_str());
  try {
    login_and_store(ctx, key, *stored);
    return true;
  } catch (const Error& e) {
    std::fprintf(stderr, "Login did not succeed, error: %s\n", e.what());
    return false;
  }
}

void run_login(Globals& g, LoginArgs& a) {
  check_login_flags(a);
  const std::string key = registry::credential_key(a.server.empty() ? "docker.io" : a.server);
  auto ctx = registry_context(g);
  std::optional<registry::Credential> stored;
  if (a.username.empty() && a.password.empty()) {
    try {
      stored = ctx.credentials.get(key);
    } catch (const Error& e) {
      spdlog::warn("stored credentials for {}: {}", key, e.what());
    }
    if (login_with_stored(ctx, key, stored)) return;
  }
  const registry::Credential credential =
      prompt_for_credential(a, key, stored ? stored->username : "");
  try {
    login_and_store(ctx, key, credential);
  } catch (const Error& e) {
    std::fprintf(stderr, "Error response from daemon: %s\n", e.what());
    g.exit_code = 1;
  }
}

void run_logout(Globals& g, const std::string& server) {
  const std::string key = registry::credential_key(server.empty() ? "docker.io" : server);
  auto ctx = registry_context(g);
  if (ctx.credentials.erase(key))
    std::printf("Removing login credentials for %s\n", key.c_str());
  else
    std::printf("Not logged in to %s\n", key.c_str());
}

void register_login(CLI::App& app, Globals& g) {
  auto a = std::make_shared<LoginArgs>();
  auto* login = app.add_subcommand("login",
                                   "Log in to a registry.\nIf no server is specified, the "
                                   "default is Docker Hub.");
  login->add_option("server", a->server, "SERVER");
  login->add_option("-u,--username", a->username, "Username");
  a->password_flag = login->add_option("-p,--password", a->password, "Password");
  login->add_flag("--password-stdin", a->password_stdin, "Take the password from stdin");
  login->callback([&g, a] { run_login(g, *a); });

  auto server = std::make_shared<std::string>();
  auto* logout = app.add_subcommand("logout",
                                    "Log out from a registry.\nIf no server is specified, the "
                                    "default is Docker Hub.");
  logout->add_option("server", *server, "SERVER");
  logout->callback([&g, server] { run_logout(g, *server); });
}

}  // namespace

BERTH_COMMANDS(register_login, "login", "logout");

}  // namespace berth::cli
