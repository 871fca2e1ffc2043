#include "core/state/stop_request.h"

#include <unistd.h>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::core::state {

namespace {

std::filesystem::path file_of(const ContainerStore& store, const std::string& id) {
  return store.dir(id) / "stop-request";
}

}  // namespace

void write_stop_request(const ContainerStore& store, const std::string& id, StopRequest req) {
  if (req == StopRequest::kNone) return clear_stop_request(store, id);
  if (req == StopRequest::kKill && read_stop_request(store, id) == StopRequest::kStop) return;
  write_file_atomic(file_of(store, id), req == StopRequest::kStop ? "stop" : "kill", 0600, false);
}

StopRequest read_stop_request(const ContainerStore& store, const std::string& id) {
  auto text = read_file_if_exists(file_of(store, id));
  if (!text) return StopRequest::kNone;
  return text->starts_with("stop") ? StopRequest::kStop : StopRequest::kKill;
}

void clear_stop_request(const ContainerStore& store, const std::string& id) {
  ::unlink(file_of(store, id).c_str());
}

}  // namespace berth::core::state
