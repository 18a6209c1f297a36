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
 * The socket is a real, unconnected xtcp socket with an empty write
 * queue unless a case fills it, so a retransmission sends nothing.
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
		__skb_queue_tail(&sk->sk_write_queue, skb);
	}
	xtcp_cong_on_timeout(sk);
	KUNIT_EXPECT_EQ(test, xs->ssthresh, 2);
	KUNIT_EXPECT_EQ(test, xs->cwnd, 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 3);
	KUNIT_EXPECT_TRUE(test, xtcp_cong_room(xs));	/* in flight: 3 - 3 */
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
	{}
};

static struct kunit_suite xtcp_cong_suite = {
	.name = "xtcp_cong",
	.test_cases = xtcp_cong_cases,
};

kunit_test_suite(xtcp_cong_suite);
