// ProcessSpec: the process berth starts in a container, resolved by the CLI (argv, env, working
// dir, user and group ids, terminal). The container's own process (RuntimeSpec, spec.h) and an
// exec'd one (ExecPlan, exec_plan.h) both carry it, with one JSON form: its fields sit in the
// enclosing message's object under their own names.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace berth::core::runtime {

struct ProcessSpec {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string cwd = "/";
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  bool tty = false;
};

// Adds the fields to j (an object): "argv", "env", "cwd", "uid", "gid", "groups", "tty".
void add_to_json(const ProcessSpec& p, nlohmann::json& j);
// Reads them back into p; throws nlohmann::json::exception when one is missing or mistyped.
void process_from_json(const nlohmann::json& j, ProcessSpec& p);

}  // namespace berth::core::runtime
