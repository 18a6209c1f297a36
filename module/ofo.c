// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-order queue: data that arrived inside the receive window but
 * after a gap at RCV.NXT, held until the gap is filled.
 *
 * It is a sk_buff_head kept sorted by sequence number, the segments in it
 * never overlapping, each holding exactly the bytes [seq, end_seq) of its
 * control block (skb->len == end_seq - seq). A sorted list rather than an
 * rbtree: without window scaling the window is at most 64 KB, a few dozen
 * segments at the MSS, and segments after a loss mostly arrive in rising
 * order, so a search from the tail usually stops at the first step.
 *
 * Only data is kept. A FIN that arrives out of order is not remembered:
 * the peer retransmits it until it is acknowledged, and the retransmission
 * finds it in order once the gap is filled (input.c takes it then).
 *
 * Queued segments are charged to the socket's receive memory as the
 * receive queue's are (skb_set_owner_r()), so they shrink the window we
 * announce and freeing them gives the memory back. All of it runs under
 * the socket lock.
 */
#include <linux/skbuff.h>
#include <net/sock.h>

#include "xtcp.h"

static bool xtcp_rmem_fits(const struct sock *sk, unsigned int truesize)
{
	return atomic_read(&sk->sk_rmem_alloc) + truesize <= READ_ONCE(sk->sk_rcvbuf);
}

/* The last segment of @q that starts at or before @seq, or @q's head. */
static struct sk_buff *xtcp_ofo_prev(struct sk_buff_head *q, u32 seq)
{
	struct sk_buff *skb;

	skb_queue_reverse_walk(q, skb)
		if (!xtcp_seq_after(XTCP_SKB_CB(skb)->seq, seq))
			return skb;
	return (struct sk_buff *)q;
}

/**
 * xtcp_ofo_insert() - keep a segment that arrived after a gap
 * @sk: the socket, locked
 * @skb: the segment's data alone, XTCP_SKB_CB() seq and end_seq set to
 *	the bytes it holds, seq after RCV.NXT; always consumed
 *
 * Bytes already held are not kept twice: what the segment repeats of its
 * neighbours is trimmed off it, a segment it repeats entirely is dropped,
 * and segments it covers entirely are dropped in its favour. A segment
 * that would take the socket past its receive buffer is dropped and
 * counted in OfoDrops; one queued is counted in OfoQueued.
 *
 * The first byte it adds is remembered (xs->ofo_recent): the first SACK
 * block reports the segment that came last.
 *
 * Return: XTCP_OFO_QUEUED, XTCP_OFO_DUPLICATE (nothing new in it) or
 * XTCP_OFO_NOMEM (dropped for lack of memory).
 */
enum xtcp_ofo_result xtcp_ofo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff_head *q = &xtcp_sk(sk)->ofo_queue;
	u32 seq = XTCP_SKB_CB(skb)->seq, end = XTCP_SKB_CB(skb)->end_seq;
	struct sk_buff *prev, *next;
	unsigned int covered = 0;

	if (!xtcp_rmem_fits(sk, skb->truesize) || !xtcp_rmem_schedule(sk, skb))
		goto nomem;

	prev = xtcp_ofo_prev(q, seq);
	if (prev != (struct sk_buff *)q && xtcp_seq_after(XTCP_SKB_CB(prev)->end_seq, seq))
		seq = XTCP_SKB_CB(prev)->end_seq;
	for (next = prev->next; next != (struct sk_buff *)q &&
	     xtcp_seq_before(XTCP_SKB_CB(next)->seq, end); next = next->next) {
		if (xtcp_seq_after(XTCP_SKB_CB(next)->end_seq, end)) {
			end = XTCP_SKB_CB(next)->seq;
			break;
		}
		covered++;
	}
	if (!xtcp_seq_before(seq, end)) {
		consume_skb(skb);
		return XTCP_OFO_DUPLICATE;
	}

	if (seq != XTCP_SKB_CB(skb)->seq && !pskb_pull(skb, seq - XTCP_SKB_CB(skb)->seq))
		goto nomem;
	if (pskb_trim(skb, end - seq))
		goto nomem;
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = end;
	XTCP_SKB_CB(skb)->offset = 0;

	while (covered--) {
		next = prev->next;
		__skb_unlink(next, q);
		kfree_skb(next);
	}
	skb_set_owner_r(skb, sk);
	__skb_queue_after(q, prev, skb);
	xtcp_sk(sk)->ofo_recent = seq;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_OFO_QUEUED);
	return XTCP_OFO_QUEUED;

nomem:
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_OFO_DROPS);
	kfree_skb(skb);
	return XTCP_OFO_NOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_insert);

/* Place one run of the queue: first if it holds the latest arrival. */
static void xtcp_ofo_sack_add(const struct xtcp_sock *xs, struct xtcp_sack_block *blocks,
			      unsigned int max, unsigned int *n, bool *first,
			      struct xtcp_sack_block run)
{
	if (!*first && !xtcp_seq_before(xs->ofo_recent, run.start) &&
	    xtcp_seq_before(xs->ofo_recent, run.end)) {
		blocks[0] = run;
		*first = true;
	} else if (*n < max - 1) {
		blocks[++*n] = run;
	}
}

/**
 * xtcp_ofo_sacks() - the SACK blocks that describe the queue
 * @sk: the socket, locked, its queue not empty
 * @blocks: room for @max blocks
 * @max: how many fit in the option: XTCP_MAX_SACKS, or XTCP_MAX_SACKS_TS
 *	beside timestamps
 *
 * Each run of contiguous data held is a block. The first is the run that
 * holds the segment that came last (RFC 2018 4); the others follow from
 * the highest down, as many as fit. Linux instead keeps the order in
 * which runs were last reported; with few runs the two agree.
 *
 * Return: how many blocks were written.
 */
unsigned int xtcp_ofo_sacks(const struct sock *sk, struct xtcp_sack_block *blocks,
			    unsigned int max)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sack_block run = { 0, 0 };
	bool first = false, open = false;
	unsigned int n = 0;
	struct sk_buff *skb;

	skb_queue_reverse_walk(&xs->ofo_queue, skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (open && cb->end_seq == run.start) {
			run.start = cb->seq;
			continue;
		}
		if (open)
			xtcp_ofo_sack_add(xs, blocks, max, &n, &first, run);
		if (first && n == max - 1)
			return max;
		run.start = cb->seq;
		run.end = cb->end_seq;
		open = true;
	}
	if (open)
		xtcp_ofo_sack_add(xs, blocks, max, &n, &first, run);
	if (first)
		return n + 1;
	/* No run holds it (it was pruned): the others, moved up one. */
	memmove(blocks, blocks + 1, n * sizeof(*blocks));
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_sacks);

/**
 * xtcp_ofo_drain() - move what RCV.NXT has reached to the receive queue
 * @sk: the socket, locked
 *
 * Every queued segment that now starts at or before RCV.NXT goes to the
 * receive queue, RCV.NXT moving past it; what of it arrived in order
 * meanwhile is marked read (XTCP_SKB_CB() offset), and a segment that
 * arrived in order entirely is dropped. It stops at the next gap.
 *
 * Return: true if RCV.NXT moved.
 */
bool xtcp_ofo_drain(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool moved = false;

	while ((skb = skb_peek(&xs->ofo_queue)) &&
	       !xtcp_seq_after(XTCP_SKB_CB(skb)->seq, xs->rcv_nxt)) {
		__skb_unlink(skb, &xs->ofo_queue);
		if (!xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->rcv_nxt)) {
			consume_skb(skb);
			continue;
		}
		XTCP_SKB_CB(skb)->offset = xs->rcv_nxt - XTCP_SKB_CB(skb)->seq;
		xtcp_rcv_nxt_to(xs, XTCP_SKB_CB(skb)->end_seq);
		__skb_queue_tail(&sk->sk_receive_queue, skb);
		moved = true;
	}
	return moved;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_drain);

/**
 * xtcp_ofo_prune() - make room for in-order data at the out-of-order
 *	queue's expense
 * @sk: the socket, locked
 * @truesize: the memory the in-order segment needs
 *
 * Data at RCV.NXT is what lets the reader, and so the connection, go on:
 * if the buffer is full of data after a gap, that data is dropped from
 * the far end until the segment fits, each counted in OfoDrops. The peer
 * sends it again.
 *
 * Return: true if @truesize bytes now fit in the receive buffer.
 */
bool xtcp_ofo_prune(struct sock *sk, unsigned int truesize)
{
	struct sk_buff *skb;

	while (!xtcp_rmem_fits(sk, truesize) &&
	       (skb = __skb_dequeue_tail(&xtcp_sk(sk)->ofo_queue))) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_OFO_DROPS);
		kfree_skb(skb);
	}
	return xtcp_rmem_fits(sk, truesize);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_prune);

/**
 * xtcp_ofo_purge() - drop everything held out of order
 * @sk: the socket, locked
 */
void xtcp_ofo_purge(struct sock *sk)
{
	__skb_queue_purge(&xtcp_sk(sk)->ofo_queue);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_ofo_purge);
