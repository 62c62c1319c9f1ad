// The kernel process-events connector socket: open, bind to CN_IDX_PROC, size the receive
// buffer, and send PROC_CN_MCAST_LISTEN / PROC_CN_MCAST_IGNORE.
#pragma once

#include <cstdint>

namespace forkscope {

struct ConnectorSocket {
  int fd = -1;
  // SO_RCVBUF as granted by the kernel (getsockopt: the kernel doubles what it grants).
  int rcvbufBytes = 0;
};

// Opens a non-blocking NETLINK_CONNECTOR socket bound to the proc group and asks for
// `rcvbufBytes` of receive buffer: SO_RCVBUFFORCE when permitted (CAP_NET_ADMIN), else SO_RCVBUF
// (capped by net.core.rmem_max). Returns 0 or an errno (the socket is then closed).
int OpenConnectorSocket(int rcvbufBytes, ConnectorSocket* out);

// PROC_CN_MCAST_LISTEN (listen = true) or PROC_CN_MCAST_IGNORE. The kernel answers with
// ack + 1 in a message multicast to every listener: a distinctive `ack` tells ours apart.
// onlyEvents != 0 (proc_event `what` bits): LISTEN for those events alone, a filter the kernel
// applies per socket from 6.6 on. Such a socket is not sent the ack (an ack is no event it asked
// for), and older kernels ignore the request without one: only another, unfiltered listener
// learns whether the filter is in force. Returns 0 or an errno.
int SendMcastOp(int fd, bool listen, uint32_t ack, uint32_t onlyEvents = 0);

}  // namespace forkscope
