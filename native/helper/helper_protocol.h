/*
 * The wire protocol between Forkscope and forkscope-helper, its capture helper (a dumpcap-style
 * program installed with file capabilities; see forkscope_helper.c). One fixed-size request,
 * one fixed-size reply, over the unix socket the helper inherits as fd 3; a successful reply
 * carries the subscribed proc-connector socket as SCM_RIGHTS. Both sides run on the same
 * machine, so fields are in host byte order. C, so that the helper stays plain C.
 */
#ifndef FORKSCOPE_HELPER_PROTOCOL_H
#define FORKSCOPE_HELPER_PROTOCOL_H

#include <stdint.h>

#define FSH_REQUEST_MAGIC 0x31485346u /* "FSH1" */
#define FSH_REPLY_MAGIC 0x52485346u   /* "FSHR" */
#define FSH_VERSION 1u
/* The fd number on which the helper finds its end of the socket. */
#define FSH_SOCKET_FD 3
/* The receive buffer the helper forces at most (SO_RCVBUFFORCE ignores net.core.rmem_max). */
#define FSH_MAX_RCVBUF_BYTES (64u << 20)
/* The only real-time priority the helper grants: the reader thread's (SCHED_FIFO). */
#define FSH_FIFO_PRIORITY 10
#define FSH_MAX_ACK_WAIT_MS 10000u

struct fsh_request {
  uint32_t magic;         /* FSH_REQUEST_MAGIC */
  uint32_t version;       /* FSH_VERSION */
  uint32_t rcvbuf_bytes;  /* 1 KiB .. FSH_MAX_RCVBUF_BYTES */
  uint32_t ack_seq;       /* cn_msg.ack of PROC_CN_MCAST_LISTEN: the caller recognises the kernel's ack by it */
  uint32_t ack_wait_ms;   /* how long to wait for the kernel's answer: 1 .. FSH_MAX_ACK_WAIT_MS */
  int32_t realtime_tid;   /* 0: no priority asked; else a thread of the caller's thread group */
  int32_t priority;       /* FSH_FIFO_PRIORITY when realtime_tid != 0, else 0 */
  uint32_t reserved;      /* 0 */
};

/* Steps named in a reply (and in the helper's one stderr line). */
enum fsh_step {
  FSH_STEP_NONE = 0,
  FSH_STEP_REQUEST = 1, /* the request was refused: error says why (EINVAL, E2BIG, EPERM, ETIMEDOUT) */
  FSH_STEP_SOCKET = 2,
  FSH_STEP_RCVBUF = 3,  /* SO_RCVBUFFORCE: EPERM means the helper lacks cap_net_admin */
  FSH_STEP_BIND = 4,    /* EPERM: the helper lacks cap_net_admin */
  FSH_STEP_LISTEN = 5,
  FSH_STEP_ACK = 6      /* ETIMEDOUT: the kernel never answered (user or PID namespace) */
};

struct fsh_reply {
  uint32_t magic;         /* FSH_REPLY_MAGIC */
  int32_t error;          /* 0: the socket is attached (SCM_RIGHTS); else an errno */
  uint32_t step;          /* enum fsh_step that failed, FSH_STEP_NONE on success */
  int32_t rcvbuf_bytes;   /* SO_RCVBUF as granted (getsockopt), on success */
  int32_t sched_error;    /* 0: the thread runs SCHED_FIFO FSH_FIFO_PRIORITY; -1: not asked; else an errno */
  uint32_t reserved;      /* 0 */
};

#endif
