#include "engine/image/change.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"
#include "common/strings.h"
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

std::string expand(const std::string& word, const df::EnvMap& env) {
  return df::ShellLex('\\').process_word(word, env);
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

// A command in Docker's config form: exec form as given, shell form under /bin/sh -c.
nlohmann::json command(const df::CommandLine& cmd) {
  if (cmd.prepend_shell) return nlohmann::json::array({"/bin/sh", "-c", cmd.args.at(0)});
  return nlohmann::json(cmd.args);
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

void apply_instruction(nlohmann::json& config, const df::Instruction& ins) {
  const auto env = env_of(config);
  if (auto* i = ins.get<df::CmdInstr>()) {
    config["Cmd"] = command(i->cmd);
  } else if (auto* i = ins.get<df::EntrypointInstr>()) {
    config["Entrypoint"] = command(i->cmd);
  } else if (auto* i = ins.get<df::EnvInstr>()) {
    for (const auto& kv : i->pairs) set_env(config, expand(kv.key, env), expand(kv.value, env));
  } else if (auto* i = ins.get<df::LabelInstr>()) {
    for (const auto& kv : i->pairs) config["Labels"][expand(kv.key, env)] = expand(kv.value, env);
  } else if (auto* i = ins.get<df::ExposeInstr>()) {
    for (const auto& p : i->ports) expose(config, expand(p, env));
  } else if (auto* i = ins.get<df::UserInstr>()) {
    config["User"] = expand(i->user, env);
  } else if (auto* i = ins.get<df::WorkdirInstr>()) {
    std::string dir = expand(i->path, env);
    if (dir.empty()) throw Error("WORKDIR: the path is empty after expansion");
    std::string cur = config.value("WorkingDir", "");
    config["WorkingDir"] = dir.front() == '/' || cur.empty() ? dir : cur + "/" + dir;
  } else if (auto* i = ins.get<df::VolumeInstr>()) {
    for (const auto& v : i->volumes) config["Volumes"][expand(v, env)] = nlohmann::json::object();
  } else if (auto* i = ins.get<df::OnbuildInstr>()) {
    config["OnBuild"].push_back(i->expression);
  }
}

}  // namespace

std::vector<std::string> split_words(const std::string& s) {
  df::ShellLex lex('\\');
  lex.skip_unset_env = true;
  return lex.process_words(s, {});
}

void apply_change(nlohmann::json& config, const std::string& change) {
  const std::string line(trim(change));
  std::string instr = line.substr(0, line.find_first_of(" \t"));
  for (char& c : instr) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const char* kValid[] = {"CMD",  "ENTRYPOINT", "ENV",    "EXPOSE", "LABEL",
                                 "USER", "WORKDIR",    "VOLUME", "ONBUILD"};
  try {
    if (std::find(std::begin(kValid), std::end(kValid), instr) == std::end(kValid))
      throw Error(instr.empty() ? "empty change" : instr + " is not a valid change command");
    if (line.size() == instr.size()) throw Error(instr + " requires an argument");
    apply_instruction(config, parse_one(line));
  } catch (const Error& e) {
    throw e.with_context("--change `" + change + "`");
  }
}

}  // namespace berth::engine::image
