// A new image from a parent image (or none: scratch), new layers (layer_diff.h) and an updated
// config, written as import writes one: config and OCI manifest blobs, then one index update
// (atomic: the image appears whole or not at all), optionally tagged. Everything that goes into
// the config comes from the caller, so the same inputs give the same image ID and manifest
// digest (timestamps from source_date_epoch). Used by `commit` and the Dockerfile builder.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/image/layer_diff.h"
#include "engine/image/reference.h"
#include "engine/image/store.h"

namespace berth::engine::image {

// One entry of the config's "history" (image-spec config "history").
struct HistoryEntry {
  std::string created;  // RFC 3339; empty: the image's own created time
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;  // a metadata-only step (ENV, CMD, ...): no layer of its own
};

struct NewImage {
  std::optional<Image> parent;  // none: FROM scratch
  // Layers added on top of the parent's, lowest first, each made on the chain below it.
  std::vector<NewLayer> layers;
  // The config's "config" object, Docker's key names: Env, Cmd, Entrypoint, WorkingDir, User,
  // Labels, ExposedPorts, Volumes, Healthcheck, StopSignal, OnBuild, Shell (and any other key
  // a parent carried). Replaces the parent's: callers start from parent_run_config(parent).
  nlohmann::json config = nlohmann::json::object();
  // Appended to the parent's history; the entries without empty_layer must be as many as
  // layers.
  std::vector<HistoryEntry> history;
  std::string author;   // the config's "author" (omitted when empty)
  std::string comment;  // the config's "comment" (omitted when empty)
  // SOURCE_DATE_EPOCH: the image's created time (and that of history entries without one);
  // none: now.
  std::optional<int64_t> source_date_epoch;
  std::vector<Reference> tags;  // set on the new image (moved from other images)
  bool intermediate = false;    // untagged: a build step's image (Store::add_image)
};

// The parent's "config" object (an empty object for scratch or a config without one).
nlohmann::json parent_run_config(const std::optional<Image>& parent);

// Writes the image and adds it to the store. Throws Error (the history does not match the
// layers, the parent's layers are inconsistent) before anything is written to the index.
Image write_image(Store& store, const NewImage& spec);

// t as RFC 3339 in UTC, whole seconds ("2024-05-01T12:00:00Z").
std::string rfc3339_seconds(int64_t t);

// SOURCE_DATE_EPOCH as BuildKit reads it: nullopt when unset or empty, else a non-negative
// decimal number of seconds. Throws Error("invalid SOURCE_DATE_EPOCH: `VALUE`").
std::optional<int64_t> parse_source_date_epoch(const char* value);

}  // namespace berth::engine::image
