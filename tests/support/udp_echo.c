/* A static UDP echo server bind-mounted into busybox test containers (the busybox image has no
 * UDP server): `udp_echo PORT` sends every datagram back to its sender, until killed. */
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  if (fd < 0 || bind(fd, (struct sockaddr*)&a, sizeof a) < 0) return 1;
  for (;;) {
    char buf[2048];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr*)&from, &len);
    if (n >= 0) sendto(fd, buf, (size_t)n, 0, (struct sockaddr*)&from, len);
  }
}
