// A tiny HTTP/1.1 server on 127.0.0.1 for tests of berth's downloads (common/http_fetch.h):
// one thread, one connection at a time, each answered with the raw bytes the test's handler
// returns for the request path (status line, headers and body, written as they are), or
// never answered when the handler returns nullopt (the connection is held open until the
// server is destroyed). The richer form (Request → Reply) sees the method and headers and may
// send part of a response and then hold the connection open (a stalled body). A connection
// that opens with a TLS handshake is closed at once (as a plain-HTTP server refuses one), so a
// client trying HTTPS first falls back to HTTP. Header-only, test use only.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace berth::test {

class HttpTestServer {
 public:
  using Handler = std::function<std::optional<std::string>(const std::string& path)>;

  struct Request {
    std::string method, path;
    std::string head;  // the request line and headers, as received
    // A header's value ("" when absent); name matched case-insensitively.
    std::string header(const std::string& name) const {
      std::string lower_head = lower(head), key = "\r\n" + lower(name) + ":";
      size_t at = lower_head.find(key);
      if (at == std::string::npos) return "";
      size_t start = head.find_first_not_of(' ', at + key.size());
      size_t end = head.find("\r\n", start);
      return head.substr(start, end - start);
    }
  };
  struct Reply {
    std::optional<std::string> bytes;  // nullopt: never answered
    bool hold_open = false;            // after the bytes, keep the connection open, silent
  };
  using RequestHandler = std::function<Reply(const Request&)>;

  explicit HttpTestServer(Handler handler)
      : HttpTestServer(RequestHandler([h = std::move(handler)](const Request& r) {
          return Reply{h(r.path), false};
        })) {}

  explicit HttpTestServer(RequestHandler handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) < 0 ||
        ::listen(listen_fd_, 16) < 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) < 0)
      throw std::runtime_error("test http server: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    if (::pipe2(stop_, O_CLOEXEC) < 0) throw std::runtime_error("test http server: pipe");
    thread_ = std::thread([this] { serve(); });
  }

  ~HttpTestServer() {
    char c = 0;
    (void)!::write(stop_[1], &c, 1);
    thread_.join();
    for (int fd : held_) ::close(fd);
    ::close(listen_fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }

  // "http://127.0.0.1:PORT" + path.
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  // How many requests arrived, and the last request's head (request line and headers).
  int requests() const { return requests_.load(); }
  std::string last_request() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_request_;
  }
  // The request line of every request so far ("GET /v2/ HTTP/1.1"), oldest first.
  std::vector<std::string> request_lines() const {
    std::lock_guard<std::mutex> lock(mu_);
    return all_requests_;
  }

  // A response with the given status line tail ("200 OK"), extra header lines and body.
  static std::string response(const std::string& status, const std::string& headers,
                              const std::string& body) {
    return "HTTP/1.1 " + status + "\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n" + headers + "\r\n" + body;
  }

 private:
  // False when stop was asked while waiting.
  bool wait_readable(int fd) {
    pollfd p[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    for (;;) {
      int n = ::poll(p, 2, -1);
      if (n < 0 && errno == EINTR) continue;
      return n > 0 && !(p[1].revents & POLLIN);
    }
  }

  void serve() {
    while (wait_readable(listen_fd_)) {
      int conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::string head;
      char buf[4096];
      while (head.find("\r\n\r\n") == std::string::npos && (head.empty() || head[0] != '\x16') &&
             wait_readable(conn)) {
        ssize_t n = ::read(conn, buf, sizeof buf);
        if (n <= 0) break;
        head.append(buf, static_cast<size_t>(n));
      }
      if (!head.empty() && head[0] == '\x16') {  // a TLS ClientHello
        ::close(conn);
        continue;
      }
      ++requests_;
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_request_ = head;
        all_requests_.push_back(head.substr(0, head.find("\r\n")));
      }
      Request req;
      req.head = head;
      size_t sp1 = head.find(' ');
      size_t sp2 = sp1 == std::string::npos ? sp1 : head.find(' ', sp1 + 1);
      req.method = head.substr(0, sp1);
      req.path = sp2 == std::string::npos ? "/" : head.substr(sp1 + 1, sp2 - sp1 - 1);
      Reply reply = handler_(req);
      if (!reply.bytes) {
        held_.push_back(conn);
        continue;
      }
      for (size_t off = 0; off < reply.bytes->size();) {
        ssize_t n =
            ::send(conn, reply.bytes->data() + off, reply.bytes->size() - off, MSG_NOSIGNAL);
        if (n <= 0) break;
        off += static_cast<size_t>(n);
      }
      if (reply.hold_open) {
        held_.push_back(conn);
        continue;
      }
      ::shutdown(conn, SHUT_WR);
      ::close(conn);
    }
  }

  static std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  RequestHandler handler_;
  int listen_fd_ = -1;
  int stop_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<int> requests_{0};
  mutable std::mutex mu_;
  std::string last_request_;
  std::vector<std::string> all_requests_;
  std::vector<int> held_;
  std::thread thread_;
};

}  // namespace berth::test
