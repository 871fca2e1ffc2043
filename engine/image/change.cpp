#include "engine/image/change.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/strings.h"
#include "dockerfile/dockerignore.h"
#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/shell_lex.h"

namespace berth::engine::image {

namespace {

namespace df = berth::dockerfile;

// The image's Env as the variables a change expands (`ENV B=$A` after `ENV A=1`), as Docker
// dispatches --change lines with the image's environment.
df::EnvMap env_of(const nlohmann::json& config) {
  std::vector<std::string> env;
  if (auto it = config.find("Env"); it != config.end() && it->is_array())
    for (const auto& e : *it)
      if (e.is_string()) env.push_back(e.get<std::string>());
  return df::build_envs(env);
}

void set_env(nlohmann::json& config, const std::string& key, const std::string& value) {
  auto& env = config["Env"];
  if (!env.is_array()) env = nlohmann::json::array();
  for (auto& e : env) {
    auto s = e.get<std::string>();
    if (s.substr(0, s.find('=')) == key) {
      e = key + "=" + value;
      return;
    }
  }
  env.push_back(key + "=" + value);
}

void expose(nlohmann::json& config, const std::string& w) {
  auto& ports = config["ExposedPorts"];
  if (!ports.is_object()) ports = nlohmann::json::object();
  std::string port = w, proto = "tcp";
  if (auto slash = w.find('/'); slash != std::string::npos) {
    port = w.substr(0, slash);
    proto = w.substr(slash + 1);
  }
  for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool digits = !port.empty() && port.find_first_not_of("0123456789-") == std::string::npos;
  if (!digits || (proto != "tcp" && proto != "udp" && proto != "sctp"))
    throw Error("EXPOSE: invalid port `" + w + "`");
  ports[port + "/" + proto] = nlohmann::json::object();
}

// The one instruction of a change line, typed. Parser errors lose their "FILE:LINE: " prefix:
// the caller names the --change instead.
df::Instruction parse_one(const std::string& change) {
  constexpr std::string_view kFile = "change";
  try {
    auto parsed = df::parse(change, kFile);
    if (parsed.children.size() != 1) throw Error("one instruction per --change");
    return df::parse_instruction(parsed.children[0], kFile);
  } catch (const Error& e) {
    std::string_view msg = e.what();
    if (msg.rfind(kFile, 0) == 0)
      if (auto colon = msg.find(": "); colon != std::string_view::npos)
        msg.remove_prefix(colon + 2);
    throw Error(std::string(msg));
  }
}

}  // namespace

nlohmann::json config_command(const nlohmann::json& config, const df::CommandLine& cmd) {
  if (!cmd.prepend_shell) return nlohmann::json(cmd.args);
  nlohmann::json shell = nlohmann::json::array({"/bin/sh", "-c"});
  if (auto it = config.find("Shell"); it != config.end() && it->is_array() && !it->empty())
    shell = *it;
  shell.push_back(cmd.args.at(0));
  return shell;
}

void apply_instruction(nlohmann::json& config, const df::Instruction& ins, DispatchScope& scope) {
  const auto& env = scope.vars;
  const df::ShellLex lex(scope.escape);
  auto expand = [&](const std::string& word) { return lex.process_word(word, env); };
  if (auto* i = ins.get<df::CmdInstr>()) {
    config["Cmd"] = config_command(config, i->cmd);
    scope.cmd_set = true;
  } else if (auto* i = ins.get<df::EntrypointInstr>()) {
    config["Entrypoint"] = config_command(config, i->cmd);
    // Docker: an ENTRYPOINT drops the CMD the stage inherited, not one it set itself.
    if (!scope.cmd_set) config.erase("Cmd");
  } else if (auto* i = ins.get<df::EnvInstr>()) {
    // Every word sees the values from before this instruction (Docker's ENV A=1 B=$A).
    for (const auto& kv : i->pairs) set_env(config, expand(kv.key), expand(kv.value));
  } else if (auto* i = ins.get<df::LabelInstr>()) {
    for (const auto& kv : i->pairs) config["Labels"][expand(kv.key)] = expand(kv.value);
  } else if (auto* i = ins.get<df::ExposeInstr>()) {
    for (const auto& p : i->ports)
      for (const auto& w : lex.process_words(p, env)) expose(config, w);
  } else if (auto* i = ins.get<df::UserInstr>()) {
    config["User"] = expand(i->user);
  } else if (auto* i = ins.get<df::WorkdirInstr>()) {
    std::string dir = expand(i->path);
    if (dir.empty()) throw Error("WORKDIR: the path is empty after expansion");
    std::string cur = config.value("WorkingDir", "");
    if (dir.front() != '/') dir = (cur.empty() ? std::string("/") : cur) + "/" + dir;
    config["WorkingDir"] = df::clean_path(dir);
  } else if (auto* i = ins.get<df::VolumeInstr>()) {
    for (const auto& v : i->volumes) {
      std::string vol = expand(v);
      if (vol.empty()) throw Error("VOLUME specified can not be an empty string");
      config["Volumes"][vol] = nlohmann::json::object();
    }
  } else if (auto* i = ins.get<df::OnbuildInstr>()) {
    config["OnBuild"].push_back(i->expression);
  } else if (auto* i = ins.get<df::ShellInstr>()) {
    config["Shell"] = i->shell;
  } else if (auto* i = ins.get<df::StopSignalInstr>()) {
    config["StopSignal"] = expand(i->signal);
  } else if (auto* i = ins.get<df::HealthcheckInstr>()) {
    nlohmann::json h = {{"Test", i->test}};
    if (i->interval_ns) h["Interval"] = i->interval_ns;
    if (i->timeout_ns) h["Timeout"] = i->timeout_ns;
    if (i->start_period_ns) h["StartPeriod"] = i->start_period_ns;
    if (i->start_interval_ns) h["StartInterval"] = i->start_interval_ns;
    if (i->retries) h["Retries"] = i->retries;
    config["Healthcheck"] = std::move(h);
  }
}

std::vector<std::string> split_words(const std::string& s) {
  df::ShellLex lex('\\');
  lex.skip_unset_env = true;
  return lex.process_words(s, {});
}

void apply_changes(nlohmann::json& config, const std::vector<std::string>& changes) {
  bool cmd_set = false;
  for (const auto& c : changes) apply_change(config, c, &cmd_set);
}

void apply_change(nlohmann::json& config, const std::string& change, bool* cmd_set) {
  const std::string line(trim(change));
  std::string instr = line.substr(0, line.find_first_of(" \t"));
  for (char& c : instr) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* kValid[] = {"CMD",  "ENTRYPOINT", "ENV",    "EXPOSE", "LABEL",
                                 "USER", "WORKDIR",    "VOLUME", "ONBUILD"};
  try {
    if (std::find(std::begin(kValid), std::end(kValid), instr) == std::end(kValid))
      throw Error(instr.empty() ? "empty change" : instr + " is not a valid change command");
    if (line.size() == instr.size()) throw Error(instr + " requires an argument");
    const auto env = env_of(config);
    DispatchScope scope{env, cmd_set && *cmd_set};
    apply_instruction(config, parse_one(line), scope);
    if (cmd_set) *cmd_set = scope.cmd_set;
  } catch (const Error& e) {
    throw e.with_context("--change `" + change + "`");
  }
}

}  // namespace berth::engine::image
