// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving segments.
 *
 * xtcp_v4_rcv() runs in softirq for each segment IPv4 hands us: it checks
 * length, data offset and checksum (a failure is counted and dropped,
 * never answered), finds the socket or TIME-WAIT entry it belongs to, and
 * passes it on with the socket locked; a socket owned by a process gets
 * it later, from its backlog. A segment that belongs to nothing gets a
 * RST (RFC 9293 3.10.7.1).
 *
 * xtcp_do_rcv() then follows RFC 9293 3.10.7.4's order of checks, with
 * RFC 5961's answers to blind attacks: sequence number, RST, SYN, ACK,
 * data, FIN. Each decides an event of the state table (fsm.c) or drops.
 *
 * Data ahead of a gap is held on the out-of-order queue (ofo.c) until
 * the gap is filled. Such data, and data that fills a gap, is
 * acknowledged at once; other data may wait for the delayed ACK
 * (xtcp_ack_data()).
 */
#include <linux/icmp.h>
#include <linux/skbuff.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"

/*
 * A segment the device checksummed, or one a sender on this host left
 * for a device to finish (CHECKSUM_PARTIAL, over veth or loopback), is
 * taken as it is; any other is summed here, from the device's sum of
 * it when there is one.
 */
static bool xtcp_checksum_ok(struct sk_buff *skb)
{
	if (skb_checksum_init(skb, xtcp_wire_proto, inet_compute_pseudo))
		return false;
	return !skb_checksum_complete(skb);
}

/**
 * xtcp_acceptable() - RFC 9293 3.10.7.4's sequence number test
 * @rcv_nxt: RCV.NXT
 * @rcv_wnd: RCV.WND
 * @seg: the segment
 *
 * Return: true if some of the segment falls inside the receive window.
 */
VISIBLE_IF_KUNIT bool xtcp_acceptable(u32 rcv_nxt, u32 rcv_wnd, const struct xtcp_seg *seg)
{
	u32 len = seg->end_seq - seg->seq;

	if (!len)
		return rcv_wnd ? xtcp_seq_in_window(seg->seq, rcv_nxt, rcv_wnd) :
				 seg->seq == rcv_nxt;
	if (!rcv_wnd)
		return false;
	return xtcp_seq_in_window(seg->seq, rcv_nxt, rcv_wnd) ||
	       xtcp_seq_in_window(seg->end_seq - 1, rcv_nxt, rcv_wnd);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_acceptable);

/**
 * xtcp_reset() - the connection was reset: report it and close
 * @sk: the socket, locked
 * @err: the error, or 0 for the one Linux TCP gives in this state
 */
void xtcp_reset(struct sock *sk, int err)
{
	bool dead = sock_flag(sk, SOCK_DEAD);

	if (!err) {
		switch (sk->sk_state) {
		case TCP_SYN_SENT:
			err = ECONNREFUSED;
			break;
		case TCP_CLOSE_WAIT:
			err = EPIPE;
			break;
		default:
			err = ECONNRESET;
		}
	}
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_IN_RSTS);
	WRITE_ONCE(sk->sk_err, err);
	/* Closed before the wakeup, so poll sees the error and the close. */
	xtcp_fsm_event(sk, XE_RCV_RST);
	if (!dead)
		sk_error_report(sk);
}

/* The TSecr an ACK echoes, or 0 if it echoes none we asked for. */
static u32 xtcp_seg_tsecr(const struct xtcp_sock *xs, const struct xtcp_seg *seg)
{
	return xs->ts_ok && seg->saw_ts ? seg->tsecr : 0;
}

/**
 * xtcp_paws_ok() - whether a TSval passes RFC 7323 5's test
 * @recent: TS.Recent
 * @stamp: when it was taken, in seconds (ktime_get_seconds())
 * @tsval: the segment's TSval
 * @win: how far behind @recent it may be
 *
 * A TSval that went back by more than @win is stale, unless TS.Recent is
 * itself stale: taken XTCP_PAWS_WRAP_SECS ago or more (RFC 7323 5.5), or
 * 0 (as some stacks send on their SYN).
 *
 * Return: true if the segment passes.
 */
bool xtcp_paws_ok(u32 recent, u32 stamp, u32 tsval, u32 win)
{
	if ((s32)(recent - tsval) <= (s32)win)
		return true;
	return !recent || (u32)ktime_get_seconds() - stamp >= XTCP_PAWS_WRAP_SECS;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_paws_ok);

/*
 * RFC 7323 5.3's exception, as Linux makes it: a bare duplicate ACK that
 * only came late, which would not update the window, its TSval behind by
 * less than the RTO (in ms, and a fifth for peers whose clock ticks at
 * 1200 Hz), is not stale; the congestion control wants to count it.
 */
static bool xtcp_disordered_ack(const struct xtcp_sock *xs, const struct xtcp_seg *seg)
{
	u32 wnd = (u32)seg->wnd << xs->snd_wscale;

	return (seg->flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN | XTCP_FLAG_RST | XTCP_FLAG_ACK)) ==
	       XTCP_FLAG_ACK && !seg->len && seg->seq == xs->rcv_nxt &&
	       seg->ack == xs->snd_una && !xtcp_seq_after(seg->seq, xs->snd_wl1) &&
	       !(seg->seq == xs->snd_wl1 && (wnd > xs->snd_wnd || !wnd)) &&
	       (s32)(xs->ts_recent - seg->tsval) <= (s32)(xs->rto_us / USEC_PER_MSEC * 6 / 5);
}

/* SYN-SENT: RFC 9293 3.10.7.3. */
static void xtcp_rcv_syn_sent(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool acked = false;

	if (seg->flags & XTCP_FLAG_ACK) {
		if (!xtcp_seq_after(seg->ack, xs->iss) ||
		    xtcp_seq_after(seg->ack, xs->snd_nxt)) {
			xtcp_send_rst_reply(sock_net(sk), skb, seg);
			return;
		}
		acked = true;
	}
	if (seg->flags & XTCP_FLAG_RST) {
		if (acked) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
			xtcp_reset(sk, ECONNREFUSED);
		}
		return;
	}
	if (!(seg->flags & XTCP_FLAG_SYN))
		return;

	xs->irs = seg->seq;
	xs->rcv_nxt = seg->seq + 1;
	xs->rcv_wup = xs->rcv_nxt;
	/* Scaling holds when both offered it; a SYN's window is unscaled. */
	xs->wscale_ok = seg->wscale >= 0;
	xs->snd_wscale = xs->wscale_ok ? seg->wscale : 0;
	xs->sack_ok = xs->sack_ok && seg->sack_ok;
	xs->ts_ok = xs->ts_ok && seg->saw_ts;
	if (xs->ts_ok)
		xtcp_ts_store(xs, seg->tsval);
	xs->snd_wnd = seg->wnd;
	xs->max_window = xs->snd_wnd;
	xs->snd_wl1 = seg->seq;
	xs->snd_wl2 = seg->ack;
	xs->mss = xtcp_data_mss(xs, xtcp_peer_mss(seg->mss, xs->advmss));
	xs->rcv_tstamp = (u32)jiffies;
	xtcp_sndbuf_expand(sk);
	xtcp_rcvbuf_init(sk);
	if (acked) {
		xtcp_clean_acked(sk, seg->ack, xtcp_seg_tsecr(xs, seg));
		xtcp_fsm_event(sk, XE_RCV_SYNACK);
	} else {
		xtcp_fsm_event(sk, XE_RCV_SYN);	/* simultaneous open */
	}
}

/* The same data in an skb that costs little more than its bytes. */
static struct sk_buff *xtcp_compact(struct sk_buff *skb)
{
	struct sk_buff *nskb;

	if (skb->truesize <= SKB_TRUESIZE(skb->len))
		return skb;
	nskb = alloc_skb(skb->len, GFP_ATOMIC);
	if (!nskb)
		return skb;
	if (skb_copy_bits(skb, 0, skb_put(nskb, skb->len), skb->len)) {
		kfree_skb(nskb);
		return skb;
	}
	memcpy(nskb->cb, skb->cb, sizeof(nskb->cb));
	consume_skb(skb);
	return nskb;
}

/*
 * Data at RCV.NXT goes on the receive queue and brings along what the
 * out-of-order queue held behind it; data after a gap goes on the
 * out-of-order queue (ofo.c). Either way the caller ACKs at once: a
 * duplicate ACK for data after a gap (RFC 5681 4.2), the new RCV.NXT for
 * data that fills one. Return: true if it took @skb (or, out of memory,
 * freed it).
 */
static bool xtcp_data_queue(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 skip = 0;

	if (xtcp_seq_before(seg->seq, xs->rcv_nxt))
		skip = xs->rcv_nxt - seg->seq;
	if (skip >= seg->len)
		return false;			/* all of it already here */
	if (!pskb_pull(skb, seg->doff + skip))
		return false;
	if (pskb_trim(skb, seg->len - skip))
		return false;
	skb_dst_drop(skb);
	/* What memory a full segment takes says what window it is worth. */
	if (skb->len >= xs->rcv_mss)
		xs->rcv_ratio = xtcp_rcv_ratio(skb->len, skb->truesize);
	XTCP_SKB_CB(skb)->seq = seg->seq + skip;
	XTCP_SKB_CB(skb)->end_seq = seg->seq + seg->len;
	XTCP_SKB_CB(skb)->offset = 0;
	if (XTCP_SKB_CB(skb)->seq != xs->rcv_nxt) {
		xtcp_ofo_insert(sk, skb);	/* after a gap; consumes it */
		return true;
	}
	if (!xtcp_ofo_prune(sk, skb->truesize)) {
		/*
		 * The window promised room for these bytes, but skbs cost
		 * more than their bytes (the window is scaled by the share
		 * of memory earlier segments gave to data, which segments
		 * with more overhead outgrow): keep the promise, in a
		 * compact copy if that saves memory. Only data past the
		 * promised edge is dropped.
		 */
		if (xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->rcv_wup + xs->rcv_wnd))
			return false;
		skb = xtcp_compact(skb);
	}
	/* Over the protocol's limit no promise holds: the peer resends. */
	if (!xtcp_rmem_schedule(sk, skb)) {
		kfree_skb(skb);
		return true;
	}
	skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	xtcp_rcv_nxt_to(xs, XTCP_SKB_CB(skb)->end_seq);
	xtcp_ofo_drain(sk);
	xtcp_rcv_rtt_measure(sk);
	sk->sk_data_ready(sk);
	return true;
}

/*
 * RFC 5681 2: a duplicate ACK acknowledges nothing new while something is
 * outstanding, and carries no data, no SYN or FIN, and no window change.
 */
static bool xtcp_dupack(const struct xtcp_sock *xs, const struct xtcp_seg *seg)
{
	return seg->ack == xs->snd_una && xs->packets_out && !seg->len &&
	       !(seg->flags & (XTCP_FLAG_SYN | XTCP_FLAG_FIN)) &&
	       (u32)seg->wnd << xs->snd_wscale == xs->snd_wnd;
}

/* The blocks of an ACK's SACK option, to the scoreboard (cong.c). */
static void xtcp_rcv_sacks(struct sock *sk, const struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_sack_block blocks[XTCP_MAX_SACKS];
	unsigned int i;

	for (i = 0; i < seg->nr_sacks; i++)
		blocks[i] = xtcp_sack_block(tcp_hdr(skb), seg, i);
	xtcp_cong_sack(sk, blocks, seg->nr_sacks);
}

/* The peer's FIN, in order. */
static void xtcp_rcv_fin(struct sock *sk)
{
	xtcp_sk(sk)->rcv_nxt++;
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
	}
	xtcp_fsm_event(sk, XE_RCV_FIN);
}

static bool xtcp_fin_outstanding(const struct sock *sk)
{
	return (1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK);
}

/*
 * A synchronized state: SYN-RECEIVED onwards. Return: true if @skb was
 * taken (queued as data).
 */
static bool xtcp_rcv_synced(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool taken = false, in_order = false;

	/* Simultaneous open: the peer's SYN-ACK to our SYN-ACK. */
	if (sk->sk_state == TCP_SYN_RECV &&
	    (seg->flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK | XTCP_FLAG_RST)) ==
	    (XTCP_FLAG_SYN | XTCP_FLAG_ACK) &&
	    seg->seq + 1 == xs->rcv_nxt && seg->ack == xs->snd_nxt) {
		xtcp_clean_acked(sk, seg->ack, xtcp_seg_tsecr(xs, seg));
		xtcp_fsm_event(sk, XE_RCV_ACK);
		return false;
	}

	/*
	 * RFC 7323 5.3: a TSval older than TS.Recent marks an old duplicate,
	 * perhaps from a sequence space that wrapped: dropped with an ACK,
	 * as one outside the window. A RST is judged on its sequence number
	 * alone, and a SYN is challenged below whatever its TSval, as Linux.
	 */
	if (xs->ts_ok && seg->saw_ts && !(seg->flags & (XTCP_FLAG_RST | XTCP_FLAG_SYN)) &&
	    !xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, seg->tsval, XTCP_PAWS_WINDOW) &&
	    !xtcp_disordered_ack(xs, seg)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_PAWS_ESTAB);
		xtcp_oow_ack(sk, seg);
		return false;
	}

	if (!xtcp_acceptable(xs->rcv_nxt, xtcp_rcv_wnd_left(xs), seg)) {
		if (!(seg->flags & XTCP_FLAG_RST)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_OF_WINDOW);
			xtcp_oow_ack(sk, seg);
		}
		return false;
	}

	/* RFC 5961 3.2: only an exact RST resets; others are challenged. */
	if (seg->flags & XTCP_FLAG_RST) {
		if (seg->seq == xs->rcv_nxt)
			xtcp_reset(sk, 0);
		else
			xtcp_challenge_ack(sk);
		return false;
	}

	/* RFC 5961 4.2: a SYN here is challenged, never obeyed. */
	if (seg->flags & XTCP_FLAG_SYN) {
		xtcp_challenge_ack(sk);
		return false;
	}

	if (!(seg->flags & XTCP_FLAG_ACK))
		return false;

	/* RFC 5961 5.2: an ACK of what we never sent, or far too old. */
	if (xtcp_seq_after(seg->ack, xs->snd_nxt)) {
		xtcp_oow_ack(sk, seg);
		return false;
	}
	if (xtcp_seq_before(seg->ack, xs->snd_una - max(xs->max_window, XTCP_MAX_WINDOW))) {
		xtcp_challenge_ack(sk);
		return false;
	}

	/* The peer answers: probes start counting afresh, and it is alive. */
	xs->probes = 0;
	xs->rcv_tstamp = (u32)jiffies;

	/*
	 * RFC 7323 4.3: echo the TSval of the segment that started what we
	 * have not acknowledged yet (RCV.WUP: RCV.NXT when we last sent a
	 * window), never a TSval older than the one we echo, as Linux; an
	 * old ACK may bring new data, and counts.
	 */
	if (xs->ts_ok && seg->saw_ts && !xtcp_seq_after(seg->seq, xs->rcv_wup) &&
	    xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, seg->tsval, 0))
		xtcp_ts_store(xs, seg->tsval);

	if (sk->sk_state == TCP_SYN_RECV) {
		if (seg->ack != xs->snd_nxt) {
			xtcp_send_rst_reply(sock_net(sk), skb, seg);
			return false;
		}
		xtcp_clean_acked(sk, seg->ack, xtcp_seg_tsecr(xs, seg));
		xtcp_fsm_event(sk, XE_RCV_ACK);
	} else if (xtcp_seq_after(seg->ack, xs->snd_una)) {
		xtcp_clean_acked(sk, seg->ack, xtcp_seg_tsecr(xs, seg));
	} else if (xtcp_dupack(xs, seg)) {
		xtcp_cong_on_dupack(sk);
	}
	if (xs->sack_ok && seg->nr_sacks)
		xtcp_rcv_sacks(sk, skb, seg);

	if (xtcp_seq_before(xs->snd_wl1, seg->seq) ||
	    (xs->snd_wl1 == seg->seq && !xtcp_seq_before(seg->ack, xs->snd_wl2))) {
		xtcp_snd_wnd_update(sk, (u32)seg->wnd << xs->snd_wscale);
		xs->snd_wl1 = seg->seq;
		xs->snd_wl2 = seg->ack;
	}

	if (xtcp_fin_outstanding(sk) && xs->snd_una == xs->write_seq) {
		xtcp_fsm_event(sk, XE_RCV_FIN_ACK);
		if (sk->sk_state == TCP_CLOSE)
			return false;
		if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
			xtcp_timer_arm_fin_wait2(sk);
	}

	/*
	 * New data after we shut reading down and sent our FIN, by close()
	 * or shutdown(SHUT_RDWR), or a FIN beyond what we have: RST, as
	 * Linux TCP (RFC 1122 4.2.2.13), and ECONNRESET for a process still
	 * there.
	 */
	if ((seg->len || (seg->flags & XTCP_FLAG_FIN)) && (sk->sk_shutdown & RCV_SHUTDOWN) &&
	    ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)) &&
	    xtcp_seq_after(seg->seq + seg->len, xs->rcv_nxt)) {
		WRITE_ONCE(sk->sk_err, ECONNRESET);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_error_report(sk);
		xtcp_fsm_event_cause(sk, XE_ABORT, XTCP_CAUSE_RCV_DATA);
		return false;
	}

	if (seg->len) {
		u32 expect = xs->rcv_nxt + seg->len;

		/* In order, with nothing held after a gap: the ACK may wait. */
		in_order = seg->seq == xs->rcv_nxt && skb_queue_empty(&xs->ofo_queue);
		if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2))
			taken = xtcp_data_queue(sk, skb, seg);
		in_order = in_order && xs->rcv_nxt == expect;
	}

	if ((seg->flags & XTCP_FLAG_FIN) && seg->end_seq == xs->rcv_nxt + 1) {
		/* Data with the FIN waits for the FIN's ACK, unless out of order. */
		xtcp_rcv_mss_note(xs, seg->len);
		xs->rcv_unacked += seg->len;
		xtcp_rcv_fin(sk);
		if (seg->len && !in_order && xs->rcv_unacked && sk->sk_state != TCP_CLOSE)
			xtcp_send_ack(sk);
	} else if (seg->len) {
		xtcp_ack_data(sk, seg->len, !in_order);
	} else if (seg->flags & XTCP_FLAG_FIN) {
		/* A FIN ahead of a gap, not kept (ofo.c): a duplicate ACK now. */
		xtcp_send_ack(sk);
	}

	xtcp_push(sk);
	return taken;
}

/**
 * xtcp_do_rcv() - process a segment for a socket: struct proto.backlog_rcv
 * @sk: the socket, locked and not owned by a process
 * @skb: the segment, its xtcp header at skb->data and its parsed header in
 *	XTCP_SEG_CB(); always consumed
 *
 * Return: 0.
 */
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	/* A copy: queueing the data reuses skb->cb. */
	struct xtcp_seg seg = *XTCP_SEG_CB(skb);
	bool taken = false;

	xtcp_sk(sk)->segs_in += xtcp_skb_segs(skb);
	switch (sk->sk_state) {
	case TCP_LISTEN:
		/* From the backlog BH is on, and a listener locks its children. */
		local_bh_disable();
		taken = xtcp_listen_rcv(sk, skb, &seg);
		local_bh_enable();
		break;
	case TCP_SYN_SENT:
		xtcp_rcv_syn_sent(sk, skb, &seg);
		break;
	case TCP_CLOSE:
		break;
	default:
		taken = xtcp_rcv_synced(sk, skb, &seg);
	}
	if (!taken)
		kfree_skb(skb);
	return 0;
}

/**
 * xtcp_rcv_locked() - give a segment to a socket, now or from its backlog
 * @sk: the socket, locked with bh_lock_sock() in softirq
 * @skb: the segment, as xtcp_do_rcv() takes it; always consumed
 *
 * A socket a process owns gets the segment at release_sock(); a full
 * backlog (xtcp_backlog_limit()) drops it, counted.
 */
void xtcp_rcv_locked(struct sock *sk, struct sk_buff *skb)
{
	if (!sock_owned_by_user(sk)) {
		xtcp_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, xtcp_backlog_limit(sk))) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_BACKLOG_DROPS);
		kfree_skb(skb);
	}
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcv_locked);

/**
 * xtcp_v4_rcv() - receive one xtcp segment from IPv4
 * @skb: the segment, with skb->data at the xtcp header
 *
 * Consumes @skb. Return: 0, as IPv4 expects of a protocol that took it.
 */
int xtcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct iphdr *iph;
	struct xtcp_seg *seg;
	struct tcphdr *th;
	struct sock *sk;
	unsigned int doff;

	xtcp_add_stats(net, XTCP_MIB_IN_SEGS, xtcp_skb_segs(skb));
	if (skb->pkt_type != PACKET_HOST)
		goto discard;
	if (!pskb_may_pull(skb, XTCP_HDR_LEN))
		goto malformed;
	doff = tcp_hdr(skb)->doff * 4;
	if (doff < XTCP_HDR_LEN || doff > skb->len || !pskb_may_pull(skb, doff))
		goto malformed;
	if (!xtcp_checksum_ok(skb)) {
		xtcp_inc_stats(net, XTCP_MIB_IN_CSUM_ERRORS);
		goto discard;
	}
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	seg = XTCP_SEG_CB(skb);
	if (xtcp_parse_header(th, skb->len, seg))
		goto malformed;
	trace_xtcp_segment(net, iph->saddr, iph->daddr, th, seg->len, false);

	sk = xtcp_lookup(net, iph->saddr, th->source, iph->daddr, th->dest);
	if (!sk || sk->sk_state == TCP_LISTEN) {
		int tw = xtcp_tw_rcv(net, skb, seg);

		if (tw == 1) {
			if (sk)
				sock_put(sk);
			goto discard;
		}
	}
	if (!sk) {
		xtcp_inc_stats(net, XTCP_MIB_NO_SOCKET);
		xtcp_send_rst_reply(net, skb, seg);
		goto discard;
	}

	bh_lock_sock_nested(sk);
	xtcp_rcv_locked(sk, skb);
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;

malformed:
	xtcp_inc_stats(net, XTCP_MIB_IN_MALFORMED);
discard:
	kfree_skb(skb);
	return 0;
}

/**
 * xtcp_v4_err() - an ICMP error arrived for an xtcp segment we sent
 * @skb: the ICMP message; skb->data is at the IP header it quotes, with
 *	at least the first 8 bytes of our header behind it
 * @info: ICMP type-specific information
 *
 * As Linux TCP's tcp_v4_err(): the error must quote a sequence number
 * sent and not yet acknowledged (RFC 5927), else it is counted and
 * ignored. Destination unreachable and time exceeded end a connection
 * still opening, with the errno the ICMP code maps to (ECONNREFUSED,
 * ENOPROTOOPT, EHOSTUNREACH...). A connection already open keeps trying:
 * the error is soft, and is what it reports if it then times out.
 * Fragmentation needed lowers the MSS to the path MTU the message
 * reports (xtcp_mtu_reduced()), at release_sock() if a process owns the
 * socket.
 *
 * Return: 0, or -ENOENT when no connection sent the quoted segment.
 */
int xtcp_v4_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + (iph->ihl << 2));
	u8 type = icmp_hdr(skb)->type, code = icmp_hdr(skb)->code;
	struct net *net = dev_net(skb->dev);
	struct xtcp_sock *xs;
	struct sock *sk;
	int err;

	sk = xtcp_lookup_conn(net, iph->daddr, th->dest, iph->saddr, th->source);
	if (!sk)
		return -ENOENT;
	if (type == ICMP_DEST_UNREACH && code <= NR_ICMP_UNREACH)
		err = icmp_err_convert[code].errno;
	else if (type == ICMP_TIME_EXCEEDED)
		err = EHOSTUNREACH;
	else
		goto out;

	bh_lock_sock(sk);
	xs = xtcp_sk(sk);
	if (!xtcp_seq_between(ntohl(th->seq), xs->snd_una, xs->snd_nxt)) {
		xtcp_inc_stats(net, XTCP_MIB_OUT_OF_WINDOW_ICMPS);
		goto unlock;
	}
	xtcp_inc_stats(net, XTCP_MIB_ICMP_ERRORS);
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		WRITE_ONCE(xs->mtu_info, min_t(u32, info, U16_MAX));
		if (!sock_owned_by_user(sk))
			xtcp_mtu_reduced(sk);
		else if (!test_and_set_bit(XTCP_DEFER_MTU, &xs->deferred))
			sock_hold(sk);	/* for xtcp_release_cb() */
		goto unlock;
	}
	if (((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) && !sock_owned_by_user(sk)) {
		if (sk->sk_state == TCP_SYN_SENT)
			xtcp_inc_stats(net, XTCP_MIB_ATTEMPT_FAILS);
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
		xtcp_fsm_event_cause(sk, XE_TIMEOUT, XTCP_CAUSE_ICMP);
	} else if (sk->sk_state != TCP_CLOSE) {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
unlock:
	bh_unlock_sock(sk);
out:
	sock_put(sk);
	return 0;
}
