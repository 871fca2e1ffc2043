// Many datagrams per system call for the DNS server's UDP sockets: recvmmsg(2) and
// sendmmsg(2). Under load the server is bound by system calls, not by its own work (perf: ~70%
// of its time in the kernel with one recvfrom and one sendto per query), so reading and
// answering a batch at once is what raises its queries/s. Plain fds, no Asio: the server waits
// for readability with Asio and then drains through this.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace berth::network {

class UdpBatch {
 public:
  static constexpr size_t kSize = 32;
  // Longer datagrams are no DNS query berth answers (a query is a name and an OPT record);
  // the kernel truncates them and receive() drops them.
  static constexpr size_t kMaxDatagram = 4096;

  UdpBatch();
  UdpBatch(const UdpBatch&) = delete;
  UdpBatch& operator=(const UdpBatch&) = delete;

  // Receives up to kSize datagrams from the non-blocking IPv4 socket fd. Returns how many are
  // readable with datagram()/source() (0 when none waited or on error). Each call replaces
  // the previous batch.
  size_t receive(int fd);
  std::span<const uint8_t> datagram(size_t i) const;
  const sockaddr_in& source(size_t i) const { return from_[i]; }

  // Queues a reply to `to`; flush() sends every queued reply.
  void queue(const sockaddr_in& to, std::vector<uint8_t> bytes);
  // Sends the queue with sendmmsg without blocking; what the socket will not take is dropped,
  // as the network could drop it (the client retries). Empties the queue.
  void flush(int fd);

 private:
  std::vector<uint8_t> buf_;
  mmsghdr in_[kSize];
  iovec in_iov_[kSize];
  sockaddr_in from_[kSize];
  size_t received_ = 0;
  bool valid_[kSize] = {};

  std::vector<std::vector<uint8_t>> out_;
  std::vector<sockaddr_in> to_;
};

}  // namespace berth::network
