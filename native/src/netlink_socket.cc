#include "netlink_socket.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace forkscope {

int OpenConnectorSocket(int rcvbufBytes, ConnectorSocket* out) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) return errno;

  // Failing to enlarge the buffer is not fatal: the stock unprivileged case is rmem_max
  // (≈ 256 events) and loss is then reported, not hidden. We report what was granted.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbufBytes, sizeof rcvbufBytes) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbufBytes, sizeof rcvbufBytes);
  }
  int granted = 0;
  socklen_t grantedLen = sizeof granted;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &grantedLen);

  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;
  addr.nl_pid = 0;  // let the kernel pick a unique port id
  addr.nl_groups = CN_IDX_PROC;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    close(fd);
    return err;
  }
  out->fd = fd;
  out->rcvbufBytes = granted;
  return 0;
}

int SendMcastOp(int fd, bool listen, uint32_t ack, uint32_t onlyEvents) {
  // Kernels before 6.6 accept only the 4-byte op; newer ones treat it as "all events", and read
  // an 8-byte struct proc_input (op, event bits) as a filtered request.
  // nlmsghdr | cn_msg | op [| events], laid out by hand: cn_msg ends in a flexible array member.
  const uint32_t input[2] = {listen ? PROC_CN_MCAST_LISTEN : PROC_CN_MCAST_IGNORE, onlyEvents};
  const size_t inputLen = onlyEvents != 0 ? sizeof input : sizeof input[0];
  alignas(nlmsghdr) char buf[NLMSG_SPACE(sizeof(cn_msg) + sizeof input)];
  memset(buf, 0, sizeof buf);
  auto* nl = reinterpret_cast<nlmsghdr*>(buf);
  nl->nlmsg_len = NLMSG_LENGTH(sizeof(cn_msg) + inputLen);
  nl->nlmsg_type = NLMSG_DONE;
  auto* cn = static_cast<cn_msg*>(NLMSG_DATA(nl));
  cn->id.idx = CN_IDX_PROC;
  cn->id.val = CN_VAL_PROC;
  cn->seq = 0;
  cn->ack = ack;
  cn->len = static_cast<uint16_t>(inputLen);
  memcpy(cn->data, input, inputLen);

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    ssize_t n = sendto(fd, buf, nl->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
    if (n >= 0) return 0;
    if (errno != EINTR) return errno;
  }
}

}  // namespace forkscope
