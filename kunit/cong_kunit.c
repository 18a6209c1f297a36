// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: congestion control (module/cong.c) against RFC 5681 and RFC 6582,
 * in segments:
 *
 *   start            cwnd 10 (RFC 6928), ssthresh "infinite"
 *   ACK, slow start  cwnd += segments acknowledged, up to ssthresh
 *   ACK, avoidance   cwnd += 1 per cwnd segments acknowledged
 *   3rd dupack       ssthresh = max(flight / 2, 2), cwnd = ssthresh + 3,
 *                    recover = SND.NXT, the first hole goes again
 *   more dupacks     cwnd += 1 each
 *   partial ACK      still in recovery; cwnd -= acked, += 1
 *   full ACK         out of recovery, cwnd = min(ssthresh, flight + 1)
 *   timeout          ssthresh = max(flight / 2, 2), cwnd = 1, all in
 *                    flight marked lost, recover = SND.NXT
 *   dupacks for data sent before recover start no second fast retransmit
 *
 * and with SACK (RFC 2018, RFC 6675's scoreboard, in segments):
 *
 *   SACK block       marks the segments sent and wholly inside it held
 *                    (sacked_out); one reaching below SND.UNA or past
 *                    SND.NXT, or empty, is ignored
 *   3 held above     a segment is lost (lost_out), unless held, or sent
 *                    again since recovery began; a held one is not lost
 *   in flight        packets_out - lost_out - sacked_out, against cwnd
 *   3rd dupack       cwnd = ssthresh; more dupacks do not inflate it
 *   partial ACK      the new first segment is lost; cwnd stays
 *   timeout          every held mark is forgotten
 *
 * The socket is a real, unconnected xtcp socket with an empty write
 * queue unless a case fills it, so a retransmission sends nothing. A
 * case that fills it never lets a retransmission happen (it would send
 * from a socket with no route): what marks with a queue runs already in
 * recovery, or where RFC 6582 keeps recovery from starting.
 */
#include <kunit/test.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static struct xtcp_sock *cong_sock(struct kunit *test)
{
	struct xtcp_sock *xs = xtcp_sk(xtcp_kunit_sock(test));

	xs->snd_una = 1000;
	xs->snd_nxt = 1000 + 20 * 1000;
	xs->packets_out = 20;
	xs->cwnd_limited = 1;
	return xs;
}

static void dupacks(struct xtcp_sock *xs, int n)
{
	while (n--)
		xtcp_cong_on_dupack(&xs->inet.sk);
}

static void starts_at_ten(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, XTCP_INFINITE_SSTHRESH);
	KUNIT_EXPECT_STREQ(test, xs->ca_ops->name, "reno");
}

static void slow_start(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xtcp_cong_on_ack(&xs->inet.sk, 5, 6000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 15);
	xtcp_cong_on_ack(&xs->inet.sk, 1, 7000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 16);
}

/* Past ssthresh mid-ACK: the rest counts towards congestion avoidance. */
static void slow_start_to_ssthresh(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xs->ssthresh = 12;
	xtcp_cong_on_ack(&xs->inet.sk, 5, 6000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 12);
	KUNIT_EXPECT_EQ(test, xs->cwnd_cnt, 3);
}

static void congestion_avoidance(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	int i;

	xs->ssthresh = 5;
	for (i = 0; i < 9; i++)
		xtcp_cong_on_ack(&xs->inet.sk, 1, 2000 + i * 1000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	xtcp_cong_on_ack(&xs->inet.sk, 1, 12000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 11);
	KUNIT_EXPECT_EQ(test, xs->cwnd_cnt, 0);
}

/* A sender short of data or of the peer's window does not grow cwnd. */
static void no_growth_unless_cwnd_limited(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xs->cwnd_limited = 0;
	xtcp_cong_on_ack(&xs->inet.sk, 5, 6000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
}

static void third_dupack_fast_retransmit(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	dupacks(xs, 2);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	dupacks(xs, 1);
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, 10);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 13);
	KUNIT_EXPECT_EQ(test, xs->recover, xs->snd_nxt);
	dupacks(xs, 2);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 15);
}

static void partial_then_full_ack(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	dupacks(xs, 4);				/* cwnd 14 */
	xs->packets_out -= 2;
	xtcp_cong_on_ack(&xs->inet.sk, 2, 3000);	/* short of recover */
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 13);

	xs->packets_out = 3;
	xtcp_cong_on_ack(&xs->inet.sk, 15, xs->recover);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 4);	/* min(ssthresh 10, flight 3 + 1) */
	xtcp_cong_on_ack(&xs->inet.sk, 1, xs->recover + 1000);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 5);	/* below ssthresh: slow start */
	KUNIT_EXPECT_EQ(test, xs->dupacks, 0);
}

static void ssthresh_at_least_two(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xs->packets_out = 3;
	dupacks(xs, 3);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, 2);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 5);
}

/* A timeout marks what was sent lost, and only that. */
static void timeout(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	struct sock *sk = &xs->inet.sk;
	struct sk_buff *skb;
	int i;

	xs->packets_out = 3;
	for (i = 0; i < 4; i++) {
		skb = alloc_skb(0, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		memset(skb->cb, 0, sizeof(skb->cb));
		XTCP_SKB_CB(skb)->sent = i < 3 ? ktime_get() : 0;
		XTCP_SKB_CB(skb)->segs = 1;
		__skb_queue_tail(&sk->sk_write_queue, skb);
	}
	xtcp_cong_on_timeout(sk);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, 2);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 3);
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 1);	/* in flight: 3 - 3 */
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->lost, 0);

	/* The oldest, lost, is acknowledged: both counts go down. */
	skb = __skb_dequeue(&sk->sk_write_queue);
	xtcp_cong_acked(xs, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 2);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 2);
	__skb_queue_purge(&sk->sk_write_queue);
	xs->packets_out = 0;
	xs->lost_out = 0;
}

/* After a timeout, dupacks for data sent before it are no new loss. */
static void no_fast_retransmit_before_recover(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xtcp_cong_on_timeout(&xs->inet.sk);
	dupacks(xs, 3);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 1);

	xs->snd_una = xs->recover + 1000;	/* past it: a new loss */
	xs->dupacks = 0;
	dupacks(xs, 3);
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
}

/*
 * SND.UNA exactly at the recovery point: NewReno cannot tell a new loss
 * there from the old one and waits; SACK starts a new recovery.
 */
static void recovery_point_reached(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xs->recover = xs->snd_una;
	xs->recover_valid = 1;
	dupacks(xs, 3);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);

	xs->sack_ok = 1;
	xs->dupacks = 0;
	dupacks(xs, 3);
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->recover, xs->snd_nxt);
}

static long mib(int field)
{
	return atomic_long_read(&xtcp_pernet(&init_net)->mib[field]);
}

/* Segment @i of a queue from sent_queue(): [SEG(i), SEG(i + 1)). */
#define SEG(i)	(1000 + (i) * 1000)

/*
 * @n segments of 1000 bytes of sequence space (no data: cong.c reads only
 * the numbers) from SND.UNA on, all sent, the last ending at SND.NXT;
 * SACK in use. The case frees them with purge_queue().
 */
static void sent_queue(struct kunit *test, struct xtcp_sock *xs, int n)
{
	struct sock *sk = &xs->inet.sk;
	struct sk_buff *skb;
	int i;

	xs->snd_una = SEG(0);
	xs->snd_nxt = SEG(n);
	xs->packets_out = n;
	xs->send_head = NULL;
	xs->sack_ok = 1;
	for (i = 0; i < n; i++) {
		skb = alloc_skb(0, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		memset(skb->cb, 0, sizeof(skb->cb));
		XTCP_SKB_CB(skb)->seq = SEG(i);
		XTCP_SKB_CB(skb)->end_seq = SEG(i + 1);
		XTCP_SKB_CB(skb)->sent = ktime_get();
		XTCP_SKB_CB(skb)->segs = 1;
		__skb_queue_tail(&sk->sk_write_queue, skb);
	}
}

static void purge_queue(struct xtcp_sock *xs)
{
	__skb_queue_purge(&xs->inet.sk.sk_write_queue);
	xs->packets_out = 0;
	xs->lost_out = 0;
	xs->sacked_out = 0;
}

/* Recovery began now: what sent_queue() sent, it sent before. */
static void in_recovery(struct xtcp_sock *xs)
{
	xs->in_recovery = 1;
	xs->recover = xs->snd_nxt;
	xs->recover_valid = 1;
	xs->recovery_stamp = ktime_get();
}

static struct xtcp_skb_cb *nth_cb(struct xtcp_sock *xs, int n)
{
	struct sk_buff *skb = skb_peek(&xs->inet.sk.sk_write_queue);

	while (n--)
		skb = skb->next;
	return XTCP_SKB_CB(skb);
}

/* Bit i set: segment i of the write queue is held (or lost). */
static u32 sacked_mask(struct xtcp_sock *xs)
{
	struct sk_buff *skb;
	u32 mask = 0;
	int i = 0;

	skb_queue_walk(&xs->inet.sk.sk_write_queue, skb)
		mask |= (u32)XTCP_SKB_CB(skb)->sacked << i++;
	return mask;
}

static u32 lost_mask(struct xtcp_sock *xs)
{
	struct sk_buff *skb;
	u32 mask = 0;
	int i = 0;

	skb_queue_walk(&xs->inet.sk.sk_write_queue, skb)
		mask |= (u32)XTCP_SKB_CB(skb)->lost << i++;
	return mask;
}

#define SACK(xs, ...)							\
	xtcp_cong_sack(&(xs)->inet.sk, (const struct xtcp_sack_block[]){ __VA_ARGS__ }, \
		       ARRAY_SIZE(((const struct xtcp_sack_block[]){ __VA_ARGS__ })))

/* Only segments wholly inside a block are held; each counts once. */
static void sack_marks_whole_segments(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	sent_queue(test, xs, 10);
	SACK(xs, { SEG(3), SEG(5) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x018);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2);

	/* the same again, and blocks that cover no segment wholly */
	SACK(xs, { SEG(3), SEG(5) }, { SEG(7) + 1, SEG(8) + 999 },
	     { SEG(6), SEG(6) + 999 }, { SEG(9) + 500, SEG(10) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x018);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2);

	/* two held above the first: not yet lost, no recovery */
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	purge_queue(xs);
}

/* A D-SACK below SND.UNA, a block past SND.NXT, an empty one: ignored. */
static void sack_ignores_bad_blocks(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	sent_queue(test, xs, 10);
	xs->snd_una = SEG(0) + 500;	/* the first segment half acknowledged */
	SACK(xs, { SEG(0), SEG(2) },			/* starts below SND.UNA */
	     { SEG(8), SEG(10) + 1 },			/* ends past SND.NXT */
	     { SEG(5), SEG(5) },			/* empty */
	     { SEG(7), SEG(5) });			/* backwards */
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0);

	/* ... and do not stop the good ones after them */
	SACK(xs, { SEG(0), SEG(0) + 500 }, { SEG(4), SEG(5) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x010);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);
	purge_queue(xs);
}

/* RFC 6675 IsLost: three held segments above; a held one is not lost. */
static void sack_three_above_is_lost(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	sent_queue(test, xs, 10);
	in_recovery(xs);
	SACK(xs, { SEG(6), SEG(8) });
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0);	/* two above: not yet */
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);

	SACK(xs, { SEG(5), SEG(8) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x0e0);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 3);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0x01f);	/* 0-4; 8, 9 have none above */
	KUNIT_EXPECT_EQ(test, xs->lost_out, 5);

	/* a lost one reported held after all is held, not lost */
	SACK(xs, { SEG(3), SEG(4) }, { SEG(5), SEG(8) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x0e8);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 4);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0x017);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 4);

	/* in flight: 10 - 4 lost - 4 held */
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 8);	/* cwnd 10 */
	purge_queue(xs);
}

/* A segment sent again during this recovery is not marked lost again. */
static void sack_not_lost_again_this_recovery(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	sent_queue(test, xs, 10);
	nth_cb(xs, 1)->retransmitted = 1;	/* sent again before recovery */
	in_recovery(xs);
	nth_cb(xs, 2)->retransmitted = 1;	/* and this one in it */
	nth_cb(xs, 2)->sent = ktime_add_us(xs->recovery_stamp, 1);
	SACK(xs, { SEG(5), SEG(8) });
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0x01b);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 4);
	purge_queue(xs);
}

/*
 * Held segments above a hole after a timeout, for data sent before it
 * (RFC 6582 4.1): held, but no recovery starts and nothing is lost.
 */
static void sack_no_recovery_before_recover(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	long fast = mib(XTCP_MIB_FAST_RETRANS);

	sent_queue(test, xs, 10);
	xs->recover = xs->snd_nxt;
	xs->recover_valid = 1;
	SACK(xs, { SEG(5), SEG(9) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x1e0);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 4);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_FAST_RETRANS) - fast, 0);
	purge_queue(xs);
}

/* In flight is packets_out - lost_out - sacked_out. */
static void sack_room(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	xs->packets_out = 10;
	xs->lost_out = 2;
	xs->sacked_out = 3;
	xs->cwnd = 5;
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 0);	/* 5 in flight */
	xs->sacked_out = 4;
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 1);	/* 4 */
	xs->lost_out = 0;
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 0);	/* 6 */
	xs->sacked_out = 10;
	KUNIT_EXPECT_EQ(test, xtcp_cong_avail(xs), 5);	/* 0 */
	xs->packets_out = 0;
	xs->lost_out = 0;
	xs->sacked_out = 0;
}

/* With SACK, cwnd is ssthresh in recovery: dupacks do not inflate it. */
static void sack_dupacks_no_inflation(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	long sack = mib(XTCP_MIB_SACK_RECOVERY);

	xs->sack_ok = 1;
	dupacks(xs, 3);
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, 10);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
	KUNIT_EXPECT_EQ(test, xs->recover, xs->snd_nxt);
	KUNIT_EXPECT_EQ(test, mib(XTCP_MIB_SACK_RECOVERY) - sack, 1);
	dupacks(xs, 5);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 10);
}

/* A partial ACK marks the new first segment lost and leaves cwnd be. */
static void sack_partial_ack_marks_head(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	struct sock *sk = &xs->inet.sk;
	struct sk_buff *skb;
	int i;

	sent_queue(test, xs, 10);
	in_recovery(xs);
	xs->ssthresh = 5;
	xs->cwnd = 5;

	for (i = 0; i < 2; i++) {
		skb = __skb_dequeue(&sk->sk_write_queue);
		xtcp_cong_acked(xs, skb);
		kfree_skb(skb);
	}
	xs->snd_una = SEG(2);
	xtcp_cong_on_ack(sk, 2, SEG(2));
	KUNIT_EXPECT_TRUE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 5);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0x001);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 8);

	/* the next first segment, already sent again in this recovery */
	skb = __skb_dequeue(&sk->sk_write_queue);
	xtcp_cong_acked(xs, skb);
	kfree_skb(skb);
	nth_cb(xs, 0)->retransmitted = 1;
	nth_cb(xs, 0)->sent = ktime_add_us(xs->recovery_stamp, 1);
	xs->snd_una = SEG(3);
	xtcp_cong_on_ack(sk, 1, SEG(3));
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 5);

	/* the full ACK ends recovery */
	xtcp_cong_on_ack(sk, 7, xs->recover);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	purge_queue(xs);
}

/* RFC 2018 8: a timeout forgets what SACK said; all sent is lost. */
static void sack_timeout_forgets(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);

	sent_queue(test, xs, 10);
	in_recovery(xs);
	SACK(xs, { SEG(3), SEG(6) }, { SEG(8), SEG(9) });
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0x138);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 4);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 3);

	xtcp_cong_on_timeout(&xs->inet.sk);
	KUNIT_EXPECT_EQ(test, sacked_mask(xs), 0);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0);
	KUNIT_EXPECT_EQ(test, lost_mask(xs), 0x3ff);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 10);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 1);
	purge_queue(xs);
}

/* A held segment acknowledged leaves sacked_out. */
static void sack_acked_held(struct kunit *test)
{
	struct xtcp_sock *xs = cong_sock(test);
	struct sock *sk = &xs->inet.sk;
	struct sk_buff *skb;

	sent_queue(test, xs, 4);
	SACK(xs, { SEG(1), SEG(2) });
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 1);

	skb = __skb_dequeue(&sk->sk_write_queue);	/* not held */
	xtcp_cong_acked(xs, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 3);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 1);

	skb = __skb_dequeue(&sk->sk_write_queue);	/* held */
	xtcp_cong_acked(xs, skb);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 2);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 0);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0);
	purge_queue(xs);
}

static struct kunit_case xtcp_cong_cases[] = {
	KUNIT_CASE(starts_at_ten),
	KUNIT_CASE(slow_start),
	KUNIT_CASE(slow_start_to_ssthresh),
	KUNIT_CASE(congestion_avoidance),
	KUNIT_CASE(no_growth_unless_cwnd_limited),
	KUNIT_CASE(third_dupack_fast_retransmit),
	KUNIT_CASE(partial_then_full_ack),
	KUNIT_CASE(ssthresh_at_least_two),
	KUNIT_CASE(timeout),
	KUNIT_CASE(no_fast_retransmit_before_recover),
	KUNIT_CASE(recovery_point_reached),
	KUNIT_CASE(sack_marks_whole_segments),
	KUNIT_CASE(sack_ignores_bad_blocks),
	KUNIT_CASE(sack_three_above_is_lost),
	KUNIT_CASE(sack_not_lost_again_this_recovery),
	KUNIT_CASE(sack_no_recovery_before_recover),
	KUNIT_CASE(sack_room),
	KUNIT_CASE(sack_dupacks_no_inflation),
	KUNIT_CASE(sack_partial_ack_marks_head),
	KUNIT_CASE(sack_timeout_forgets),
	KUNIT_CASE(sack_acked_held),
	{}
};

static struct kunit_suite xtcp_cong_suite = {
	.name = "xtcp_cong",
	.test_cases = xtcp_cong_cases,
};

kunit_test_suite(xtcp_cong_suite);
