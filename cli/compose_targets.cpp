#include "cli/compose_targets.h"

#include <algorithm>
#include <cstdio>

#include "common/error.h"

namespace berth::cli {

std::vector<orchestrator::ObservedContainer> service_containers(
    const orchestrator::CurrentState& current, OneOff oneoff, bool all,
    const std::vector<std::string>& services) {
  std::vector<orchestrator::ObservedContainer> out;
  for (const auto& c : current.containers) {
    if (oneoff == OneOff::kExclude && c.oneoff) continue;
    if (!all && !c.running) continue;
    if (!services.empty() &&
        std::find(services.begin(), services.end(), c.service) == services.end())
      continue;
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.service != b.service) return a.service < b.service;
    if (a.oneoff != b.oneoff) return !a.oneoff;
    if (a.number != b.number) return a.number < b.number;
    return a.name < b.name;
  });
  return out;
}

orchestrator::ObservedContainer specified_container(const orchestrator::CurrentState& current,
                                                    OneOff oneoff, bool all,
                                                    const std::string& service, int index) {
  for (const auto& c : service_containers(current, oneoff, all, {service}))
    if (index <= 0 || (c.number == index && !c.oneoff)) return c;
  if (index > 0)
    throw Error("service \"" + service + "\" is not running container #" + std::to_string(index));
  throw Error("service \"" + service + "\" is not running");
}

}  // namespace berth::cli
