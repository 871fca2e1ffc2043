// Typed Dockerfile instructions on top of the parse tree (BuildKit's
// frontend/dockerfile/instructions): one struct per instruction with its flags checked, and
// Docker's/BuildKit's messages for unknown instructions, unknown or bad flags, bad forms and
// missing arguments. Values are kept as written (quotes and $VARs included): the builder
// expands them with ShellLex once it knows the ARG/ENV in scope.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dockerfile/parser.h"
#include "dockerfile/run_mount.h"

namespace berth::dockerfile {

struct KeyValue {
  std::string key;
  std::string value;
  bool no_delim = false;  // the legacy `ENV KEY value` form
};

// A command as exec form (`["a", "b"]`: args as given) or shell form (one string, to be run
// by the SHELL: prepend_shell).
struct CommandLine {
  std::vector<std::string> args;
  bool prepend_shell = false;
};

// A heredoc given to RUN (a file the command reads) or COPY/ADD (a source with content).
struct InlineFile {
  std::string name;
  std::string data;  // tabs already stripped for <<-
  bool expand = true;
  bool chomp = false;
};

struct FromInstr {
  std::string base_name;
  std::string stage_name;  // lower case, "" without AS
  std::string platform;
};
struct ArgInstr {
  struct Pair {
    std::string key;
    std::optional<std::string> value;  // `ARG A` has none; `ARG A=` an empty one
  };
  std::vector<Pair> args;
};
struct EnvInstr {
  std::vector<KeyValue> pairs;
};
struct LabelInstr {
  std::vector<KeyValue> pairs;
};
struct RunInstr {
  CommandLine cmd;
  std::vector<InlineFile> files;
  std::vector<RunMount> mounts;
  std::vector<std::string> mount_specs;  // as written, for parse_run_mount with an expander
  std::string network;                   // "", "default", "none", "host"
  std::string security;                  // "", "sandbox", "insecure"
};
struct CopyInstr {
  bool is_add = false;
  std::vector<std::string> sources;  // paths (ADD: also URLs, git refs)
  std::vector<InlineFile> contents;  // heredoc sources
  std::string dest;
  std::string from;  // COPY only
  std::string chown, chmod;
  bool link = false;
  bool parents = false;  // COPY only
  std::vector<std::string> excludes;
  std::string checksum;        // ADD only
  bool keep_git_dir = false;   // ADD only
  std::optional<bool> unpack;  // ADD only
};
struct WorkdirInstr {
  std::string path;
};
struct UserInstr {
  std::string user;
};
struct ExposeInstr {
  std::vector<std::string> ports;  // sorted, as BuildKit
};
struct VolumeInstr {
  std::vector<std::string> volumes;
};
struct EntrypointInstr {
  CommandLine cmd;
};
struct CmdInstr {
  CommandLine cmd;
};
struct ShellInstr {
  std::vector<std::string> shell;
};
struct HealthcheckInstr {
  // Docker's HealthConfig.Test: {"NONE"}, {"CMD", args...} or {"CMD-SHELL", command}.
  std::vector<std::string> test;
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  int retries = 0;
};
struct StopSignalInstr {
  std::string signal;
};
struct MaintainerInstr {
  std::string maintainer;
};
struct Instruction;
struct OnbuildInstr {
  std::string expression;                      // the trigger as written ("RUN make")
  std::shared_ptr<const Instruction> trigger;  // the same, parsed
};

struct Instruction {
  std::variant<FromInstr, ArgInstr, EnvInstr, LabelInstr, RunInstr, CopyInstr, WorkdirInstr,
               UserInstr, ExposeInstr, VolumeInstr, EntrypointInstr, CmdInstr, ShellInstr,
               HealthcheckInstr, StopSignalInstr, MaintainerInstr, OnbuildInstr>
      value;
  std::string keyword;  // "RUN"
  std::string original;
  int start_line = 0;
  int end_line = 0;

  template <class T>
  const T* get() const {
    return std::get_if<T>(&value);
  }
};

// Converts one node. Throws berth::Error("FILE:LINE: message"), e.g.
// "Dockerfile:3: unknown instruction: FOO", "Dockerfile:2: unknown flag: chmood",
// "Dockerfile:4: WORKDIR requires exactly one argument".
Instruction parse_instruction(const Node& node, std::string_view file_name = "Dockerfile");

// A stage: FROM and the instructions up to the next FROM.
struct Stage {
  std::string base_name;
  std::string name;  // lower case, "" when unnamed
  std::string platform;
  int line = 0;  // the FROM's line
  std::vector<Instruction> instructions;
};

struct Stages {
  std::vector<ArgInstr> meta_args;  // the ARGs before the first FROM
  std::vector<Stage> stages;
};

// The whole file as stages. Throws for any instruction error and for an instruction other than
// ARG before the first FROM ("no build stage in current context").
Stages parse_stages(const ParseResult& parsed, std::string_view file_name = "Dockerfile");

}  // namespace berth::dockerfile
