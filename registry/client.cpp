#include "registry/client.h"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/http_response.h"
#include "engine/image/digest.h"
#include "registry/auth_challenge.h"
#include "registry/http.h"

namespace berth::registry {

const char* const kOciManifest = "application/vnd.oci.image.manifest.v1+json";
const char* const kOciIndex = "application/vnd.oci.image.index.v1+json";
const char* const kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
const char* const kDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

bool is_index_media_type(const std::string& media_type) {
  return media_type == kOciIndex || media_type == kDockerManifestList;
}

namespace {

// The registry's own explanation of an error response ({"errors": [{"code", "message"}]}),
// as Docker prints it: "manifest unknown: manifest unknown"; else the status.
std::string registry_error(const HttpResponse& r) {
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  std::string out;
  if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
    for (const auto& e : j["errors"]) {
      if (!e.is_object()) continue;
      std::string code = e.value("code", "");
      for (char& c : code) c = c == '_' ? ' ' : static_cast<char>(std::tolower(c));
      std::string message =
          e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
      if (!out.empty()) out += "; ";
      out += code.empty() ? message : message.empty() ? code : code + ": " + message;
    }
  }
  if (out.empty()) out = std::to_string(r.status) + (r.reason.empty() ? "" : " " + r.reason);
  // One line, and not a page of HTML.
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  if (out.size() > 300) out = out.substr(0, 300) + "...";
  return out;
}

// The endpoint chosen for each domain, once per process.
std::mutex endpoints_mu;
std::map<std::string, Endpoint> chosen_endpoints;

Endpoint pick_endpoint(const RegistryContext& ctx, const std::string& domain) {
  {
    std::lock_guard<std::mutex> lock(endpoints_mu);
    if (auto it = chosen_endpoints.find(domain); it != chosen_endpoints.end()) return it->second;
  }
  auto candidates = ctx.config.endpoints(domain);
  std::string first_error;
  for (const auto& e : candidates) {
    try {
      HttpRequest ping;
      ping.url = e.base_url + "/v2/";
      ping.max_body = 64 * 1024;
      http_request(e, ping);  // any HTTP answer will do: 200, 401, even 404
      std::lock_guard<std::mutex> lock(endpoints_mu);
      chosen_endpoints[domain] = e;
      return e;
    } catch (const Error& err) {
      spdlog::debug("registry {}: {} does not answer: {}", domain, e.base_url, err.what());
      if (first_error.empty()) first_error = err.what();
    }
  }
  throw Error("registry " + domain + " is not reachable: " + first_error);
}

std::string absolute_location(const Endpoint& e, const std::string& location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
  if (!location.empty() && location.front() == '/') return e.base_url + location;
  throw Error("registry " + e.domain + " gave an unusable upload location `" + location + "`");
}

}  // namespace

struct Repository::Impl {
  Impl(const RegistryContext& c, std::string d, std::string p, Access a)
      : ctx(c), domain(std::move(d)), path(std::move(p)), access(a) {
    scopes.push_back("repository:" + path + (a == Access::kPush ? ":pull,push" : ":pull"));
  }

  const Endpoint& endpoint() {
    std::lock_guard<std::mutex> lock(mu);
    if (!ep) ep = pick_endpoint(ctx, domain);
    return *ep;
  }

  std::string url(const std::string& tail) { return endpoint().base_url + "/v2/" + path + tail; }
  std::string shown() const { return domain + "/" + path; }

  const std::optional<Credential>& credential() {
    if (!cred_loaded) {
      cred = ctx.credentials.get(domain);
      cred_loaded = true;
    }
    return cred;
  }

  // Answers a 401's challenge: a bearer token for the scopes, or basic credentials. False when
  // nothing more can be tried.
  bool authenticate(const HttpResponse& denied) {
    std::lock_guard<std::mutex> lock(mu);
    auto challenges = parse_challenges(denied.header("WWW-Authenticate"));
    for (const auto& c : challenges) {
      if (c.scheme == "bearer") {
        auto realm = c.params.find("realm");
        if (realm == c.params.end()) continue;
        std::string token = fetch_token(realm->second, c.params, scopes);
        bearer = "Authorization: Bearer " + token;
        return true;
      }
      if (c.scheme == "basic") {
        // Several threads may be denied at once, each having sent its request before the
        // first one turned basic auth on: every one of them retries (send() retries once).
        if (!credential()) return false;
        use_basic = true;
        return true;
      }
    }
    return false;
  }

  std::string fetch_token(const std::string& realm, const std::map<std::string, std::string>& p,
                          const std::vector<std::string>& want) {
    const auto& cr = credential();
    HttpRequest r;
    r.max_body = 1 << 20;
    std::string query;
    auto add = [&](const std::string& k, const std::string& v) {
      query += (query.empty() ? "" : "&") + k + "=" + url_escape(v);
    };
    if (auto s = p.find("service"); s != p.end()) add("service", s->second);
    for (const auto& scope : want) add("scope", scope);
    if (cr && !cr->identity_token.empty()) {
      // OAuth2 refresh: POST a form (distribution's token spec, "OAuth2 token").
      r.method = "POST";
      r.url = realm;
      add("grant_type", "refresh_token");
      add("refresh_token", cr->identity_token);
      add("client_id", "berth");
      r.body = query;
      r.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    } else {
      r.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
      if (cr) {
        r.basic_user = cr->username;
        r.basic_password = cr->password;
      }
    }
    const std::string shown_realm = redact_url(realm);
    HttpResponse resp = http_request(endpoint_for_realm(), r);
    if (resp.status < 200 || resp.status > 299)
      throw Error("get token from " + shown_realm + " for " + shown() + ": " +
                  registry_error(resp));
    std::string token = token_from_response(resp.body);
    if (token.empty()) throw Error("get token from " + shown_realm + ": the answer has no token");
    return token;
  }

  // The token realm is reached with the registry's TLS settings (it is often the same host).
  Endpoint endpoint_for_realm() { return ep ? *ep : Endpoint{}; }

  void apply_auth(HttpRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    if (!bearer.empty()) {
      r.headers.push_back(bearer);
    } else if (use_basic && cred) {
      r.basic_user = cred->username;
      r.basic_password = cred->password;
    }
  }

  // Sends r with the session's authorization, answering one challenge.
  HttpResponse send(const HttpRequest& req) {
    const Endpoint& e = endpoint();
    for (int attempt = 0;; ++attempt) {
      HttpRequest r = req;
      apply_auth(r);
      HttpResponse resp = http_request(e, r);
      if (resp.status != 401 || attempt == 1) return resp;
      if (!authenticate(resp)) return resp;
    }
  }

  [[noreturn]] void fail(const std::string& what, const HttpResponse& r) {
    if (r.status == 401)
      throw Error(what + " " + shown() + ": " + registry_error(r) +
                  (credential() ? "" : " (not logged in: berth login " + domain + ")"));
    throw Error(what + " " + shown() + ": " + registry_error(r));
  }

  const RegistryContext& ctx;
  std::string domain, path;
  Access access;
  std::vector<std::string> scopes;
  std::mutex mu;
  std::optional<Endpoint> ep;
  bool cred_loaded = false;
  std::optional<Credential> cred;
  std::string bearer;
  bool use_basic = false;
};

Repository::Repository(const RegistryContext& ctx, std::string domain, std::string path,
                       Access access)
    : impl_(std::make_unique<Impl>(ctx, std::move(domain), std::move(path), access)) {}

Repository::~Repository() = default;

const std::string& Repository::domain() const {
  return impl_->domain;
}
const std::string& Repository::path() const {
  return impl_->path;
}

void Repository::add_scope(const std::string& scope) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->scopes.push_back(scope);
  impl_->bearer.clear();  // the next request asks for a token with every scope
}

namespace {

std::string accept_manifests() {
  return std::string("Accept: ") + kOciIndex + ", " + kDockerManifestList + ", " + kOciManifest +
         ", " + kDockerManifest;
}

bool is_digest_reference(const std::string& reference) {
  return reference.rfind("sha256:", 0) == 0;
}

}  // namespace

Manifest Repository::get_manifest(const std::string& reference) {
  HttpRequest r;
  r.url = impl_->url("/manifests/" + reference);
  r.headers.push_back(accept_manifests());
  r.max_body = 4 << 20;
  HttpResponse resp = impl_->send(r);
  const std::string shown =
      impl_->shown() + (is_digest_reference(reference) ? "@" : ":") + reference;
  if (resp.status == 404)
    throw NotFound("manifest for " + shown + " not found: " + registry_error(resp));
  if (resp.status < 200 || resp.status > 299) impl_->fail("get manifest of", resp);
  Manifest m;
  m.bytes = std::move(resp.body);
  m.digest = engine::image::sha256_digest(m.bytes);
  if (is_digest_reference(reference) && m.digest != reference)
    throw Error("manifest for " + shown + " has digest " + m.digest + ": refused");
  auto j = nlohmann::json::parse(m.bytes, nullptr, false);
  if (!j.is_object()) throw Error("manifest for " + shown + " is not a JSON object");
  m.media_type = j.contains("mediaType") && j["mediaType"].is_string()
                     ? j["mediaType"].get<std::string>()
                     : resp.header("Content-Type");
  if (auto semi = m.media_type.find(';'); semi != std::string::npos) m.media_type.resize(semi);
  if (j.value("schemaVersion", 0) == 1 ||
      m.media_type.find("distribution.manifest.v1") != std::string::npos)
    throw Error("manifest for " + shown +
                " is Docker Image Format v1 (schema 1), which is not supported: push it again "
                "with a current client");
  return m;
}

std::optional<std::string> Repository::head_manifest(const std::string& reference) {
  HttpRequest r;
  r.method = "HEAD";
  r.url = impl_->url("/manifests/" + reference);
  r.headers.push_back(accept_manifests());
  HttpResponse resp = impl_->send(r);
  if (resp.status == 404) return std::nullopt;
  if (resp.status < 200 || resp.status > 299) impl_->fail("check manifest of", resp);
  std::string d = resp.header("Docker-Content-Digest");
  if (d.empty()) return std::nullopt;
  return d;
}

std::string Repository::put_manifest(const std::string& reference, const Manifest& manifest) {
  HttpRequest r;
  r.method = "PUT";
  r.url = impl_->url("/manifests/" + reference);
  r.headers.push_back("Content-Type: " + manifest.media_type);
  r.body = manifest.bytes;
  HttpResponse resp = impl_->send(r);
  if (resp.status < 200 || resp.status > 299) impl_->fail("push manifest to", resp);
  std::string d = resp.header("Docker-Content-Digest");
  return d.empty() ? engine::image::sha256_digest(manifest.bytes) : d;
}

void Repository::get_blob(const std::string& digest, int64_t offset, int64_t expected_size,
                          const BlobSink& sink) {
  HttpRequest r;
  r.url = impl_->url("/blobs/" + digest);
  if (offset > 0) r.headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
  int64_t skip = 0, received = 0;
  const std::string shown = impl_->shown() + "@" + digest;
  // A registry that ignores Range answers 200 with the whole blob: what is here is skipped.
  r.on_body_start = [&](long status) { skip = (offset > 0 && status != 206) ? offset : 0; };
  r.sink = [&](const char* data, size_t len) {
    if (skip > 0) {
      int64_t n = std::min<int64_t>(skip, static_cast<int64_t>(len));
      skip -= n;
      data += n;
      len -= static_cast<size_t>(n);
      if (len == 0) return true;
    }
    received += static_cast<int64_t>(len);
    if (expected_size >= 0 && offset + received > expected_size)
      throw Error("blob " + shown + " is larger than the " + std::to_string(expected_size) +
                  " bytes its manifest says: refused");
    return sink(data, len);
  };
  HttpResponse resp = impl_->send(r);
  if (resp.status == 404) throw NotFound("blob " + shown + " not found: " + registry_error(resp));
  if (resp.status < 200 || resp.status > 299) impl_->fail("get blob of", resp);
}

std::vector<std::string> Repository::list_tags() {
  std::vector<std::string> out;
  std::string url = impl_->url("/tags/list");
  for (int page = 0; page < 1000 && !url.empty(); ++page) {
    HttpRequest r;
    r.url = url;
    HttpResponse resp = impl_->send(r);
    if (resp.status == 404) throw NotFound("repository " + impl_->shown() + " not found");
    if (resp.status < 200 || resp.status > 299) impl_->fail("list tags of", resp);
    auto j = nlohmann::json::parse(resp.body, nullptr, false);
    if (j.is_object() && j.contains("tags") && j["tags"].is_array())
      for (const auto& t : j["tags"])
        if (t.is_string()) out.push_back(t.get<std::string>());
    // Link: </v2/name/tags/list?last=x&n=y>; rel="next"
    std::string link = resp.header("Link");
    url.clear();
    if (auto lt = link.find('<'), gt = link.find('>');
        lt != std::string::npos && gt > lt && link.find("rel=\"next\"") != std::string::npos)
      url = absolute_location(impl_->endpoint(), link.substr(lt + 1, gt - lt - 1));
  }
  return out;
}

std::optional<int64_t> Repository::blob_exists(const std::string& digest) {
  HttpRequest r;
  r.method = "HEAD";
  r.url = impl_->url("/blobs/" + digest);
  HttpResponse resp = impl_->send(r);
  if (resp.status == 404) return std::nullopt;
  if (resp.status < 200 || resp.status > 299) impl_->fail("check blob of", resp);
  std::string len = resp.header("Content-Length");
  return len.empty() ? int64_t{-1} : std::atoll(len.c_str());
}

bool Repository::mount_blob(const std::string& digest, const std::string& from_path) {
  HttpRequest r;
  r.method = "POST";
  r.url =
      impl_->url("/blobs/uploads/?mount=" + url_escape(digest) + "&from=" + url_escape(from_path));
  HttpResponse resp = impl_->send(r);
  if (resp.status == 201) return true;
  if (resp.status == 202) return false;  // the registry opened an upload instead
  impl_->fail("mount blob " + digest + " from " + from_path + " into", resp);
}

void Repository::upload_blob(const std::string& digest, int fd, int64_t size,
                             const std::function<void(int64_t)>& progress, int64_t chunk_size) {
  const Endpoint& e = impl_->endpoint();
  HttpRequest start;
  start.method = "POST";
  start.url = impl_->url("/blobs/uploads/");
  HttpResponse resp = impl_->send(start);
  if (resp.status != 202) impl_->fail("start upload of " + digest + " to", resp);
  std::string location = absolute_location(e, resp.header("Location"));
  for (int64_t done = 0; done < size;) {
    int64_t n = std::min(chunk_size, size - done);
    HttpRequest patch;
    patch.method = "PATCH";
    patch.url = location;
    patch.headers = {"Content-Type: application/octet-stream",
                     "Content-Range: " + std::to_string(done) + "-" + std::to_string(done + n - 1)};
    patch.body_fd = fd;
    patch.body_offset = done;
    patch.body_length = n;
    resp = impl_->send(patch);
    if (resp.status != 202) impl_->fail("upload " + digest + " to", resp);
    location = absolute_location(e, resp.header("Location"));
    done += n;
    if (progress) progress(done);
  }
  HttpRequest finish;
  finish.method = "PUT";
  finish.url = location + (location.find('?') == std::string::npos ? "?" : "&") +
               "digest=" + url_escape(digest);
  resp = impl_->send(finish);
  if (resp.status != 201) impl_->fail("finish upload of " + digest + " to", resp);
}

std::string check_login(const RegistryContext& ctx, const std::string& domain,
                        const Credential& credential) {
  Endpoint e = pick_endpoint(ctx, domain);
  const std::string url = e.base_url + "/v2/";
  HttpRequest r;
  r.url = url;
  r.max_body = 64 * 1024;
  HttpResponse resp = http_request(e, r);
  if (resp.status >= 200 && resp.status <= 299) return "";  // a registry without auth
  auto failed = [&](const HttpResponse& why) {
    return Error("login attempt to " + url + " failed with status: " + std::to_string(why.status) +
                 (why.reason.empty() ? "" : " " + why.reason));
  };
  if (resp.status != 401) throw failed(resp);
  for (const auto& c : parse_challenges(resp.header("WWW-Authenticate"))) {
    if (c.scheme == "basic") {
      HttpRequest b = r;
      b.basic_user = credential.username;
      b.basic_password = credential.password;
      HttpResponse again = http_request(e, b);
      if (again.status >= 200 && again.status <= 299) return "";
      throw failed(again);
    }
    if (c.scheme == "bearer" && c.params.count("realm")) {
      HttpRequest t;
      std::string realm = c.params.at("realm");
      std::string query = "account=" + url_escape(credential.username);
      if (auto s = c.params.find("service"); s != c.params.end())
        query += "&service=" + url_escape(s->second);
      t.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
      t.basic_user = credential.username;
      t.basic_password = credential.password;
      t.max_body = 1 << 20;
      HttpResponse tok = http_request(e, t);
      if (tok.status < 200 || tok.status > 299)
        throw Error("login to " + domain + ": " + registry_error(tok));
      auto j = nlohmann::json::parse(tok.body, nullptr, false);
      if (j.is_object() && j.contains("refresh_token") && j["refresh_token"].is_string())
        return j["refresh_token"].get<std::string>();
      return "";
    }
  }
  throw failed(resp);
}

}  // namespace berth::registry
