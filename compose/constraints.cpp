// Constraints phase: the value constraints of compose-spec.json that are not types — enums
// (cgroup, bind.recursive, bind.selinux, deploy *_config.order), ranges (oom_score_adj,
// cpu_count, cpu_percent, tmpfs.size) — checked on the canonical tree, where numbers and
// byte sizes are already numbers. Values still holding a `${...}` (--no-interpolate) are
// left alone.
#include <cstdlib>
#include <initializer_list>
#include <string>

#include "compose/phases.h"

namespace berth::compose {
namespace {

using schema::Node;

constexpr long long kNoMax = -1;  // check_range: no upper bound

bool templated(const Node& v) {
  return v.is_scalar() && v.scalar().find('$') != std::string::npos;
}

void check_enum(const Node* v, const std::string& path,
                std::initializer_list<const char*> allowed) {
  if (!v || v->is_null() || templated(*v)) return;
  std::string list;
  for (const char* a : allowed) {
    if (v->is_scalar() && v->scalar() == a) return;
    list += list.empty() ? a : std::string(", ") + a;
  }
  schema::fail_at(v->mark(), path, "\"" + v->scalar() + "\" must be one of: " + list);
}

void check_range(const Node* v, const std::string& path, long long min, long long max) {
  if (!v || !v->is_scalar() || templated(*v)) return;
  char* end = nullptr;
  long long n = std::strtoll(v->scalar().c_str(), &end, 10);
  if (end == v->scalar().c_str() || *end) return;  // not an integer: the type check's job
  if (n < min || (max != kNoMax && n > max))
    schema::fail_at(
        v->mark(), path,
        v->scalar() + " is out of range: must be " +
            (max == kNoMax ? "at least " + std::to_string(min)
                           : "between " + std::to_string(min) + " and " + std::to_string(max)));
}

void check_volumes(const Node& svc, const std::string& path) {
  const Node* vols = svc.find("volumes");
  if (!vols || !vols->is_seq()) return;
  for (size_t i = 0; i < vols->items().size(); ++i) {
    const Node& v = vols->items()[i];
    std::string p = schema::path_index(path + ".volumes", i);
    if (const Node* b = v.find("bind")) {
      check_enum(b->find("recursive"), p + ".bind.recursive",
                 {"enabled", "disabled", "writable", "readonly"});
      check_enum(b->find("selinux"), p + ".bind.selinux", {"z", "Z"});
    }
    if (const Node* t = v.find("tmpfs")) check_range(t->find("size"), p + ".tmpfs.size", 0, kNoMax);
  }
}

void check_service(const Node& svc, const std::string& path) {
  check_enum(svc.find("cgroup"), path + ".cgroup", {"host", "private"});
  check_range(svc.find("oom_score_adj"), path + ".oom_score_adj", -1000, 1000);
  check_range(svc.find("cpu_count"), path + ".cpu_count", 0, kNoMax);
  check_range(svc.find("cpu_percent"), path + ".cpu_percent", 0, 100);
  check_volumes(svc, path);
  if (const Node* d = svc.find("deploy"))
    for (const char* c : {"update_config", "rollback_config"})
      if (const Node* cfg = d->find(c))
        check_enum(cfg->find("order"), path + ".deploy." + c + ".order",
                   {"start-first", "stop-first"});
}

}  // namespace

void check_constraints(const Node& doc) {
  const Node* services = doc.find("services");
  if (!services || !services->is_map()) return;
  for (const auto& e : services->entries()) check_service(e.value, "services." + e.key);
}

}  // namespace berth::compose
