#include "network/network_store.h"

#include <spdlog/spdlog.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/error.h"

namespace berth::network {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json to_json(const NetworkRecord& n) {
  json j = {{"id", n.id},
            {"name", n.name},
            {"bridge", n.bridge},
            {"subnet", to_string(n.subnet)},
            {"gateway", to_string(n.gateway)},
            {"internal", n.internal},
            {"dns", n.dns},
            {"labels", n.labels},
            {"options", n.options},
            {"created", n.created}};
  if (n.ip_range) j["ip_range"] = to_string(*n.ip_range);
  return j;
}

NetworkRecord record_from_json(const json& j) {
  NetworkRecord n;
  n.id = j.at("id").get<std::string>();
  n.name = j.at("name").get<std::string>();
  n.bridge = j.at("bridge").get<std::string>();
  n.subnet = parse_cidr(j.at("subnet").get<std::string>());
  n.gateway = parse_ipv4_or_throw(j.at("gateway").get<std::string>());
  if (j.contains("ip_range")) n.ip_range = parse_cidr(j.at("ip_range").get<std::string>());
  n.internal = j.value("internal", false);
  n.dns = j.value("dns", true);
  n.labels = j.value("labels", std::map<std::string, std::string>{});
  n.options = j.value("options", std::map<std::string, std::string>{});
  n.created = j.value("created", std::string{});
  return n;
}

NetworkRecord load(const fs::path& file) {
  try {
    return record_from_json(json::parse(read_file(file)));
  } catch (const json::exception& e) {
    throw Error("parse `" + file.string() + "`: " + e.what());
  }
}

}  // namespace

bool is_special_network_name(const std::string& name) {
  return name == "host" || name == "none" || name.starts_with("container:");
}

fs::path NetworkStore::file(const std::string& name) const {
  return paths_.networks() / (name + ".json");
}

std::vector<NetworkRecord> NetworkStore::list() const {
  std::vector<NetworkRecord> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(paths_.networks(), ec)) {
    if (e.path().extension() != ".json") continue;
    try {
      out.push_back(load(e.path()));
    } catch (const Error& e) {
      spdlog::warn("{}; left out of the networks", e.what());  // the message names the file
    }
  }
  std::sort(out.begin(), out.end(),
            [](const NetworkRecord& a, const NetworkRecord& b) { return a.name < b.name; });
  return out;
}

std::optional<NetworkRecord> NetworkStore::get(const std::string& name) const {
  if (name.empty() || name.find('/') != std::string::npos || name.starts_with(".")) return {};
  if (!fs::exists(file(name))) return std::nullopt;
  return load(file(name));
}

NetworkRecord NetworkStore::find(const std::string& ref) const {
  if (auto n = get(ref)) return *n;
  std::vector<NetworkRecord> matches;
  for (auto& n : list())
    if (!ref.empty() && n.id.starts_with(ref)) matches.push_back(std::move(n));
  if (matches.size() == 1) return matches.front();
  if (matches.size() > 1)
    throw Error("network " + ref + " is ambiguous (" + std::to_string(matches.size()) +
                " matches found)");
  throw NotFound("network " + ref + " not found");
}

void NetworkStore::save(const NetworkRecord& n) const {
  make_dirs(paths_.networks());
  write_file_atomic(file(n.name), to_json(n).dump(2) + "\n", 0600, false);
}

void NetworkStore::remove(const std::string& name) const {
  std::error_code ec;
  fs::remove(file(name), ec);
  if (ec) throw Error("remove `" + file(name).string() + "`: " + ec.message());
}

FileLock NetworkStore::lock(FileLock::Mode mode) const {
  make_dirs(paths_.locks());
  return FileLock(lock_path(), mode);
}

std::filesystem::path NetworkStore::lock_path() const {
  return paths_.locks() / "network.lock";
}

}  // namespace berth::network
