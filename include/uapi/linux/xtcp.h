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
 *   XTCP_KEEPIDLE  seconds idle before the first keepalive probe, with
 *                  SO_KEEPALIVE (1 to 32767; net.xtcp.keepalive_time)
 *   XTCP_KEEPINTVL seconds between keepalive probes (1 to 32767;
 *                  net.xtcp.keepalive_intvl)
 *   XTCP_KEEPCNT   keepalive probes unanswered before the connection
 *                  times out (1 to 127; net.xtcp.keepalive_probes)
 * Read-only:
 *   XTCP_INFO      struct xtcp_info, as TCP_INFO: the caller's length
 *                  says how much of it to fill, and comes back as the
 *                  length filled, so older and newer programs both work
 *   XTCP_HISTORY   the connection's last state changes, oldest first: an
 *                  array of struct xtcp_transition, as many as the length
 *                  holds (at most XTCP_HISTORY_LEN); the length comes back
 *                  as the bytes filled. xtcpi_transitions counts them all.
 * XTCP_HISTORY is xtcp's own, numbered past TCP's options.
 */
#define XTCP_NODELAY		1
#define XTCP_CORK		3
#define XTCP_KEEPIDLE		4
#define XTCP_KEEPINTVL		5
#define XTCP_KEEPCNT		6
#define XTCP_INFO		11
#define XTCP_HISTORY		128

/* State changes a socket remembers. */
#define XTCP_HISTORY_LEN	16

/* xtcpi_options */
#define XTCPI_OPT_TIMESTAMPS	1	/* as TCPI_OPT_TIMESTAMPS */
#define XTCPI_OPT_SACK		2	/* as TCPI_OPT_SACK */
#define XTCPI_OPT_WSCALE	4	/* as TCPI_OPT_WSCALE */

/**
 * struct xtcp_info - a connection as getsockopt(XTCP_INFO) reports it
 * @xtcpi_state: enum xtcp_state; first, as tcpi_state is in struct tcp_info
 * @xtcpi_retransmits: retransmissions of the oldest unacknowledged segment
 * @xtcpi_pad: zero
 * @xtcpi_rto: the current retransmission timeout, in microseconds
 * @xtcpi_snd_mss: the largest segment this side sends
 * @xtcpi_rcv_mss: the largest segment this side announced it accepts
 * @xtcpi_rtt: smoothed round-trip time (RFC 6298), microseconds; 0 before
 *	the first sample
 * @xtcpi_rttvar: its variation, microseconds
 * @xtcpi_snd_cwnd: congestion window, segments
 * @xtcpi_snd_ssthresh: slow start threshold, segments (0x7fffffff: none yet)
 * @xtcpi_unacked: segments sent and not acknowledged
 * @xtcpi_lost: of those, marked lost and not yet sent again
 * @xtcpi_sacked: of those, held by the peer after a gap (SACK)
 * @xtcpi_total_retrans: segments sent again, over the connection's life
 * @xtcpi_snd_wnd: the peer's window, bytes
 * @xtcpi_rcv_wnd: the window we last announced, bytes
 * @xtcpi_transitions: state changes so far (XTCP_HISTORY keeps the last
 *	XTCP_HISTORY_LEN)
 * @xtcpi_options: XTCPI_OPT_* in use on this connection
 * @xtcpi_snd_wscale: the peer's window scale, if XTCPI_OPT_WSCALE
 * @xtcpi_rcv_wscale: ours, if XTCPI_OPT_WSCALE
 * @xtcpi_pad2: zero
 * @xtcpi_segs_out: segments this socket sent, retransmissions included
 * @xtcpi_segs_in: segments it received
 * @xtcpi_bytes_acked: data bytes the peer acknowledged; unlike TCP's
 *	tcpi_bytes_acked, the SYN and FIN are not counted
 * @xtcpi_bytes_received: data bytes received in order, SYN and FIN not
 *	counted
 *
 * The fields from @xtcpi_rtt on came later than the first four: a program
 * asking for fewer bytes gets the start of the structure.
 */
struct xtcp_info {
	__u8	xtcpi_state;
	__u8	xtcpi_retransmits;
	__u8	xtcpi_pad[2];
	__u32	xtcpi_rto;
	__u32	xtcpi_snd_mss;
	__u32	xtcpi_rcv_mss;

	__u32	xtcpi_rtt;
	__u32	xtcpi_rttvar;
	__u32	xtcpi_snd_cwnd;
	__u32	xtcpi_snd_ssthresh;
	__u32	xtcpi_unacked;
	__u32	xtcpi_lost;
	__u32	xtcpi_sacked;
	__u32	xtcpi_total_retrans;
	__u32	xtcpi_snd_wnd;
	__u32	xtcpi_rcv_wnd;
	__u32	xtcpi_transitions;
	__u8	xtcpi_options;
	__u8	xtcpi_snd_wscale;
	__u8	xtcpi_rcv_wscale;
	__u8	xtcpi_pad2;
	__u32	xtcpi_segs_out;
	__u32	xtcpi_segs_in;
	__u64	xtcpi_bytes_acked;
	__u64	xtcpi_bytes_received;
};

/*
 * What moved a connection from one state to another (struct
 * xtcp_transition): a call, a segment received, a timer or an ICMP error.
 */
enum xtcp_cause {
	XTCP_CAUSE_CONNECT = 1,	/* connect() */
	XTCP_CAUSE_LISTEN,	/* listen() */
	XTCP_CAUSE_CLOSE,	/* close() or shutdown(SHUT_WR): our FIN */
	XTCP_CAUSE_ABORT,	/* close() that resets: linger 0, unread data */
	XTCP_CAUSE_DISCONNECT,	/* connect() to AF_UNSPEC */
	XTCP_CAUSE_RCV_SYN,	/* a SYN */
	XTCP_CAUSE_RCV_SYNACK,	/* a SYN-ACK of our SYN */
	XTCP_CAUSE_RCV_ACK,	/* the ACK of our SYN or SYN-ACK */
	XTCP_CAUSE_RCV_FIN_ACK,	/* the ACK of our FIN */
	XTCP_CAUSE_RCV_FIN,	/* the peer's FIN */
	XTCP_CAUSE_RCV_RST,	/* an acceptable RST */
	XTCP_CAUSE_RCV_DATA,	/* data after close(): we reset (RFC 1122 4.2.2.13) */
	XTCP_CAUSE_TIMEOUT,	/* retransmissions, or an orphan's FIN-WAIT-2 time, ran out */
	XTCP_CAUSE_ICMP,	/* an ICMP error while opening */
	XTCP_CAUSE_TIME_WAIT,	/* handed over to a TIME-WAIT entry */
};

/**
 * struct xtcp_transition - one state change, as XTCP_HISTORY reports it
 * @xtcpt_time_ns: when, on CLOCK_MONOTONIC, in nanoseconds
 * @xtcpt_old: the state left, enum xtcp_state
 * @xtcpt_new: the state entered
 * @xtcpt_cause: enum xtcp_cause
 * @xtcpt_pad: zero
 */
struct xtcp_transition {
	__u64	xtcpt_time_ns;
	__u8	xtcpt_old;
	__u8	xtcpt_new;
	__u8	xtcpt_cause;
	__u8	xtcpt_pad[5];
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

/*
 * sock_diag: the module xtcp_diag answers NETLINK_SOCK_DIAG requests of
 * family AF_INET whose protocol is xtcp's (sdiag_protocol IPPROTO_XTCP,
 * or the number given as proto=, which is what SO_PROTOCOL reports), as
 * tcp_diag answers TCP's: struct inet_diag_msg, INET_DIAG_INFO carrying
 * struct xtcp_info, INET_DIAG_CONG, and with INET_DIAG_INFO this:
 *
 * XTCP_DIAG_HISTORY: the socket's last state changes, an array of struct
 * xtcp_transition, oldest first, as getsockopt(XTCP_HISTORY) reads them.
 * The number lies far above Linux's own INET_DIAG_* attributes (22 in
 * 6.12, and a new one comes a year or so), so neither collides with the
 * other, and tools that read attributes only up to INET_DIAG_MAX, as ss
 * does, skip it.
 */
#define XTCP_DIAG_HISTORY	1024

#endif /* _UAPI_LINUX_XTCP_H */
