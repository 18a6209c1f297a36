// SPDX-License-Identifier: GPL-2.0
/*
 * Sending segments.
 *
 * Everything that occupies sequence space (SYN, data, FIN) is a segment
 * on sk->sk_write_queue, in order, from the oldest unacknowledged one to
 * the newest not yet sent (xs->send_head onwards); XTCP_SKB_CB() gives
 * its sequence range. A data segment holds as much as one packet may
 * carry on the route (xtcp_push_goal(): one MSS, or a GSO packet's
 * worth) in page fragments, behind headroom it never uses itself:
 * writes fill the last one up before starting another. Once sent it
 * counts as its length in MSS (xtcp_skb_cb.segs) wherever cong.c counts
 * segments, and it is cut (xtcp_split()) only where cwnd, the peer's
 * window, Nagle, a SACK block or a smaller MTU divides it; a partial
 * ACK trims its head (xtcp_trim_head()). A transmission sends a clone,
 * which shares the data and puts its headers, with the ACK and window
 * current, in that headroom; while an earlier clone still holds it
 * (queued on the way, or at the receiver over veth and loopback), a
 * copy of the headroom sharing the fragments. A segment of several MSS
 * leaves as one GSO packet, which offload.c cuts up where the device
 * cannot carry it whole. Bare ACKs and RSTs are built on the spot and
 * never queued.
 *
 * What may be sent, in xtcp_push_mode()'s order of questions:
 *   cwnd         segments in flight (cong.c)
 *   the window   the peer's; a segment that does not fit waits, or is
 *                cut to fit when the room is at least half the largest
 *                window the peer ever offered (sender silly window
 *                avoidance, RFC 9293 3.8.6.2.1)
 *   Nagle        a last segment shorter than the MSS waits while an
 *                earlier short one is unacknowledged (RFC 896, with
 *                Minshall's refinement, as Linux), unless XTCP_NODELAY;
 *                it always waits while XTCP_CORK or MSG_MORE says more
 *                is coming
 * When something waits and nothing is in flight, no ACK will come to
 * move it, so the socket timer is armed as a probe (timer.c): after an
 * RTO, backing off, it sends what the window allows however short
 * (this also bounds how long a cork holds data), or, into a zero window,
 * a probe that makes the peer answer with its window.
 *
 * Receiving side: in-order data is acknowledged at least every second
 * full segment and within XTCP_DELACK_NS; out-of-order data, the first
 * segments of a connection and a window update at once (RFC 9293
 * 3.8.6.3, RFC 5681 4.2).
 *
 * Packets leave through ip_queue_xmit() on the socket's route, or, for
 * replies that belong to no socket (a RST to a closed port, a listener's
 * SYN-ACK, a TIME-WAIT entry's ACK), through ip_build_and_send_pkt() on a
 * route looked up for the reply. No packet keeps a socket alive: skb->sk
 * stays NULL.
 *
 * Called with the socket locked, except xtcp_send_reply() and
 * xtcp_send_rst_reply(), which need no socket.
 */
#include <linux/skbuff.h>
#include <net/inet_connection_sock.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"

/* Our window, at most what the window field holds with @ws, as bytes. */
static u32 xtcp_select_window(struct sock *sk, u8 ws)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 wnd = xtcp_rcv_wnd_max(sk, ws);
	u32 left = xtcp_rcv_wnd_left(xs);

	wnd = round_down(wnd, 1U << ws);
	if (wnd < left)
		wnd = round_up(left, 1U << ws);
	xs->rcv_wnd = wnd;
	xs->rcv_wup = xs->rcv_nxt;
	return wnd;
}

/**
 * xtcp_window() - the receive window to announce now
 * @sk: the socket
 *
 * The free receive buffer, scaled by the share of received memory that
 * was data (xtcp_rcv_space()), as much of it as the window field holds
 * with our scale; but never less than what is left of
 * the window already announced: its right edge does not move back
 * (RFC 7323 2.4), even when data held out of order has taken the memory.
 *
 * Return: the window field's value, scaled.
 */
u16 xtcp_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 ws = xtcp_rcv_ws(xs);

	return xtcp_select_window(sk, ws) >> ws;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_window);

/**
 * xtcp_wscale_offer() - the window scale to offer on a SYN or SYN-ACK
 * @sk: the socket (or listener)
 *
 * The smallest shift that lets the window field cover the largest
 * window this socket could announce, which nears its whole buffer when
 * segments are nearly all data: the most SO_RCVBUF may give it (twice
 * net.core.rmem_max), or its buffer now if that is larger, or
 * xtcp_rmem[2] unless SO_RCVBUF set the buffer. That one may grow to
 * xtcp_rmem[2] by itself (mem.c), or for a SO_RCVLOWAT mark even with
 * net.xtcp.moderate_rcvbuf 0; Linux TCP's scale covers tcp_rmem[2] alike.
 *
 * Return: the shift, 0 to 14.
 */
u8 xtcp_wscale_offer(const struct sock *sk)
{
	u32 space = max_t(u32, READ_ONCE(sk->sk_rcvbuf), 2U * READ_ONCE(sysctl_rmem_max));
	u8 ws = 0;

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		space = max_t(u32, space, READ_ONCE(xtcp_rmem[2]));

	while (ws < XTCP_MAX_WSCALE && (XTCP_MAX_WINDOW << ws) < space)
		ws++;
	return ws;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_wscale_offer);

/* A packet for a header alone, with headroom for IP and below. */
static struct sk_buff *xtcp_alloc_packet(void)
{
	struct sk_buff *skb = alloc_skb(XTCP_HEADROOM, GFP_ATOMIC);

	if (skb)
		skb_reserve(skb, XTCP_HEADROOM);
	return skb;
}

/**
 * xtcp_seg_packet() - the packet that carries a queued segment
 * @seg: the segment, on the write queue
 *
 * A clone, whose headers go in @seg's headroom (xtcp_alloc_seg()); or,
 * while an earlier clone is still out and its headers are in that room,
 * a copy.
 *
 * Return: the packet, its control block cleared for IP, or NULL.
 */
VISIBLE_IF_KUNIT struct sk_buff *xtcp_seg_packet(struct sk_buff *seg)
{
	struct sk_buff *skb;

	KUNIT_STATIC_STUB_REDIRECT(xtcp_seg_packet, seg);
	if (skb_cloned(seg))
		skb = pskb_copy(seg, GFP_ATOMIC);
	else
		skb = skb_clone(seg, GFP_ATOMIC);
	if (skb)
		memset(skb->cb, 0, sizeof(skb->cb));
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_seg_packet);

/*
 * Push the header in front of the data in @skb and checksum the segment:
 * with @offload, only the pseudo-header goes in the field, for the
 * device, or the stack for a device that cannot, to finish as it does
 * TCP's (CHECKSUM_PARTIAL); without, all of it, here.
 */
static void xtcp_finish_header(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			       __be16 sport, __be16 dport, u32 seq, u32 ack,
			       u8 flags, u16 wnd, const struct xtcp_opts *opts,
			       bool offload)
{
	struct tcphdr *th = skb_push(skb, xtcp_header_len(opts));

	skb_reset_transport_header(skb);
	xtcp_write_header(th, sport, dport, seq, ack, flags, wnd, opts);
	if (offload) {
		th->check = ~xtcp_checksum(saddr, daddr, xtcp_wire_proto, skb->len, 0);
		skb_partial_csum_set(skb, 0, offsetof(struct tcphdr, check));
		return;
	}
	th->check = xtcp_checksum(saddr, daddr, xtcp_wire_proto, skb->len,
				  skb_checksum(skb, 0, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * Whether a lone segment of @sk's may leave with its checksum unfinished
 * (net.xtcp.checksum_offload on): over loopback only. Whatever device
 * it left by, a segment may go on, forwarded or bridged, to a NIC that
 * finishes only TCP's and UDP's checksums (NETIF_F_IP_CSUM, as many
 * do). The stack, going by the checksum's offset, which is TCP's, would
 * hand it over unfinished all the same, and the NIC would refuse it or
 * sum it wrongly. A GSO packet is safe wherever it goes: before a device
 * it is cut up by offload.c, which knows the device's features.
 */
static bool xtcp_csum_offload(struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get(sk);

	return dst && dst->dev->flags & IFF_LOOPBACK &&
	       READ_ONCE(xtcp_pernet(sock_net(sk))->checksum_offload);
}

/*
 * Put the header on @skb, a packet of @segs segments' data (more than one
 * makes it a GSO packet, its gso fields set), and send it on a connected
 * socket; @now, if not 0, is the time the caller read, for the TSval.
 */
static int xtcp_xmit_packet(struct sock *sk, struct sk_buff *skb, u32 seq, u8 flags,
			    u32 segs, ktime_t now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_opts opts = { .wscale = -1 };
	unsigned int len = skb->len;
	bool offload;
	u16 wnd;
	int err;

	/* Every segment but our very first SYN acknowledges the peer's. */
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= XTCP_FLAG_ACK;
	if (flags & XTCP_FLAG_SYN) {
		/* A SYN's window is never scaled; a SYN-ACK offers a scale
		 * only in answer to an offer (RFC 7323 2.2).
		 */
		opts.mss = xs->advmss;
		opts.wscale = flags & XTCP_FLAG_ACK && !xs->wscale_ok ? -1 : xs->rcv_wscale;
		opts.sack_ok = xs->sack_ok;
		wnd = xtcp_select_window(sk, 0);
	} else {
		wnd = xtcp_window(sk);
		/*
		 * Data held after a gap goes in SACK blocks, on segments
		 * without data only: on a full-sized one they would not fit.
		 */
		if (xs->sack_ok && !len && !skb_queue_empty(&xs->ofo_queue))
			opts.nr_sacks = xtcp_ofo_sacks(sk, opts.sacks, xs->ts_ok ?
						       XTCP_MAX_SACKS_TS : XTCP_MAX_SACKS);
	}
	/* On a SYN, an offer: its TSecr is 0, as ts_recent still is. */
	if (xs->ts_ok) {
		opts.ts = true;
		opts.tsval = xtcp_ts_at(now ?: ktime_get(), xs->ts_off);
		opts.tsecr = xs->ts_recent;
	}
	if (flags & XTCP_FLAG_ACK) {
		xs->rcv_unacked = 0;
		xtcp_timer_forget(&xs->delack);
	}
	/* A GSO packet's checksums are left to finish as it is cut up. */
	offload = segs > 1 || xtcp_csum_offload(sk);
	skb_shinfo(skb)->gso_size = segs > 1 ? xs->mss : 0;
	skb_shinfo(skb)->gso_segs = segs > 1 ? segs : 0;
	skb_shinfo(skb)->gso_type = segs > 1 ? SKB_GSO_TCPV4 | SKB_GSO_FRAGLIST : 0;
	xtcp_finish_header(skb, inet->inet_saddr, inet->inet_daddr, inet->inet_sport,
			   inet->inet_dport, seq, xs->rcv_nxt, flags, wnd, &opts, offload);
	trace_xtcp_segment(sock_net(sk), inet->inet_saddr, inet->inet_daddr,
			   tcp_hdr(skb), len, true);
	xtcp_add_stats(sock_net(sk), XTCP_MIB_OUT_SEGS, segs);
	if (segs > 1)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_GSO_PACKETS);
	xs->segs_out += segs;
	err = ip_queue_xmit(sk, skb, &inet->cork.fl);
	return net_xmit_eval(err);
}

/* Build and send a bare header, at @seq, on a connected socket. */
static int xtcp_xmit_bare(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb = xtcp_alloc_packet();

	if (!skb)
		return -ENOBUFS;
	return xtcp_xmit_packet(sk, skb, seq, flags, 1, 0);
}

/* The segments @len bytes make at @mss each: a SYN or FIN, or none, is one. */
static u16 xtcp_segs_of(u32 len, u32 mss)
{
	return max_t(u32, DIV_ROUND_UP(len, mss), 1);
}

/*
 * Give @skb, a queued segment a packet may still hold, fragments of its
 * own to change. Its truesize stays what it was charged as, which
 * xtcp_wmem_free() takes back, whatever the new head's size.
 */
static int xtcp_unclone(struct sk_buff *skb)
{
	unsigned int truesize = skb->truesize;

	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	skb->truesize = truesize;
	return 0;
}

/**
 * xtcp_split() - cut a queued segment in two, the first @len bytes long
 * @sk: the socket
 * @skb: the segment, on the write queue, its data longer than @len
 * @len: bytes to keep
 *
 * The rest goes behind it on the write queue, sent, lost, held or
 * neither as it was, its page fragments moving with it; each counts as
 * its own length in MSS from then on. A segment a packet still holds
 * (cloned) gets fragments of its own first, as the packet's must not
 * change under it.
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_split(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb), *ncb;
	unsigned int linear = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	struct sk_buff *nskb;

	if (xtcp_unclone(skb))
		return -ENOMEM;
	nskb = xtcp_alloc_seg(linear, GFP_ATOMIC);
	if (!nskb)
		return -ENOMEM;
	/* Even over the protocol's limit: a retransmission may need it. */
	xtcp_wmem_charge(sk, nskb, true);
	nskb->ip_summed = skb->ip_summed;
	skb_split(skb, nskb, len);
	/* Fragments are charged by their length; they move with it. */
	skb->truesize -= nskb->data_len;
	nskb->truesize += nskb->data_len;
	ncb = XTCP_SKB_CB(nskb);
	*ncb = *cb;
	ncb->seq = cb->seq + len;
	cb->end_seq = ncb->seq;
	cb->flags &= ~XTCP_FLAG_FIN;
	ncb->segs = 0;
	if (cb->sent) {
		xtcp_set_segs(xs, skb, xtcp_segs_of(len, xs->mss));
		xtcp_set_segs(xs, nskb, xtcp_segs_of(nskb->len, xs->mss));
	}
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_split);

/**
 * xtcp_sent_head_mss() - the first MSS of the oldest unacknowledged data
 * @sk: the socket
 *
 * The first queued segment if it was sent, cut to one MSS if it holds
 * more: what a fast retransmission sends and what recovery marks lost,
 * the rest of it being as likely still on its way.
 *
 * Return: the segment, or NULL if there is none sent or the cut failed.
 */
struct sk_buff *xtcp_sent_head_mss(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	u32 mss = xtcp_sk(sk)->mss;

	if (!skb || !XTCP_SKB_CB(skb)->sent)
		return NULL;
	if (skb->len > mss && xtcp_split(sk, skb, mss))
		return NULL;
	return skb;
}

/*
 * Account @skb, a queued segment, as sent at @now: in flight if it was
 * not, sent again if it was, no longer lost; counted as its length in
 * MSS now.
 */
static void xtcp_mark_sent(struct xtcp_sock *xs, struct sk_buff *skb, ktime_t now)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->sent) {
		cb->retransmitted = 1;
	} else {
		cb->segs = 0;
		if (skb->len % xs->mss)
			xs->snd_sml = cb->end_seq;
	}
	if (cb->lost) {
		cb->lost = 0;
		xs->lost_out -= cb->segs;
	}
	cb->sent = now;
	xtcp_set_segs(xs, skb, xtcp_segs_of(skb->len, xs->mss));
}

/*
 * How many segments one packet may carry on the socket's route now, as
 * its device allows for IPv4, and at most XTCP_GSO_MAX_SEGS (a peer's
 * tiny MSS would make hundreds for the stack to cut up): 1, no GSO, with
 * net.xtcp.gso or checksum_offload at 0, or on a route that adds headers
 * of its own (IPsec); and where no more than two would fit (a device's
 * small GSO size limit): two to a packet measured a tenth slower than one
 * over lo when its segments were 32 KiB.
 */
static u32 xtcp_gso_max_segs(struct sock *sk)
{
	const struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct dst_entry *dst = __sk_dst_get(sk);
	u32 size, segs, headers;

	if (!dst || dst->header_len || !READ_ONCE(xn->gso) || !READ_ONCE(xn->checksum_offload))
		return 1;
	/* The device's limit counts its own header, and a packet stays under it. */
	headers = LL_RESERVED_SPACE(dst->dev) + sizeof(struct iphdr) + MAX_IPOPTLEN +
		  XTCP_HDR_LEN + XTCP_OPT_TS_ALIGNED + 1;
	size = min_t(u32, xtcp_gso_ipv4_max_size(dst->dev), IP_MAX_MTU);
	if (size <= headers)
		return 1;
	segs = min_t(u32, (size - headers) / xs->mss, READ_ONCE(dst->dev->gso_max_segs));
	segs = min_t(u32, segs, XTCP_GSO_MAX_SEGS);
	return segs > 2 ? segs : 1;
}

/**
 * xtcp_push_goal() - the most data one segment of the write queue holds
 * @sk: the socket
 *
 * What one packet may carry: a full segment, or, where segments leave
 * together as a GSO packet, as many as it holds. A write fills the last
 * one to this before it starts another, and pushes once it has: pushing
 * each MSS as it filled would send each alone.
 *
 * Return: bytes.
 */
u32 xtcp_push_goal(struct sock *sk)
{
	return xtcp_gso_max_segs(sk) * xtcp_sk(sk)->mss;
}

/**
 * xtcp_transmit() - send a queued segment, for the first time or again
 * @sk: the socket
 * @skb: the segment, on the write queue
 * @max: the most data one packet carries now (xtcp_push_goal())
 *
 * The segment counts as sent once its packet exists: one that could not
 * be built leaves it as it was, to go with the next push or timeout.
 * What IP then makes of the packet does not change that: a packet it
 * could not send is lost like any other, and found as any other.
 *
 * Return: 0 if the segment was sent, -ENOBUFS if no packet was built.
 */
int xtcp_transmit(struct sock *sk, struct sk_buff *skb, u32 max)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sk_buff *pkt;
	ktime_t now;
	u8 flags;

	/* More than a packet holds now (the path MTU shrank, GSO was
	 * turned off): the rest waits, behind it.
	 */
	if (skb->len > max && xtcp_split(sk, skb, max))
		return -ENOBUFS;
	pkt = xtcp_seg_packet(skb);
	if (!pkt)
		return -ENOBUFS;
	flags = cb->flags;
	if (skb->len)
		flags |= XTCP_FLAG_PSH;
	now = ktime_get();
	xtcp_mark_sent(xtcp_sk(sk), skb, now);
	xtcp_xmit_packet(sk, pkt, cb->seq, flags, cb->segs, now);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_transmit);

/**
 * xtcp_send_ctl() - send a segment that carries no data and is not queued
 * @sk: the socket
 * @flags: XTCP_FLAG_ACK, or XTCP_FLAG_RST | XTCP_FLAG_ACK
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_ctl(struct sock *sk, u8 flags)
{
	if (flags & XTCP_FLAG_RST)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_RSTS);
	return xtcp_xmit_bare(sk, xtcp_sk(sk)->snd_nxt, flags);
}

/**
 * xtcp_xmit_probe() - send a segment the peer must answer
 * @sk: the socket
 *
 * An ACK with sequence number SND.UNA - 1, already acknowledged: the peer
 * answers it with an ACK that tells its window (a zero-window probe) and
 * that it is still there (a keepalive probe), as Linux TCP's
 * tcp_xmit_probe_skb().
 *
 * Return: 0 or a negative errno.
 */
int xtcp_xmit_probe(struct sock *sk)
{
	return xtcp_xmit_bare(sk, xtcp_sk(sk)->snd_una - 1, XTCP_FLAG_ACK);
}

/**
 * xtcp_send_ack() - acknowledge what we received, with the current window
 * @sk: the socket
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_ack(struct sock *sk)
{
	return xtcp_send_ctl(sk, XTCP_FLAG_ACK);
}

/*
 * Take one of the per-socket second's @count answers, if net.xtcp's
 * challenge limit leaves one; both kinds start afresh each second.
 */
static bool xtcp_ack_budget(struct sock *sk, u32 *count)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = (u32)jiffies;

	/* Unsigned: wrong only for a second every 2^32 jiffies. */
	if (now - xs->challenge_stamp > HZ) {
		xs->challenge_stamp = now;
		xs->challenge_count = 0;
		xs->oow_count = 0;
	}
	if (*count >= READ_ONCE(xtcp_pernet(sock_net(sk))->challenge_ack_limit))
		return false;
	(*count)++;
	return true;
}

/**
 * xtcp_challenge_ack() - send a challenge ACK (RFC 5961), if the limit allows
 * @sk: the socket
 *
 * At most net.xtcp's challenge limit per socket and second, counted per
 * socket only, so no shared counter can tell an attacker anything.
 *
 * Return: true if one was sent.
 */
bool xtcp_challenge_ack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_ack_budget(sk, &xs->challenge_count))
		return false;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_CHALLENGE_ACKS);
	xtcp_send_ack(sk);
	return true;
}

/**
 * xtcp_oow_ack() - answer a segment we cannot take with an ACK
 * @sk: the socket
 * @seg: the segment: outside the window, or acknowledging data never sent
 *
 * Two ends that disagree on the sequence space (after data injected
 * blind, say) would answer each other's such ACKs with ACKs for ever, as
 * fast as both can send. So an answer to a segment that holds neither
 * data nor FIN, or holds a SYN, takes from a per-socket budget of
 * net.xtcp.challenge_ack_limit a second, as Linux TCP limits its own by
 * tcp_invalid_ratelimit; what goes unanswered is counted in AckSkipped.
 * A segment with data or FIN is always answered: its sender retransmits
 * and needs to hear.
 */
void xtcp_oow_ack(struct sock *sk, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if ((seg->end_seq == seg->seq || (seg->flags & XTCP_FLAG_SYN)) &&
	    !xtcp_ack_budget(sk, &xs->oow_count)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ACK_SKIPPED);
		return;
	}
	xtcp_send_ack(sk);
}

/*
 * Does new data in @skb fit the peer's window, or can it be cut to fit?
 * Where the room holds a whole segment, it is cut to whole segments;
 * to less, only if the room is at least half the largest window the
 * peer has offered (sender SWS avoidance), or, for a probe, any room.
 */
static bool xtcp_fit_window(struct sock *sk, struct sk_buff *skb, enum xtcp_push_mode mode)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 end = xs->snd_una + xs->snd_wnd;
	u32 room;

	if (!xtcp_seq_after(cb->end_seq, end))
		return true;
	if (!xtcp_seq_after(end, cb->seq))
		return false;
	room = end - cb->seq;
	if (room >= xs->mss)
		return !xtcp_split(sk, skb, rounddown(room, xs->mss));
	if (mode != XTCP_PUSH_PROBE && room < xs->max_window / 2)
		return false;
	return !xtcp_split(sk, skb, room);
}

/*
 * Nagle's test for new data in @skb: may its last segment go, if that
 * is shorter than the MSS? Only the last queued one can wait.
 *
 * Return: the bytes of @skb that may go: all, or its full segments only.
 */
static u32 xtcp_nagle_len(const struct sock *sk, const struct sk_buff *skb,
			  enum xtcp_push_mode mode)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 tail = skb->len % xs->mss;
	bool wait;

	if (!tail || mode == XTCP_PUSH_PROBE || !skb_queue_is_last(&sk->sk_write_queue, skb))
		return skb->len;
	if (xs->cork || mode == XTCP_PUSH_MORE)
		wait = true;
	else if (xs->nodelay)
		wait = false;
	else	/* Minshall: wait only while a short segment is unacknowledged. */
		wait = xs->snd_una != xs->snd_nxt && xtcp_seq_after(xs->snd_sml, xs->snd_una);
	return wait ? skb->len - tail : skb->len;
}

/*
 * Send again what was marked lost (timeout, SACK, MTU), oldest first, as
 * cwnd allows, at most @max bytes to a packet.
 */
static bool xtcp_push_lost(struct sock *sk, u32 max)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool sent = false;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 avail;

		if (!xs->lost_out || skb == xs->send_head)
			break;
		if (!cb->lost)
			continue;
		avail = xtcp_cong_avail(xs);
		if (!avail) {
			xs->cwnd_limited = 1;
			break;
		}
		/* What does not fit in cwnd waits, behind it on the queue. */
		if (skb->len > (u64)avail * xs->mss && xtcp_split(sk, skb, avail * xs->mss))
			break;
		trace_xtcp_retransmit(sk, cb->seq, xs->in_recovery ? "sack" : "timeout",
				      xs->retries, xs->rto_us, xs->cwnd);
		if (xtcp_transmit(sk, skb, max))
			break;
		xtcp_add_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS, cb->segs);
		xs->total_retrans += cb->segs;
		sent = true;
	}
	return sent;
}

/**
 * xtcp_push_mode() - send what cwnd, the peer's window and Nagle allow
 * @sk: the socket
 * @mode: how to treat a short last segment
 *
 * Segments marked lost go first, then new ones from xs->send_head on,
 * each queued segment as one packet (a GSO packet if it holds more than
 * one MSS), cut where cwnd, the window or Nagle stop part of it. SYN and
 * FIN go whatever the window says. Arms the retransmission timer when
 * something is in flight, the probe timer when something waits and
 * nothing is.
 */
void xtcp_push_mode(struct sock *sk, enum xtcp_push_mode mode)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool sent = false, idle;
	struct sk_buff *skb;
	u32 max;

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	idle = xs->snd_una == xs->snd_nxt;
	/* Once per push: if the route changes on the way, the rest of the
	 * push's packets may be cut up in software, nothing worse.
	 */
	max = xtcp_push_goal(sk);
	xs->cwnd_limited = 0;
	if (xs->lost_out)
		sent = xtcp_push_lost(sk, max);
	while ((skb = xs->send_head)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 avail = xtcp_cong_avail(xs), len;

		if (!avail) {
			xs->cwnd_limited = 1;
			break;
		}
		if (skb->len) {
			if (!xtcp_fit_window(sk, skb, mode))
				break;
			len = min_t(u64, xtcp_nagle_len(sk, skb, mode), (u64)avail * xs->mss);
			if (!len || (len < skb->len && xtcp_split(sk, skb, len)))
				break;
		}
		if (xtcp_transmit(sk, skb, max))
			break;
		xs->snd_nxt = cb->end_seq;
		xs->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL : skb->next;
		sent = true;
	}
	/*
	 * The first in flight: whatever the timer was due for (a window
	 * probe, another try at a packet that could not be built), it now
	 * times these, from a fresh backoff.
	 */
	if (sent && idle) {
		xtcp_timer_restart(sk);
	} else if (sent && !xs->timer.due) {
		xtcp_timer_backoff(sk);
	} else if (!sent && xs->send_head && idle) {
		/*
		 * Nothing in flight and data waits: the probe is due after
		 * the backoff, no later (a keepalive may be due in hours).
		 */
		u64 ns = xtcp_backoff_ns(xs->rto_us, xs->retries);

		if (!xs->timer.due || ktime_after(xs->timer.due, ktime_add_ns(ktime_get(), ns)))
			xtcp_timer_arm(sk, ns);
	}
}

/**
 * xtcp_push() - send what may be sent now
 * @sk: the socket
 */
void xtcp_push(struct sock *sk)
{
	xtcp_push_mode(sk, XTCP_PUSH_NORMAL);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_push);

/**
 * xtcp_mtu_reduced() - the path MTU shrank: segment to fit it
 * @sk: the socket, locked and not owned; xs->mtu_info holds the MTU an
 *	ICMP "fragmentation needed" reported
 *
 * As Linux TCP: the route learns the MTU, the MSS follows it down, and
 * segments in flight that no longer fit are sent again at once, cut to
 * the new MSS, without a congestion response (the loss was not
 * congestion). Nothing happens with IP_PMTUDISC_DONT, where IP may
 * fragment.
 */
void xtcp_mtu_reduced(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;
	struct sk_buff *skb;
	u32 mss;

	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	dst = inet_csk_update_pmtu(sk, READ_ONCE(xs->mtu_info));
	if (!dst || inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT)
		return;
	mss = max_t(int, dst_mtu(dst) - sizeof(struct iphdr) - XTCP_HDR_LEN, XTCP_MIN_MSS);
	mss = xtcp_data_mss(xs, mss);
	if (mss >= xs->mss)
		return;
	xs->mss = mss;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (skb == xs->send_head)
			break;
		if (skb->len > mss && !cb->lost && !cb->sacked) {
			cb->lost = 1;
			xs->lost_out += cb->segs;
		}
	}
	xtcp_push(sk);
}

/**
 * xtcp_snd_wnd_update() - the peer announced a window
 * @sk: the socket
 * @wnd: the window, in bytes (scaled)
 *
 * A window that opens wide enough for the whole segment waiting, with
 * nothing in flight, ends zero-window probing, as Linux's tcp_ack_probe()
 * does: the probes' backoff is forgotten, and the timer, which may be
 * minutes away, is brought to one RTO, in case the data cannot go at
 * once. A window that opens less leaves the probes to send what fits, on
 * their backoff.
 */
void xtcp_snd_wnd_update(struct sock *sk, u32 wnd)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head = xs->send_head;

	if (!xs->snd_wnd && wnd && head && head->len && xs->snd_una == xs->snd_nxt &&
	    !xtcp_seq_after(XTCP_SKB_CB(head)->end_seq, xs->snd_una + wnd))
		xtcp_timer_restart(sk);
	xs->snd_wnd = wnd;
	xs->max_window = max(xs->max_window, wnd);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_snd_wnd_update);

/**
 * xtcp_send_probe() - the probe timer's work: nothing in flight, something waits
 * @sk: the socket, locked
 *
 * What the window allows goes, however short; into a zero window goes a
 * segment with an old sequence number and no data, which the peer must
 * answer with an ACK that tells its window (RFC 9293 3.8.6.1). Probes
 * back off as retransmissions do (xs->retries counts them, since nothing
 * is in flight); after retries2 unanswered in a row (xs->probes) the
 * connection times out.
 *
 * A SYN or FIN, or data with the window open, that still did not go
 * found no memory for its packet: no probe asks the peer anything then.
 * The timer tries again, backing off, and that counts as a
 * retransmission would (xtcp_retry()). What does go starts a fresh
 * retransmission backoff (xtcp_push_mode()).
 */
void xtcp_send_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct sk_buff *skb;

	xtcp_push_mode(sk, XTCP_PUSH_PROBE);
	skb = xs->send_head;
	if (xs->snd_una != xs->snd_nxt || !skb)
		return;
	if (!skb->len || xs->snd_wnd) {
		if (xtcp_retry(sk))
			xtcp_timer_backoff(sk);
		return;
	}
	if (xs->probes >= READ_ONCE(xn->retries2)) {
		xtcp_give_up(sk);
		return;
	}
	/*
	 * An answer resets xs->probes, not the backoff: a peer that keeps
	 * its window shut is asked less and less often, up to every 120 s.
	 */
	xs->probes++;
	xs->retries = min_t(u8, xs->retries + 1, XTCP_PROBE_BACKOFF_MAX);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_WINDOW_PROBES);
	xtcp_xmit_probe(sk);
	xtcp_timer_backoff(sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_send_probe);

/**
 * xtcp_alloc_seg() - a new segment for the write queue
 * @size: room for data in the skb's own buffer, at least (0 for a
 *	segment whose data goes in page fragments, and for SYN and FIN)
 * @gfp: allocation flags
 *
 * Behind XTCP_HEADROOM for the headers of the packets cloned from it
 * (xtcp_seg_packet()). The segment gives up its claim on that room
 * (__skb_header_release()), so a clone's headers count as the clone's
 * own and the layers below write theirs there without copying.
 *
 * It comes with room for a clone beside it (a fast clone, as Linux
 * TCP's write queue segments have), so that sending it allocates no
 * sk_buff while no earlier clone of it is still out.
 *
 * Return: the skb, or NULL.
 */
struct sk_buff *xtcp_alloc_seg(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb_fclone(XTCP_HEADROOM + size, gfp);

	if (!skb)
		return NULL;
	skb_reserve(skb, XTCP_HEADROOM);
	__skb_header_release(skb);
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_alloc_seg);

/**
 * xtcp_queue_data() - put a segment of new data at the end of the write queue
 * @sk: the socket
 * @skb: the segment, its XTCP_SKB_CB() filled in, charged (xtcp_wmem_charge())
 */
void xtcp_queue_data(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (!xs->send_head)
		xs->send_head = skb;
}

/**
 * xtcp_queue_ctl() - queue and send a SYN or a FIN
 * @sk: the socket
 * @flags: XTCP_FLAG_SYN or XTCP_FLAG_FIN
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_queue_ctl(struct sock *sk, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xtcp_alloc_seg(0, sk->sk_allocation);
	struct xtcp_skb_cb *cb;

	if (!skb)
		return -ENOMEM;
	cb = XTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = xs->write_seq;
	cb->end_seq = ++xs->write_seq;
	cb->flags = flags;
	xtcp_wmem_charge(sk, skb, true);
	xtcp_queue_data(sk, skb);
	/* Data waiting for more (Nagle, cork) is no longer last: it goes. */
	xtcp_push(sk);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_queue_ctl);

/* Arm the delayed ACK, unless it is armed already: the first owed ACK sets the time. */
static void xtcp_delack_arm(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->delack.due)
		xtcp_timer_set(sk, &xs->delack, ktime_add_ns(ktime_get(), XTCP_DELACK_NS));
}

/**
 * xtcp_ack_data() - acknowledge data received, now or a little later
 * @sk: the socket
 * @len: bytes the segment carried
 * @now: it came out of order, or filled a gap: ACK at once
 *
 * In-order data is acknowledged every second full segment, or when the
 * delayed ACK timer goes off, XTCP_DELACK_NS after the first unacknowledged
 * segment; the first XTCP_QUICKACKS segments of a connection at once, so
 * the peer's slow start is not held back (a GSO packet that came whole
 * counting as the segments it holds).
 */
void xtcp_ack_data(struct sock *sk, u32 len, bool now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_rcv_mss_note(xs, len);
	xs->rcv_unacked += len;
	if (now || xs->quickacks || xs->rcv_unacked >= 2U * xs->rcv_mss) {
		xs->quickacks -= min_t(u32, xs->quickacks, DIV_ROUND_UP(len, xs->rcv_mss));
		xtcp_send_ack(sk);
		return;
	}
	xtcp_delack_arm(sk);
}

/**
 * xtcp_ack_fin_later() - acknowledge the peer's FIN with the delayed ACK
 * @sk: the socket, gone from ESTABLISHED to CLOSE-WAIT
 *
 * As Linux TCP: a process that reads EOF often closes at once, and then
 * our FIN carries the ACK; if it has not by XTCP_DELACK_NS, the timer
 * sends the ACK alone. The FIN counts as unacknowledged, so the timer
 * knows there is something to acknowledge; with it, more than a full
 * segment unacknowledged is acknowledged at once, as Linux does.
 */
void xtcp_ack_fin_later(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_unacked++;
	if (xs->rcv_unacked > xs->rcv_mss) {
		xtcp_send_ack(sk);
		return;
	}
	xtcp_delack_arm(sk);
}

/**
 * xtcp_retransmit() - send the oldest unacknowledged segment again, now
 * @sk: the socket
 * @why: for the tracepoint: "fast", "partial ack", "syn-ack"
 */
void xtcp_retransmit(struct sock *sk, const char *why)
{
	struct sk_buff *skb = xtcp_sent_head_mss(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!skb)
		return;
	trace_xtcp_retransmit(sk, XTCP_SKB_CB(skb)->seq, why, xs->retries, xs->rto_us, xs->cwnd);
	if (xtcp_transmit(sk, skb, xs->mss))
		return;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
	xs->total_retrans++;
}

/*
 * Drop the first @len bytes of @skb, a sent segment the peer has
 * acknowledged in part, and the memory they were charged; it counts as
 * its new length in MSS. Page fragments are dropped or shortened in
 * place, once the segment no longer shares them with a packet.
 * Return: 0, or -ENOMEM (the segment stays whole until the next ACK).
 */
VISIBLE_IF_KUNIT int xtcp_trim_head(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct skb_shared_info *shinfo;
	u32 head, eat;
	int i, k = 0;

	if (xtcp_unclone(skb))
		return -ENOMEM;
	head = min_t(u32, len, skb_headlen(skb));
	__skb_pull(skb, head);
	eat = len - head;
	shinfo = skb_shinfo(skb);
	for (i = 0; i < shinfo->nr_frags; i++) {
		u32 size = skb_frag_size(&shinfo->frags[i]);

		if (eat >= size) {
			skb_frag_unref(skb, i);
			eat -= size;
			continue;
		}
		shinfo->frags[k] = shinfo->frags[i];
		if (eat) {
			skb_frag_off_add(&shinfo->frags[k], eat);
			skb_frag_size_sub(&shinfo->frags[k], eat);
			eat = 0;
		}
		k++;
	}
	shinfo->nr_frags = k;
	eat = len - head;
	skb->len -= eat;
	skb->data_len -= eat;
	/* Fragments were charged by their length (xtcp_sendmsg()). */
	skb->truesize -= eat;
	sk->sk_wmem_queued -= eat;
	sk_mem_uncharge(sk, eat);
	XTCP_SKB_CB(skb)->seq += len;
	xtcp_set_segs(xtcp_sk(sk), skb, xtcp_segs_of(skb->len, xtcp_sk(sk)->mss));
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_trim_head);

/*
 * An RTT sample from an echoed TSval: milliseconds, a difference under
 * one counting as one. An echo from the future, or from longer ago than
 * the RTO can be, is no sample.
 */
static void xtcp_rtt_sample_ts(struct xtcp_sock *xs, u32 tsecr)
{
	u32 ms = xtcp_ts_now(xs->ts_off) - tsecr;

	if (ms >= XTCP_RTO_MAX_US / USEC_PER_MSEC * 2)
		return;
	xtcp_rtt_sample(&xs->srtt_us, &xs->rttvar_us, &xs->rto_us,
			max(ms, 1U) * USEC_PER_MSEC);
}

/**
 * xtcp_clean_acked() - drop the segments an acknowledgment covers
 * @sk: the socket
 * @ack: the new SND.UNA
 * @tsecr: the acknowledgment's TSecr, or 0 if it echoes none
 *
 * Takes an RTT sample from the newest segment covered, unless any segment
 * covered was sent more than once (Karn: the ACK that fills a hole
 * would time the whole repair); then, as Linux does, from @tsecr, which
 * times the transmission the peer answered (RFC 7323 4). Resets the
 * backoff, and re-arms or stops the timer.
 */
void xtcp_clean_acked(struct sock *sk, u32 ack, u32 tsecr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool retransmitted = false;
	ktime_t sent = 0;
	u32 acked = 0, bytes;

	/* Data bytes: a SYN or FIN covered is taken off below. */
	bytes = xtcp_seq_after(ack, xs->snd_una) ? ack - xs->snd_una : 0;
	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u16 segs = cb->segs;

		if (!cb->sent)
			break;
		if (xtcp_seq_after(cb->end_seq, ack)) {
			/* Acknowledged in part: its head goes. */
			if (xtcp_seq_after(ack, cb->seq) && !cb->flags &&
			    !xtcp_trim_head(sk, skb, ack - cb->seq) && cb->segs < segs) {
				retransmitted |= cb->retransmitted;
				sent = cb->sent;
				acked += segs - cb->segs;
			}
			break;
		}
		bytes -= !!(cb->flags & XTCP_FLAG_SYN) + !!(cb->flags & XTCP_FLAG_FIN);
		retransmitted |= cb->retransmitted;
		sent = cb->sent;
		__skb_unlink(skb, &sk->sk_write_queue);
		xtcp_cong_acked(xs, skb);
		xtcp_wmem_free(sk, skb);
		acked += segs;
	}
	xs->snd_una = ack;
	xs->bytes_acked += bytes;
	if (!acked)
		return;
	sk_mem_reclaim(sk);
	xtcp_cong_on_ack(sk, acked, ack);
	xtcp_sndbuf_expand(sk);
	if (!retransmitted)
		xtcp_rtt_sample(&xs->srtt_us, &xs->rttvar_us, &xs->rto_us,
				ktime_us_delta(ktime_get(), sent));
	else if (tsecr)
		xtcp_rtt_sample_ts(xs, tsecr);
	WRITE_ONCE(sk->sk_err_soft, 0);
	if (xs->snd_una == xs->snd_nxt) {
		xs->retries = 0;
		xtcp_timer_idle(sk);
	} else {
		xtcp_timer_restart(sk);
	}
	sk->sk_write_space(sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_clean_acked);

/**
 * xtcp_purge_write_queue() - drop every queued segment
 * @sk: the socket
 */
void xtcp_purge_write_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		xtcp_wmem_free(sk, skb);
	sk_mem_reclaim(sk);
	xtcp_sk(sk)->send_head = NULL;
	xtcp_sk(sk)->packets_out = 0;
	xtcp_sk(sk)->lost_out = 0;
	xtcp_sk(sk)->sacked_out = 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_purge_write_queue);

/**
 * xtcp_send_reply() - send a segment that belongs to no socket
 * @net: the namespace
 * @via: a socket whose IP settings to use (a listener, or the namespace's
 *	control socket)
 * @saddr: source address
 * @daddr: destination address
 * @sport: source port
 * @dport: destination port
 * @seq: sequence number
 * @ack: acknowledgment number
 * @flags: XTCP_FLAG_*
 * @wnd: window
 * @opts: a SYN-ACK's options, or NULL
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_reply(struct net *net, struct sock *via, __be32 saddr,
		    __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		    u8 flags, u16 wnd, const struct xtcp_opts *opts)
{
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct rtable *rt;
	int err;

	rt = ip_route_output_ports(net, &fl4, NULL, daddr, saddr, dport, sport,
				   xtcp_wire_proto, 0, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb = xtcp_alloc_packet();
	if (!skb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	skb_dst_set(skb, &rt->dst);
	xtcp_finish_header(skb, saddr, daddr, sport, dport, seq, ack, flags, wnd, opts,
			   false);
	trace_xtcp_segment(net, saddr, daddr, tcp_hdr(skb), 0, true);
	xtcp_inc_stats(net, XTCP_MIB_OUT_SEGS);
	if (flags & XTCP_FLAG_RST)
		xtcp_inc_stats(net, XTCP_MIB_OUT_RSTS);
	err = ip_build_and_send_pkt(skb, via, saddr, daddr, NULL, 0);
	return net_xmit_eval(err);
}

/**
 * xtcp_send_rst_reply() - answer a segment no connection takes with RST
 * @net: the namespace
 * @skb: the segment, its IP and xtcp headers in place
 * @seg: its parsed header
 *
 * RFC 9293 3.10.7.1: a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>; one
 * without gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. A RST gets
 * nothing.
 */
void xtcp_send_rst_reply(struct net *net, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	if (seg->flags & XTCP_FLAG_RST)
		return;
	if (seg->flags & XTCP_FLAG_ACK)
		xtcp_send_reply(net, xtcp_pernet(net)->ctl_sk, iph->daddr, iph->saddr,
				th->dest, th->source, seg->ack, 0, XTCP_FLAG_RST, 0, NULL);
	else
		xtcp_send_reply(net, xtcp_pernet(net)->ctl_sk, iph->daddr, iph->saddr,
				th->dest, th->source, 0, seg->end_seq,
				XTCP_FLAG_RST | XTCP_FLAG_ACK, 0, NULL);
}
