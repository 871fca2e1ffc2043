#include "dockerfile/instructions.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "common/error.h"
#include "common/units.h"
#include "dockerfile/ascii.h"
#include "dockerfile/build_flags.h"

namespace berth::dockerfile {

namespace {

// What one node gives its instruction parser (BuildKit's parseRequest).
struct Request {
  const Node& node;
  std::vector<std::string> args;
  BuildFlags flags;

  explicit Request(const Node& n) : node(n), args(node_args(n)), flags(n.flags) {}

  // ONBUILD's trigger counts as its keyword followed by its arguments (BuildKit's nodeArgs).
  static std::vector<std::string> node_args(const Node& n) {
    std::vector<std::string> out = n.args;
    if (n.sub) {
      out.push_back(n.sub->value);
      auto rest = node_args(*n.sub);
      out.insert(out.end(), rest.begin(), rest.end());
    }
    return out;
  }
};

Error at_least_one(const char* cmd) {
  return Error(std::string(cmd) + " requires at least one argument");
}
Error exactly_one(const char* cmd) {
  return Error(std::string(cmd) + " requires exactly one argument");
}

std::vector<KeyValue> parse_kvps(const std::vector<std::string>& args, const char* cmd) {
  if (args.empty()) throw at_least_one(cmd);
  if (args.size() % 3 != 0) throw Error(std::string(cmd) + " too many arguments");
  std::vector<KeyValue> out;
  for (size_t j = 0; j < args.size(); j += 3) {
    if (args[j].empty()) throw Error(std::string(cmd) + " names can not be blank");
    out.push_back({args[j], args[j + 1], args[j + 2].empty()});
  }
  return out;
}

CommandLine command_line(const Request& req) {
  CommandLine c;
  c.prepend_shell = !req.node.json;
  if (req.args.empty()) return c;
  if (req.node.json) {
    c.args = req.args;
  } else {
    std::string joined;
    for (size_t i = 0; i < req.args.size(); ++i) joined += (i ? " " : "") + req.args[i];
    c.args = {joined};
  }
  return c;
}

std::string chomp_tabs(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (char c : s) {
    if (line_start && c == '\t') continue;
    line_start = c == '\n';
    out += c;
  }
  return out;
}

std::vector<InlineFile> inline_files(const Node& node) {
  std::vector<InlineFile> out;
  for (const auto& h : node.heredocs)
    out.push_back({h.name, h.chomp ? chomp_tabs(h.content) : h.content, h.expand, h.chomp});
  return out;
}

FromInstr parse_from(Request& req) {
  FromInstr f;
  const auto& a = req.args;
  if (a.size() == 3 && detail::to_lower(a[1]) == "as") {
    f.stage_name = detail::to_lower(a[2]);
    bool ok = !f.stage_name.empty() && f.stage_name[0] >= 'a' && f.stage_name[0] <= 'z';
    for (char c : f.stage_name)
      ok = ok &&
           ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.');
    if (!ok)
      throw Error("invalid name for build stage: " + go_quote(a[2]) +
                  ", name can't start with a number or contain symbols");
  } else if (a.size() != 1) {
    throw Error("FROM requires either one or three arguments");
  }
  req.flags.add_string("platform");
  req.flags.parse();
  f.base_name = a[0];
  f.platform = req.flags.get_string("platform");
  return f;
}

ArgInstr parse_arg(Request& req) {
  if (req.args.empty()) throw at_least_one("ARG");
  req.flags.parse();
  ArgInstr out;
  for (const auto& a : req.args) {
    auto eq = a.find('=');
    if (eq == std::string::npos) {
      out.args.push_back({a, std::nullopt});
      continue;
    }
    if (eq == 0) throw Error("ARG names can not be blank");
    out.args.push_back({a.substr(0, eq), a.substr(eq + 1)});
  }
  return out;
}

RunInstr parse_run(Request& req) {
  req.flags.add_strings("mount");
  req.flags.add_string("network");
  req.flags.add_string("security");
  req.flags.parse();
  RunInstr r;
  r.cmd = command_line(req);
  if (r.cmd.args.empty() && req.node.heredocs.empty()) throw at_least_one("RUN");
  r.files = inline_files(req.node);
  r.mount_specs = req.flags.get_strings("mount");
  for (const auto& spec : r.mount_specs) r.mounts.push_back(parse_run_mount(spec));
  r.network = req.flags.get_string("network");
  if (req.flags.used("network") && r.network != "default" && r.network != "none" &&
      r.network != "host")
    throw Error("unsupported network mode " + go_quote(r.network));
  r.security = req.flags.get_string("security");
  if (req.flags.used("security") && r.security != "sandbox" && r.security != "insecure")
    throw Error("unsupported security mode " + go_quote(r.security));
  return r;
}

CopyInstr parse_copy(Request& req, bool is_add) {
  const char* cmd = is_add ? "ADD" : "COPY";
  if (req.args.size() < 2)
    throw Error(std::string(cmd) +
                " requires at least two arguments, but only one was provided. Destination "
                "could not be determined.");
  auto& fl = req.flags;
  fl.add_string("chown");
  fl.add_string("chmod");
  fl.add_bool("link");
  fl.add_strings("exclude");
  if (is_add) {
    fl.add_bool("keep-git-dir");
    fl.add_string("checksum");
    fl.add_string("unpack");
  } else {
    fl.add_string("from");
    fl.add_bool("parents");
  }
  fl.parse();
  CopyInstr c;
  c.is_add = is_add;
  c.dest = req.args.back();
  if (parse_heredoc(c.dest))
    throw Error(std::string(cmd) + " cannot accept a heredoc as a destination");
  std::map<std::string, const Heredoc*> docs;
  for (const auto& h : req.node.heredocs) docs[h.name] = &h;
  for (size_t i = 0; i + 1 < req.args.size(); ++i) {
    const auto& src = req.args[i];
    auto h = parse_heredoc(src);
    if (!h) {
      c.sources.push_back(src);
      continue;
    }
    auto it = docs.find(h->name);
    std::string data = it == docs.end() ? "" : it->second->content;
    c.contents.push_back({h->name, h->chomp ? chomp_tabs(data) : data, h->expand, h->chomp});
  }
  c.chown = fl.get_string("chown");
  c.chmod = fl.get_string("chmod");
  c.link = fl.get_bool("link");
  c.excludes = fl.get_strings("exclude");
  if (is_add) {
    c.keep_git_dir = fl.get_bool("keep-git-dir");
    c.checksum = fl.get_string("checksum");
    if (fl.used("unpack")) {
      auto v = detail::to_lower(fl.get_string("unpack"));
      if (v != "true" && v != "false")
        throw Error("expecting boolean value for flag unpack, not: " + fl.get_string("unpack"));
      c.unpack = v == "true";
    }
  } else {
    c.from = fl.get_string("from");
    c.parents = fl.get_bool("parents");
  }
  return c;
}

// A --interval-style duration: "" is 0, 0 is 0, anything else at least 1ms.
int64_t interval(const BuildFlags& fl, const std::string& name) {
  const std::string& s = fl.get_string(name);
  if (s.empty()) return 0;
  int64_t d;
  try {
    d = parse_duration(s);
  } catch (const std::invalid_argument&) {
    throw Error("time: invalid duration " + go_quote(s));
  }
  if (d == 0) return 0;
  if (d < 1000000) throw Error("Interval " + go_quote(name) + " cannot be less than 1ms");
  return d;
}

HealthcheckInstr parse_healthcheck(Request& req) {
  if (req.args.empty()) throw at_least_one("HEALTHCHECK");
  HealthcheckInstr h;
  std::string type = detail::to_upper(req.args[0]);
  std::vector<std::string> rest(req.args.begin() + 1, req.args.end());
  if (type == "NONE") {
    if (!rest.empty()) throw Error("HEALTHCHECK NONE takes no arguments");
    h.test = {"NONE"};
    return h;
  }
  auto& fl = req.flags;
  for (const char* f : {"interval", "timeout", "start-period", "start-interval", "retries"})
    fl.add_string(f);
  fl.parse();
  if (type != "CMD") throw Error("Unknown type " + go_quote(type) + " in HEALTHCHECK (try CMD)");
  if (rest.empty()) throw Error("Missing command after HEALTHCHECK CMD");
  if (req.node.json) {
    h.test = {"CMD"};
    h.test.insert(h.test.end(), rest.begin(), rest.end());
  } else {
    std::string joined;
    for (size_t i = 0; i < rest.size(); ++i) joined += (i ? " " : "") + rest[i];
    h.test = {"CMD-SHELL", joined};
  }
  h.interval_ns = interval(fl, "interval");
  h.timeout_ns = interval(fl, "timeout");
  h.start_period_ns = interval(fl, "start-period");
  h.start_interval_ns = interval(fl, "start-interval");
  if (const auto& r = fl.get_string("retries"); !r.empty()) {
    long long n;
    try {
      size_t used = 0;
      n = std::stoll(r, &used, 10);
      if (used != r.size() || n < INT32_MIN || n > INT32_MAX) throw std::invalid_argument(r);
    } catch (const std::logic_error&) {
      throw Error("strconv.ParseInt: parsing " + go_quote(r) + ": invalid syntax");
    }
    if (n < 0) throw Error("--retries cannot be negative (" + std::to_string(n) + ")");
    h.retries = static_cast<int>(n);
  }
  return h;
}

std::string single(Request& req, const char* cmd) {
  if (req.args.size() != 1) throw exactly_one(cmd);
  req.flags.parse();
  return req.args[0];
}

Instruction parse_node(const Node& node, std::string_view file_name);

OnbuildInstr parse_onbuild(Request& req, std::string_view file_name) {
  if (req.args.empty() || !req.node.sub) throw at_least_one("ONBUILD");
  req.flags.parse();
  std::string trigger = detail::to_upper(req.args[0]);
  if (trigger == "ONBUILD") throw Error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger == "MAINTAINER" || trigger == "FROM")
    throw Error(trigger + " isn't allowed as an ONBUILD trigger");
  OnbuildInstr o;
  // The original line without its leading "ONBUILD" (case-insensitive) and spaces.
  std::string_view orig = req.node.original;
  while (!orig.empty() && (orig.front() == ' ' || orig.front() == '\t')) orig.remove_prefix(1);
  orig.remove_prefix(std::min<size_t>(7, orig.size()));
  while (!orig.empty() && (orig.front() == ' ' || orig.front() == '\t')) orig.remove_prefix(1);
  o.expression = std::string(orig);
  Node sub;
  sub.value = req.node.sub->value;
  sub.args = req.node.sub->args;
  sub.flags = req.node.sub->flags;
  sub.json = req.node.sub->json;
  sub.original = req.node.sub->original;
  sub.start_line = req.node.start_line;
  sub.end_line = req.node.end_line;
  sub.heredocs = req.node.heredocs;
  o.trigger = std::make_shared<Instruction>(parse_node(sub, file_name));
  return o;
}

Instruction parse_node(const Node& node, std::string_view file_name) {
  Request req(node);
  Instruction ins;
  ins.keyword = detail::to_upper(node.value);
  ins.original = node.original;
  ins.start_line = node.start_line;
  ins.end_line = node.end_line;
  const std::string& k = node.value;
  if (k == "from") {
    ins.value = parse_from(req);
  } else if (k == "arg") {
    ins.value = parse_arg(req);
  } else if (k == "env") {
    req.flags.parse();
    ins.value = EnvInstr{parse_kvps(req.args, "ENV")};
  } else if (k == "label") {
    req.flags.parse();
    ins.value = LabelInstr{parse_kvps(req.args, "LABEL")};
  } else if (k == "run") {
    ins.value = parse_run(req);
  } else if (k == "copy" || k == "add") {
    ins.value = parse_copy(req, k == "add");
  } else if (k == "workdir") {
    ins.value = WorkdirInstr{single(req, "WORKDIR")};
  } else if (k == "user") {
    ins.value = UserInstr{single(req, "USER")};
  } else if (k == "maintainer") {
    ins.value = MaintainerInstr{single(req, "MAINTAINER")};
  } else if (k == "stopsignal") {
    if (req.args.size() != 1) throw exactly_one("STOPSIGNAL");
    ins.value = StopSignalInstr{req.args[0]};
  } else if (k == "expose") {
    if (req.args.empty()) throw at_least_one("EXPOSE");
    req.flags.parse();
    auto ports = req.args;
    std::sort(ports.begin(), ports.end());
    ins.value = ExposeInstr{ports};
  } else if (k == "volume") {
    if (req.args.empty()) throw at_least_one("VOLUME");
    req.flags.parse();
    VolumeInstr v;
    for (const auto& a : req.args) {
      std::string t(a);
      t.erase(0, t.find_first_not_of(" \t\r\n\v\f"));
      t.erase(t.find_last_not_of(" \t\r\n\v\f") + 1);
      if (t.empty()) throw Error("VOLUME specified can not be an empty string");
      v.volumes.push_back(t);
    }
    ins.value = v;
  } else if (k == "cmd") {
    req.flags.parse();
    ins.value = CmdInstr{command_line(req)};
  } else if (k == "entrypoint") {
    req.flags.parse();
    ins.value = EntrypointInstr{command_line(req)};
  } else if (k == "shell") {
    req.flags.parse();
    if (req.args.empty()) throw at_least_one("SHELL");
    if (!node.json) throw Error("SHELL requires the arguments to be in JSON form");
    ins.value = ShellInstr{req.args};
  } else if (k == "healthcheck") {
    ins.value = parse_healthcheck(req);
  } else if (k == "onbuild") {
    ins.value = parse_onbuild(req, file_name);
  } else {
    throw Error("unknown instruction: " + detail::to_upper(node.value));
  }
  return ins;
}

}  // namespace

Instruction parse_instruction(const Node& node, std::string_view file_name) {
  try {
    return parse_node(node, file_name);
  } catch (const Error& e) {
    std::string msg = e.what();
    // An ONBUILD trigger's error already names the file and line.
    if (msg.rfind(std::string(file_name) + ":", 0) == 0) throw;
    throw Error(std::string(file_name) + ":" + std::to_string(node.start_line) + ": " + msg);
  }
}

Stages parse_stages(const ParseResult& parsed, std::string_view file_name) {
  Stages out;
  for (const auto& node : parsed.children) {
    Instruction ins = parse_instruction(node, file_name);
    if (auto* from = ins.get<FromInstr>()) {
      for (const auto& st : out.stages)
        if (!from->stage_name.empty() && st.name == from->stage_name)
          throw Error(std::string(file_name) + ":" + std::to_string(ins.start_line) +
                      ": duplicate stage name " + go_quote(from->stage_name));
      out.stages.push_back({from->base_name, from->stage_name, from->platform, ins.start_line, {}});
      continue;
    }
    if (out.stages.empty()) {
      if (auto* arg = ins.get<ArgInstr>()) {
        out.meta_args.push_back(*arg);
        continue;
      }
      throw Error(std::string(file_name) + ":" + std::to_string(ins.start_line) +
                  ": no build stage in current context");
    }
    out.stages.back().instructions.push_back(std::move(ins));
  }
  return out;
}

}  // namespace berth::dockerfile
