// Pulling with Docker's output, for `pull` and for the commands that pull a missing image
// (`run`, `create`; `build` and compose pull through the same function).
#pragma once

#include <stdio.h>

#include <string>

#include "cli/commands.h"
#include "engine/image/store.h"

namespace berth::cli {

struct PullFlags {
  std::string platform;  // "os/arch[/variant]", "" for the host's
  bool quiet = false;    // only the reference at the end
  // The "Status: ..." line and the reference at the end (`pull -a` prints them once).
  bool summary = true;
  bool* up_to_date = nullptr;  // set when given
};

// `berth pull NAME`: the lines Docker prints ("latest: Pulling from library/x", one line per
// layer, "Digest: ...", "Status: ..."), to out; -q prints only the reference (on stdout).
engine::image::Image pull_with_output(const Globals& g, engine::image::Store& store,
                                      const std::string& name, const PullFlags& flags, FILE* out);

// The pull's lines on out, without the reference on stdout at the end: `run --pull always`
// (on stderr).
engine::image::Image pull_showing(const Globals& g, engine::image::Store& store,
                                  const std::string& name, const PullFlags& flags, FILE* out);

// The image `run` and `create` start from: the local one, else pulled as Docker does it
// ("Unable to find image 'x:latest' locally" and the pull's lines on stderr). A pull that
// fails leaves the NotFound of the local lookup's wording when the registry has no such image.
engine::image::Image find_or_pull(const Globals& g, engine::image::Store& store,
                                  const std::string& name, const std::string& platform = "");

}  // namespace berth::cli
