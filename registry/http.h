// One HTTP request to a registry over libcurl (common/curl_lib.h, loaded on first use): any
// method, extra headers, a body from memory or from a range of a file, the response body
// collected (bounded) or streamed to a sink, TLS verified against the system CAs plus the
// endpoint's certs.d CAs (or not at all for an insecure registry), client certificates,
// proxies from the environment (loopback always direct), bounded connect and idle times, and
// at most 10 redirects, never carrying credentials to another host. Each thread reuses one
// libcurl handle, so its connections (and TLS sessions) are kept between requests.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "registry/endpoint.h"

namespace berth::registry {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent when body_fd < 0 and method is not GET/HEAD
  int body_fd = -1;                  // else body_length bytes of body_fd from body_offset
  int64_t body_offset = 0, body_length = 0;
  // Basic credentials handed to libcurl (sent to the request's host only).
  std::string basic_user, basic_password;
  bool follow_redirects = true;
  // When set, the body of a 2xx response goes here (return false to abort); otherwise it is
  // collected into HttpResponse::body, up to max_body bytes (more fails the request).
  std::function<bool(const char*, size_t)> sink;
  // Called with the status before the first byte of a 2xx body goes to the sink.
  std::function<void(long status)> on_body_start;
  int64_t max_body = 4 << 20;
};

struct HttpResponse {
  long status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response
  std::string body;  // collected body (also the error body of a non-2xx streamed request)
  std::string url;   // the final URL (after redirects)
  // The first value of a header, by case-insensitive name; "" when absent.
  std::string header(const std::string& name) const;
};

// The idle timeout in seconds: BERTH_REGISTRY_TIMEOUT when set (a positive integer), else 60.
long registry_idle_timeout_seconds();

// Performs the request. Throws Error naming the URL (redacted) on a transport failure (DNS,
// refused, TLS, timeout, too many redirects, a body over max_body, a sink that aborted);
// any HTTP status is returned, not thrown.
HttpResponse http_request(const Endpoint& endpoint, const HttpRequest& request);

// url with its query value escaped: "a b/c" → "a%20b%2Fc".
std::string url_escape(const std::string& s);

}  // namespace berth::registry
