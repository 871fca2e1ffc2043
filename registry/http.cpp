#include "registry/http.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>

#include "common/curl_lib.h"
#include "common/error.h"
#include "common/http_response.h"
#include "common/strings.h"

namespace berth::registry {

namespace {

bool same_header_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// What the callbacks of one transfer share.
struct Exchange {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  long status = 0;  // of the response being received
  bool too_large = false;
  bool sink_stopped = false;
  int read_error = 0;
  int64_t sent = 0;
  bool body_started = false;
  std::exception_ptr sink_error;  // thrown by the sink: rethrown after the transfer
};

size_t on_registry_header(char* data, size_t size, size_t n, void* self) {
  auto* x = static_cast<Exchange*>(self);
  std::string_view line = trim(std::string_view(data, size * n));
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or a 100 Continue): only the last one is kept.
    x->response->headers.clear();
    x->response->body.clear();
    x->response->reason.clear();
    x->body_started = false;
    size_t code = line.find(' ');
    x->status = code == std::string_view::npos
                    ? 0
                    : std::atol(std::string(line.substr(code + 1, 3)).c_str());
    size_t text = code == std::string_view::npos ? code : line.find(' ', code + 1);
    if (text != std::string_view::npos) x->response->reason = trim(line.substr(text + 1));
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos)
    x->response->headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                      std::string(trim(line.substr(colon + 1))));
  return size * n;
}

size_t on_registry_body(char* data, size_t size, size_t n, void* self) {
  auto* x = static_cast<Exchange*>(self);
  const size_t len = size * n;
  const bool ok = x->status >= 200 && x->status <= 299;
  if (ok && x->request->sink) {
    // No exception may cross libcurl's C frames.
    try {
      if (!x->body_started && x->request->on_body_start) x->request->on_body_start(x->status);
      x->body_started = true;
      if (x->request->sink(data, len)) return len;
    } catch (...) {
      x->sink_error = std::current_exception();
    }
    x->sink_stopped = true;
    return 0;
  }
  // A collected body, or the error page of a streamed request (kept short).
  const int64_t limit = ok ? x->request->max_body : 64 * 1024;
  if (static_cast<int64_t>(x->response->body.size() + len) > limit) {
    if (!ok) return len;  // an error page: its start is enough
    x->too_large = true;
    return 0;
  }
  x->response->body.append(data, len);
  return len;
}

size_t on_registry_read(char* buf, size_t size, size_t n, void* self) {
  auto* x = static_cast<Exchange*>(self);
  const int64_t left = x->request->body_length - x->sent;
  if (left <= 0) return 0;
  size_t want = std::min<int64_t>(left, static_cast<int64_t>(size * n));
  for (;;) {
    ssize_t got = ::pread(x->request->body_fd, buf, want, x->request->body_offset + x->sent);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      x->read_error = errno;
      return CURL_READFUNC_ABORT;
    }
    if (got == 0) {
      x->read_error = EIO;  // the file is shorter than said
      return CURL_READFUNC_ABORT;
    }
    x->sent += got;
    return static_cast<size_t>(got);
  }
}

struct CurlHandleDeleter {
  void operator()(CURL* c) const { curl_lib().curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_lib().curl_slist_free_all(l); }
};

// One handle per thread: reset before each request, it keeps its connection cache.
CURL* thread_handle() {
  thread_local std::unique_ptr<CURL, CurlHandleDeleter> handle;
  if (!handle) {
    handle.reset(curl_lib().curl_easy_init());
    if (!handle) throw Error("libcurl: out of memory");
  } else {
    curl_lib().curl_easy_reset(handle.get());
  }
  return handle.get();
}

// The system's CAs and the endpoint's extra ones, as one PEM bundle.
std::string ca_bundle(const Endpoint& e) {
  std::string pem;
  for (const char* system :
       {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"}) {
    std::ifstream in(system);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    pem = ss.str();
    break;
  }
  for (const auto& f : e.ca_files) {
    std::ifstream in(f);
    if (!in) throw Error("read CA certificate " + f.string() + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    pem += "\n" + ss.str();
  }
  return pem;
}

constexpr const char* kLoopbackHosts = "localhost,127.0.0.0/8,::1";

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (same_header_name(k, name)) return v;
  return "";
}

long registry_idle_timeout_seconds() {
  if (const char* v = std::getenv("BERTH_REGISTRY_TIMEOUT"); v && *v) {
    char* end = nullptr;
    long s = std::strtol(v, &end, 10);
    if (end && *end == '\0' && s > 0) return s;
  }
  return 60;
}

std::string url_escape(const std::string& s) {
  char* e = curl_lib().curl_easy_escape(nullptr, s.c_str(), static_cast<int>(s.size()));
  if (!e) throw Error("libcurl: out of memory");
  std::string out(e);
  curl_lib().curl_free(e);
  return out;
}

HttpResponse http_request(const Endpoint& endpoint, const HttpRequest& req) {
  const auto& curl = curl_lib();
  CURL* h = thread_handle();
  const std::string shown = redact_url(req.url);
  char error[CURL_ERROR_SIZE] = {};
  auto set = [&](CURLoption option, auto value) {
    if (CURLcode rc = curl.curl_easy_setopt(h, option, value); rc != CURLE_OK)
      throw Error(req.method + " " + shown + ": " + curl.curl_easy_strerror(rc));
  };
  HttpResponse response;
  Exchange x;
  x.request = &req;
  x.response = &response;

  set(CURLOPT_URL, req.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
  set(CURLOPT_MAXREDIRS, 10L);
  set(CURLOPT_CONNECTTIMEOUT_MS, 30'000L);
  set(CURLOPT_LOW_SPEED_LIMIT, 1L);
  set(CURLOPT_LOW_SPEED_TIME, registry_idle_timeout_seconds());
  set(CURLOPT_USERAGENT, "berth/" BERTH_PROJECT_VERSION);
  std::string no_proxy = kLoopbackHosts;
  const char* env = std::getenv("no_proxy");
  if (!env || !*env) env = std::getenv("NO_PROXY");
  if (env && *env) no_proxy = std::string(env) + "," + no_proxy;
  set(CURLOPT_NOPROXY, no_proxy.c_str());
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_ERRORBUFFER, error);
  set(CURLOPT_HEADERFUNCTION, &on_registry_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&x));
  set(CURLOPT_WRITEFUNCTION, &on_registry_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&x));
  // Content-Encoding is not negotiated: blobs are hashed as they are sent.
  if (!endpoint.verify_tls) {
    set(CURLOPT_SSL_VERIFYPEER, 0L);
    set(CURLOPT_SSL_VERIFYHOST, 0L);
  }
  std::string cas;
  if (!endpoint.ca_files.empty()) {
    cas = ca_bundle(endpoint);
    curl_blob blob{cas.data(), cas.size(), CURL_BLOB_NOCOPY};
    set(CURLOPT_CAINFO_BLOB, &blob);
  }
  if (!endpoint.client_cert.empty()) {
    set(CURLOPT_SSLCERT, endpoint.client_cert.c_str());
    set(CURLOPT_SSLKEY, endpoint.client_key.c_str());
  }
  if (!req.basic_user.empty() || !req.basic_password.empty()) {
    set(CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    set(CURLOPT_USERNAME, req.basic_user.c_str());
    set(CURLOPT_PASSWORD, req.basic_password.c_str());
  }

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* l = curl.curl_slist_append(headers.get(), line.c_str());
    if (!l) throw Error("libcurl: out of memory");
    (void)headers.release();
    headers.reset(l);
  };
  for (const auto& line : req.headers) add_header(line);
  add_header("Expect:");  // no 100-continue round trip before a body

  if (req.method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else if (req.body_fd >= 0) {
    set(CURLOPT_UPLOAD, 1L);
    set(CURLOPT_READFUNCTION, &on_registry_read);
    set(CURLOPT_READDATA, static_cast<void*>(&x));
    set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body_length));
    set(CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method != "GET") {
    set(CURLOPT_POSTFIELDS, req.body.data());
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    set(CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  set(CURLOPT_HTTPHEADER, headers.get());

  CURLcode rc = curl.curl_easy_perform(h);
  char* final_url = nullptr;
  curl.curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &final_url);
  response.url = final_url ? final_url : req.url;
  curl.curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  // The handle keeps pointers into this frame's data until the next reset.
  set(CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  auto fail = [&](const std::string& why) -> Error {
    return Error(req.method + " " + shown + ": " + why);
  };
  if (x.read_error) throw fail(std::string("read request body: ") + std::strerror(x.read_error));
  if (x.too_large) throw fail("response exceeds " + std::to_string(req.max_body) + " bytes");
  if (x.sink_error) std::rethrow_exception(x.sink_error);
  if (x.sink_stopped) throw fail("transfer stopped");
  if (rc == CURLE_TOO_MANY_REDIRECTS) throw fail("stopped after 10 redirects");
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw fail(std::string("timed out: ") + (error[0] ? error : "no data"));
  if (rc != CURLE_OK) throw fail(error[0] ? error : curl.curl_easy_strerror(rc));
  if (response.reason.empty()) response.reason = std::string(http_status_text(response.status));
  return response;
}

}  // namespace berth::registry
