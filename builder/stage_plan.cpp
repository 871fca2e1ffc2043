#include "builder/stage_plan.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include "common/error.h"

namespace berth::builder {

namespace df = berth::dockerfile;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::optional<int> stage_ref(const df::Stages& stages, int current, const std::string& from) {
  const std::string name = lower(from);
  for (int i = 0; i < current; ++i)
    if (!stages.stages[i].name.empty() && stages.stages[i].name == name) return i;
  if (!from.empty() && std::all_of(from.begin(), from.end(), ::isdigit)) {
    const long n = from.size() > 6 ? -1 : std::stol(from);
    if (n < 0 || n >= current)
      throw Error("invalid from flag value " + from + ": refers to current or future build stage");
    return static_cast<int>(n);
  }
  return std::nullopt;
}

StagePlan plan_stages(const df::Stages& stages, const df::EnvMap& global, const std::string& target,
                      char escape, const std::string& file_name) {
  StagePlan plan;
  const int n = static_cast<int>(stages.stages.size());
  const df::ShellLex lex(escape);
  std::vector<std::vector<int>> needs(n);
  for (int i = 0; i < n; ++i) {
    const auto& s = stages.stages[i];
    auto where = [&](int line) { return file_name + ":" + std::to_string(line) + ": "; };
    StageBase base;
    std::string name;
    try {
      name = lex.process_word(s.base_name, global);
    } catch (const Error& e) {
      throw Error(where(s.line) + e.what());
    }
    if (name.empty())
      throw Error(where(s.line) + "base name (" + s.base_name + ") should not be blank");
    if (lower(name) == "scratch") {
      base.kind = StageBase::Kind::kScratch;
    } else if (auto ref = [&]() -> std::optional<int> {
                 const std::string l = lower(name);
                 for (int j = 0; j < i; ++j)
                   if (stages.stages[j].name == l) return j;
                 return std::nullopt;
               }()) {
      base.kind = StageBase::Kind::kStage;
      base.stage = *ref;
      needs[i].push_back(*ref);
    } else {
      if (lower(name) == s.name && !s.name.empty())
        throw Error(where(s.line) + "circular dependency detected on stage: " + s.name);
      base.image = name;
    }
    plan.bases.push_back(base);
    for (const auto& ins : s.instructions) {
      std::vector<std::string> froms;
      if (auto* c = ins.get<df::CopyInstr>(); c && !c->from.empty()) froms.push_back(c->from);
      if (auto* r = ins.get<df::RunInstr>())
        for (const auto& m : r->mounts)
          if (!m.from.empty()) froms.push_back(m.from);
      for (const auto& f : froms) {
        std::string value;
        try {
          value = lex.process_word(f, global);
          if (auto ref = stage_ref(stages, i, value)) needs[i].push_back(*ref);
        } catch (const Error& e) {
          throw Error(where(ins.start_line) + e.what());
        }
      }
    }
  }
  if (n == 0) throw Error(file_name + ": no build stage in current context");
  plan.target = n - 1;
  if (!target.empty()) {
    plan.target = -1;
    for (int i = 0; i < n; ++i)
      if (stages.stages[i].name == lower(target)) plan.target = i;
    if (plan.target < 0) throw Error("target stage \"" + target + "\" could not be found");
  }
  std::vector<bool> want(n, false);
  std::function<void(int)> visit = [&](int i) {
    if (want[i]) return;
    want[i] = true;
    for (int d : needs[i]) visit(d);
  };
  visit(plan.target);
  for (int i = 0; i <= plan.target; ++i)
    if (want[i]) plan.order.push_back(i);
  return plan;
}

}  // namespace berth::builder
