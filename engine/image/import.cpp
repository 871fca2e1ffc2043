#include "engine/image/import.h"

#include <time.h>

#include <cstdio>

#include "common/error.h"
#include "common/timestamps.h"
#include "engine/image/change.h"
#include "engine/image/layer_stream.h"

namespace berth::engine::image {

std::string now_rfc3339() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  const tm t = berth::utc_time(ts.tv_sec);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", t.tm_year + 1900,
                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, ts.tv_nsec);
  return buf;
}

namespace {

nlohmann::json make_config(const ImportOptions& opts, const std::string& diff_id) {
  nlohmann::json cfg = nlohmann::json::object();
  apply_changes(cfg, opts.changes);
  std::string created = now_rfc3339();
  std::string comment = opts.message.empty() ? "Imported from " + opts.source : opts.message;
  return {{"architecture", "amd64"},
          {"os", "linux"},
          {"created", created},
          {"comment", comment},
          {"config", cfg},
          {"history", {{{"created", created}, {"comment", comment}}}},
          {"rootfs", {{"type", "layers"}, {"diff_ids", {diff_id}}}}};
}

}  // namespace

Image import_image(Store& store, int fd, const ImportOptions& opts) {
  {
    nlohmann::json probe = nlohmann::json::object();  // bad --change fails before any work
    apply_changes(probe, opts.changes);
  }
  FileLock content = store.content_lock();
  auto blob_owner = store.new_blob();
  BlobWriter& blob = *blob_owner;
  blob.write_from_fd(fd, opts.source);
  blob.finish();
  if (blob.size() == 0) throw Error("import " + opts.source + ": empty input");
  auto rfd = blob.open_read();
  Compression comp = detect_compression(rfd.get());
  LayerInfo layer;
  try {
    layer = store.unpack_layer_fd(rfd.get(), opts.source, "", "");
  } catch (const Error& e) {
    throw e.with_context("import " + opts.source);
  }
  store.commit_blob(blob);
  std::string config = make_config(opts, layer.diff_id).dump();
  std::string config_digest = store.put_blob(config);
  nlohmann::json manifest = {{"schemaVersion", 2},
                             {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                             {"config",
                              {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                               {"digest", config_digest},
                               {"size", config.size()}}},
                             {"layers",
                              {{{"mediaType", layer_media_type(comp)},
                                {"digest", blob.digest()},
                                {"size", blob.size()}}}}};
  std::string manifest_digest = store.put_blob(manifest.dump());
  std::vector<Reference> tags;
  if (opts.reference) tags.push_back(*opts.reference);
  return store.add_image(manifest_digest, tags);
}

}  // namespace berth::engine::image
