#include "network/dns_udp_batch.h"

#include <cerrno>
#include <cstring>

namespace berth::network {

UdpBatch::UdpBatch() : buf_(kSize * kMaxDatagram) {
  out_.reserve(kSize);
  to_.reserve(kSize);
}

size_t UdpBatch::receive(int fd) {
  for (size_t i = 0; i < kSize; ++i) {
    in_iov_[i] = {buf_.data() + i * kMaxDatagram, kMaxDatagram};
    std::memset(&in_[i], 0, sizeof in_[i]);
    in_[i].msg_hdr.msg_iov = &in_iov_[i];
    in_[i].msg_hdr.msg_iovlen = 1;
    in_[i].msg_hdr.msg_name = &from_[i];
    in_[i].msg_hdr.msg_namelen = sizeof from_[i];
  }
  int n = ::recvmmsg(fd, in_, kSize, MSG_DONTWAIT, nullptr);
  received_ = n > 0 ? static_cast<size_t>(n) : 0;
  for (size_t i = 0; i < received_; ++i)
    valid_[i] = !(in_[i].msg_hdr.msg_flags & MSG_TRUNC) &&
                in_[i].msg_hdr.msg_namelen == sizeof(sockaddr_in) && from_[i].sin_family == AF_INET;
  return received_;
}

std::span<const uint8_t> UdpBatch::datagram(size_t i) const {
  if (i >= received_ || !valid_[i]) return {};
  return {buf_.data() + i * kMaxDatagram, in_[i].msg_len};
}

void UdpBatch::queue(const sockaddr_in& to, std::vector<uint8_t> bytes) {
  to_.push_back(to);
  out_.push_back(std::move(bytes));
}

void UdpBatch::flush(int fd) {
  std::vector<mmsghdr> msgs(out_.size());
  std::vector<iovec> iov(out_.size());
  for (size_t i = 0; i < out_.size(); ++i) {
    iov[i] = {out_[i].data(), out_[i].size()};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &to_[i];
    msgs[i].msg_hdr.msg_namelen = sizeof to_[i];
  }
  size_t sent = 0;
  while (sent < msgs.size()) {
    int n =
        ::sendmmsg(fd, msgs.data() + sent, static_cast<unsigned>(msgs.size() - sent), MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      ++sent;  // this reply cannot go (full buffer, unreachable peer): skip it
    }
  }
  out_.clear();
  to_.clear();
}

}  // namespace berth::network
