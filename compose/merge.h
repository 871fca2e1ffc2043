// Phase 4, merge: combines compose files given with several `-f` (and a service with the
// one it `extends`) by the compose-spec merge rules, as compose-go's override package:
// mappings merge recursively, sequences append, scalars are replaced; `command`,
// `entrypoint` and `healthcheck.test` are replaced; list-or-dict attributes (environment,
// labels, build.args, ...) and `depends_on`/`networks` merge by key; `!reset` removes a value
// and `!override` replaces it whole. Duplicates of ports, volumes, secrets and configs are
// removed by key later, in the canonical phase.
#pragma once

#include "schema/node.h"

namespace berth::compose {

// Merges `over` into `base` (both whole documents).
void merge_documents(schema::Node& base, schema::Node over);

// Merges the service mapping `over` into `base` (used by `extends`).
void merge_service(schema::Node& base, schema::Node over);

// Removes every value tagged `!reset` and drops the `!override` tags (a lone file).
void strip_reset_tags(schema::Node& n);

// A list-or-dict value ("K=V" list or mapping) as a mapping; "K" alone maps to null.
schema::Node list_or_dict_to_map(const schema::Node& n, char sep = '=');

}  // namespace berth::compose
