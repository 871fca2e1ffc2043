#include "engine/image/image_writer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

#include "common/error.h"
#include "common/timestamps.h"
#include "engine/image/digest.h"
#include "engine/image/import.h"

namespace berth::engine::image {

namespace {

using json = nlohmann::json;

// The manifest is OCI: a parent's Docker layer media types are given their OCI names (the
// digests, and so the layers, are the same).
std::string oci_layer_type(const std::string& type) {
  static const std::map<std::string, std::string> kDockerToOci = {
      {"application/vnd.docker.image.rootfs.diff.tar.gzip",
       "application/vnd.oci.image.layer.v1.tar+gzip"},
      {"application/vnd.docker.image.rootfs.diff.tar", "application/vnd.oci.image.layer.v1.tar"},
      {"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
       "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"},
  };
  auto it = kDockerToOci.find(type);
  return it == kDockerToOci.end() ? type : it->second;
}

json history_json(const HistoryEntry& h, const std::string& created) {
  json j = {{"created", h.created.empty() ? created : h.created}};
  if (!h.created_by.empty()) j["created_by"] = h.created_by;
  if (!h.author.empty()) j["author"] = h.author;
  if (!h.comment.empty()) j["comment"] = h.comment;
  if (h.empty_layer) j["empty_layer"] = true;
  return j;
}

// The parent's part of the new config and manifest: its diff IDs, layer descriptors,
// history and platform.
struct Base {
  json diff_ids = json::array();
  json layers = json::array();
  json history = json::array();
  json platform = {{"architecture", "amd64"}, {"os", "linux"}};
};

Base base_of(const std::optional<Image>& parent) {
  Base b;
  if (!parent) return b;
  const json& pc = parent->config;
  const std::string name = "image " + parent->id.substr(7, 12);
  try {
    if (pc.contains("rootfs")) b.diff_ids = pc["rootfs"].value("diff_ids", json::array());
    for (const auto& l : parent->manifest.value("layers", json::array())) {
      json d = l;
      d["mediaType"] = oci_layer_type(l.value("mediaType", ""));
      b.layers.push_back(std::move(d));
    }
    b.history = pc.value("history", json::array());
    for (const char* k : {"architecture", "os", "variant"})
      if (pc.contains(k)) b.platform[k] = pc[k];
  } catch (const json::exception& e) {
    throw Error(name + ": " + e.what());
  }
  if (b.layers.size() != b.diff_ids.size())
    throw Error(name + ": its manifest lists " + std::to_string(b.layers.size()) +
                " layers, its config " + std::to_string(b.diff_ids.size()));
  return b;
}

void check_layers(const NewImage& spec, const Base& base) {
  const auto with_layer = std::count_if(spec.history.begin(), spec.history.end(),
                                        [](const HistoryEntry& h) { return !h.empty_layer; });
  if (static_cast<size_t>(with_layer) != spec.layers.size())
    throw Error("new image: " + std::to_string(with_layer) + " history entries with a layer for " +
                std::to_string(spec.layers.size()) + " layers");
  std::vector<std::string> diff_ids = base.diff_ids.get<std::vector<std::string>>();
  for (const auto& l : spec.layers) diff_ids.push_back(l.diff_id);
  const auto chains = chain_ids(diff_ids);
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    if (l.digest.empty())
      throw Error("new image: layer " + l.diff_id + " has no blob (an empty diff)");
    if (!l.chain_id.empty() && l.chain_id != chains[base.diff_ids.size() + i])
      throw Error("new image: layer " + l.diff_id + " was not made on the layers below it");
  }
}

}  // namespace

json parent_run_config(const std::optional<Image>& parent) {
  if (parent && parent->config.contains("config") && parent->config["config"].is_object())
    return parent->config["config"];
  return json::object();
}

Image write_image(Store& store, const NewImage& spec) {
  Base base = base_of(spec.parent);
  check_layers(spec, base);
  const std::string created =
      spec.source_date_epoch ? rfc3339_seconds(*spec.source_date_epoch) : now_rfc3339();
  for (const auto& l : spec.layers) {
    base.diff_ids.push_back(l.diff_id);
    base.layers.push_back({{"mediaType", l.media_type}, {"digest", l.digest}, {"size", l.size}});
  }
  for (const auto& h : spec.history) base.history.push_back(history_json(h, created));
  json config = base.platform;
  config["created"] = created;
  config["config"] = spec.config.is_object() ? spec.config : json::object();
  config["history"] = std::move(base.history);
  config["rootfs"] = {{"type", "layers"}, {"diff_ids", std::move(base.diff_ids)}};
  if (!spec.author.empty()) config["author"] = spec.author;
  if (!spec.comment.empty()) config["comment"] = spec.comment;

  FileLock content = store.content_lock();
  for (const auto& l : spec.layers)
    if (!store.has_blob(l.digest)) throw NotFound("layer blob " + l.digest + " is not stored");
  const std::string config_text = config.dump();
  const std::string config_digest = store.put_blob(config_text);
  const json manifest = {{"schemaVersion", 2},
                         {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"config",
                          {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                           {"digest", config_digest},
                           {"size", config_text.size()}}},
                         {"layers", std::move(base.layers)}};
  return store.add_image(store.put_blob(manifest.dump()), spec.tags, spec.intermediate);
}

std::string rfc3339_seconds(int64_t t) {
  const tm u = berth::utc_time(t);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.tm_year + 1900, u.tm_mon + 1,
                u.tm_mday, u.tm_hour, u.tm_min, u.tm_sec);
  return buf;
}

std::optional<int64_t> parse_source_date_epoch(const char* value) {
  if (!value || !*value) return std::nullopt;
  const std::string_view s(value);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size() || out < 0 ||
      s.find_first_not_of("0123456789") != std::string_view::npos)
    throw Error("invalid SOURCE_DATE_EPOCH: `" + std::string(s) + "`");
  return out;
}

}  // namespace berth::engine::image
