#include "registry/credentials.h"

#include <spdlog/spdlog.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/base64.h"
#include "common/error.h"
#include "common/run_program.h"

namespace berth::registry {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Docker Hub's key (Docker's registry.IndexServer).
constexpr const char* kHubCredentialKey = "https://index.docker.io/v1/";
// What a docker-credential-* helper prints when it has nothing for the server
// (docker-credential-helpers' errCredentialsNotFoundMessage).
constexpr const char* kCredHelperNotFound = "credentials not found in native keychain";

fs::path berth_auth_file(const ConfigDirs& dirs) {
  return dirs.berth / "auth.json";
}

fs::path docker_config_file(const ConfigDirs& dirs) {
  return dirs.docker / "config.json";
}

// The file's JSON object, {} when it is missing or blank. The error names the file and the
// byte, never the text: a parser's message quotes what it last read, which may be a secret.
json read_credential_file(const fs::path& file) {
  const auto text = read_file_if_exists(file);
  if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  json j;
  try {
    j = json::parse(*text);
  } catch (const json::parse_error& e) {
    throw Error("read `" + file.string() + "`: invalid JSON at byte " + std::to_string(e.byte));
  }
  if (!j.is_object()) throw Error("read `" + file.string() + "`: not a JSON object");
  return j;
}

// config[name] when it is an object, nullptr when it is absent. Throws otherwise.
const json* credential_file_object(const json& config, const char* name, const fs::path& file) {
  auto it = config.find(name);
  if (it == config.end() || it->is_null()) return nullptr;
  if (!it->is_object())
    throw Error("read `" + file.string() + "`: \"" + name + "\" is not a JSON object");
  return &*it;
}

// The string field of an auths entry, "" when absent. The error names the key, not the value.
std::string auth_entry_string(const json& entry, const char* field, const std::string& key,
                              const fs::path& file) {
  auto it = entry.find(field);
  if (it == entry.end() || it->is_null()) return {};
  if (!it->is_string())
    throw Error("read `" + file.string() + "`: auths[\"" + key + "\"]." + field +
                " is not a string");
  return it->get<std::string>();
}

// The member of an object keyed by server: its exact key, else the first whose
// credential_key is the same ("https://localhost:5000" for "localhost:5000", as Docker's
// file store matches).
json::const_iterator find_server_entry(const json& object, const std::string& key) {
  if (auto it = object.find(key); it != object.end()) return it;
  for (auto it = object.begin(); it != object.end(); ++it)
    if (credential_key(it.key()) == key) return it;
  return object.end();
}

// An auths entry as Docker reads it: "auth" (base64 of user:password) wins over the
// "username" and "password" fields; "identitytoken" beside them.
Credential credential_from_entry(const json& entry, const std::string& key, const fs::path& file) {
  if (!entry.is_object())
    throw Error("read `" + file.string() + "`: auths[\"" + key + "\"] is not a JSON object");
  Credential c;
  c.username = auth_entry_string(entry, "username", key, file);
  c.password = auth_entry_string(entry, "password", key, file);
  c.identity_token = auth_entry_string(entry, "identitytoken", key, file);
  if (const std::string auth = auth_entry_string(entry, "auth", key, file); !auth.empty()) {
    const auto decoded = base64_decode(auth);
    const size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos || colon == 0)
      throw Error("read `" + file.string() + "`: auths[\"" + key +
                  "\"].auth is not base64 of user:password");
    c.username = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
    // Go's Trim of NULs, as Docker does after decoding.
    while (!c.password.empty() && c.password.back() == '\0') c.password.pop_back();
    while (!c.password.empty() && c.password.front() == '\0') c.password.erase(0, 1);
  }
  return c;
}

std::optional<Credential> credential_from_auths(const json& config, const std::string& key,
                                                const fs::path& file) {
  const json* auths = credential_file_object(config, "auths", file);
  if (!auths) return std::nullopt;
  auto it = find_server_entry(*auths, key);
  if (it == auths->end()) return std::nullopt;
  Credential c = credential_from_entry(*it, it.key(), file);
  if (c.empty()) return std::nullopt;  // Docker's {} placeholder beside a credential store
  return c;
}

// The helper configured for key: credHelpers[key], else credsStore; "" for none. setting says
// which, for messages.
std::string configured_cred_helper(const json& config, const std::string& key, const fs::path& file,
                                   std::string& setting) {
  if (const json* helpers = credential_file_object(config, "credHelpers", file)) {
    if (auto it = find_server_entry(*helpers, key); it != helpers->end() && it->is_string()) {
      setting = "credHelpers";
      return it->get<std::string>();
    }
  }
  auto store = config.find("credsStore");
  if (store != config.end() && store->is_string()) {
    setting = "credsStore";
    return store->get<std::string>();
  }
  return {};
}

std::string trim_helper_output(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Why a helper failed, for its error: its exit status and the first line it printed, unless
// that line could hold the credential (a JSON answer printed before failing).
std::string cred_helper_failure(const ProgramOutput& r) {
  std::string why = WIFEXITED(r.status) ? "exit status " + std::to_string(WEXITSTATUS(r.status))
                                        : "killed by signal " + std::to_string(WTERMSIG(r.status));
  std::string said =
      trim_helper_output(r.out).empty() ? trim_helper_output(r.err) : trim_helper_output(r.out);
  said = said.substr(0, std::min<size_t>(said.find('\n'), 200));
  if (said.empty() || said.find('{') != std::string::npos ||
      said.find("Secret") != std::string::npos)
    return why;
  // Its control characters (a terminal escape) are not passed on to the user's terminal.
  for (char& ch : said)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  return why + ": " + said;
}

// The credential docker-credential-<helper> has for key, through the helper protocol: `get`
// with the server on stdin, {"ServerURL","Username","Secret"} on stdout; "<token>" for the
// username marks an identity token.
std::optional<Credential> credential_from_helper(const std::string& helper,
                                                 const std::string& setting, const std::string& key,
                                                 const fs::path& file) {
  const std::string program = "docker-credential-" + helper;
  const auto path = find_on_path(program);
  if (!path) {
    // Docker fails every pull here; berth only borrows Docker's file, and an anonymous pull
    // must not break because a helper Docker Desktop installed is gone.
    spdlog::warn("{} (\"{}\" in {}) is not in PATH: no credential for {} from it", program, setting,
                 file.string(), key);
    return std::nullopt;
  }
  const ProgramOutput r = run_program(*path, {program, "get"}, key);
  if (!r.exited_zero()) {
    if (trim_helper_output(r.out) == kCredHelperNotFound ||
        trim_helper_output(r.err) == kCredHelperNotFound)
      return std::nullopt;
    throw Error("error getting credentials for " + key + " from " + program + ": " +
                cred_helper_failure(r));
  }
  const json answer = json::parse(r.out, nullptr, false);
  const Error bad_answer("error getting credentials for " + key + " from " + program +
                         ": its answer is not {\"Username\",\"Secret\"} JSON");
  if (!answer.is_object()) throw bad_answer;
  auto field = [&](const char* name) -> std::string {
    auto it = answer.find(name);
    if (it == answer.end() || it->is_null()) return {};
    if (!it->is_string()) throw bad_answer;
    return it->get<std::string>();
  };
  const std::string username = field("Username"), secret = field("Secret");
  Credential c;
  if (username == "<token>") {
    c.identity_token = secret;
  } else {
    c.username = username;
    c.password = secret;
  }
  if (c.empty()) return std::nullopt;
  return c;
}

// Removes every auths member that stands for key; true when there was one.
bool erase_server_entries(json& auths, const std::string& key) {
  bool erased = false;
  for (auto it = auths.begin(); it != auths.end();) {
    if (it.key() == key || credential_key(it.key()) == key) {
      it = auths.erase(it);
      erased = true;
    } else {
      ++it;
    }
  }
  return erased;
}

// The berth file's "auths" object, made when missing.
json& auths_object(json& config, const fs::path& file) {
  credential_file_object(config, "auths", file);  // throws when it is not an object
  auto& auths = config["auths"];
  if (auths.is_null()) auths = json::object();
  return auths;
}

void write_credential_file(const fs::path& file, const json& config) {
  make_dirs(file.parent_path(), 0700);
  // A replaced byte, not an exception whose message would quote it, for invalid UTF-8.
  write_file_atomic(file, config.dump(1, '\t', false, json::error_handler_t::replace) + "\n", 0600);
}

}  // namespace

ConfigDirs ConfigDirs::from_env() {
  ConfigDirs d;
  const char* home = std::getenv("HOME");
  std::filesystem::path h = home && *home ? home : "/root";
  if (const char* b = std::getenv("BERTH_CONFIG"); b && *b)
    d.berth = b;
  else if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x)
    d.berth = std::filesystem::path(x) / "berth";
  else
    d.berth = h / ".config" / "berth";
  if (const char* dc = std::getenv("DOCKER_CONFIG"); dc && *dc)
    d.docker = dc;
  else
    d.docker = h / ".docker";
  return d;
}

// Docker's ConvertToHostname (scheme and path dropped) followed by its Docker Hub rule.
std::string credential_key(const std::string& server) {
  std::string host = server;
  if (auto scheme = host.find("://"); scheme != std::string::npos) host.erase(0, scheme + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (auto at = host.rfind('@'); at != std::string::npos) host.erase(0, at + 1);
  if (host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io")
    return kHubCredentialKey;
  return host;
}

CredentialStore::CredentialStore(ConfigDirs dirs) : dirs_(std::move(dirs)) {}

std::optional<Credential> CredentialStore::get(const std::string& server) const {
  const std::string key = credential_key(server);
  const fs::path berth_file = berth_auth_file(dirs_);
  if (auto c = credential_from_auths(read_credential_file(berth_file), key, berth_file)) return c;
  const fs::path docker_file = docker_config_file(dirs_);
  const json docker = read_credential_file(docker_file);
  std::string setting;
  if (const std::string helper = configured_cred_helper(docker, key, docker_file, setting);
      !helper.empty()) {
    if (auto c = credential_from_helper(helper, setting, key, docker_file)) return c;
  }
  return credential_from_auths(docker, key, docker_file);
}

void CredentialStore::put(const std::string& server, const Credential& credential) {
  const std::string key = credential_key(server);
  const fs::path file = berth_auth_file(dirs_);
  json config = read_credential_file(file);
  json& auths = auths_object(config, file);
  erase_server_entries(auths, key);
  json entry = json::object();
  if (!credential.username.empty() || !credential.password.empty())
    entry["auth"] = base64_encode(credential.username + ":" + credential.password);
  if (!credential.identity_token.empty()) entry["identitytoken"] = credential.identity_token;
  auths[key] = std::move(entry);
  write_credential_file(file, config);
}

bool CredentialStore::erase(const std::string& server) {
  const std::string key = credential_key(server);
  const fs::path file = berth_auth_file(dirs_);
  json config = read_credential_file(file);
  const json* auths = credential_file_object(config, "auths", file);
  if (!auths || !erase_server_entries(config["auths"], key)) return false;
  write_credential_file(file, config);
  return true;
}

}  // namespace berth::registry
