// libnftables, loaded with dlopen on first use (PREAMBLE performance facts: linking
// libnftables.so costs ~2.5 ms on every exec of `berth`, and most commands never touch the
// firewall). Nft runs nft(8) scripts through nft_run_cmd_from_buffer: one call is one netlink
// batch, so a script is applied atomically or not at all. Used by network/firewall.
#pragma once

#include <string>

struct nft_ctx;

namespace berth::network {

// One libnftables context with its output and error streams captured in memory.
// Not thread-safe (one context per thread); movable only by pointer.
class Nft {
 public:
  // Loads "libnftables.so.1" on the first use in the process. Throws Error
  // ("load libnftables.so.1: ... (install libnftables1)") when it is missing.
  Nft();
  ~Nft();
  Nft(const Nft&) = delete;
  Nft& operator=(const Nft&) = delete;

  // Runs `script` (nft syntax, several commands, one transaction) and returns what nft
  // printed. json: output as JSON with rule handles ("nft -j -a"). Throws Error whose
  // message is nft's first error line, e.g. "nft: Could not process rule: No such file or
  // directory".
  std::string run(const std::string& script, bool json = false);

 private:
  ::nft_ctx* ctx_ = nullptr;
};

// True when libnftables can be loaded and the kernel accepts nftables commands (checked once
// per process with `list tables`); otherwise callers skip the firewall and published ports
// go through the userland proxy (port_proxy.h).
bool nft_available();

}  // namespace berth::network
