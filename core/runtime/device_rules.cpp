#include "core/runtime/device_rules.h"

namespace berth::core::runtime {

const std::vector<DeviceRule>& default_device_rules() {
  using R = DeviceRule;
  constexpr uint8_t kRwm = R::kMknod | R::kRead | R::kWrite;
  static const std::vector<DeviceRule> rules = {
      {'c', R::kAny, R::kAny, R::kMknod},  // the init makes /dev's nodes
      {'b', R::kAny, R::kAny, R::kMknod},
      {'c', 1, 3, kRwm},          // null
      {'c', 1, 5, kRwm},          // zero
      {'c', 1, 7, kRwm},          // full
      {'c', 1, 8, kRwm},          // random
      {'c', 1, 9, kRwm},          // urandom
      {'c', 5, 0, kRwm},          // tty
      {'c', 5, 1, kRwm},          // console
      {'c', 5, 2, kRwm},          // ptmx
      {'c', 136, R::kAny, kRwm},  // pts/*
      {'c', 10, 200, kRwm},       // net/tun
      {'c', 10, 229, kRwm},       // fuse
  };
  return rules;
}

std::string v1_rule_text(const DeviceRule& rule) {
  auto number = [](int64_t n) {
    return n == DeviceRule::kAny ? std::string("*") : std::to_string(n);
  };
  std::string access;
  if (rule.access & DeviceRule::kRead) access += 'r';
  if (rule.access & DeviceRule::kWrite) access += 'w';
  if (rule.access & DeviceRule::kMknod) access += 'm';
  return std::string(1, rule.type) + " " + number(rule.major) + ":" + number(rule.minor) + " " +
         access;
}

}  // namespace berth::core::runtime
