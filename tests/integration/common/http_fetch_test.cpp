// fetch_url against a server in the test process on 127.0.0.1 (tests/support/http_test_server.h):
// what Dockerfile `ADD <url>` gets back (body, digest, name, mtime) and how each failure reads.
#include "common/http_fetch.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/crypto_lib.h"
#include "common/error.h"
#include "sys/unique_fd.h"
#include "tests/support/http_test_server.h"

namespace berth {
namespace {

namespace fs = std::filesystem;
using test::HttpTestServer;

class HttpFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-fetch-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    out_.reset(::open((dir_ / "out").c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    ASSERT_TRUE(out_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string written() const {
    std::ifstream f(dir_ / "out", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }

  // The message fetch_url throws, "" when it does not.
  std::string error_of(const std::string& url, const FetchOptions& options = {}) {
    try {
      fetch_url(url, out_.get(), options);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
  sys::UniqueFd out_;
};

TEST_F(HttpFetchTest, BodyDigestNameAndMtime) {
  const std::string body = "hello from the test server\n";
  HttpTestServer server([&](const std::string&) {
    return HttpTestServer::response("200 OK",
                                    "Content-Disposition: attachment; filename=\"tool.tgz\"\r\n"
                                    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
                                    body);
  });
  FetchResult r = fetch_url(server.url("/releases/latest"), out_.get());
  EXPECT_EQ(written(), body);
  EXPECT_EQ(r.bytes, static_cast<int64_t>(body.size()));
  EXPECT_EQ(r.digest, "sha256:" + sha256_hex(body));
  EXPECT_EQ(r.filename, "tool.tgz");
  ASSERT_TRUE(r.last_modified);
  EXPECT_EQ(*r.last_modified, 784111777);
  EXPECT_NE(server.last_request().find("User-Agent: berth/"), std::string::npos);
}

TEST_F(HttpFetchTest, NameFromTheRequestedUrlAfterARedirect) {
  HttpTestServer server([](const std::string& path) -> std::optional<std::string> {
    if (path == "/latest")
      return HttpTestServer::response("302 Found", "Location: /v1.2/tool-1.2.tar\r\n", "");
    return HttpTestServer::response("200 OK", "", "v1.2");
  });
  FetchResult r = fetch_url(server.url("/latest"), out_.get());
  EXPECT_EQ(written(), "v1.2");
  EXPECT_EQ(r.filename, "latest");
  EXPECT_EQ(r.final_url, server.url("/v1.2/tool-1.2.tar"));
  EXPECT_FALSE(r.last_modified);
}

TEST_F(HttpFetchTest, NotFoundNamesStatusAndWritesNothing) {
  HttpTestServer server([](const std::string&) {
    return HttpTestServer::response("404 Not Found", "", "error page");
  });
  EXPECT_EQ(error_of(server.url("/x/y")),
            "failed to GET " + server.url("/x/y") + " with status 404 Not Found");
  EXPECT_EQ(written(), "");
}

TEST_F(HttpFetchTest, PasswordIsMaskedInMessages) {
  HttpTestServer server(
      [](const std::string&) { return HttpTestServer::response("403 Forbidden", "", ""); });
  std::string url = "http://alice:s3cret@" + server.authority() + "/f";
  std::string msg = error_of(url);
  EXPECT_EQ(msg, "failed to GET http://alice:xxxxx@" + server.authority() +
                     "/f with status 403 Forbidden");
  EXPECT_EQ(msg.find("s3cret"), std::string::npos);
}

TEST_F(HttpFetchTest, RedirectLoopIsBounded) {
  HttpTestServer server([](const std::string&) {
    return HttpTestServer::response("302 Found", "Location: /loop\r\n", "");
  });
  EXPECT_EQ(error_of(server.url("/loop")),
            "failed to GET " + server.url("/loop") + ": stopped after 10 redirects");
  EXPECT_EQ(server.requests(), 11);
}

TEST_F(HttpFetchTest, SilentServerTimesOut) {
  HttpTestServer server([](const std::string&) { return std::nullopt; });
  FetchOptions options;
  options.idle_timeout_ms = 1000;
  auto start = std::chrono::steady_clock::now();
  std::string msg = error_of(server.url("/hang"), options);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(msg.rfind("failed to GET " + server.url("/hang") + ": timed out: ", 0), 0u) << msg;
  EXPECT_LT(took, std::chrono::seconds(10));
}

TEST_F(HttpFetchTest, TotalTimeoutBoundsTheFetch) {
  HttpTestServer server([](const std::string&) { return std::nullopt; });
  FetchOptions options;
  options.idle_timeout_ms = 0;
  options.total_timeout_ms = 500;
  auto start = std::chrono::steady_clock::now();
  std::string msg = error_of(server.url("/hang"), options);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(msg.rfind("failed to GET " + server.url("/hang") + ": timed out: ", 0), 0u) << msg;
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST_F(HttpFetchTest, BodyOverTheLimitWithContentLength) {
  HttpTestServer server([](const std::string&) {
    return HttpTestServer::response("200 OK", "", std::string(10000, 'a'));
  });
  FetchOptions options;
  options.max_bytes = 4096;
  EXPECT_EQ(error_of(server.url("/big"), options),
            "failed to GET " + server.url("/big") + ": body exceeds 4096 bytes");
  EXPECT_LE(written().size(), 4096u);
}

TEST_F(HttpFetchTest, BodyOverTheLimitWithoutContentLength) {
  HttpTestServer server([](const std::string&) -> std::optional<std::string> {
    return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(100000, 'b');
  });
  FetchOptions options;
  options.max_bytes = 4096;
  EXPECT_EQ(error_of(server.url("/stream"), options),
            "failed to GET " + server.url("/stream") + ": body exceeds 4096 bytes");
  EXPECT_LE(written().size(), 4096u);
}

TEST_F(HttpFetchTest, BodyAtTheLimitIsFine) {
  HttpTestServer server([](const std::string&) {
    return HttpTestServer::response("200 OK", "", std::string(4096, 'c'));
  });
  FetchOptions options;
  options.max_bytes = 4096;
  EXPECT_EQ(fetch_url(server.url("/exact"), out_.get(), options).bytes, 4096);
}

TEST_F(HttpFetchTest, LargeBodyDigestIsStreamed) {
  std::string body;
  for (int i = 0; i < 300000; ++i) body += static_cast<char>(i * 31 + i / 7);
  HttpTestServer server(
      [&](const std::string&) { return HttpTestServer::response("200 OK", "", body); });
  FetchResult r = fetch_url(server.url("/blob.bin"), out_.get());
  EXPECT_EQ(r.digest, "sha256:" + sha256_hex(body));
  EXPECT_EQ(r.filename, "blob.bin");
  EXPECT_EQ(written(), body);
}

TEST_F(HttpFetchTest, OnlyHttpAndHttps) {
  EXPECT_EQ(error_of("file:///etc/passwd"),
            "failed to GET file:///etc/passwd: unsupported protocol scheme \"file\"");
  EXPECT_EQ(error_of("ftp://127.0.0.1/x"),
            "failed to GET ftp://127.0.0.1/x: unsupported protocol scheme \"ftp\"");
  EXPECT_EQ(error_of("127.0.0.1/x"), "failed to GET 127.0.0.1/x: unsupported protocol scheme \"\"");
}

TEST_F(HttpFetchTest, RedirectToFileIsRefused) {
  HttpTestServer server([](const std::string&) {
    return HttpTestServer::response("302 Found", "Location: file:///etc/passwd\r\n", "");
  });
  std::string msg = error_of(server.url("/r"));
  EXPECT_EQ(msg.rfind("failed to GET " + server.url("/r") + ": ", 0), 0u) << msg;
  EXPECT_EQ(written(), "");
}

TEST_F(HttpFetchTest, ConnectionRefused) {
  int port;
  {
    HttpTestServer server([](const std::string&) { return std::nullopt; });
    port = std::stoi(server.authority().substr(10));
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  std::string msg = error_of(url);
  EXPECT_EQ(msg.rfind("failed to GET " + url + ": ", 0), 0u) << msg;
}

TEST_F(HttpFetchTest, LoopbackIsNeverProxied) {
  // Go's ProxyFromEnvironment, which Docker uses, never proxies localhost or a loopback IP.
  HttpTestServer server(
      [](const std::string&) { return HttpTestServer::response("200 OK", "", "direct"); });
  const char* saved = std::getenv("http_proxy");
  std::string old = saved ? saved : "";
  ::setenv("http_proxy", "http://127.0.0.1:9/", 1);  // the discard port: nothing answers
  std::string msg = error_of(server.url("/x"));
  if (saved)
    ::setenv("http_proxy", old.c_str(), 1);
  else
    ::unsetenv("http_proxy");
  EXPECT_EQ(msg, "");
  EXPECT_EQ(written(), "direct");
}

}  // namespace
}  // namespace berth
