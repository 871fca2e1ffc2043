#include "network/dns_udp_batch.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace berth::network {
namespace {

// A non-blocking UDP socket on 127.0.0.1, any port.
int loopback_socket(sockaddr_in& addr) {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return fd;
}

TEST(UdpBatch, ReceivesManyAndRepliesToEach) {
  sockaddr_in server_addr, client_addr;
  int server = loopback_socket(server_addr), client = loopback_socket(client_addr);
  for (uint8_t i = 0; i < 40; ++i) {
    uint8_t msg[3] = {i, i, i};
    ASSERT_EQ(::sendto(client, msg, sizeof msg, 0, reinterpret_cast<sockaddr*>(&server_addr),
                       sizeof server_addr),
              3);
  }
  std::vector<uint8_t> big(UdpBatch::kMaxDatagram + 10, 7);
  ::sendto(client, big.data(), big.size(), 0, reinterpret_cast<sockaddr*>(&server_addr),
           sizeof server_addr);
  UdpBatch batch;
  ASSERT_EQ(batch.receive(server), UdpBatch::kSize);
  for (size_t i = 0; i < UdpBatch::kSize; ++i) {
    auto d = batch.datagram(i);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0], i);
    EXPECT_EQ(batch.source(i).sin_port, client_addr.sin_port);
    batch.queue(batch.source(i), {d[0], 0xAA});
  }
  batch.flush(server);
  ASSERT_EQ(batch.receive(server), 9u);  // the other 8, and the oversized one
  EXPECT_EQ(batch.datagram(0).size(), 3u);
  EXPECT_TRUE(batch.datagram(8).empty());  // truncated: dropped
  EXPECT_EQ(batch.receive(server), 0u);
  for (uint8_t i = 0; i < UdpBatch::kSize; ++i) {
    uint8_t reply[8];
    ASSERT_EQ(::recv(client, reply, sizeof reply, 0), 2);
    EXPECT_EQ(reply[0], i);
    EXPECT_EQ(reply[1], 0xAA);
  }
  ::close(server);
  ::close(client);
}

}  // namespace
}  // namespace berth::network
