/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp: a TCP-style transport on its own IP protocol number.
 *
 * What userspace shares with the module: the protocol number to pass to
 * socket(2), the socket option level, and the connection states, which
 * take the values of Linux TCP's so that tools reading either agree.
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

#include <linux/types.h>

/* socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP) */
#define IPPROTO_XTCP		253

/* The default IP protocol number on the wire (module parameter proto=). */
#define XTCP_WIRE_PROTO		IPPROTO_XTCP

/* Level for xtcp's own socket options. */
#define SOL_XTCP		IPPROTO_XTCP

/*
 * Socket options at SOL_XTCP, numbered as their TCP twins. Each takes an
 * int and means what TCP's does:
 *   XTCP_NODELAY   1: send short segments at once, no Nagle
 *   XTCP_CORK      1: send only full segments until cleared (or until the
 *                  probe timer, about 200 ms, gives up waiting)
 * XTCP_INFO is read-only: struct xtcp_info, as TCP_INFO.
 */
#define XTCP_NODELAY		1
#define XTCP_CORK		3
#define XTCP_INFO		11

/**
 * struct xtcp_info - a connection as getsockopt(XTCP_INFO) reports it
 * @xtcpi_state: enum xtcp_state; first, as tcpi_state is in struct tcp_info
 * @xtcpi_retransmits: retransmissions of the oldest unacknowledged segment
 * @xtcpi_pad: zero
 * @xtcpi_rto: the current retransmission timeout, in microseconds
 * @xtcpi_snd_mss: the largest segment this side sends
 * @xtcpi_rcv_mss: the largest segment this side announced it accepts
 */
struct xtcp_info {
	__u8	xtcpi_state;
	__u8	xtcpi_retransmits;
	__u8	xtcpi_pad[2];
	__u32	xtcpi_rto;
	__u32	xtcpi_snd_mss;
	__u32	xtcpi_rcv_mss;
};

/* The eleven states of RFC 9293 section 3.3.2, numbered as Linux TCP's. */
enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT,
	XTCP_SYN_RECV,
	XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2,
	XTCP_TIME_WAIT,
	XTCP_CLOSE,
	XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK,
	XTCP_LISTEN,
	XTCP_CLOSING,
};

#endif /* _UAPI_LINUX_XTCP_H */
