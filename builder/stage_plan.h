// Which stages a build runs, and from what: each stage's FROM resolved (an earlier stage, an
// image, or scratch), the stages the target needs through FROM, COPY --from and
// RUN --mount from=, in file order. Stages the target does not need are not built (BuildKit's
// rule; Docker's classic builder ran them all). Pure logic.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dockerfile/instructions.h"
#include "dockerfile/shell_lex.h"

namespace berth::builder {

struct StageBase {
  enum class Kind { kImage, kStage, kScratch } kind = Kind::kImage;
  std::string image;  // kImage: the reference, expanded
  int stage = -1;     // kStage: its index
};

struct StagePlan {
  std::vector<StageBase> bases;  // per stage of the file
  std::vector<int> order;        // the stages to build, in file order, the target last
  int target = -1;
};

// Resolves a --from value seen in stage `current`: a stage name (case-insensitive) or index
// defined before it; nullopt when it names an image. Throws Error for an index that is not an
// earlier stage.
std::optional<int> stage_ref(const dockerfile::Stages& stages, int current,
                             const std::string& from);

// global: the global ARGs (FROM lines expand with them). target: a stage name, "" for the last.
// Throws Error("target stage \"X\" could not be found"), or FILE:LINE errors for a FROM whose
// base expands to nothing or names a later stage, or a stage needing itself.
StagePlan plan_stages(const dockerfile::Stages& stages, const dockerfile::EnvMap& global,
                      const std::string& target, char escape, const std::string& file_name);

}  // namespace berth::builder
