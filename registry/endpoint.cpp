#include "registry/endpoint.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <system_error>

#include "common/error.h"

namespace berth::registry {

namespace fs = std::filesystem;

std::string reference_domain(const engine::image::Reference& ref) {
  std::string full = ref.full_name();
  return full.substr(0, full.find('/'));
}

std::string reference_path(const engine::image::Reference& ref) {
  std::string full = ref.full_name();
  return full.substr(full.find('/') + 1);
}

namespace {

// The host of "host[:port]" or "[v6]:port", without brackets.
std::string host_of(const std::string& domain) {
  if (!domain.empty() && domain.front() == '[') {
    auto close = domain.find(']');
    return domain.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  auto colon = domain.rfind(':');
  return colon == std::string::npos ? domain : domain.substr(0, colon);
}

// Whether host (an IPv4/IPv6 literal) lies in cidr ("10.0.0.0/8", "::1/128").
bool in_cidr(const std::string& host, const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return false;
  int bits = 0;
  try {
    bits = std::stoi(cidr.substr(slash + 1));
  } catch (...) {
    return false;
  }
  unsigned char a[16], n[16];
  int family = host.find(':') == std::string::npos ? AF_INET : AF_INET6;
  int len = family == AF_INET ? 4 : 16;
  if (::inet_pton(family, host.c_str(), a) != 1) return false;
  if (::inet_pton(family, cidr.substr(0, slash).c_str(), n) != 1) return false;
  if (bits < 0 || bits > len * 8) return false;
  for (int i = 0; i < len && bits > 0; ++i, bits -= 8) {
    unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((a[i] & mask) != (n[i] & mask)) return false;
  }
  return true;
}

}  // namespace

RegistryConfig RegistryConfig::load(const ConfigDirs& dirs, const std::vector<std::string>& flags) {
  RegistryConfig c;
  // Docker's default: loopback registries are insecure. BERTH_NO_DEFAULT_INSECURE=1 drops
  // that default, so a loopback registry is verified like any other (the TLS tests serve a
  // test CA's certificate on 127.0.0.1 and check that a wrong or missing CA is refused).
  const char* no_default = std::getenv("BERTH_NO_DEFAULT_INSECURE");
  if (!no_default || std::string_view(no_default) != "1")
    c.insecure = {"127.0.0.0/8", "::1/128", "localhost"};
  fs::path file = dirs.berth / "registries.json";
  std::ifstream in(file);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw Error(file.string() + ": not a JSON object");
    if (auto it = j.find("insecure-registries"); it != j.end()) {
      if (!it->is_array()) throw Error(file.string() + ": insecure-registries: not an array");
      for (const auto& h : *it) {
        if (!h.is_string())
          throw Error(file.string() + ": insecure-registries: " + h.dump() + " is not a string");
        c.insecure.push_back(h.get<std::string>());
      }
    }
  }
  for (const auto& f : flags) {
    std::string h = f;
    for (const char* scheme : {"http://", "https://"})
      if (h.rfind(scheme, 0) == 0) h = h.substr(std::char_traits<char>::length(scheme));
    while (!h.empty() && h.back() == '/') h.pop_back();
    if (h.empty()) throw Error("--insecure-registry: empty host");
    c.insecure.push_back(h);
  }
  c.certs_dirs = {dirs.berth / "certs.d", "/etc/berth/certs.d", "/etc/docker/certs.d"};
  return c;
}

bool RegistryConfig::is_insecure(const std::string& domain) const {
  std::string host = host_of(domain);
  for (const auto& entry : insecure) {
    if (entry == domain || entry == host) return true;
    if (entry.find('/') != std::string::npos && in_cidr(host, entry)) return true;
  }
  return false;
}

std::vector<Endpoint> RegistryConfig::endpoints(const std::string& domain) const {
  Endpoint tls;
  tls.domain = domain;
  tls.base_url =
      "https://" + (domain == "docker.io" ? std::string("registry-1.docker.io") : domain);
  bool insecure = is_insecure(domain);
  tls.verify_tls = !insecure;
  for (const auto& root : certs_dirs) {
    std::error_code ec;
    fs::path dir = root / domain;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      const std::string name = e.path().filename().string();
      if (e.path().extension() == ".crt")
        tls.ca_files.push_back(e.path());
      else if (e.path().extension() == ".cert" && tls.client_cert.empty()) {
        tls.client_cert = e.path();
        tls.client_key = e.path();
        tls.client_key.replace_extension(".key");
      }
    }
    break;  // the first certs.d that has the host wins, as Docker's
  }
  std::vector<Endpoint> out{tls};
  if (insecure) {
    Endpoint plain;
    plain.domain = domain;
    plain.base_url = "http://" + domain;
    plain.verify_tls = false;
    out.push_back(plain);
  }
  return out;
}

}  // namespace berth::registry
