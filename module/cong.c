// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control: how many segments may be in flight.
 *
 * Counted in segments, as Linux counts them. A segment is in flight from
 * its transmission until it is acknowledged, reported held by a SACK
 * block, or marked lost; lost ones are sent again before anything new
 * (xtcp_push()):
 *
 *   xs->packets_out   segments sent and not yet acknowledged
 *   xs->lost_out      of those, marked lost and not yet sent again
 *   xs->sacked_out    of those, reported held by the peer (SACK)
 *   in flight         packets_out - lost_out - sacked_out ("pipe" in
 *                     RFC 6675), at most xs->cwnd
 *
 * Loss is found three ways:
 *   - three duplicate ACKs: the first unacknowledged segment goes again
 *     at once, whatever cwnd says (fast retransmit), ssthresh is cut, and
 *     recovery lasts until everything sent before the loss (xs->recover)
 *     is acknowledged;
 *   - with SACK (RFC 2018, when both SYNs offered it), a segment with at
 *     least three SACKed segments above it is lost (RFC 6675's IsLost()
 *     in segments): that starts recovery too, and in recovery marks every
 *     hole the blocks show, so one round trip repairs them all;
 *   - a retransmission timeout: every segment in flight is marked lost,
 *     cwnd falls to one and slow start sends them again, oldest first.
 *     What SACK reported is forgotten (RFC 2018 8: the peer may have
 *     dropped it since).
 *
 * In recovery without SACK, NewReno (RFC 6582): each partial ACK sends
 * the next hole again and deflates cwnd, each further duplicate ACK lets
 * one new segment go. With SACK, cwnd is ssthresh and the pipe says what
 * may go; a partial ACK marks the new first segment lost, so a hole with
 * too few SACKed segments above it does not wait for the timer. A segment
 * sent again during this recovery (at or after xs->recovery_stamp) is not
 * marked again: if that copy is lost too, the timer finds it.
 *
 * What changes with the algorithm, the window's growth on an ACK and its
 * cut on a loss, is a struct xtcp_cong_ops; Reno's is the one there is.
 * The window only grows while it is what limits the sender
 * (xs->cwnd_limited), so an idle or receiver-limited connection does not
 * collect a window it has never tried (RFC 7661).
 *
 * All of it runs with the socket locked.
 */
#include <net/sock.h>

#include "xtcp.h"

/* RFC 5681 3.1: slow start, then one segment per window of ACKs. */
static void xtcp_reno_cong_avoid(struct xtcp_sock *xs, u32 acked)
{
	if (xs->cwnd < xs->ssthresh) {
		u32 room = xs->ssthresh - xs->cwnd;

		xs->cwnd += min(acked, room);
		acked -= min(acked, room);
	}
	xs->cwnd_cnt += acked;
	if (xs->cwnd_cnt >= xs->cwnd) {
		xs->cwnd_cnt -= xs->cwnd;
		xs->cwnd++;
	}
}

/* RFC 5681 (4): half the flight, at least two segments. */
static u32 xtcp_reno_ssthresh(const struct xtcp_sock *xs)
{
	return max(xs->packets_out / 2, 2U);
}

static const struct xtcp_cong_ops xtcp_reno = {
	.name		= "reno",
	.cong_avoid	= xtcp_reno_cong_avoid,
	.ssthresh	= xtcp_reno_ssthresh,
};

/**
 * xtcp_cong_init() - the window of a new connection
 * @xs: the socket
 *
 * RFC 6928's initial window of ten segments; no ssthresh yet.
 */
void xtcp_cong_init(struct xtcp_sock *xs)
{
	xs->ca_ops = &xtcp_reno;
	xs->cwnd = XTCP_INIT_CWND;
	xs->cwnd_cnt = 0;
	xs->ssthresh = XTCP_INFINITE_SSTHRESH;
	xs->packets_out = 0;
	xs->lost_out = 0;
	xs->sacked_out = 0;
	xs->dupacks = 0;
	xs->in_recovery = 0;
	xs->recover_valid = 0;
	xs->cwnd_limited = 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_init);

/* Mark @skb lost, unless it is held, marked, or sent again this recovery. */
static void xtcp_mark_lost(struct xtcp_sock *xs, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (!cb->sent || cb->sacked || cb->lost)
		return;
	if (xs->in_recovery && cb->retransmitted && !ktime_before(cb->sent, xs->recovery_stamp))
		return;
	cb->lost = 1;
	xs->lost_out += cb->segs;
}

/* Mark the first MSS of what is unacknowledged lost. */
static void xtcp_mark_head_lost(struct sock *sk)
{
	struct sk_buff *head = xtcp_sent_head_mss(sk);

	if (head)
		xtcp_mark_lost(xtcp_sk(sk), head);
}

/* Fast retransmit: ssthresh cut, the first segment sent again now. */
static void xtcp_enter_recovery(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->in_recovery = 1;
	xs->recover = xs->snd_nxt;
	xs->recover_valid = 1;
	xs->recovery_stamp = ktime_get();
	xs->ssthresh = xs->ca_ops->ssthresh(xs);
	xs->cwnd_cnt = 0;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_FAST_RETRANS);
	if (xs->sack_ok) {
		xs->cwnd = xs->ssthresh;
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SACK_RECOVERY);
		xtcp_mark_head_lost(sk);
	} else {
		xs->cwnd = xs->ssthresh + XTCP_DUPACK_THRESHOLD;
	}
	xtcp_retransmit(sk, "fast");
}

/*
 * A loss that recovery already covered starts no new one. NewReno cannot
 * tell a new loss at the recovery point from an old one and waits for
 * SND.UNA to pass it (RFC 6582 4.1); SACK can, and may start again once
 * SND.UNA reaches it (RFC 6675 5.1, as Linux).
 */
static bool xtcp_recovery_done_before(const struct xtcp_sock *xs)
{
	if (!xs->recover_valid)
		return false;
	if (xs->sack_ok)
		return xtcp_seq_before(xs->snd_una, xs->recover);
	return !xtcp_seq_after(xs->snd_una, xs->recover);
}

/**
 * xtcp_cong_on_ack() - SND.UNA moved forward
 * @sk: the socket
 * @acked: segments the ACK acknowledged, all of them
 * @ack: the new SND.UNA
 *
 * In recovery, a partial ACK (short of xs->recover) shows the next hole:
 * without SACK it goes again and cwnd gives back what left the network
 * (RFC 6582 3.2 (5)); with SACK it is marked lost, for xtcp_push(). A
 * full ACK ends recovery at ssthresh. Otherwise the window grows, if it
 * was what limited the sender.
 */
void xtcp_cong_on_ack(struct sock *sk, u32 acked, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->dupacks = 0;
	if (xs->in_recovery) {
		if (xtcp_seq_before(ack, xs->recover)) {
			if (xs->sack_ok) {
				xtcp_mark_head_lost(sk);
				return;
			}
			xtcp_retransmit(sk, "partial ack");
			xs->cwnd = max(xs->cwnd - min(acked, xs->cwnd), 1U) + 1;
			return;
		}
		xs->in_recovery = 0;
		xs->cwnd = max(min(xs->ssthresh, xs->packets_out + 1), 1U);
		xs->cwnd_cnt = 0;
		return;
	}
	if (xs->cwnd_limited)
		xs->ca_ops->cong_avoid(xs, acked);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_on_ack);

/**
 * xtcp_cong_on_dupack() - an ACK that acknowledged nothing new
 * @sk: the socket, with data in flight
 *
 * The third starts fast retransmit, unless the loss it reports is one
 * recovery already covered. In NewReno recovery each one is a segment
 * that left the network: cwnd grows by one so that a new one may go (RFC
 * 5681 3.2 (4)); with SACK the pipe counts what left.
 */
void xtcp_cong_on_dupack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->in_recovery) {
		if (!xs->sack_ok)
			xs->cwnd++;
		return;
	}
	if (++xs->dupacks < XTCP_DUPACK_THRESHOLD || xtcp_recovery_done_before(xs))
		return;
	xtcp_enter_recovery(sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_on_dupack);

/**
 * xtcp_cong_sack() - take in an ACK's SACK blocks
 * @sk: the socket, SACK in use
 * @blocks: the blocks, as received
 * @n: how many
 *
 * Each segment sent and wholly inside a block is marked held, a queued
 * segment of several MSS cut where the block's edges fall (a block
 * that is not inside [SND.UNA, SND.NXT] is ignored: a D-SACK, or nonsense).
 * Then every segment with XTCP_DUPACK_THRESHOLD held ones above it is
 * lost; the first such loss starts recovery.
 */
void xtcp_cong_sack(struct sock *sk, const struct xtcp_sack_block *blocks, unsigned int n)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff_head *q = &sk->sk_write_queue;
	struct sk_buff *skb;
	u32 above = 0, cut;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct xtcp_sack_block *b = &blocks[i];

		if (!xtcp_seq_before(b->start, b->end) || xtcp_seq_before(b->start, xs->snd_una) ||
		    xtcp_seq_after(b->end, xs->snd_nxt))
			continue;
		skb_queue_walk(q, skb) {
			struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

			if (skb == xs->send_head || !xtcp_seq_before(cb->seq, b->end))
				break;
			if (cb->sacked || !xtcp_seq_after(cb->end_seq, b->start))
				continue;
			/*
			 * A queued segment of several MSS that the block holds
			 * in part is cut at the MSS boundaries inside it, as
			 * the packet was: the part within is then marked.
			 */
			if (xtcp_seq_before(cb->seq, b->start)) {
				cut = roundup(b->start - cb->seq, xs->mss);
				if (cut < skb->len)
					xtcp_split(sk, skb, cut);
				continue;
			}
			if (xtcp_seq_after(cb->end_seq, b->end)) {
				cut = rounddown(b->end - cb->seq, xs->mss);
				if (!cut || cut >= skb->len || xtcp_split(sk, skb, cut))
					continue;
			}
			cb->sacked = 1;
			xs->sacked_out += cb->segs;
			if (cb->lost) {
				cb->lost = 0;
				xs->lost_out -= cb->segs;
			}
		}
	}
	if (!xs->sacked_out)
		return;

	/* From the newest segment sent down, counting held ones. */
	skb = xs->send_head ? xs->send_head->prev : q->prev;
	for (; skb != (struct sk_buff *)q; skb = skb->prev) {
		if (XTCP_SKB_CB(skb)->sacked)
			above += XTCP_SKB_CB(skb)->segs;
		else if (above >= XTCP_DUPACK_THRESHOLD)
			break;
	}
	if (skb == (struct sk_buff *)q)
		return;
	if (!xs->in_recovery) {
		if (xtcp_recovery_done_before(xs))
			return;
		xtcp_enter_recovery(sk);
	}
	for (; skb != (struct sk_buff *)q; skb = skb->prev)
		xtcp_mark_lost(xs, skb);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_sack);

/**
 * xtcp_cong_on_timeout() - the retransmission timer expired
 * @sk: the socket
 *
 * Everything in flight is lost; one segment may go (RFC 5681 3.1 (4)
 * and (5)). Duplicate ACKs for what was sent before do not start a fast
 * retransmit afterwards (RFC 6582 4.1).
 */
void xtcp_cong_on_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	xs->ssthresh = xs->ca_ops->ssthresh(xs);
	xs->cwnd = 1;
	xs->cwnd_cnt = 0;
	xs->dupacks = 0;
	xs->in_recovery = 0;
	xs->recover = xs->snd_nxt;
	xs->recover_valid = 1;
	xs->sacked_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		cb->sacked = 0;
		if (cb->sent && !cb->lost) {
			cb->lost = 1;
			xs->lost_out += cb->segs;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_on_timeout);

/**
 * xtcp_cong_acked() - a segment left the write queue, acknowledged
 * @xs: the socket
 * @skb: the segment
 */
void xtcp_cong_acked(struct xtcp_sock *xs, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (!cb->sent)
		return;
	xs->packets_out -= cb->segs;
	if (cb->lost)
		xs->lost_out -= cb->segs;
	if (cb->sacked)
		xs->sacked_out -= cb->segs;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_acked);

/**
 * xtcp_cong_avail() - how many more segments may go now
 * @xs: the socket
 *
 * Return: cwnd less the segments in flight, 0 if none.
 */
u32 xtcp_cong_avail(const struct xtcp_sock *xs)
{
	u32 in_flight = xs->packets_out - xs->lost_out - xs->sacked_out;

	return in_flight < xs->cwnd ? xs->cwnd - in_flight : 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cong_avail);

/**
 * xtcp_set_segs() - a queued segment now counts as @segs segments
 * @xs: the socket
 * @skb: the segment, on the write queue
 * @segs: its new count
 *
 * The counters it is in (sent, lost, held) change with it.
 */
void xtcp_set_segs(struct xtcp_sock *xs, struct sk_buff *skb, u16 segs)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	int delta = (int)segs - cb->segs;

	cb->segs = segs;
	if (!cb->sent)
		return;
	xs->packets_out += delta;
	if (cb->lost)
		xs->lost_out += delta;
	if (cb->sacked)
		xs->sacked_out += delta;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_set_segs);
