// `berth build` and compose's `build:`: a Dockerfile and its context become an image of the
// store. Stages are planned from the target (stage_plan.h), ARGs scoped as Docker's
// (build_args.h), metadata instructions applied as Docker's dispatchers do
// (image/change.h), RUN run in berth containers (run_step.h), COPY/ADD and WORKDIR done in a
// private mount of the step's root (step_fs.h). Every step's result is an image of the store,
// found again by the chain key of its inputs (cache.h): an unchanged step is not run again, a
// changed source file reruns only the steps from its COPY on.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "builder/progress.h"
#include "builder/run_step.h"
#include "common/paths.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"
#include "registry/endpoint.h"

namespace berth::builder {

struct BuildOptions {
  std::string context_dir;                     // "" : no context (`build -`)
  std::string dockerfile_path;                 // read unless dockerfile_text is given
  std::optional<std::string> dockerfile_text;  // `-f -`, compose's dockerfile_inline
  std::string dockerfile_name = "Dockerfile";  // in messages: "Dockerfile:3: ..."
  std::map<std::string, std::string> build_args;
  std::string target;
  bool no_cache = false;
  std::map<std::string, std::string> labels;  // --label: on the final image
  std::string network;                        // RUN's default network: "", none, host, NAME
  std::vector<engine::image::Reference> tags;
  std::map<std::string, std::string> secrets;  // --secret id → source file
  std::optional<int64_t> source_date_epoch;
  // Where a FROM image the store lacks comes from: without registry settings, only local
  // images are used. pull (--pull): every FROM image is pulled first.
  std::optional<registry::RegistryContext> registry;
  bool pull = false;
  std::string platform;  // of pulled images, "" for the host's
};

struct BuildResult {
  engine::image::Image image;
  std::vector<std::string> warnings;  // also printed to the progress
};

// Builds and tags. Throws Error: "Dockerfile:LINE: message" for the file's errors, a failing
// RUN with its command, exit code and last output lines, 130 when cancelled. Nothing is
// tagged unless the whole build succeeded; build containers and step directories are removed.
BuildResult build_image(const Paths& paths, const BuildOptions& opts, Progress& progress,
                        Cancel& cancel);

}  // namespace berth::builder
