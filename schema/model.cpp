// The typed compose model (see model.h).
#include "schema/model.h"

namespace berth::schema {

const Service* Project::find_service(std::string_view name) const {
  for (const Service& s : services)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace berth::schema
