#include "core/runtime/health_config.h"

namespace berth::core::runtime {

using nlohmann::json;

namespace {

constexpr const char* kDurations[] = {"Interval", "Timeout", "StartPeriod", "StartInterval"};

int64_t* duration_field(Healthcheck& h, int i) {
  int64_t* fields[] = {&h.interval_ns, &h.timeout_ns, &h.start_period_ns, &h.start_interval_ns};
  return fields[i];
}

}  // namespace

json to_docker_json(const Healthcheck& h) {
  json j = json::object();
  if (!h.test.empty()) j["Test"] = h.test;
  Healthcheck c = h;
  for (int i = 0; i < 4; ++i)
    if (*duration_field(c, i) != 0) j[kDurations[i]] = *duration_field(c, i);
  if (h.retries != 0) j["Retries"] = h.retries;
  return j;
}

Healthcheck healthcheck_from_docker_json(const json& j) {
  Healthcheck h;
  if (!j.is_object()) return h;
  if (auto t = j.find("Test"); t != j.end() && t->is_array())
    for (const auto& a : *t)
      if (a.is_string()) h.test.push_back(a.get<std::string>());
  for (int i = 0; i < 4; ++i)
    if (auto d = j.find(kDurations[i]); d != j.end() && d->is_number_integer())
      *duration_field(h, i) = d->get<int64_t>();
  if (auto r = j.find("Retries"); r != j.end() && r->is_number_integer()) h.retries = r->get<int>();
  return h;
}

Healthcheck merge_healthcheck(const Healthcheck& request, const Healthcheck& image) {
  Healthcheck m = request;
  if (m.test.empty()) m.test = image.test;
  Healthcheck img = image;
  for (int i = 0; i < 4; ++i)
    if (*duration_field(m, i) == 0) *duration_field(m, i) = *duration_field(img, i);
  if (m.retries == 0) m.retries = image.retries;
  return m;
}

bool healthcheck_enabled(const Healthcheck& h) {
  return !h.test.empty() && h.test[0] != "NONE";
}

std::vector<std::string> probe_argv(const Healthcheck& h) {
  if (h.test.size() >= 2 && h.test[0] == "CMD") return {h.test.begin() + 1, h.test.end()};
  if (h.test.size() == 2 && h.test[0] == "CMD-SHELL") return {"/bin/sh", "-c", h.test[1]};
  return {};
}

Healthcheck with_defaults(Healthcheck h) {
  if (h.interval_ns == 0) h.interval_ns = kHealthDefaultInterval;
  if (h.timeout_ns == 0) h.timeout_ns = kHealthDefaultTimeout;
  if (h.start_interval_ns == 0) h.start_interval_ns = kHealthDefaultStartInterval;
  if (h.retries == 0) h.retries = kHealthDefaultRetries;
  return h;
}

}  // namespace berth::core::runtime
