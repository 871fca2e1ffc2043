#include "cli/run_flags_supervision.h"

namespace berth::cli {

void add_supervision_flags(CLI::App* sub, engine::lifecycle::SupervisionOptions& o) {
  sub->add_option("--restart", o.restart,
                  "Restart policy to apply when a container exits (no, on-failure[:max-retries], "
                  "always, unless-stopped)");
  sub->add_flag("--init", o.init,
                "Run an init inside the container that forwards signals and reaps processes");
}

}  // namespace berth::cli
