// The DNS server process against a real resolver (dig, from dnsutils) on loopback: listeners on
// 127.0.10.1 and 127.0.20.1 stand for two networks' gateways, dig -b picks the asking
// "container", and a fake upstream on 127.0.0.1 stands for the host's resolver, so no packet
// leaves the machine.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/atomic_file.h"
#include "common/file_lock.h"
#include "network/dns_message.h"
#include "network/dns_server.h"
#include "tests/support/harness.h"

namespace berth::network {
namespace {

namespace fs = std::filesystem;
using test::run_command;

// A port free for UDP and TCP on the given loopback address (bound, then released).
uint16_t free_port(const char* addr) {
  for (int tries = 0; tries < 20; ++tries) {
    int u = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, addr, &sa.sin_addr);
    socklen_t len = sizeof sa;
    ::bind(u, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    ::getsockname(u, reinterpret_cast<sockaddr*>(&sa), &len);
    int t = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool ok = ::bind(t, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
    ::close(u);
    ::close(t);
    if (ok) return ntohs(sa.sin_port);
  }
  return 0;
}

int bound_socket(int type, uint16_t port) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) _exit(3);
  if (type == SOCK_STREAM) ::listen(fd, 8);
  return fd;
}

// The fake host resolver: answers every A query with 203.0.113.7, except "slow.test" which it
// never answers. Runs in a forked child until killed.
std::vector<uint8_t> upstream_answer(std::span<const uint8_t> q, bool& silent) {
  auto p = dns::parse_query(q);
  silent =
      p.status != dns::QueryStatus::kOk || dns::equal_names(p.query.question.name, "slow.test");
  if (silent) return {};
  std::vector<dns::ResourceRecord> rrs;
  if (p.query.question.type == dns::kTypeA)
    rrs.push_back(dns::a_record(p.query.question.name, Ipv4Address{0xCB007107}, 30));
  return dns::build_response(p.query, dns::Rcode::kNoError, rrs, 65535, false);
}

[[noreturn]] void fake_upstream(uint16_t port) {
  int u = bound_socket(SOCK_DGRAM, port), t = bound_socket(SOCK_STREAM, port);
  while (true) {
    pollfd fds[2] = {{u, POLLIN, 0}, {t, POLLIN, 0}};
    ::poll(fds, 2, -1);
    uint8_t buf[65536];
    bool silent = false;
    if (fds[0].revents & POLLIN) {
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n = ::recvfrom(u, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      std::span<const uint8_t> q(buf, n > 0 ? size_t(n) : 0);
      auto r = upstream_answer(q, silent);
      auto p = dns::parse_query(q);
      if (!silent && dns::equal_names(p.query.question.name, "spoof.test")) {
        // An off-path attacker's guess: wrong id, another address. Must be ignored.
        auto forged = r;
        forged[1] ^= 1;
        forged[forged.size() - 1] = 66;
        ::sendto(u, forged.data(), forged.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
      }
      if (!silent) ::sendto(u, r.data(), r.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
    if (fds[1].revents & POLLIN) {
      int c = ::accept4(t, nullptr, nullptr, SOCK_CLOEXEC);
      uint8_t lenb[2];
      if (c >= 0 && ::recv(c, lenb, 2, MSG_WAITALL) == 2) {
        size_t want = size_t{lenb[0]} << 8 | lenb[1];
        ssize_t n = ::recv(c, buf, want, MSG_WAITALL);
        auto r = upstream_answer(std::span<const uint8_t>(buf, n > 0 ? size_t(n) : 0), silent);
        std::vector<uint8_t> framed = {uint8_t(r.size() >> 8), uint8_t(r.size())};
        framed.insert(framed.end(), r.begin(), r.end());
        if (!silent) ::send(c, framed.data(), framed.size(), MSG_NOSIGNAL);
      }
      if (c >= 0) ::close(c);
    }
  }
}

std::string table_json(uint16_t upstream_port, bool with_newbie) {
  std::string json = R"({
    "upstreams": ["127.0.0.1:)" +
                     std::to_string(upstream_port) + R"("],
    "networks": [
      {"name": "front", "subnet": "127.0.10.0/24", "gateway": "127.0.10.1"},
      {"name": "back", "subnet": "127.0.20.0/24", "gateway": "127.0.20.1", "internal": true})";
  if (with_newbie)
    json += R"(, {"name": "third", "subnet": "127.0.30.0/24", "gateway": "127.0.30.1"})";
  json += R"(],
    "containers": [
      {"id": "aaaaaaaaaaaa1111", "name": "web1", "hostname": "webhost",
       "endpoints": [{"network": "front", "ipv4": "127.0.10.2", "aliases": ["web"]}]},
      {"id": "bbbbbbbbbbbb2222", "name": "web2",
       "endpoints": [{"network": "front", "ipv4": "127.0.10.3", "aliases": ["web"]}]},
      {"id": "cccccccccccc3333", "name": "db",
       "endpoints": [{"network": "back", "ipv4": "127.0.20.3", "aliases": ["database"]}]})";
  if (with_newbie)
    json += R"(, {"id": "dddddddddddd4444", "name": "newbie",
       "endpoints": [{"network": "front", "ipv4": "127.0.10.9"},
                     {"network": "third", "ipv4": "127.0.30.9"}]})";
  return json + "]}";
}

class DnsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/dig"))
      GTEST_SKIP() << "dig missing (dnsutils, scripts/setup-debian.sh)";
    dir_ = berth::test::make_temp_dir("berth-dns-");
    port_ = free_port("127.0.10.1");
    upstream_port_ = free_port("127.0.0.1");
    ASSERT_NE(port_, 0);
    write_file_atomic(dir_ / "table.json", table_json(upstream_port_, false));
    upstream_pid_ = ::fork();
    if (upstream_pid_ == 0) fake_upstream(upstream_port_);
    start_server();
  }
  DnsServerOptions options() {
    DnsServerOptions o;
    o.table = dir_ / "table.json";
    o.port = port_;
    o.forward_timeout = std::chrono::milliseconds(300);
    o.pid_file = dns_pid_path(dir_);
    return o;
  }
  void start_server() {
    server_pid_ = spawn_server(options());
    ASSERT_GT(server_pid_, 0) << "server failed to start";
  }
  // Forks a server with `o`; returns its pid once it is ready, or -(exit status) if it
  // exited before being ready.
  static pid_t spawn_server(DnsServerOptions o) {
    int ready[2];
    if (::pipe2(ready, O_CLOEXEC) != 0) return -1;
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ready[0]);
      o.ready_fd = ready[1];
      _exit(run_dns_server(o));
    }
    ::close(ready[1]);
    char c = 0;
    pollfd p{ready[0], POLLIN, 0};
    bool ok = ::poll(&p, 1, 10000) == 1 && ::read(ready[0], &c, 1) == 1;
    ::close(ready[0]);
    if (ok) return pid;
    int status = 0;
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? -WEXITSTATUS(status) : -128;
  }
  void TearDown() override {
    for (pid_t pid : {server_pid_, upstream_pid_}) {
      if (pid <= 0) continue;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // dig @server -b source args...: stdout, or "" when dig failed.
  std::string dig(const std::string& server, const std::string& source,
                  std::vector<std::string> args) {
    std::vector<std::string> argv = {
        "/usr/bin/dig", "@" + server, "-p",       std::to_string(port_),
        "-b",           source,       "+tries=1", "+time=2"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, "", 20);
    return r.exit_code == 0 ? r.out : "dig failed: " + r.out + r.err;
  }
  std::set<std::string> short_answers(const std::string& name, const std::string& type,
                                      const std::string& source = "127.0.10.2",
                                      const std::string& server = "127.0.10.1") {
    std::istringstream in(dig(server, source, {"+short", name, type}));
    std::set<std::string> out;
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.insert(line);
    return out;
  }
  std::set<std::string> socket_inodes() {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(server_pid_) + "/fd")) {
      std::error_code ec;
      auto target = fs::read_symlink(e.path(), ec).string();
      if (target.starts_with("socket:")) out.insert(target);
    }
    return out;
  }

  fs::path dir_;
  uint16_t port_ = 0, upstream_port_ = 0;
  pid_t server_pid_ = -1, upstream_pid_ = -1;
};

TEST_F(DnsServerTest, AnswersEveryReplicaOfAService) {
  EXPECT_EQ(short_answers("web", "A"), (std::set<std::string>{"127.0.10.2", "127.0.10.3"}));
  EXPECT_EQ(short_answers("WEBHOST.", "A"), (std::set<std::string>{"127.0.10.2"}));
  EXPECT_EQ(short_answers("bbbbbbbbbbbb", "A"), (std::set<std::string>{"127.0.10.3"}));
}

TEST_F(DnsServerTest, AaaaOfIpv4OnlyNameIsEmptyNoError) {
  auto out = dig("127.0.10.1", "127.0.10.2", {"web1", "AAAA"});
  EXPECT_NE(out.find("status: NOERROR"), std::string::npos) << out;
  EXPECT_NE(out.find("ANSWER: 0"), std::string::npos) << out;
  EXPECT_NE(out.find(" aa "), std::string::npos) << out;
}

TEST_F(DnsServerTest, AnswersPtrForContainerAddresses) {
  EXPECT_EQ(short_answers("3.10.0.127.in-addr.arpa", "PTR"), (std::set<std::string>{"web2."}));
  auto out = dig("127.0.10.1", "127.0.10.2", {"-x", "127.0.10.77"});
  EXPECT_NE(out.find("status: NXDOMAIN"), std::string::npos) << out;
}

TEST_F(DnsServerTest, ScopesNamesAndNeverForwardsFromInternalNetworks) {
  EXPECT_EQ(short_answers("database", "A", "127.0.20.3", "127.0.20.1"),
            (std::set<std::string>{"127.0.20.3"}));
  auto unknown = dig("127.0.20.1", "127.0.20.3", {"example.test", "A"});
  EXPECT_NE(unknown.find("status: NXDOMAIN"), std::string::npos) << unknown;
  auto other = dig("127.0.20.1", "127.0.20.3", {"web1", "A"});
  EXPECT_NE(other.find("status: NXDOMAIN"), std::string::npos) << other;
  EXPECT_TRUE(short_answers("database", "A").count("203.0.113.7"));  // front forwards it
}

TEST_F(DnsServerTest, ForwardsUnknownNamesToTheUpstream) {
  EXPECT_EQ(short_answers("example.test", "A"), (std::set<std::string>{"203.0.113.7"}));
  auto out = dig("127.0.10.1", "127.0.10.2", {"+tcp", "example.test", "A"});
  EXPECT_NE(out.find("203.0.113.7"), std::string::npos) << out;
}

TEST_F(DnsServerTest, IgnoresAnUpstreamAnswerWithTheWrongId) {
  EXPECT_EQ(short_answers("spoof.test", "A"), (std::set<std::string>{"203.0.113.7"}));
}

TEST_F(DnsServerTest, SilentUpstreamGivesServfailAfterTheDeadline) {
  auto start = std::chrono::steady_clock::now();
  auto out = dig("127.0.10.1", "127.0.10.2", {"slow.test", "A"});
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(out.find("status: SERVFAIL"), std::string::npos) << out;
  EXPECT_LT(took, std::chrono::milliseconds(1900));
}

TEST_F(DnsServerTest, AnswersOverTcp) {
  auto out = dig("127.0.10.1", "127.0.10.2", {"+tcp", "+short", "web1", "A"});
  EXPECT_EQ(out, "127.0.10.2\n");
}

// A query packet for `name`/A with the given id.
std::vector<uint8_t> raw_query(const std::string& name, uint16_t id) {
  std::vector<uint8_t> q = {uint8_t(id >> 8), uint8_t(id), 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  dns::encode_name(name, q);
  q.insert(q.end(), {0, dns::kTypeA, 0, 1});
  return q;
}

int connect_to(int type, const char* source, const char* addr, uint16_t port) {
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &sa.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  sa.sin_port = htons(port);
  ::inet_pton(AF_INET, addr, &sa.sin_addr);
  timeval tv{3, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

TEST_F(DnsServerTest, AnswersPipelinedTcpQueriesInOrder) {
  int fd = connect_to(SOCK_STREAM, "127.0.10.2", "127.0.10.1", port_);
  ASSERT_GE(fd, 0);
  std::vector<uint8_t> out;
  for (uint16_t id : {101, 102, 103}) {
    auto q = raw_query(id == 102 ? "web2" : "web1", id);
    out.push_back(uint8_t(q.size() >> 8));
    out.push_back(uint8_t(q.size()));
    out.insert(out.end(), q.begin(), q.end());
  }
  ASSERT_EQ(::send(fd, out.data(), out.size(), MSG_NOSIGNAL), ssize_t(out.size()));
  for (uint16_t id : {101, 102, 103}) {
    uint8_t len[2];
    ASSERT_EQ(::recv(fd, len, 2, MSG_WAITALL), 2);
    std::vector<uint8_t> body(size_t{len[0]} << 8 | len[1]);
    ASSERT_EQ(::recv(fd, body.data(), body.size(), MSG_WAITALL), ssize_t(body.size()));
    auto m = dns::parse_message(body);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->header.id, id);
    ASSERT_EQ(m->answers.size(), 1u);
    EXPECT_EQ(m->answers[0].rdata.back(), id == 102 ? 3 : 2);
  }
  ::close(fd);
}

TEST_F(DnsServerTest, GarbageDatagramsDoNotStopTheServer) {
  int fd = connect_to(SOCK_DGRAM, "127.0.10.2", "127.0.10.1", port_);
  ASSERT_GE(fd, 0);
  std::mt19937 rng(5);
  uint8_t buf[2048];
  for (int batch = 0; batch < 20; ++batch) {
    for (int i = 0; i < 100; ++i) {
      std::vector<uint8_t> junk(rng() % 600);
      for (auto& b : junk) b = uint8_t(rng());
      if (i % 2 && junk.size() > 2) junk[2] &= 0x07;  // opcode QUERY, QR clear: parsed further
      ::send(fd, junk.data(), junk.size(), 0);
    }
    // Drain the FORMERR replies so that this socket's buffer never drops ours.
    while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // forwarded junk times out
  while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
  }
  auto q = raw_query("web1", 4242);
  ::send(fd, q.data(), q.size(), 0);
  bool found = false;
  for (ssize_t n; !found && (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    found = n >= 2 && buf[0] == (4242 >> 8) && buf[1] == (4242 & 0xFF);
  EXPECT_TRUE(found);
  ::close(fd);
  EXPECT_EQ(short_answers("web1", "A"), (std::set<std::string>{"127.0.10.2"}));
}

TEST_F(DnsServerTest, ReloadsOnSighupWithoutClosingSockets) {
  EXPECT_TRUE(short_answers("newbie", "A").count("203.0.113.7"));  // unknown yet: forwarded
  auto before = socket_inodes();
  write_file_atomic(dir_ / "table.json", table_json(upstream_port_, true));
  ASSERT_EQ(::kill(server_pid_, SIGHUP), 0);
  std::set<std::string> got;
  for (int i = 0; i < 50 && got != std::set<std::string>{"127.0.10.9"}; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    got = short_answers("newbie", "A");
  }
  EXPECT_EQ(got, (std::set<std::string>{"127.0.10.9"}));
  auto after = socket_inodes();
  for (const auto& s : before) EXPECT_TRUE(after.count(s)) << s << " was closed";
  // The new network's gateway is served too, with that network's view.
  EXPECT_EQ(short_answers("newbie", "A", "127.0.30.9", "127.0.30.1"),
            (std::set<std::string>{"127.0.30.9"}));
}

TEST_F(DnsServerTest, BadTableOnReloadKeepsTheOldOne) {
  write_file_atomic(dir_ / "table.json", "{ not json");
  ASSERT_EQ(::kill(server_pid_, SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(short_answers("web1", "A"), (std::set<std::string>{"127.0.10.2"}));
  int status = 0;
  EXPECT_EQ(::waitpid(server_pid_, &status, WNOHANG), 0) << "server exited";
}

TEST_F(DnsServerTest, PidFileNamesTheRunningServerAndRefusesASecond) {
  auto pid = running_dns_server(dns_pid_path(dir_));
  ASSERT_TRUE(pid);
  EXPECT_EQ(*pid, server_pid_);
  auto o = options();
  o.port = free_port("127.0.10.1");
  EXPECT_EQ(spawn_server(o), -1);  // exit status 1: already running
  ::kill(server_pid_, SIGTERM);
  ::waitpid(server_pid_, nullptr, 0);
  server_pid_ = -1;
  EXPECT_FALSE(running_dns_server(dns_pid_path(dir_)));
}

TEST_F(DnsServerTest, BindsGatewaysNotYetOnAnyInterface) {
  // 198.51.100.0/24 (TEST-NET-2) is on no interface here; IP_FREEBIND binds it anyway, as the
  // server must when it starts before the bridge holding the gateway is up. Nothing is sent.
  auto o = options();
  o.pid_file = dir_ / "other" / "pid";
  o.port = free_port("127.0.10.1");  // the fixture's server holds the gateways' port
  o.listen = {"198.51.100.53"};
  pid_t pid = spawn_server(o);
  EXPECT_GT(pid, 0);
  if (pid > 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

TEST_F(DnsServerTest, ExitsWhenIdleWithNoNetwork) {
  write_file_atomic(dir_ / "empty.json", "{}");
  auto o = options();
  o.table = dir_ / "empty.json";
  o.pid_file = dir_ / "idle" / "pid";
  o.exit_when_idle = true;
  pid_t pid = ::fork();
  if (pid == 0) _exit(run_dns_server(o));
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// idle_grace: a reload that leaves no network starts the grace period; a reload with networks
// within it cancels the exit; once it runs out with the table still empty, the server exits,
// but only while it can take idle_lock (the writers' lock), and it gives up its pid lock first.
TEST_F(DnsServerTest, IdleServerStaysForTheGracePeriodThenExits) {
  ASSERT_EQ(::kill(server_pid_, SIGKILL), 0);
  ::waitpid(server_pid_, nullptr, 0);
  server_pid_ = -1;
  auto o = options();
  o.exit_when_idle = true;
  o.idle_grace = std::chrono::milliseconds(600);
  o.idle_lock = dir_ / "network.lock";
  server_pid_ = spawn_server(o);
  ASSERT_GT(server_pid_, 0);
  auto exited = [&](int within_ms) {
    for (int waited = 0; waited <= within_ms; waited += 20) {
      if (::waitpid(server_pid_, nullptr, WNOHANG) == server_pid_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  };
  const std::string full = table_json(upstream_port_, false);
  write_file_atomic(dir_ / "table.json", "{}");
  ASSERT_EQ(::kill(server_pid_, SIGHUP), 0);
  EXPECT_FALSE(exited(300));  // within the grace period: still there
  write_file_atomic(dir_ / "table.json", full);
  ASSERT_EQ(::kill(server_pid_, SIGHUP), 0);
  EXPECT_FALSE(exited(900));  // networks came back: the exit was cancelled
  EXPECT_FALSE(short_answers("web1", "A").empty());
  {
    FileLock writer(dir_ / "network.lock");  // a writer holds the lock past the grace period
    write_file_atomic(dir_ / "table.json", "{}");
    ASSERT_EQ(::kill(server_pid_, SIGHUP), 0);
    EXPECT_FALSE(exited(900));
    EXPECT_TRUE(running_dns_server(dns_pid_path(dir_)).has_value());
  }
  EXPECT_TRUE(exited(1000));
  server_pid_ = -1;
  EXPECT_FALSE(running_dns_server(dns_pid_path(dir_)).has_value());
}

// state_dirs: a state directory deleted, or replaced by a new one of the same name, ends the
// server (nothing could signal it any more); while they stay, it serves on.
TEST_F(DnsServerTest, ExitsWhenAStateDirectoryIsGone) {
  for (bool recreate : {false, true}) {
    const fs::path state = dir_ / "state";
    fs::create_directories(state);
    auto o = options();
    o.pid_file = dir_ / "watched" / "pid";
    o.port = free_port("127.0.10.1");  // the fixture's server holds the gateways' port
    o.state_dirs = {dir_, state};
    o.state_check_interval = std::chrono::milliseconds(50);
    pid_t pid = spawn_server(o);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(::waitpid(pid, nullptr, WNOHANG), 0) << "exited with its state in place";
    fs::remove_all(state);
    if (recreate) fs::create_directories(state);
    int status = -1;
    for (int waited = 0; waited < 2000 && ::waitpid(pid, &status, WNOHANG) == 0; waited += 20)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (status == -1) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "recreate=" << recreate;
  }
}

TEST_F(DnsServerTest, MissingTableFailsToStart) {
  auto o = options();
  o.table = dir_ / "missing.json";
  o.pid_file = dir_ / "missing" / "pid";
  EXPECT_EQ(spawn_server(o), -1);
}

TEST_F(DnsServerTest, StopsOnSigterm) {
  ASSERT_EQ(::kill(server_pid_, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(server_pid_, &status, 0), server_pid_);
  server_pid_ = -1;
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace berth::network
