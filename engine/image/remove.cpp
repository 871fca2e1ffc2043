#include "engine/image/remove.h"

#include <filesystem>
#include <set>

#include "common/error.h"
#include "engine/image/digest.h"
#include "engine/image/usage.h"

namespace berth::engine::image {

namespace {

std::string short_hex(const std::string& digest) {
  return digest_hex(digest).substr(0, 12);
}

// The reference form of ref if it names a tag of img ("busybox" → "busybox:latest").
std::string tag_named_by(const Image& img, const std::string& ref) {
  if (ref.rfind("sha256:", 0) == 0) return "";
  auto r = try_parse_reference(ref);
  if (!r || r->tag.empty()) return "";
  for (const auto& t : img.repo_tags)
    if (t == r->str()) return t;
  return "";
}

// Bytes of the layers of img that no other image uses: what deleting img frees.
int64_t unique_size(const Store& store, const Image& img) {
  std::set<std::string> others;
  for (const auto& o : store.list())
    if (o.manifest_digest != img.manifest_digest)
      others.insert(o.chain_ids.begin(), o.chain_ids.end());
  int64_t total = 0;
  for (const auto& c : img.chain_ids)
    if (!others.count(c)) total += store.layer_size(c);
  return total;
}

}  // namespace

std::vector<std::string> remove_image(Store& store, const std::string& ref, bool force) {
  Image img = store.resolve(ref);
  std::vector<std::string> out;
  std::string tag = tag_named_by(img, ref);
  if (!tag.empty() && img.repo_tags.size() > 1) {
    store.untag(parse_reference(tag));
    return {"Untagged: " + tag};
  }
  auto users = containers_by_image(store.paths());
  auto it = users.find(img.id);
  bool in_use = it != users.end() && !it->second.empty();
  if (in_use && !force) {
    std::string container = it->second.front().substr(0, 12);
    if (tag.empty())
      throw Error("conflict: unable to delete " + short_hex(img.id) +
                  " (must be forced) - image is being used by container " + container);
    throw Error("conflict: unable to remove repository reference \"" + ref +
                "\" (must force) - container " + container + " is using its referenced image " +
                short_hex(img.id));
  }
  if (tag.empty() && img.repo_tags.size() > 1 && !force)
    throw Error("conflict: unable to delete " + short_hex(img.id) +
                " (must be forced) - image is referenced in multiple repositories");
  for (const auto& t : img.repo_tags) {
    store.untag(parse_reference(t));
    out.push_back("Untagged: " + t);
  }
  if (in_use) return out;  // forced: the container keeps the image, now untagged
  store.remove(img);
  out.push_back("Deleted: " + img.id);
  return out;
}

PruneReport prune_images(Store& store, bool all) {
  PruneReport report;
  auto users = containers_by_image(store.paths());
  for (const auto& img : store.list()) {
    if (users.count(img.id)) continue;
    if (!all && (!img.repo_tags.empty() || img.intermediate)) continue;
    int64_t size = unique_size(store, img);
    for (const auto& t : img.repo_tags) {
      store.untag(parse_reference(t));
      report.lines.push_back("untagged: " + t);
    }
    store.remove(img);
    report.lines.push_back("deleted: " + img.id);
    report.reclaimed += size;
  }
  return report;
}

}  // namespace berth::engine::image
