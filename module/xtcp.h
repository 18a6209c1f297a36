/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp internals shared between the files of the module.
 *
 * Objects and who owns them:
 *
 *   struct xtcp_sock      a socket; refcounted by the socket core. The hash
 *                         tables hold a reference while it is hashed, an
 *                         armed timer holds one, the user holds one until
 *                         close(), and close() hands that one to the
 *                         protocol until the connection reaches CLOSED.
 *   struct xtcp_request   a SYN-RECEIVED connection on a listener: plain
 *                         data owned by the listener's queue (listen.c).
 *   struct xtcp_tw        a TIME-WAIT entry: owned by its timer (tw.c).
 *
 * Locking, outermost first:
 *
 *   the socket lock       lock_sock() in process context, bh_lock_sock()
 *                         in softirq (segments, timers). A segment or timer
 *                         that finds the socket owned by a process defers
 *                         to release_sock(): segments via the backlog,
 *                         timers via xs->deferred and xtcp_release_cb().
 *                         Everything in struct xtcp_sock below is guarded
 *                         by it.
 *   xtcp_hash_lock        changes to the lookup tables (hash.c); taken
 *                         with BH off, never held while taking a socket
 *                         lock. The receive path's lookups take no lock:
 *                         they walk the tables under RCU (sockets are
 *                         SOCK_RCU_FREE, TIME-WAIT entries freed by RCU).
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <linux/hrtimer.h>
#include <linux/ip.h>
#include <linux/math64.h>
#include <linux/siphash.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/netns/generic.h>
#include <kunit/visibility.h>
#include <uapi/linux/xtcp.h>

#include "compat.h"
#include "seq.h"

/* Header flags, as in the TCP header's 13th byte. */
#define XTCP_FLAG_FIN	0x01
#define XTCP_FLAG_SYN	0x02
#define XTCP_FLAG_RST	0x04
#define XTCP_FLAG_PSH	0x08
#define XTCP_FLAG_ACK	0x10
#define XTCP_FLAG_URG	0x20

#define XTCP_HDR_LEN		20
#define XTCP_OPT_MSS_LEN	4
#define XTCP_OPT_MAX_LEN	40	/* all a header can hold */
#define XTCP_MAX_SACKS		4	/* SACK blocks that fit, without timestamps */
#define XTCP_MAX_SACKS_TS	3	/* ... and with */
#define XTCP_OPT_TS_ALIGNED	12	/* timestamps, with two NOPs or SACK-permitted */
/* Room in front of a segment's header for IP and the link layer. */
#define XTCP_HEADROOM		(MAX_HEADER + sizeof(struct iphdr) + XTCP_HDR_LEN + 40)

#define XTCP_MSS_DEFAULT	536	/* RFC 9293 3.7.1: when none is given */
#define XTCP_MIN_MSS		48	/* however small the path MTU, as Linux */
#define XTCP_GSO_MAX_SEGS	64	/* segments in one GSO packet, at most */
/*
 * The largest MSS, whatever the peer allows: a 9000-byte jumbo frame's
 * fits, and only loopback's MTU allows more (65483 bytes). Segments of
 * 16 KiB streamed faster over lo than 32 KiB when each was one linear
 * skb; the value stays, in a 16 KiB allocation with XTCP_HEADROOM.
 */
#define XTCP_MAX_SEG		(SKB_WITH_OVERHEAD(16384) - XTCP_HEADROOM)
#define XTCP_MAX_WINDOW		65535U	/* the largest unscaled window */
#define XTCP_MAX_WSCALE		14	/* RFC 7323 2.3 */
/* Keepalive settings, at most (as TCP's MAX_TCP_KEEPIDLE, MAX_TCP_KEEPCNT). */
#define XTCP_KEEP_SECS_MAX	32767	/* seconds, idle or between probes */
#define XTCP_KEEPCNT_MAX	127	/* probes */
#define XTCP_RATIO_SHIFT	8	/* xtcp_sock.rcv_ratio is in 1/256ths */
#define XTCP_RATIO_DEFAULT	(1U << (XTCP_RATIO_SHIFT - 1))	/* a half */

#define XTCP_INIT_CWND		10	/* segments, RFC 6928 */
#define XTCP_INFINITE_SSTHRESH	0x7fffffffU
#define XTCP_DUPACK_THRESHOLD	3	/* RFC 5681 3.2 */

#define XTCP_DELACK_NS		(40 * NSEC_PER_MSEC)	/* the longest an ACK waits */
#define XTCP_QUICKACKS		16	/* segments ACKed at once on a new connection */

#define XTCP_RTO_INIT_US	(1 * USEC_PER_SEC)
#define XTCP_RTO_MIN_US		(200 * USEC_PER_MSEC)
#define XTCP_RTO_MAX_US		(120 * USEC_PER_SEC)
#define XTCP_PROBE_BACKOFF_MAX	15	/* 200 ms << 15 is past XTCP_RTO_MAX_US */

#define XTCP_PAWS_WINDOW	1	/* ms a TSval may go back (Linux's TCP_PAWS_WINDOW) */
/*
 * Seconds after which TS.Recent judges nothing, as Linux 6.12's
 * TCP_PAWS_WRAP: half the TSval space of a peer whose clock counts
 * microseconds (RFC 7323 5.5's 24 days are a millisecond clock's).
 */
#define XTCP_PAWS_WRAP_SECS	(INT_MAX / USEC_PER_SEC)
#define XTCP_PAWS_MSL_SECS	60	/* TIME-WAIT's old RSTs: Linux's TCP_PAWS_MSL */

/**
 * struct xtcp_seg - a received segment's header, parsed (wire.c)
 * @seq: sequence number
 * @ack: acknowledgment number (meaningful with XTCP_FLAG_ACK)
 * @end_seq: @seq plus the data length, plus one each for SYN and FIN
 * @len: data length in bytes
 * @doff: header length in bytes, options included
 * @wnd: window, unscaled
 * @flags: XTCP_FLAG_*
 * @wscale: the window scale option's shift, or -1 if absent
 * @mss: the MSS option's value, or 0 if absent
 * @sack_ok: it carries SACK-permitted
 * @nr_sacks: how many SACK blocks it carries
 * @sack_off: where the first block starts, in bytes from the header's
 *	start (the blocks are read from the header, xtcp_sack_block(): all
 *	four would not fit in skb->cb)
 * @saw_ts: it carries the timestamps option (RFC 7323 3)
 * @tsval: its TSval, with @saw_ts
 * @tsecr: its TSecr, with @saw_ts
 */
struct xtcp_seg {
	u32 seq;
	u32 ack;
	u32 end_seq;
	u16 len;
	u16 doff;
	u16 wnd;
	u8 flags;
	s8 wscale;
	u16 mss;
	u8 sack_ok;
	u8 nr_sacks;
	u8 sack_off;
	u8 saw_ts;
	u32 tsval;
	u32 tsecr;
};

/**
 * struct xtcp_sack_block - a range of sequence space a SACK block reports
 * @start: its first sequence number
 * @end: the sequence number after it
 */
struct xtcp_sack_block {
	u32 start;
	u32 end;
};

/**
 * struct xtcp_opts - the options a segment carries
 * @mss: the MSS to announce, or 0 for no MSS option (SYN, SYN-ACK)
 * @wscale: the window scale shift to offer, or -1 for no offer (SYN,
 *	SYN-ACK)
 * @sack_ok: offer SACK-permitted (SYN, SYN-ACK)
 * @nr_sacks: how many of @sacks go in a SACK option (0 for none)
 * @ts: a timestamps option, of @tsval and @tsecr
 * @tsval: its TSval
 * @tsecr: its TSecr
 * @sacks: the SACK blocks, in the order they go
 */
struct xtcp_opts {
	u16 mss;
	s8 wscale;
	bool sack_ok;
	u8 nr_sacks;
	bool ts;
	u32 tsval;
	u32 tsecr;
	struct xtcp_sack_block sacks[XTCP_MAX_SACKS];
};

/**
 * struct xtcp_skb_cb - what xtcp keeps in skb->cb of a queued segment
 * @seq: its first sequence number
 * @end_seq: the sequence number after it (SYN and FIN count one)
 * @flags: XTCP_FLAG_SYN or XTCP_FLAG_FIN carried by the segment, if any
 * @sent: when it was last transmitted, 0 if never
 * @retransmitted: it was sent more than once (Karn: no RTT sample)
 * @lost: marked lost (timeout, SACK, partial ACK, smaller MTU), not yet
 *	sent again (cong.c)
 * @sacked: the peer reported holding it in a SACK block (cong.c)
 * @offset: on the receive queue, bytes of it already read
 * @segs: once sent, the segments it counts as in xs->packets_out (and
 *	lost_out, sacked_out while it is so marked): its length in MSS,
 *	one for a SYN or FIN
 */
struct xtcp_skb_cb {
	u32 seq;
	u32 end_seq;
	u8 flags;
	u8 retransmitted;
	u8 lost;
	u8 sacked;
	u32 offset;
	u16 segs;
	ktime_t sent;
};

#define XTCP_SKB_CB(skb) ((struct xtcp_skb_cb *)&((skb)->cb[0]))

/*
 * A received segment carries its parsed header in skb->cb from
 * xtcp_v4_rcv() to xtcp_do_rcv(), across the backlog too, so it is parsed
 * once. It gives way to struct xtcp_skb_cb when the data is queued.
 */
#define XTCP_SEG_CB(skb) ((struct xtcp_seg *)&((skb)->cb[0]))

/* Bits of xtcp_sock.deferred: work a timer left for release_sock(). */
enum {
	XTCP_DEFER_TIMER,	/* xs->timer expired while owned */
	XTCP_DEFER_DELACK,	/* xs->delack expired while owned */
	XTCP_DEFER_MTU,		/* an ICMP reported a smaller path MTU */
	XTCP_DESTROYED,		/* xtcp_destroy() has run */
};

/**
 * struct xtcp_history - a socket's last state changes, a ring (fsm.c)
 * @time_ns: when each was, on CLOCK_MONOTONIC
 * @old: the state each left
 * @state: the state each entered
 * @cause: enum xtcp_cause
 *
 * What XTCP_HISTORY reports as struct xtcp_transition, by field rather
 * than by change: a struct xtcp_transition is 16 bytes for 11 of data,
 * and every socket carries XTCP_HISTORY_LEN of them.
 */
struct xtcp_history {
	u64 time_ns[XTCP_HISTORY_LEN];
	u8 old[XTCP_HISTORY_LEN];
	u8 state[XTCP_HISTORY_LEN];
	u8 cause[XTCP_HISTORY_LEN];
};

/**
 * struct xtcp_timer - work of a socket's that falls due at a time (timer.c)
 * @hrt: wakes up for it; holds a socket reference while queued
 * @due: when the work is due, 0 if none is; guarded by the socket lock
 * @fire: the work, run with the socket locked and not owned
 * @defer_bit: which of the socket's timers this is, XTCP_DEFER_TIMER
 *	(xs->timer) or XTCP_DEFER_DELACK (xs->delack), and so the bit of an
 *	expiry that found the socket owned. The socket is found from it.
 */
struct xtcp_timer {
	struct hrtimer hrt;
	ktime_t due;
	void (*fire)(struct sock *sk);
	int defer_bit;
};

struct xtcp_sock;
struct seq_file;

/**
 * struct xtcp_cong_ops - a congestion control algorithm (cong.c)
 * @name: its name
 * @cong_avoid: grow cwnd for @acked newly acknowledged segments
 * @ssthresh: the slow start threshold after a loss
 */
struct xtcp_cong_ops {
	const char *name;
	void (*cong_avoid)(struct xtcp_sock *xs, u32 acked);
	u32 (*ssthresh)(const struct xtcp_sock *xs);
};

/**
 * struct xtcp_sock - an xtcp socket
 * @inet: the IPv4 socket it extends; must stay first
 * @iss: initial send sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @write_seq: sequence number after the last byte queued by the user
 * @snd_wnd: the peer's window
 * @snd_wl1: segment sequence number of the last window update
 * @snd_wl2: segment acknowledgment number of the last window update
 * @max_window: the largest window the peer has offered
 * @snd_sml: the end of the last segment sent shorter than @mss (Nagle,
 *	with Minshall's refinement)
 * @send_head: the first segment on the write queue not yet sent, or NULL
 * @irs: initial receive sequence number
 * @rcv_nxt: next sequence number expected
 * @rcv_wnd: the window last advertised
 * @rcv_wup: RCV.NXT when it was: the window's right edge is @rcv_wup + @rcv_wnd
 * @rcv_unacked: bytes received in order since our last ACK (delayed ACK)
 * @rcv_mss: the largest segment the peer has sent us, at most @advmss
 * @rcv_ratio: received data per byte of the memory it took, in 1/256ths
 *	(XTCP_RATIO_SHIFT), from the last full segment: what a byte of free
 *	receive buffer is worth as window (xtcp_rcv_space())
 * @copied: bytes the process has read (socket.c), so that poll() can count
 *	the unread ones without the lock: RCV.NXT - IRS - 1 - @copied, plus
 *	one once a FIN is in
 * @rcv_rtt_us: the receiver's round-trip time: the least time a window's
 *	worth of data took to arrive (mem.c); 0 before the first sample
 * @rcv_rtt_seq: the sequence number whose arrival ends the measurement
 * @rcv_rtt_stamp: when that measurement began; 0 when none runs
 * @rcvq_copied: @copied when the current receive round began
 * @rcvq_space: the bytes read in the busiest receive round so far
 * @rcvq_stamp: when the current receive round began
 * @mss: largest segment we send (the peer's MSS option)
 * @advmss: the MSS we announce
 * @snd_wscale: the peer's window scale: its windows are shifted by this
 * @rcv_wscale: ours: what we offer on a SYN, and shift our windows by
 * @wscale_ok: both sides offered window scaling (RFC 7323)
 * @sack_ok: SACK is in use: both SYNs offered it (RFC 2018); before the
 *	SYN-ACK, whether our SYN offers it
 * @nodelay: XTCP_NODELAY: no Nagle
 * @cork: XTCP_CORK: send only full segments
 * @quickacks: data segments still to acknowledge at once, not delayed
 * @retries: consecutive timeouts of the oldest unacknowledged segment; or,
 *	with nothing in flight, zero-window probes sent (their backoff), or
 *	tries at a packet that could not be built
 * @probes: zero-window or keepalive probes sent without an answer
 * @srtt_us: smoothed round-trip time (RFC 6298), 0 before the first sample
 * @rttvar_us: round-trip time variation
 * @rto_us: retransmission timeout, before backoff
 * @ca_ops: the congestion control algorithm
 * @cwnd: congestion window, in segments
 * @cwnd_cnt: ACKed segments towards the next cwnd increase in congestion
 *	avoidance
 * @ssthresh: slow start threshold, in segments
 * @packets_out: segments sent and not yet acknowledged
 * @lost_out: of those, marked lost and not yet sent again
 * @sacked_out: of those, reported held by the peer's SACK blocks
 * @recover: the recovery point: SND.NXT when the last loss was found
 * @recovery_stamp: when the current recovery began (a segment sent again
 *	at or after it is not marked lost again)
 * @dupacks: duplicate ACKs in a row
 * @in_recovery: in fast recovery, until @recover is acknowledged
 * @recover_valid: @recover has been set
 * @cwnd_limited: the last xtcp_push() stopped for cwnd
 * @port_auto: connect() chose the local port, which other connections may
 *	share (hash.c). Written under xtcp_hash_lock while nothing else can
 *	write its neighbours (the socket owned by connect(), bind() or
 *	listen(), or a child not yet hashed); read under xtcp_hash_lock alone,
 *	where a neighbour's write leaves this bit as it was
 * @timer: retransmission, zero-window probe, keepalive, FIN-WAIT-2
 *	timeout of an orphan, or a listener's SYN-ACK retransmissions
 *	(timer.c)
 * @delack: the delayed ACK (timer.c)
 * @deferred: XTCP_DEFER_* bits, set by a timer that found the socket owned
 * @mtu_info: the path MTU the last ICMP "fragmentation needed" reported
 * @keepcnt: XTCP_KEEPCNT; 0: net.xtcp.keepalive_probes
 * @challenge_stamp: start, in jiffies (the low 32 bits), of the current
 *	challenge ACK second
 * @challenge_count: challenge ACKs sent in that second
 * @oow_count: ACKs to segments without data we could not take, in that
 *	second (xtcp_oow_ack())
 * @requests: a listener's SYN-RECEIVED requests (listen.c)
 * @nr_requests: length of @requests
 * @cookie_epoch: one more than the cookie epoch in which the listener
 *	last sent a SYN cookie; 0 if it never has
 * @accept_queue: a listener's established children not yet accepted
 * @nr_accept: length of @accept_queue
 * @accept_node: a child's link in its listener's @accept_queue, while it
 *	waits there: a listener's @accept_queue shares the space
 * @ofo_queue: data received after a gap, sorted, charged to the socket's
 *	receive memory (ofo.c)
 * @ofo_recent: the first new byte of the segment last put on @ofo_queue:
 *	the first SACK block holds it
 * @total_retrans: segments sent again over the connection's life
 * @segs_out: segments sent, retransmissions included
 * @segs_in: segments received
 * @bytes_acked: data bytes the peer acknowledged (not the SYN or FIN)
 * @bytes_received: data bytes received in order (not the SYN or FIN)
 * @transitions: state changes since the socket was made
 * @keepidle: XTCP_KEEPIDLE, seconds; 0: net.xtcp.keepalive_time
 * @keepintvl: XTCP_KEEPINTVL, seconds; 0: net.xtcp.keepalive_intvl
 * @rcv_tstamp: when the last acceptable segment came, in jiffies (the low
 *	32 bits): what the keepalive measures idleness from
 * @ts_recent: the TSval to echo (RFC 7323 4.3), with @ts_ok
 * @ts_recent_stamp: when @ts_recent was taken, in seconds
 *	(ktime_get_seconds()); 0 if it never was
 * @ts_off: what our TSvals add to the millisecond clock: a keyed hash of
 *	the addresses (isn.c), so that they tell nothing of the uptime
 * @ts_ok: every segment carries timestamps: both SYNs did (RFC 7323);
 *	before the SYN-ACK, whether our SYN offers them
 * @history: the last XTCP_HISTORY_LEN of them, a ring that
 *	@transitions indexes (fsm.c)
 */
struct xtcp_sock {
	struct inet_sock inet;

	/* Packed for size: 8-byte members lead each group, none leaves a hole. */
	struct sk_buff *send_head;
	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 write_seq;
	u32 snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 max_window;
	u32 snd_sml;
	u16 mss;
	u16 advmss;

	ktime_t rcv_rtt_stamp;
	ktime_t rcvq_stamp;
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wnd;
	u32 rcv_wup;
	u32 rcv_unacked;
	u32 copied;
	u32 rcv_rtt_us;
	u32 rcv_rtt_seq;
	u32 rcvq_copied;
	u32 rcvq_space;
	u32 ofo_recent;
	u16 rcv_mss;
	u8 snd_wscale:4,
	   rcv_wscale:4;
	u8 rcv_ratio;

	const struct xtcp_cong_ops *ca_ops;
	ktime_t recovery_stamp;
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u32 cwnd;
	u32 cwnd_cnt;
	u32 ssthresh;
	u32 packets_out;
	u32 lost_out;
	u32 sacked_out;
	u32 recover;
	u32 total_retrans;
	u8 retries;
	u8 probes;
	u8 dupacks;
	u8 wscale_ok:1,
	   sack_ok:1,
	   nodelay:1,
	   cork:1,
	   in_recovery:1,
	   recover_valid:1,
	   cwnd_limited:1,
	   port_auto:1;

	struct xtcp_timer timer;
	struct xtcp_timer delack;
	unsigned long deferred;
	u16 mtu_info;
	u8 quickacks;
	u8 keepcnt;
	u32 oow_count;
	u32 challenge_stamp;
	u32 challenge_count;

	struct list_head requests;
	/*
	 * No socket is a listener while it waits on one's accept queue, nor
	 * has a peer's timestamps: connect() and a new child set those.
	 */
	union {
		struct list_head accept_queue;
		struct list_head accept_node;
	};
	union {
		struct {
			u32 nr_requests;
			u32 cookie_epoch;
		};
		struct {
			u32 ts_recent;
			u32 ts_recent_stamp;
		};
	};
	u32 nr_accept;
	u32 segs_out;

	struct sk_buff_head ofo_queue;

	u64 bytes_acked;
	u64 bytes_received;
	u32 segs_in;
	u32 transitions;
	u16 keepidle;
	u16 keepintvl;
	u32 rcv_tstamp;
	u32 ts_off;
	u8 ts_ok;
	struct xtcp_history history;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/* The peer's segment size, for the ACK rules: the largest seen, up to ours. */
static inline void xtcp_rcv_mss_note(struct xtcp_sock *xs, u32 len)
{
	xs->rcv_mss = max_t(u32, xs->rcv_mss, min_t(u32, len, xs->advmss));
}

/*
 * The window free receive buffer is worth: its bytes scaled by the share
 * of received memory that was data (xs->rcv_ratio), the rest paying for
 * sk_buff overhead. Half, until a full segment has told.
 */
static inline u32 xtcp_rcv_space(const struct sock *sk)
{
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);

	if (space <= 0)
		return 0;
	return ((u64)space * xtcp_sk(sk)->rcv_ratio) >> XTCP_RATIO_SHIFT;
}

/**
 * xtcp_rcv_ratio() - the share of an skb's memory that is data
 * @len: the data it holds
 * @truesize: the memory it takes (skb->truesize), more than @len
 *
 * Return: @len per @truesize in 1/256ths (XTCP_RATIO_SHIFT), 1 to 255.
 */
static inline u8 xtcp_rcv_ratio(u32 len, u32 truesize)
{
	u64 r = div_u64((u64)len << XTCP_RATIO_SHIFT, max(truesize, 1U));

	return clamp_t(u64, r, 1, 255);
}

/*
 * The MSS to send with: the peer's (RFC 9293's default if it gave none),
 * no more than @ours nor XTCP_MAX_SEG, and never under XTCP_MIN_MSS: a
 * peer announcing a tiny MSS would otherwise have us cut the stream into
 * segments of a few bytes, and every walk of the write queue (SACK's
 * among them) grow with their number, as Linux's tcp_min_snd_mss guards
 * against.
 */
static inline u16 xtcp_peer_mss(u16 mss, u16 ours)
{
	return clamp_t(u16, mss ?: XTCP_MSS_DEFAULT, XTCP_MIN_MSS,
		       max_t(u16, min_t(u16, ours, XTCP_MAX_SEG), XTCP_MIN_MSS));
}

/* The shift our window field is sent with: ours if scaling holds, else 0. */
static inline u8 xtcp_rcv_ws(const struct xtcp_sock *xs)
{
	return xs->wscale_ok ? xs->rcv_wscale : 0;
}

/* The most we would announce now: free space, as far as the field reaches. */
static inline u32 xtcp_rcv_wnd_max(const struct sock *sk, u8 ws)
{
	return min(xtcp_rcv_space(sk), XTCP_MAX_WINDOW << ws);
}

/* RCV.NXT moves on to @seq over data received in order. */
static inline void xtcp_rcv_nxt_to(struct xtcp_sock *xs, u32 seq)
{
	xs->bytes_received += seq - xs->rcv_nxt;
	xs->rcv_nxt = seq;
}

/* What is left of the window last announced, from RCV.NXT on. */
static inline u32 xtcp_rcv_wnd_left(const struct xtcp_sock *xs)
{
	s32 left = xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt;

	return left > 0 ? left : 0;
}

/*
 * Our timestamp clock (RFC 7323 5.4): milliseconds, offset per
 * connection; at @now, a CLOCK_MONOTONIC time already read.
 */
static inline u32 xtcp_ts_at(ktime_t now, u32 off)
{
	return (u32)div_u64(ktime_to_ns(now), NSEC_PER_MSEC) + off;
}

static inline u32 xtcp_ts_now(u32 off)
{
	return xtcp_ts_at(ktime_get(), off);
}

/*
 * A connection's timestamps as it starts: in use (or, before the SYN-ACK,
 * offered) if @ok, with TSval offset @off, and TS.Recent not yet taken.
 * TS.Recent shares its place with a listener's counts, so each new
 * connection sets it here.
 */
static inline void xtcp_ts_init(struct xtcp_sock *xs, bool ok, u32 off)
{
	xs->ts_ok = ok;
	xs->ts_off = off;
	xs->ts_recent = 0;
	xs->ts_recent_stamp = 0;
}

/* Take @tsval as the TSval to echo: TS.Recent (RFC 7323 4.3). */
static inline void xtcp_ts_store(struct xtcp_sock *xs, u32 tsval)
{
	xs->ts_recent = tsval;
	xs->ts_recent_stamp = (u32)ktime_get_seconds();
}

/* The data a segment may carry, of @mss: less the options every one has. */
static inline u16 xtcp_data_mss(const struct xtcp_sock *xs, u16 mss)
{
	if (!xs->ts_ok)
		return mss;
	return max_t(int, mss - XTCP_OPT_TS_ALIGNED, XTCP_MIN_MSS);
}

/**
 * struct xtcp_net - per network namespace state (main.c)
 * @syn_retries: net.xtcp.syn_retries
 * @synack_retries: net.xtcp.synack_retries
 * @retries2: net.xtcp.retries2
 * @tw_timeout_ms: net.xtcp.tw_timeout_ms
 * @fin_timeout_ms: net.xtcp.fin_timeout_ms
 * @challenge_ack_limit: challenge ACKs a socket may send per second
 * @sack: net.xtcp.sack: offer and accept SACK-permitted
 * @checksum_offload: net.xtcp.checksum_offload: a connection's GSO
 *	packets, and its segments over loopback, leave with the checksum
 *	for the device (or the stack) to finish
 * @syncookies: net.xtcp.syncookies: 0 never, 1 when the SYN queue is
 *	full, 2 for every SYN
 * @moderate_rcvbuf: net.xtcp.moderate_rcvbuf: receive buffers grow with
 *	what the reader takes per round trip (mem.c)
 * @gso: net.xtcp.gso: runs of full segments leave as one GSO packet
 *	(offload.c), where checksum_offload is on too
 * @keepalive_time: net.xtcp.keepalive_time: seconds a connection with
 *	SO_KEEPALIVE stays idle before its first keepalive probe
 * @keepalive_intvl: net.xtcp.keepalive_intvl: seconds between probes
 * @keepalive_probes: net.xtcp.keepalive_probes: probes unanswered before
 *	the connection times out
 * @timestamps: net.xtcp.timestamps: offer and accept timestamps (RFC 7323)
 * @sysctl: the registered sysctl table
 * @ctl_sk: a kernel socket to send replies that belong to no socket (RST)
 * @mib: counters, XTCP_MIB_*
 */
struct xtcp_net {
	int syn_retries;
	int synack_retries;
	int retries2;
	int tw_timeout_ms;
	int fin_timeout_ms;
	int challenge_ack_limit;
	int sack;
	int checksum_offload;
	int syncookies;
	int moderate_rcvbuf;
	int gso;
	int keepalive_time;
	int keepalive_intvl;
	int keepalive_probes;
	int timestamps;
	struct ctl_table_header *sysctl;
	struct sock *ctl_sk;
	atomic_long_t mib[];
};

/* Counters, per namespace; /proc/net/xtcp_stat names them. */
enum {
	XTCP_MIB_IN_SEGS,
	XTCP_MIB_OUT_SEGS,
	XTCP_MIB_RETRANS_SEGS,
	XTCP_MIB_ACTIVE_OPENS,
	XTCP_MIB_PASSIVE_OPENS,
	XTCP_MIB_ATTEMPT_FAILS,
	XTCP_MIB_ESTAB_RESETS,
	XTCP_MIB_OUT_RSTS,
	XTCP_MIB_IN_RSTS,
	XTCP_MIB_IN_CSUM_ERRORS,
	XTCP_MIB_IN_MALFORMED,
	XTCP_MIB_NO_SOCKET,
	XTCP_MIB_CHALLENGE_ACKS,
	XTCP_MIB_OUT_OF_WINDOW,
	XTCP_MIB_SYN_QUEUE_DROPS,
	XTCP_MIB_ACCEPT_QUEUE_DROPS,
	XTCP_MIB_TW_CREATED,
	XTCP_MIB_TW_RECYCLED,
	XTCP_MIB_TIMEOUTS,
	XTCP_MIB_BACKLOG_DROPS,
	XTCP_MIB_ICMP_ERRORS,
	XTCP_MIB_OUT_OF_WINDOW_ICMPS,
	XTCP_MIB_OFO_QUEUED,
	XTCP_MIB_OFO_DROPS,
	XTCP_MIB_FAST_RETRANS,
	XTCP_MIB_WINDOW_PROBES,
	XTCP_MIB_DELAYED_ACKS,
	XTCP_MIB_MEMORY_PRESSURES,
	XTCP_MIB_RCV_MEM_DROPS,
	XTCP_MIB_SACK_RECOVERY,
	XTCP_MIB_ACK_SKIPPED,
	XTCP_MIB_SYNCOOKIES_SENT,
	XTCP_MIB_SYNCOOKIES_RECV,
	XTCP_MIB_SYNCOOKIES_FAILED,
	XTCP_MIB_OUT_GSO_PACKETS,
	XTCP_MIB_KEEPALIVE_PROBES,
	XTCP_MIB_PAWS_ESTAB,
	XTCP_MIB_MAX
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline void xtcp_inc_stats(const struct net *net, int field)
{
	atomic_long_inc(&xtcp_pernet(net)->mib[field]);
}

static inline void xtcp_add_stats(const struct net *net, int field, long n)
{
	atomic_long_add(n, &xtcp_pernet(net)->mib[field]);
}

/* The segments a received packet holds: a GSO packet that came whole, several. */
static inline u16 xtcp_skb_segs(const struct sk_buff *skb)
{
	return max_t(u16, skb_shinfo(skb)->gso_segs, 1);
}

/* main.c */
extern unsigned int xtcp_wire_proto;
extern const char *const xtcp_mib_names[XTCP_MIB_MAX];

/* fsm.c: the state table */
enum xtcp_event {
	XE_CONNECT,	/* connect() */
	XE_LISTEN,	/* listen() */
	XE_CLOSE,	/* close() or shutdown(SHUT_WR) */
	XE_ABORT,	/* close() that resets: linger 0, unread data */
	XE_RCV_SYN,	/* SYN without ACK */
	XE_RCV_SYNACK,	/* SYN-ACK acknowledging our SYN */
	XE_RCV_ACK,	/* an ACK of our SYN */
	XE_RCV_FIN_ACK,	/* an ACK that covers our FIN */
	XE_RCV_FIN,	/* the peer's FIN, in order */
	XE_RCV_RST,	/* an acceptable RST */
	XE_TIMEOUT,	/* giving up: retransmissions or FIN-WAIT-2 time
			 * exhausted, or an ICMP error while opening
			 */
	XE_MAX
};

/* What a transition asks the code that acts on it to do. */
#define XA_SEND_SYN	BIT(0)
#define XA_SEND_SYNACK	BIT(1)
#define XA_SEND_ACK	BIT(2)
#define XA_SEND_FIN	BIT(3)
#define XA_SEND_RST	BIT(4)
#define XA_TIME_WAIT	BIT(5)	/* hand over to a TIME-WAIT entry */
#define XA_DONE		BIT(6)	/* the connection is over: CLOSED */
#define XA_CONNECTED	BIT(7)	/* wake connect()/accept() */
#define XA_ACK_LATER	BIT(8)	/* ACK with the delayed ACK: xtcp_ack_fin_later() */

/**
 * struct xtcp_fsm_row - one entry of the state table
 * @next: the state afterwards; 0 means the event is not valid here
 * @actions: XA_* bits
 */
struct xtcp_fsm_row {
	u8 next;
	u16 actions;
};

int xtcp_fsm_event(struct sock *sk, enum xtcp_event ev);
int xtcp_fsm_event_cause(struct sock *sk, enum xtcp_event ev, u8 cause);
void xtcp_set_state(struct sock *sk, int state, u8 cause);
const char *xtcp_state_name(int state);
const char *xtcp_cause_name(unsigned int cause);
void xtcp_history_add(struct xtcp_sock *xs, int old, int state, u8 cause, ktime_t now);
unsigned int xtcp_history_read(const struct sock *sk, struct xtcp_transition *out,
			       unsigned int max);
void xtcp_fill_info(struct sock *sk, struct xtcp_info *info);

/* wire.c: the header codec */
int xtcp_parse_options(const u8 *opt, unsigned int len, struct xtcp_seg *seg);
int xtcp_parse_header(const struct tcphdr *th, unsigned int seglen,
		      struct xtcp_seg *seg);
struct xtcp_sack_block xtcp_sack_block(const struct tcphdr *th, const struct xtcp_seg *seg,
				       unsigned int i);
unsigned int xtcp_header_len(const struct xtcp_opts *opts);
unsigned int xtcp_write_header(struct tcphdr *th, __be16 sport, __be16 dport,
			       u32 seq, u32 ack, u8 flags, u16 wnd,
			       const struct xtcp_opts *opts);
__sum16 xtcp_checksum(__be32 saddr, __be32 daddr, u8 proto,
		      unsigned int len, __wsum sum);

/* isn.c */
void xtcp_isn_init(void);
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);
u32 xtcp_cookie_epoch(void);
u32 xtcp_cookie(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 irs, u16 mss);
u16 xtcp_cookie_check(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 irs,
		      u32 cookie);
u32 xtcp_ts_offset(__be32 laddr, __be32 raddr);

/* rto.c */
void xtcp_rtt_sample(u32 *srtt_us, u32 *rttvar_us, u32 *rto_us, u32 rtt_us);
u64 xtcp_backoff_ns(u32 rto_us, unsigned int retries);

/* hash.c */
#define XTCP_PORT_HASH_BITS	14
#define XTCP_PORT_HASH_SIZE	BIT(XTCP_PORT_HASH_BITS)
extern spinlock_t xtcp_hash_lock;
extern unsigned int xtcp_tuple_hash_size;
int xtcp_hash_init(void);
void xtcp_hash_exit(void);
u32 xtcp_port_hash(const struct net *net, unsigned short port);
u32 xtcp_tuple_hash(const struct net *net, __be32 laddr, __be16 lport,
		    __be32 raddr, __be16 rport);
void xtcp_bind_inherit(struct sock *child, struct sock *parent);
int xtcp_get_port(struct sock *sk, unsigned short snum);
void xtcp_put_port(struct sock *sk);
int xtcp_connect_port(struct sock *sk);
void xtcp_hash_conn(struct sock *sk);
void xtcp_hash_listen(struct sock *sk);
void xtcp_unhash(struct sock *sk);
struct sock *xtcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport);
struct sock *xtcp_lookup_conn(struct net *net, __be32 saddr, __be16 sport,
			      __be32 daddr, __be16 dport);
bool xtcp_port_in_use_tw(struct net *net, __be32 addr, unsigned short port,
			 bool reuse);
bool xtcp_tw_tuple_used(const struct net *net, __be32 laddr, __be16 lport,
			__be32 raddr, __be16 rport);
bool xtcp_port_bound_tw(const struct net *net, unsigned short port);
void xtcp_hash_walk(const struct net *net, bool listen,
		    void (*fn)(struct sock *sk, void *arg), void *arg);

/* output.c */
int xtcp_send_ctl(struct sock *sk, u8 flags);
int xtcp_xmit_probe(struct sock *sk);
int xtcp_send_ack(struct sock *sk);
void xtcp_send_rst_reply(struct net *net, struct sk_buff *skb,
			 const struct xtcp_seg *seg);
int xtcp_send_reply(struct net *net, struct sock *via, __be32 saddr,
		    __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		    u8 flags, u16 wnd, const struct xtcp_opts *opts);
int xtcp_transmit(struct sock *sk, struct sk_buff *skb, u32 max);
int xtcp_split(struct sock *sk, struct sk_buff *skb, u32 len);
struct sk_buff *xtcp_sent_head_mss(struct sock *sk);
void xtcp_retransmit(struct sock *sk, const char *why);
void xtcp_clean_acked(struct sock *sk, u32 ack, u32 tsecr);
void xtcp_purge_write_queue(struct sock *sk);
/* How xtcp_push_mode() treats a segment shorter than the MSS at the end. */
enum xtcp_push_mode {
	XTCP_PUSH_NORMAL,	/* Nagle, unless XTCP_NODELAY; held if corked */
	XTCP_PUSH_MORE,		/* held: the caller said more follows */
	XTCP_PUSH_PROBE,	/* sent, as far as the window allows at all */
};

void xtcp_push_mode(struct sock *sk, enum xtcp_push_mode mode);
void xtcp_push(struct sock *sk);
u32 xtcp_push_goal(struct sock *sk);
int xtcp_queue_ctl(struct sock *sk, u8 flags);
struct sk_buff *xtcp_alloc_seg(unsigned int size, gfp_t gfp);
void xtcp_queue_data(struct sock *sk, struct sk_buff *skb);
u16 xtcp_window(struct sock *sk);
u8 xtcp_wscale_offer(const struct sock *sk);
void xtcp_ack_data(struct sock *sk, u32 len, bool now);
void xtcp_ack_fin_later(struct sock *sk);
void xtcp_snd_wnd_update(struct sock *sk, u32 wnd);
void xtcp_send_probe(struct sock *sk);
void xtcp_mtu_reduced(struct sock *sk);
bool xtcp_challenge_ack(struct sock *sk);
void xtcp_oow_ack(struct sock *sk, const struct xtcp_seg *seg);

/* cong.c */
void xtcp_cong_init(struct xtcp_sock *xs);
void xtcp_cong_on_ack(struct sock *sk, u32 acked, u32 ack);
void xtcp_cong_sack(struct sock *sk, const struct xtcp_sack_block *blocks, unsigned int n);
void xtcp_cong_on_dupack(struct sock *sk);
void xtcp_cong_on_timeout(struct sock *sk);
void xtcp_cong_acked(struct xtcp_sock *xs, const struct sk_buff *skb);
u32 xtcp_cong_avail(const struct xtcp_sock *xs);
void xtcp_set_segs(struct xtcp_sock *xs, struct sk_buff *skb, u16 segs);

/* input.c */
int xtcp_v4_rcv(struct sk_buff *skb);
int xtcp_v4_err(struct sk_buff *skb, u32 info);
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_rcv_locked(struct sock *sk, struct sk_buff *skb);
bool xtcp_paws_ok(u32 recent, u32 stamp, u32 tsval, u32 win);

/* ofo.c: the out-of-order queue */
enum xtcp_ofo_result {
	XTCP_OFO_QUEUED,
	XTCP_OFO_DUPLICATE,
	XTCP_OFO_NOMEM,
};

enum xtcp_ofo_result xtcp_ofo_insert(struct sock *sk, struct sk_buff *skb);
unsigned int xtcp_ofo_sacks(const struct sock *sk, struct xtcp_sack_block *blocks,
			    unsigned int max);
bool xtcp_ofo_drain(struct sock *sk);
bool xtcp_ofo_prune(struct sock *sk, unsigned int truesize);
void xtcp_ofo_purge(struct sock *sk);

/* timer.c */
void xtcp_timer_setup(struct sock *sk, struct xtcp_timer *t,
		      void (*fire)(struct sock *sk), int defer_bit);
void xtcp_timer_set(struct sock *sk, struct xtcp_timer *t, ktime_t due);
void xtcp_timer_clear(struct sock *sk, struct xtcp_timer *t);
void xtcp_timer_init(struct sock *sk);
void xtcp_timer_arm(struct sock *sk, u64 ns);
void xtcp_timer_backoff(struct sock *sk);
void xtcp_timer_restart(struct sock *sk);
void xtcp_timer_idle(struct sock *sk);
void xtcp_keepalive_start(struct sock *sk, u32 secs);
u32 xtcp_keepalive_time(const struct sock *sk);
u32 xtcp_keepalive_intvl(const struct sock *sk);
u32 xtcp_keepalive_probes(const struct sock *sk);
void xtcp_timer_arm_fin_wait2(struct sock *sk);
void xtcp_timer_cancel(struct sock *sk);
void xtcp_timers_stop(struct sock *sk);
void xtcp_give_up(struct sock *sk);
bool xtcp_retry(struct sock *sk);

/**
 * xtcp_timer_forget() - nothing is due for now; the hrtimer may stay queued
 * @t: one of a locked socket's timers
 *
 * For work cleared and set again many times a round trip: the
 * retransmission timer as ACKs come, the delayed ACK as replies carry it.
 * A queued hrtimer is left to expire, find nothing due and drop its
 * reference, and xtcp_timer_set() for a time no earlier than that expiry
 * leaves it queued. A busy connection so touches its hrtimers about once
 * an RTO or a delayed-ACK time instead of twice a segment, as Linux TCP
 * leaves its timers pending when it clears them. Where the socket's
 * connection ends, xtcp_timer_clear() takes the hrtimer off.
 */
static inline void xtcp_timer_forget(struct xtcp_timer *t)
{
	t->due = 0;
}

void xtcp_release_cb(struct sock *sk);

/* listen.c */
bool xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb,
		     const struct xtcp_seg *seg);
void xtcp_listen_stop(struct sock *sk);
void xtcp_listen_init(struct sock *sk);
void xtcp_listen_timer_fire(struct sock *sk);
struct sock *xtcp_accept_dequeue(struct sock *sk);
void xtcp_listen_seq_show(struct seq_file *seq, struct sock *sk, uid_t uid,
			  unsigned int *num);
struct xtcp_proc_entry;
int xtcp_listen_walk(struct sock *sk, int (*fn)(const struct xtcp_proc_entry *e, void *arg),
		     void *arg);

/* tw.c */
int xtcp_tw_enter(struct sock *sk);
int xtcp_tw_rcv(struct net *net, struct sk_buff *skb, const struct xtcp_seg *seg);
void xtcp_tw_flush(struct net *net);
void xtcp_tw_seq_show(struct seq_file *seq, const struct net *net, unsigned int *num);
int xtcp_tw_walk(const struct net *net, int (*fn)(const struct xtcp_proc_entry *e, void *arg),
		 void *arg);
int xtcp_tw_init(void);
void xtcp_tw_exit(void);

/* mem.c */
extern atomic_long_t xtcp_memory_allocated;
DECLARE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
extern struct percpu_counter xtcp_sockets_allocated;
extern unsigned long xtcp_memory_pressure;
extern long xtcp_mem[3];
extern int xtcp_wmem[3];
extern int xtcp_rmem[3];
void xtcp_enter_memory_pressure(struct sock *sk);
void xtcp_leave_memory_pressure(struct sock *sk);
void xtcp_sndbuf_expand(struct sock *sk);
bool xtcp_rcvbuf_may_grow(const struct sock *sk);
void xtcp_rcvbuf_init(struct sock *sk);
void xtcp_rcv_rtt_measure(struct sock *sk);
void xtcp_rcvbuf_adjust(struct sock *sk);
bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb, bool force);
void xtcp_wmem_free(struct sock *sk, struct sk_buff *skb);
u32 xtcp_backlog_limit(const struct sock *sk);
bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb);
int xtcp_mem_init(void);
void xtcp_mem_exit(void);

/* socket.c */
extern struct proto xtcp_prot;
extern const struct proto_ops xtcp_stream_ops;
void xtcp_done(struct sock *sk);
void xtcp_orphan_abort(struct sock *sk);
void xtcp_reset(struct sock *sk, int err);
void xtcp_init_xsk(struct sock *sk);
int xtcp_inq(struct sock *sk);

/* Static but for the KUnit suites, which test them directly. */
#if IS_ENABLED(CONFIG_KUNIT)
const struct xtcp_fsm_row *xtcp_fsm_lookup(int state, enum xtcp_event ev);
bool xtcp_acceptable(u32 rcv_nxt, u32 rcv_wnd, const struct xtcp_seg *seg);
u32 xtcp_isn_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		__be16 sport, __be16 dport, u64 ns);
u32 xtcp_cookie_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u32 irs, u32 epoch, u16 mss);
u16 xtcp_cookie_check_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
			 __be16 sport, __be16 dport, u32 irs, u32 cookie, u32 epoch);
enum hrtimer_restart xtcp_timer_handler(struct hrtimer *hrt);
void xtcp_keepalive_fire(struct sock *sk);
unsigned int xtcp_tuple_hash_size_for(unsigned long pages);
int xtcp_listen_score(const struct sock *sk, const struct net *net, __be32 daddr,
		      unsigned short port);
struct sk_buff *xtcp_seg_packet(struct sk_buff *seg);
int xtcp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len);
u32 xtcp_rcvbuf_want(u32 copied, u32 prev, u32 advmss, u8 ratio);
#endif

/* offload.c */
int xtcp_offload_init(void);
void xtcp_offload_exit(void);

/* sysctl.c */
int xtcp_sysctl_register(struct net *net);
void xtcp_sysctl_unregister(struct net *net);

/* proc.c: /proc/net/xtcp */

/* The tr column: which timer runs, with /proc/net/tcp's numbers. */
enum xtcp_proc_timer {
	XTCP_PROC_TIMER_NONE,
	XTCP_PROC_TIMER_RETRANS,	/* retransmission, a request's SYN-ACK */
	XTCP_PROC_TIMER_OTHER,		/* keepalive, an orphan's FIN-WAIT-2 */
	XTCP_PROC_TIMER_TW,		/* TIME-WAIT */
	XTCP_PROC_TIMER_PROBE,		/* zero-window probe */
};

/**
 * struct xtcp_proc_entry - what one line of /proc/net/xtcp says
 * @laddr: local address
 * @lport: local port, network order
 * @raddr: remote address
 * @rport: remote port, network order
 * @state: TCP_* state
 * @timer: enum xtcp_proc_timer
 * @tx_queue: bytes queued and not acknowledged
 * @rx_queue: bytes received and not read; a listener's accept queue
 * @due: when the timer falls due (with @timer)
 * @retrans: retransmissions of the oldest segment, or SYN-ACKs resent
 * @probes: zero-window or keepalive probes unanswered
 * @uid: the owner, as the reader's user namespace sees it
 * @ino: the socket's inode, or 0
 */
struct xtcp_proc_entry {
	__be32 laddr;
	__be16 lport;
	__be32 raddr;
	__be16 rport;
	u8 state;
	u8 timer;
	u32 tx_queue;
	u32 rx_queue;
	ktime_t due;
	u32 retrans;
	u32 probes;
	uid_t uid;
	unsigned long ino;
};

void xtcp_proc_show_entry(struct seq_file *seq, unsigned int *num,
			  const struct xtcp_proc_entry *e);
void xtcp_proc_sock_entry(struct sock *sk, struct xtcp_proc_entry *e);
int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);

#endif /* _XTCP_H */
