#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/error.h"

namespace berth {

void init_logging(const std::string& level) {
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") {
    throw Error("--log-level: unknown level \"" + level + "\" (debug, info, warn, error, off)");
  }
  auto logger = spdlog::stderr_logger_st("berth");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(lvl);
}

}  // namespace berth
