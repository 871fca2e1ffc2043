#include "common/http_fetch.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "common/crypto_lib.h"
#include "common/curl_lib.h"
#include "common/error.h"
#include "common/http_response.h"
#include "common/strings.h"
#include "sys/write_all.h"

namespace berth {

namespace {

// What the callbacks see of one transfer. The header fields are those of the latest response:
// a redirect's headers are dropped when the next status line arrives.
struct Transfer {
  CURL* curl = nullptr;
  int out_fd = -1;
  int64_t max_bytes = 0;
  EVP_MD_CTX* md = nullptr;
  int64_t bytes = 0;
  bool too_large = false;
  bool bad_status = false;
  bool digest_failed = false;
  int write_error = 0;  // errno of a failed write to out_fd
  std::string reason;   // reason phrase of the status line
  std::string content_disposition;
  std::string last_modified;
};

bool header_is(std::string_view name, std::string_view want) {
  if (name.size() != want.size()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != want[i]) return false;
  return true;
}

size_t on_header(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  std::string_view line = trim(std::string_view(data, size * n));
  if (line.rfind("HTTP/", 0) == 0) {
    // "HTTP/1.1 404 Not Found": a new response begins (after a redirect or a 100 Continue).
    t->reason.clear();
    t->content_disposition.clear();
    t->last_modified.clear();
    size_t code = line.find(' ');
    size_t text = code == std::string_view::npos ? code : line.find(' ', code + 1);
    if (text != std::string_view::npos) t->reason = trim(line.substr(text + 1));
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view name = line.substr(0, colon);
  std::string_view value = trim(line.substr(colon + 1));
  if (header_is(name, "content-disposition")) t->content_disposition = value;
  if (header_is(name, "last-modified")) t->last_modified = value;
  return size * n;
}

// Returning less than size * n makes libcurl stop with CURLE_WRITE_ERROR; the flags say why.
size_t on_body(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t len = size * n;
  long status = 0;
  curl_lib().curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    t->bad_status = true;  // an error page is not the file: stop before writing it
    return 0;
  }
  if (t->max_bytes > 0 && t->bytes + static_cast<int64_t>(len) > t->max_bytes) {
    t->too_large = true;
    return 0;
  }
  if (int rc = sys::write_all(t->out_fd, data, len, sys::WhenFull::kWait); rc < 0) {
    t->write_error = -rc;
    return 0;
  }
  if (crypto_lib().EVP_DigestUpdate(t->md, data, len) != 1) {
    t->digest_failed = true;
    return 0;
  }
  t->bytes += static_cast<int64_t>(len);
  return len;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_lib().curl_easy_cleanup(c); }
};
struct DigestDeleter {
  void operator()(EVP_MD_CTX* c) const { crypto_lib().EVP_MD_CTX_free(c); }
};

// The scheme of url, lowercased; "" when it has none.
std::string url_scheme(std::string_view url) {
  size_t end = url.find("://");
  if (end == std::string_view::npos) return "";
  std::string scheme(url.substr(0, end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return scheme;
}

constexpr const char* kLoopback = "localhost,127.0.0.0/8,::1";

class Fetch {
 public:
  Fetch(const std::string& url, const FetchOptions& options)
      : url_(url), shown_(redact_url(url)), options_(options) {}

  FetchResult run(int out_fd);

 private:
  template <class T>
  void set(CURLoption option, T value) {
    if (CURLcode rc = curl_lib().curl_easy_setopt(curl_.get(), option, value); rc != CURLE_OK)
      fail(curl_lib().curl_easy_strerror(rc));
  }
  void configure();
  [[noreturn]] void fail(const std::string& why) const {
    throw Error("failed to GET " + shown_ + ": " + why);
  }
  void check_outcome(CURLcode rc);
  std::string finish_digest();

  std::string url_, shown_;
  const FetchOptions& options_;
  std::unique_ptr<CURL, CurlDeleter> curl_;
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> md_;
  Transfer t_;
  char error_[CURL_ERROR_SIZE] = {};
  std::string user_agent_;
  std::string no_proxy_;
};

void Fetch::configure() {
  set(CURLOPT_URL, url_.c_str());
  // Docker fetches only http and https; a redirect may not switch to file://, ftp://, ...
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, 1L);
  set(CURLOPT_MAXREDIRS, options_.max_redirects);
  set(CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  set(CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  if (options_.idle_timeout_ms > 0) {
    set(CURLOPT_LOW_SPEED_LIMIT, 1L);
    set(CURLOPT_LOW_SPEED_TIME, (options_.idle_timeout_ms + 999) / 1000);
  }
  if (options_.max_bytes > 0)
    set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  user_agent_ = options_.user_agent.empty() ? "berth/" BERTH_PROJECT_VERSION : options_.user_agent;
  set(CURLOPT_USERAGENT, user_agent_.c_str());
  // Proxies come from the environment (http_proxy, https_proxy, no_proxy), as in Docker;
  // like Go's ProxyFromEnvironment, loopback is always reached directly. This option
  // replaces libcurl's reading of no_proxy, so that list is passed on here.
  no_proxy_ = kLoopback;
  const char* env = std::getenv("no_proxy");
  if (!env || !*env) env = std::getenv("NO_PROXY");
  if (env && *env) no_proxy_ = std::string(env) + "," + no_proxy_;
  set(CURLOPT_NOPROXY, no_proxy_.c_str());
  set(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for DNS timeouts: other threads may be running
  set(CURLOPT_ERRORBUFFER, error_);
  set(CURLOPT_HEADERFUNCTION, &on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&t_));
  set(CURLOPT_WRITEFUNCTION, &on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t_));
}

void Fetch::check_outcome(CURLcode rc) {
  const auto& curl = curl_lib();
  if (t_.write_error) throw_errno("write download of", shown_, t_.write_error);
  if (t_.digest_failed) fail("sha256 of the body failed");
  if (t_.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    fail("body exceeds " + std::to_string(options_.max_bytes) + " bytes");
  if (rc == CURLE_TOO_MANY_REDIRECTS)
    fail("stopped after " + std::to_string(options_.max_redirects) + " redirects");
  if (rc == CURLE_OPERATION_TIMEDOUT) fail(std::string("timed out: ") + error_);
  if (rc == CURLE_OK || t_.bad_status) {
    long status = 0;
    curl.curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status <= 299 && rc == CURLE_OK) return;
    std::string reason = t_.reason.empty() ? std::string(http_status_text(status)) : t_.reason;
    throw Error("failed to GET " + shown_ + " with status " + std::to_string(status) +
                (reason.empty() ? "" : " " + reason));
  }
  fail(error_[0] ? error_ : curl.curl_easy_strerror(rc));
}

std::string Fetch::finish_digest() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (crypto_lib().EVP_DigestFinal_ex(md_.get(), md, &len) != 1) fail("sha256 of the body failed");
  return "sha256:" + hex_string(md, len);
}

FetchResult Fetch::run(int out_fd) {
  std::string scheme = url_scheme(url_);
  if (scheme != "http" && scheme != "https") fail("unsupported protocol scheme \"" + scheme + "\"");
  const auto& crypto = crypto_lib();
  md_.reset(crypto.EVP_MD_CTX_new());
  if (!md_ || crypto.EVP_DigestInit_ex(md_.get(), crypto.EVP_sha256(), nullptr) != 1)
    fail("sha256 of the body failed");
  curl_.reset(curl_lib().curl_easy_init());
  if (!curl_) fail("libcurl: out of memory");
  t_.curl = curl_.get();
  t_.out_fd = out_fd;
  t_.max_bytes = options_.max_bytes;
  t_.md = md_.get();
  configure();
  check_outcome(curl_lib().curl_easy_perform(curl_.get()));
  FetchResult r;
  r.filename = download_filename(url_, t_.content_disposition);
  r.last_modified = parse_http_date(t_.last_modified);
  r.bytes = t_.bytes;
  r.digest = finish_digest();
  char* final_url = nullptr;
  curl_lib().curl_easy_getinfo(curl_.get(), CURLINFO_EFFECTIVE_URL, &final_url);
  r.final_url = redact_url(final_url ? final_url : url_);
  return r;
}

}  // namespace

FetchResult fetch_url(const std::string& url, int out_fd, const FetchOptions& options) {
  return Fetch(url, options).run(out_fd);
}

}  // namespace berth
