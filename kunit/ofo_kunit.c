// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the out-of-order queue (module/ofo.c) on a real, unconnected
 * xtcp socket, with segments built by hand: their data is a pattern of
 * the sequence numbers it stands for, so a segment trimmed at the wrong
 * end shows in its bytes, not only in its numbers.
 *
 * The insert cases give RCV.NXT, segments in arrival order with what
 * xtcp_ofo_insert() must answer each, and the queue they must leave:
 * sorted, never overlapping, each segment's bytes its own, and the
 * socket's receive memory exactly what the queue holds. Then draining
 * to RCV.NXT, the receive buffer's limit, pruning and purging.
 *
 * The SACK cases give segments in arrival order and the blocks
 * xtcp_ofo_sacks() must make of the queue (RFC 2018 4): contiguous
 * segments are one run; the run holding the latest arrival comes first,
 * then the others from the highest down, at most XTCP_MAX_SACKS in all;
 * if no run holds the latest arrival (drained since), the others alone.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define QUEUED	XTCP_OFO_QUEUED
#define DUP	XTCP_OFO_DUPLICATE
#define WRAP	0xffffff00u	/* 256 bytes before the 2^32 wrap */

struct ofo_ctx {
	struct sock *sk;
};

static u8 pattern(u32 seq)
{
	return seq % 251;
}

/* A segment of @len data bytes standing for @seq onwards. */
static struct sk_buff *seg(struct kunit *test, u32 seq, u32 len)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	u8 *p;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = pattern(seq + i);
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq + len;
	XTCP_SKB_CB(skb)->offset = 0;
	return skb;
}

static long mib(int field)
{
	return atomic_long_read(&xtcp_pernet(&init_net)->mib[field]);
}

static int ofo_init(struct kunit *test)
{
	struct ofo_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->sk = xtcp_kunit_sock(test);	/* its close() purges both queues */
	test->priv = c;
	return 0;
}

static enum xtcp_ofo_result insert(struct kunit *test, u32 seq, u32 len)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	enum xtcp_ofo_result res;

	lock_sock(sk);
	res = xtcp_ofo_insert(sk, seg(test, seq, len));
	release_sock(sk);
	return res;
}

struct span {
	u32 seq, end;
};

/*
 * @q holds exactly the segments @want (ended by an empty one), each with
 * its own bytes from XTCP_SKB_CB() offset on. Return: their truesize.
 */
static unsigned int expect_queue(struct kunit *test, struct sk_buff_head *q,
				 const struct span *want)
{
	unsigned int truesize = 0;
	struct sk_buff *skb;
	int n = 0;

	skb_queue_walk(q, skb) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 i;

		KUNIT_ASSERT_NE_MSG(test, want[n].seq, want[n].end, "segment %d is extra", n);
		KUNIT_EXPECT_EQ_MSG(test, cb->seq, want[n].seq, "segment %d", n);
		KUNIT_EXPECT_EQ_MSG(test, cb->end_seq, want[n].end, "segment %d", n);
		KUNIT_EXPECT_EQ_MSG(test, skb->len, cb->end_seq - cb->seq, "segment %d", n);
		for (i = cb->offset; i < skb->len; i++) {
			u8 b;

			KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, i, &b, 1), 0);
			KUNIT_ASSERT_EQ_MSG(test, b, pattern(cb->seq + i),
					    "segment %d byte %u", n, i);
		}
		truesize += skb->truesize;
		n++;
	}
	KUNIT_EXPECT_EQ_MSG(test, want[n].seq, want[n].end, "segment %d is missing", n);
	return truesize;
}

struct ofo_case {
	const char *name;
	u32 rcv_nxt;
	struct {
		u32 seq;
		u32 len;	/* 0 ends the list */
		enum xtcp_ofo_result res;
	} in[6];
	struct span out[6];	/* an empty span ends the list */
};

static const struct ofo_case ofo_cases[] = {
	{ "rising", 1000,
	  { { 1100, 100, QUEUED }, { 1200, 100, QUEUED }, { 1400, 50, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1300 }, { 1400, 1450 } } },
	{ "falling", 1000,
	  { { 1400, 50, QUEUED }, { 1200, 100, QUEUED }, { 1100, 100, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1300 }, { 1400, 1450 } } },
	{ "mixed", 1000,
	  { { 1300, 10, QUEUED }, { 1001, 9, QUEUED }, { 1500, 1, QUEUED },
	    { 1200, 10, QUEUED }, { 1400, 10, QUEUED } },
	  { { 1001, 1010 }, { 1200, 1210 }, { 1300, 1310 }, { 1400, 1410 },
	    { 1500, 1501 } } },
	{ "exact_duplicate", 1000,
	  { { 1100, 100, QUEUED }, { 1100, 100, DUP }, { 1100, 100, DUP } },
	  { { 1100, 1200 } } },
	{ "inside_one", 1000,
	  { { 1100, 100, QUEUED }, { 1120, 50, DUP }, { 1100, 1, DUP }, { 1199, 1, DUP } },
	  { { 1100, 1200 } } },
	{ "inside_two_adjacent", 1000,
	  { { 1100, 100, QUEUED }, { 1200, 100, QUEUED }, { 1150, 100, DUP } },
	  { { 1100, 1200 }, { 1200, 1300 } } },
	{ "covers_all", 1000,
	  { { 1100, 10, QUEUED }, { 1200, 10, QUEUED }, { 1300, 10, QUEUED },
	    { 1050, 300, QUEUED } },
	  { { 1050, 1350 } } },
	{ "covers_same_start", 1000,
	  { { 1100, 10, QUEUED }, { 1100, 50, QUEUED } },
	  { { 1100, 1110 }, { 1110, 1150 } } },
	{ "covers_same_end", 1000,
	  { { 1140, 10, QUEUED }, { 1100, 50, QUEUED } },
	  { { 1100, 1150 } } },
	{ "overlaps_end_of_one", 1000,
	  { { 1100, 100, QUEUED }, { 1150, 100, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1250 } } },
	{ "overlaps_start_of_one", 1000,
	  { { 1100, 100, QUEUED }, { 1050, 100, QUEUED } },
	  { { 1050, 1100 }, { 1100, 1200 } } },
	{ "overlaps_both_neighbours", 1000,
	  { { 1100, 100, QUEUED }, { 1300, 100, QUEUED }, { 1150, 200, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1300 }, { 1300, 1400 } } },
	{ "overlaps_both_covers_middle", 1000,
	  { { 1100, 100, QUEUED }, { 1220, 10, QUEUED }, { 1300, 100, QUEUED },
	    { 1150, 200, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1300 }, { 1300, 1400 } } },
	{ "fills_hole_exactly", 1000,
	  { { 1100, 100, QUEUED }, { 1300, 100, QUEUED }, { 1200, 100, QUEUED } },
	  { { 1100, 1200 }, { 1200, 1300 }, { 1300, 1400 } } },
	{ "wrap_rising", WRAP,
	  { { WRAP + 0x80, 0x80, QUEUED }, { 0, 0x40, QUEUED }, { 0x40, 0x40, QUEUED } },
	  { { WRAP + 0x80, 0 }, { 0, 0x40 }, { 0x40, 0x80 } } },
	{ "wrap_falling", WRAP,
	  { { 0x40, 0x40, QUEUED }, { 0xfffffff0, 0x20, QUEUED }, { WRAP + 0x10, 0x10, QUEUED } },
	  { { WRAP + 0x10, WRAP + 0x20 }, { 0xfffffff0, 0x10 }, { 0x40, 0x80 } } },
	{ "wrap_across_one", WRAP,
	  { { 0xffffffc0, 0x80, QUEUED }, { 0xfffffff0, 0x20, DUP }, { 0x30, 0x20, QUEUED },
	    { 0xffffffa0, 0x30, QUEUED } },
	  { { 0xffffffa0, 0xffffffc0 }, { 0xffffffc0, 0x40 }, { 0x40, 0x50 } } },
	{ "wrap_covers_across", WRAP,
	  { { 0xfffffff0, 0x8, QUEUED }, { 0x8, 0x8, QUEUED }, { 0xffffffe0, 0x40, QUEUED } },
	  { { 0xffffffe0, 0x20 } } },
};

static void ofo_case_desc(const struct ofo_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ofo, ofo_cases, ofo_case_desc);

static void ofo_insert(struct kunit *test)
{
	const struct ofo_case *oc = test->param_value;
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	long queued = mib(XTCP_MIB_OFO_QUEUED), want_queued = 0;
	unsigned int truesize;
	int i;

	xtcp_sk(sk)->rcv_nxt = oc->rcv_nxt;
	for (i = 0; oc->in[i].len; i++) {
		KUNIT_EXPECT_EQ_MSG(test, insert(test, oc->in[i].seq, oc->in[i].len),
				    oc->in[i].res, "segment %d in", i);
		want_queued += oc->in[i].res == QUEUED;
	}
	truesize = expect_queue(test, &xtcp_sk(sk)->ofo_queue, oc->out);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), truesize);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_OFO_QUEUED) - queued, want_queued);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_nxt, oc->rcv_nxt);

	lock_sock(sk);
	xtcp_ofo_purge(sk);
	release_sock(sk);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&xtcp_sk(sk)->ofo_queue));
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), 0);
}

/* Data reached RCV.NXT (@rcv_nxt): drain and compare both queues. */
static void drain_to(struct kunit *test, u32 rcv_nxt, bool moved, u32 want_nxt,
		     const struct span *rcvq, const struct span *left)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	unsigned int truesize;

	lock_sock(sk);
	xtcp_sk(sk)->rcv_nxt = rcv_nxt;
	KUNIT_EXPECT_EQ(test, xtcp_ofo_drain(sk), moved);
	release_sock(sk);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_nxt, want_nxt);
	truesize = expect_queue(test, &sk->sk_receive_queue, rcvq);
	truesize += expect_queue(test, &xtcp_sk(sk)->ofo_queue, left);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), truesize);
}

static void ofo_drain(struct kunit *test)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	struct sk_buff *skb;

	xtcp_sk(sk)->rcv_nxt = 1000;
	insert(test, 1100, 100);
	insert(test, 1200, 100);
	insert(test, 1400, 100);
	insert(test, 1600, 100);

	/* RCV.NXT short of the first: nothing moves */
	drain_to(test, 1099, false, 1099, (const struct span[]){ {} },
		 (const struct span[]){ { 1100, 1200 }, { 1200, 1300 }, { 1400, 1500 },
					{ 1600, 1700 }, {} });
	/* in-order data ended inside the first: its rest and the next move */
	drain_to(test, 1150, true, 1300,
		 (const struct span[]){ { 1100, 1200 }, { 1200, 1300 }, {} },
		 (const struct span[]){ { 1400, 1500 }, { 1600, 1700 }, {} });
	skb = skb_peek(&sk->sk_receive_queue);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->offset, 50);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb_peek_tail(&sk->sk_receive_queue))->offset, 0);
	/* in-order data covered the next entirely: it goes, the one after moves */
	drain_to(test, 1550, false, 1550,
		 (const struct span[]){ { 1100, 1200 }, { 1200, 1300 }, {} },
		 (const struct span[]){ { 1600, 1700 }, {} });
	drain_to(test, 1600, true, 1700,
		 (const struct span[]){ { 1100, 1200 }, { 1200, 1300 }, { 1600, 1700 }, {} },
		 (const struct span[]){ {} });
}

static void ofo_drain_wrap(struct kunit *test)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;

	xtcp_sk(sk)->rcv_nxt = WRAP;
	insert(test, 0x10, 0x10);
	insert(test, 0xfffffff0, 0x10);
	insert(test, 0, 0x10);
	insert(test, 0x30, 0x10);
	drain_to(test, 0xfffffff0, true, 0x20,
		 (const struct span[]){ { 0xfffffff0, 0 }, { 0, 0x10 }, { 0x10, 0x20 }, {} },
		 (const struct span[]){ { 0x30, 0x40 }, {} });
}

/* A segment past the receive buffer is dropped and counted. */
static void ofo_nomem(struct kunit *test)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	long drops = mib(XTCP_MIB_OFO_DROPS);
	unsigned int one;

	xtcp_sk(sk)->rcv_nxt = 1000;
	KUNIT_EXPECT_EQ(test, insert(test, 1100, 100), QUEUED);
	one = atomic_read(&sk->sk_rmem_alloc);
	KUNIT_ASSERT_GT(test, one, 100);
	WRITE_ONCE(sk->sk_rcvbuf, 2 * one);
	KUNIT_EXPECT_EQ(test, insert(test, 1300, 100), QUEUED);
	KUNIT_EXPECT_EQ(test, insert(test, 1500, 100), XTCP_OFO_NOMEM);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_OFO_DROPS) - drops, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), 2 * one);
	expect_queue(test, &xtcp_sk(sk)->ofo_queue,
		     (const struct span[]){ { 1100, 1200 }, { 1300, 1400 }, {} });
}

/* In-order data makes room by dropping from the far end. */
static void ofo_prune(struct kunit *test)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	long drops = mib(XTCP_MIB_OFO_DROPS);
	unsigned int one;
	bool fits;

	xtcp_sk(sk)->rcv_nxt = 1000;
	insert(test, 1100, 100);
	insert(test, 1300, 100);
	insert(test, 1200, 100);
	one = atomic_read(&sk->sk_rmem_alloc) / 3;
	WRITE_ONCE(sk->sk_rcvbuf, 3 * one);

	lock_sock(sk);
	fits = xtcp_ofo_prune(sk, 0);
	release_sock(sk);
	KUNIT_EXPECT_TRUE(test, fits);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_OFO_DROPS) - drops, 0);

	lock_sock(sk);
	fits = xtcp_ofo_prune(sk, one + 1);
	release_sock(sk);
	KUNIT_EXPECT_TRUE(test, fits);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_OFO_DROPS) - drops, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), one);
	expect_queue(test, &xtcp_sk(sk)->ofo_queue, (const struct span[]){ { 1100, 1200 }, {} });

	lock_sock(sk);
	fits = xtcp_ofo_prune(sk, 3 * one + 1);
	release_sock(sk);
	KUNIT_EXPECT_FALSE(test, fits);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&xtcp_sk(sk)->ofo_queue));
	KUNIT_EXPECT_EQ(test, atomic_read(&sk->sk_rmem_alloc), 0);
}

struct ofo_sack_case {
	const char *name;
	u32 rcv_nxt;
	struct {
		u32 seq;
		u32 len;	/* 0 ends the list */
	} in[8];
	struct span out[XTCP_MAX_SACKS + 1];	/* an empty span ends the list */
};

static const struct ofo_sack_case ofo_sack_cases[] = {
	{ "one", 1000,
	  { { 1100, 100 } },
	  { { 1100, 1200 } } },
	/* the latest first, whether higher or lower */
	{ "low_then_high", 1000,
	  { { 1100, 100 }, { 1300, 100 } },
	  { { 1300, 1400 }, { 1100, 1200 } } },
	{ "high_then_low", 1000,
	  { { 1300, 100 }, { 1100, 100 } },
	  { { 1100, 1200 }, { 1300, 1400 } } },
	{ "middle_latest", 1000,
	  { { 1100, 100 }, { 1500, 100 }, { 1300, 100 } },
	  { { 1300, 1400 }, { 1500, 1600 }, { 1100, 1200 } } },
	/* contiguous segments are one block */
	{ "contiguous", 1000,
	  { { 1100, 100 }, { 1200, 100 }, { 1300, 50 } },
	  { { 1100, 1350 } } },
	{ "fill_merges_two", 1000,
	  { { 1100, 100 }, { 1300, 100 }, { 1200, 100 } },
	  { { 1100, 1400 } } },
	{ "fill_merges_not_highest", 1000,
	  { { 1100, 100 }, { 1300, 100 }, { 1500, 100 }, { 1200, 100 } },
	  { { 1100, 1400 }, { 1500, 1600 } } },
	/* the latest is where its new bytes start, not where it was sent */
	{ "overlap_trimmed", 1000,
	  { { 1400, 100 }, { 1100, 100 }, { 1150, 100 } },
	  { { 1100, 1250 }, { 1400, 1500 } } },
	/* a duplicate adds nothing: the latest is still the one before */
	{ "duplicate_not_latest", 1000,
	  { { 1100, 100 }, { 1300, 100 }, { 1100, 100 } },
	  { { 1300, 1400 }, { 1100, 1200 } } },
	{ "four_runs", 1000,
	  { { 1700, 100 }, { 1100, 100 }, { 1500, 100 }, { 1300, 100 } },
	  { { 1300, 1400 }, { 1700, 1800 }, { 1500, 1600 }, { 1100, 1200 } } },
	/* six runs: the latest, then the three highest others */
	{ "six_runs_latest_middle", 1000,
	  { { 1100, 100 }, { 1300, 100 }, { 1500, 100 }, { 1900, 100 }, { 2100, 100 },
	    { 1700, 100 } },
	  { { 1700, 1800 }, { 2100, 2200 }, { 1900, 2000 }, { 1500, 1600 } } },
	{ "six_runs_latest_lowest", 1000,
	  { { 2100, 100 }, { 1900, 100 }, { 1700, 100 }, { 1500, 100 }, { 1300, 100 },
	    { 1100, 100 } },
	  { { 1100, 1200 }, { 2100, 2200 }, { 1900, 2000 }, { 1700, 1800 } } },
	{ "six_runs_latest_highest", 1000,
	  { { 1100, 100 }, { 1300, 100 }, { 1500, 100 }, { 1700, 100 }, { 1900, 100 },
	    { 2100, 100 } },
	  { { 2100, 2200 }, { 1900, 2000 }, { 1700, 1800 }, { 1500, 1600 } } },
	/* sequence space wraps: 0x40 is above 0xfffffff0 */
	{ "wrap", WRAP,
	  { { 0x40, 0x40 }, { WRAP + 0x10, 0x10 }, { 0xfffffff0, 0x20 } },
	  { { 0xfffffff0, 0x10 }, { 0x40, 0x80 }, { WRAP + 0x10, WRAP + 0x20 } } },
	{ "wrap_merges", WRAP,
	  { { 0xfffffff0, 0x10 }, { 0x20, 0x10 }, { 0, 0x10 }, { WRAP + 0x10, 0x10 } },
	  { { WRAP + 0x10, WRAP + 0x20 }, { 0x20, 0x30 }, { 0xfffffff0, 0x10 } } },
	{ "wrap_six_runs", WRAP,
	  { { WRAP + 0x80, 0x10 }, { 0xfffffff0, 0x8 }, { 0x10, 0x10 }, { 0x30, 0x10 },
	    { 0x50, 0x10 }, { WRAP + 0xa0, 0x10 } },
	  { { WRAP + 0xa0, WRAP + 0xb0 }, { 0x50, 0x60 }, { 0x30, 0x40 }, { 0x10, 0x20 } } },
};

static void ofo_sack_case_desc(const struct ofo_sack_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ofo_sack, ofo_sack_cases, ofo_sack_case_desc);

/*
 * xtcp_ofo_sacks() gives exactly the blocks @want (ended by an empty one),
 * @max at most.
 */
static void expect_sacks_max(struct kunit *test, const struct span *want, unsigned int max)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	/* exactly @max: KASAN sees a write past them */
	struct xtcp_sack_block *blocks = kunit_kcalloc(test, max, sizeof(*blocks), GFP_KERNEL);
	unsigned int n, i;

	KUNIT_ASSERT_NOT_NULL(test, blocks);
	lock_sock(sk);
	n = xtcp_ofo_sacks(sk, blocks, max);
	release_sock(sk);
	for (i = 0; i < max && want[i].seq != want[i].end; i++) {
		KUNIT_ASSERT_LT_MSG(test, i, n, "block %u is missing", i);
		KUNIT_EXPECT_EQ_MSG(test, blocks[i].start, want[i].seq, "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, blocks[i].end, want[i].end, "block %u", i);
	}
	KUNIT_EXPECT_EQ(test, n, i);
}

static void expect_sacks(struct kunit *test, const struct span *want)
{
	expect_sacks_max(test, want, XTCP_MAX_SACKS);
}

static void ofo_sacks(struct kunit *test)
{
	const struct ofo_sack_case *oc = test->param_value;
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;
	int i;

	xtcp_sk(sk)->rcv_nxt = oc->rcv_nxt;
	for (i = 0; oc->in[i].len; i++)
		insert(test, oc->in[i].seq, oc->in[i].len);
	expect_sacks(test, oc->out);
}

/* Four runs after RCV.NXT 1000, of 100 bytes each, the lowest arriving last. */
static void insert_four_runs(struct kunit *test)
{
	struct sock *sk = ((struct ofo_ctx *)test->priv)->sk;

	xtcp_sk(sk)->rcv_nxt = 1000;
	insert(test, 1300, 100);
	insert(test, 1500, 100);
	insert(test, 1700, 100);
	insert(test, 1100, 100);
}

/* The latest arrival went to the receive queue: the others, highest first. */
static void ofo_sacks_latest_drained(struct kunit *test)
{
	insert_four_runs(test);
	expect_sacks(test, (const struct span[]){
		{ 1100, 1200 }, { 1700, 1800 }, { 1500, 1600 }, { 1300, 1400 }, {} });
	drain_to(test, 1100, true, 1200, (const struct span[]){ { 1100, 1200 }, {} },
		 (const struct span[]){ { 1300, 1400 }, { 1500, 1600 }, { 1700, 1800 }, {} });
	expect_sacks(test, (const struct span[]){
		{ 1700, 1800 }, { 1500, 1600 }, { 1300, 1400 }, {} });
}

/* Beside timestamps three blocks fit: the latest, then the two highest. */
static void ofo_sacks_beside_timestamps(struct kunit *test)
{
	insert_four_runs(test);
	expect_sacks_max(test, (const struct span[]){
		{ 1100, 1200 }, { 1700, 1800 }, { 1500, 1600 }, {} }, XTCP_MAX_SACKS_TS);
	insert(test, 1900, 100);
	expect_sacks_max(test, (const struct span[]){
		{ 1900, 2000 }, { 1700, 1800 }, { 1500, 1600 }, {} }, XTCP_MAX_SACKS_TS);
}

static struct kunit_case xtcp_ofo_cases[] = {
	KUNIT_CASE_PARAM(ofo_insert, ofo_gen_params),
	KUNIT_CASE(ofo_drain),
	KUNIT_CASE(ofo_drain_wrap),
	KUNIT_CASE(ofo_nomem),
	KUNIT_CASE(ofo_prune),
	KUNIT_CASE_PARAM(ofo_sacks, ofo_sack_gen_params),
	KUNIT_CASE(ofo_sacks_latest_drained),
	KUNIT_CASE(ofo_sacks_beside_timestamps),
	{}
};

static struct kunit_suite xtcp_ofo_suite = {
	.name = "xtcp_ofo",
	.init = ofo_init,
	.test_cases = xtcp_ofo_cases,
};

kunit_test_suite(xtcp_ofo_suite);
