// One HTTP(S) GET streamed into a file, for Dockerfile `ADD <url>` (Docker's builder and
// BuildKit's source/http): the body goes to the caller's fd while its sha256 is computed (the
// build cache key, and `ADD --checksum`), and the response gives the file's name and mtime.
// libcurl does the transfer (common/curl_lib.h, loaded on first use); the pure rules (file
// name, dates, URL redaction) are in common/http_response.h.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>

namespace berth {

struct FetchOptions {
  // The body may not exceed this many bytes (0: no limit). A larger body fails the fetch as
  // soon as the limit is passed (or at once when Content-Length says so).
  int64_t max_bytes = 0;
  // Milliseconds to establish the connection (TCP and TLS), 0 for libcurl's default (300 s).
  long connect_timeout_ms = 30'000;
  // Milliseconds the transfer may go with no byte received (a server that accepts and never
  // answers, a stalled body); 0 for none. Measured over whole seconds, rounded up.
  long idle_timeout_ms = 60'000;
  // Milliseconds the whole fetch may take, 0 for no limit (large downloads are legitimate).
  long total_timeout_ms = 0;
  // Redirects followed before giving up (Go's http.Client, which Docker uses: 10).
  long max_redirects = 10;
  // The User-Agent header; "" for "berth/<version>".
  std::string user_agent;
};

struct FetchResult {
  // The name ADD gives the file: download_filename() of the requested URL and the final
  // response's Content-Disposition (BuildKit's rule; "download" when neither names one).
  std::string filename;
  // The final response's Last-Modified, when present and valid: ADD sets the file's mtime.
  std::optional<time_t> last_modified;
  int64_t bytes = 0;      // body bytes written to out_fd
  std::string digest;     // "sha256:<hex>" of the body
  std::string final_url;  // after redirects, password redacted
};

// GETs url (http:// or https:// only, also for every redirect) and writes the body of the
// final response to out_fd (not owned; written from its current offset, never seeked). Proxy
// variables (http_proxy, https_proxy, no_proxy) are honoured, as Docker does; localhost and
// loopback addresses are always reached directly (Go's ProxyFromEnvironment).
// Throws Error, one line that names the URL with its password redacted (redact_url):
//   "failed to GET URL: unsupported protocol scheme \"ftp\""
//   "failed to GET URL with status 404 Not Found"   (any status outside 200-299)
//   "failed to GET URL: stopped after 10 redirects"
//   "failed to GET URL: timed out: <libcurl's detail>"
//   "failed to GET URL: body exceeds 1048576 bytes"
//   "failed to GET URL: <libcurl's error>"           (DNS, refused, TLS, ...)
//   "write download of `URL`: <strerror>"
// On failure out_fd may hold part of the body: the caller discards the file.
FetchResult fetch_url(const std::string& url, int out_fd, const FetchOptions& options = {});

}  // namespace berth
