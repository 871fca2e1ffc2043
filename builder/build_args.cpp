#include "builder/build_args.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cstdlib>

namespace berth::builder {

namespace df = berth::dockerfile;

Platform host_platform() {
  Platform p;
  utsname u{};
  ::uname(&u);
  const std::string m = u.machine;
  if (m == "x86_64") {
    p.arch = "amd64";
  } else if (m == "aarch64" || m == "arm64") {
    p.arch = "arm64";
  } else if (m.rfind("armv7", 0) == 0) {
    p.arch = "arm";
    p.variant = "v7";
  } else if (m == "i686" || m == "i386") {
    p.arch = "386";
  } else {
    p.arch = m;  // ppc64le, s390x, riscv64 are Go's names too
  }
  return p;
}

std::map<std::string, std::string> parse_build_arg_flags(const std::vector<std::string>& flags) {
  std::map<std::string, std::string> out;
  for (const auto& a : flags) {
    const auto eq = a.find('=');
    if (eq != std::string::npos) {
      out[a.substr(0, eq)] = a.substr(eq + 1);
    } else if (const char* v = std::getenv(a.c_str())) {
      out[a] = v;
    }
  }
  return out;
}

bool is_proxy_arg(const std::string& name) {
  static const char* kProxy[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                 "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy",
                                 "ALL_PROXY",  "all_proxy"};
  return std::find(std::begin(kProxy), std::end(kProxy), name) != std::end(kProxy);
}

BuildArgs::BuildArgs(std::map<std::string, std::string> given, Platform platform)
    : given_(std::move(given)) {
  for (const char* side : {"BUILD", "TARGET"}) {
    const std::string s = side;
    platform_args_[s + "PLATFORM"] = platform.str();
    platform_args_[s + "OS"] = platform.os;
    platform_args_[s + "ARCH"] = platform.arch;
    platform_args_[s + "VARIANT"] = platform.variant;
  }
  for (const auto& [k, v] : platform_args_) global_[k] = v;
}

void BuildArgs::declare_global(const std::vector<df::ArgInstr>& meta, char escape) {
  const df::ShellLex lex(escape);
  for (const auto& instr : meta)
    for (const auto& a : instr.args) {
      if (auto it = given_.find(a.key); it != given_.end()) {
        used_.insert(a.key);
        global_[a.key] = it->second;
      } else if (a.value) {
        global_[a.key] = lex.process_word(*a.value, global_);
      } else if (!platform_args_.count(a.key)) {
        global_.erase(a.key);
      }
    }
}

void BuildArgs::Stage::declare(const df::ArgInstr& arg, const df::EnvMap& vars, char escape) {
  const df::ShellLex lex(escape);
  for (const auto& a : arg.args) {
    std::optional<std::string> value;
    if (auto it = owner_->given_.find(a.key); it != owner_->given_.end()) {
      owner_->used_.insert(a.key);
      value = it->second;
    } else if (a.value) {
      value = lex.process_word(*a.value, vars);
    } else if (auto g = owner_->global_.find(a.key); g != owner_->global_.end()) {
      value = g->second;
    }
    std::erase_if(values_, [&](const auto& kv) { return kv.first == a.key; });
    if (value) values_.emplace_back(a.key, *value);
  }
}

df::EnvMap BuildArgs::Stage::vars(const std::vector<std::string>& env) const {
  df::EnvMap out;
  for (const auto& [k, v] : values_) out[k] = v;
  for (const auto& [k, v] : df::build_envs(env)) out[k] = v;
  return out;
}

std::vector<std::pair<std::string, std::string>> BuildArgs::Stage::run_env(
    const std::vector<std::string>& env) const {
  const auto set = df::build_envs(env);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : values_)
    if (!set.count(k)) out.emplace_back(k, v);
  for (const auto& [k, v] : owner_->given_)
    if (is_proxy_arg(k) && !set.count(k) &&
        std::none_of(out.begin(), out.end(), [&](const auto& kv) { return kv.first == k; }))
      out.emplace_back(k, v);
  return out;
}

std::vector<std::string> BuildArgs::Stage::history_args() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (!is_proxy_arg(k)) out.push_back(k + "=" + v);
  return out;
}

std::vector<std::string> BuildArgs::unused() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : given_)
    if (!used_.count(k) && !is_proxy_arg(k) && !platform_args_.count(k)) out.push_back(k);
  return out;
}

}  // namespace berth::builder
