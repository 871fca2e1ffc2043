// A registry that misbehaves on purpose, for the pull security tests: the distribution API
// (/v2/, manifests, blobs) over plain HTTP on 127.0.0.1 (tests/support/http_test_server.h),
// serving one image hostile/x:1 (a config and one gzip layer made here) with one scripted
// fault. Header-only, test use only.
#pragma once

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "common/crypto_lib.h"
#include "tests/support/harness.h"
#include "tests/support/http_test_server.h"

namespace berth::test {

// One tar entry, for layers written by hand (ustar; names up to 100 bytes).
struct TarEntry {
  std::string name;
  char type = '0';  // '0' file, '5' directory, '2' symlink
  std::string content;
  std::string link;
  int mode = 0644;
};

inline std::string tar_bytes(const std::vector<TarEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    char h[512] = {};
    std::snprintf(h, 100, "%s", e.name.c_str());
    std::snprintf(h + 100, 8, "%07o", e.mode);
    std::snprintf(h + 108, 8, "%07o", 0);
    std::snprintf(h + 116, 8, "%07o", 0);
    std::snprintf(h + 124, 12, "%011llo",
                  static_cast<unsigned long long>(e.type == '0' ? e.content.size() : 0));
    std::snprintf(h + 136, 12, "%011o", 0);
    std::memset(h + 148, ' ', 8);
    h[156] = e.type;
    std::snprintf(h + 157, 100, "%s", e.link.c_str());
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    h[155] = ' ';
    out.append(h, 512);
    if (e.type == '0') {
      out += e.content;
      out.append((512 - e.content.size() % 512) % 512, '\0');
    }
  }
  out.append(1024, '\0');
  return out;
}

// gzip of data (the gzip program; data is small).
inline std::string gzip_bytes(const std::string& data) {
  auto r = run_command({"/bin/sh", "-c", "exec gzip -n -c"}, data);
  return r.out;
}

// gzip of data in stored (uncompressed) deflate blocks: its size depends only on data's, so
// two tars of one size give two gzip layers of one size (python3: the build needs it anyway).
inline std::string gzip_stored_bytes(const std::string& data) {
  auto r =
      run_command({"/usr/bin/python3", "-c",
                   "import gzip, sys; "
                   "sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read(), 0, mtime=0))"},
                  data);
  return r.out;
}

inline std::string sha256_digest(const std::string& data) {
  return "sha256:" + berth::sha256_hex(data);
}

class HostileRegistry {
 public:
  enum class Fault {
    kNone,
    kDigestMismatch,     // another valid layer of the same size is served: a sound gzip tar
                         // whose file says "HELLO" instead of "hello"; only the digests tell
    kBlobDigestOnly,     // the same tar in a gzip whose header's OS byte differs: same size,
                         // same diff ID, only the blob's digest is wrong
    kTruncated,          // the layer's body stops halfway (the connection closes)
    kHugeLayer,          // the manifest says the layer is 10 GiB; the body stalls after 1 MiB
    kPathTraversal,      // the layer holds ../ entries (layer_entries() replaced by the test)
    kRedirectLoop,       // the layer's URL redirects in a circle
    kTokenNeverAnswers,  // /v2/ asks for a Bearer token; the token endpoint never answers
    kOversizedBody,      // the layer's body has 64 KiB more than its descriptor's size
    kHugeManifest,       // the manifest's body is 8 MiB (JSON padded with spaces)
  };

  static constexpr long long kHugeSize = 10LL << 30;

  // The layer's entries default to one small file; pass others (a path traversal) to serve them.
  explicit HostileRegistry(Fault fault, std::vector<TarEntry> layer_entries = {})
      : fault_(fault),
        img_(make_image(fault, std::move(layer_entries))),
        server_(HttpTestServer::RequestHandler(
            [this](const HttpTestServer::Request& r) { return handle(r); })) {}

  // "127.0.0.1:PORT/hostile/x:1"
  std::string reference() const { return server_.authority() + "/hostile/x:1"; }
  const std::string& layer_digest() const { return img_.layer_digest; }
  const std::string& manifest_digest() const { return img_.manifest_digest; }
  const std::string& config_digest() const { return img_.config_digest; }
  // The fault from now on (a test's second pull, e.g. a resume after a truncated body).
  void set_fault(Fault fault) { fault_ = fault; }
  // The Range header of every GET of the layer ("" when it had none), in order.
  std::vector<std::string> layer_ranges() const {
    std::lock_guard<std::mutex> lock(mu_);
    return layer_ranges_;
  }
  const HttpTestServer& server() const { return server_; }
  // The request lines so far, for a failure message.
  std::string requests() const {
    std::string out;
    for (const auto& l : server_.request_lines()) out += "  " + l + "\n";
    return out;
  }

 private:
  struct Image {
    std::string layer, layer_digest, config, config_digest, manifest, manifest_digest;
    std::string substitute;  // kDigestMismatch, kBlobDigestOnly: served instead of layer
  };

  static Image make_image(Fault fault, std::vector<TarEntry> layer_entries) {
    if (layer_entries.empty())
      layer_entries = {{"hello.txt", '0', "hello from a hostile registry\n", "", 0644}};
    Image m;
    std::string tar = tar_bytes(layer_entries);
    if (fault == Fault::kDigestMismatch) {
      // Stored gzip, so that the substitute has the same size and passes every check but the
      // digest (the extractor unpacks it without complaint).
      m.layer = gzip_stored_bytes(tar);
      for (auto& e : layer_entries)
        for (auto& c : e.content)
          c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      m.substitute = gzip_stored_bytes(tar_bytes(layer_entries));
    } else {
      m.layer = gzip_bytes(tar);
      m.substitute = m.layer;
      m.substitute[9] = static_cast<char>(m.substitute[9] == '\xff' ? 3 : 0xff);  // gzip OS
    }
    m.layer_digest = sha256_digest(m.layer);
    m.config = R"({"architecture":"amd64","os":"linux","config":{"Cmd":["/hello.txt"]},)"
               R"("rootfs":{"type":"layers","diff_ids":[")" +
               sha256_digest(tar) + R"("]},"history":[{"created_by":"hostile"}]})";
    m.config_digest = sha256_digest(m.config);
    long long layer_size =
        fault == Fault::kHugeLayer ? kHugeSize : static_cast<long long>(m.layer.size());
    m.manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                 R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
                 m.config_digest + R"(","size":)" + std::to_string(m.config.size()) +
                 R"(},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip",)"
                 R"("digest":")" +
                 m.layer_digest + R"(","size":)" + std::to_string(layer_size) + "}]}";
    m.manifest_digest = sha256_digest(m.manifest);
    return m;
  }

  static HttpTestServer::Reply reply(const std::string& status, const std::string& headers,
                                     const std::string& body, bool head_only = false) {
    std::string r = "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\nConnection: close\r\nDocker-Distribution-API-Version: registry/2.0\r\n" +
                    headers + "\r\n";
    if (!head_only) r += body;
    return {r, false};
  }

  HttpTestServer::Reply handle(const HttpTestServer::Request& r) {
    const std::string base = "/v2/hostile/x/";
    bool head = r.method == "HEAD";
    if (r.path == "/token" || r.path.rfind("/token?", 0) == 0) {
      if (fault_ == Fault::kTokenNeverAnswers) return {std::nullopt, false};
      return reply("200 OK", "Content-Type: application/json\r\n", R"({"token":"t"})");
    }
    if (fault_ == Fault::kTokenNeverAnswers && r.header("Authorization").empty()) {
      return reply("401 Unauthorized",
                   "Content-Type: application/json\r\nWWW-Authenticate: Bearer realm=\"http://" +
                       server_.authority() +
                       "/token\",service=\"hostile\",scope=\"repository:hostile/x:pull\"\r\n",
                   R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})",
                   head);
    }
    if (r.path == "/v2/" || r.path == "/v2")
      return reply("200 OK", "Content-Type: application/json\r\n", "{}", head);
    if (fault_ == Fault::kHugeManifest && r.path == base + "manifests/1") {
      std::string body = img_.manifest;
      body.insert(1, std::string(8 << 20, ' '));
      return reply("200 OK", "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n", body,
                   head);
    }
    if (r.path == base + "manifests/1" || r.path == base + "manifests/" + img_.manifest_digest)
      return reply("200 OK",
                   "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n"
                   "Docker-Content-Digest: " +
                       img_.manifest_digest + "\r\n",
                   img_.manifest, head);
    if (r.path == base + "blobs/" + img_.config_digest)
      return reply("200 OK", "Content-Type: application/octet-stream\r\n", img_.config, head);
    if (r.path == base + "blobs/" + img_.layer_digest) {
      if (!head) {
        std::lock_guard<std::mutex> lock(mu_);
        layer_ranges_.push_back(r.header("Range"));
      }
      return layer(head);
    }
    // The redirect loop's two stops.
    if (r.path == "/loop/a") return reply("307 Temporary Redirect", "Location: /loop/b\r\n", "");
    if (r.path == "/loop/b") return reply("307 Temporary Redirect", "Location: /loop/a\r\n", "");
    return reply("404 Not Found", "Content-Type: application/json\r\n",
                 R"({"errors":[{"code":"NOT_FOUND","message":"not found"}]})", head);
  }

  HttpTestServer::Reply layer(bool head) {
    const std::string type = "Content-Type: application/octet-stream\r\n";
    switch (fault_) {
      case Fault::kDigestMismatch:
      case Fault::kBlobDigestOnly:
        return reply("200 OK", type, img_.substitute, head);
      case Fault::kTruncated: {
        auto full = reply("200 OK", type, img_.layer, head);
        if (!head) full.bytes->resize(full.bytes->size() - img_.layer.size() / 2);
        return full;
      }
      case Fault::kHugeLayer: {
        std::string r = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kHugeSize) + "\r\n" +
                        type + "\r\n";
        if (head) return {r, false};
        r.append(1 << 20, '\0');
        return {r, true};
      }
      case Fault::kOversizedBody:
        return reply("200 OK", type, img_.layer + std::string(64 << 10, 'x'), head);
      case Fault::kRedirectLoop:
        return reply("307 Temporary Redirect", "Location: /loop/a\r\n", "");
      default:
        return reply("200 OK", type, img_.layer, head);
    }
  }

  std::atomic<Fault> fault_;
  Image img_;
  mutable std::mutex mu_;
  std::vector<std::string> layer_ranges_;
  HttpTestServer server_;  // last: its thread calls handle(), which reads the members above
};

}  // namespace berth::test
