// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: receive buffer autotuning (module/mem.c). The receiver times a
 * round trip by how long data a window past RCV.NXT takes to come, and
 * keeps the least; each round trip, if the process read more than in
 * any round before, the buffer grows to hold the window that pace asks
 * for, at the share of memory received data takes, up to xtcp_rmem[2];
 * never with SO_RCVBUF set, nor with net.xtcp.moderate_rcvbuf 0.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define ADVMSS	1460
#define HALF	XTCP_RATIO_DEFAULT	/* a segment's data half its memory */

/*
 * Steady: twice what was read, sixteen segments more; the buffer twice
 * that while data is half the memory it takes.
 */
static void want_steady(struct kunit *test)
{
	u32 copied = 1000000, wnd = 2 * copied + 16 * ADVMSS;

	/* One byte more than the round before: the growth is a rounding. */
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, copied - 1, ADVMSS, HALF),
			2 * (wnd + 2 * wnd / (copied - 1)));
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, 0, ADVMSS, HALF), 2 * wnd);
}

/* A reader that doubled its pace (slow start) asks for three times as much. */
static void want_doubling(struct kunit *test)
{
	u32 copied = 200000, wnd = 2 * copied + 16 * ADVMSS;

	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, copied / 2, ADVMSS, HALF), 2 * 3 * wnd);
}

/* The buffer holds the window at the share of memory data takes. */
static void want_at_ratio(struct kunit *test)
{
	u32 copied = 1000000, wnd = 2 * copied + 16 * ADVMSS;

	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, 0, ADVMSS, 192), (u64)wnd * 4 / 3);
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, 0, ADVMSS, 255), (u64)wnd * 256 / 255);
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, 0, ADVMSS, 1), (u64)wnd * 256);
	/* Never measured as nothing: a ratio of 0 counts as 1. */
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(copied, 0, ADVMSS, 0), (u64)wnd * 256);
}

/* However fast the reader, the answer is a size, not an overflow. */
static void want_saturates(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(U32_MAX, 1, ADVMSS, HALF), U32_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(U32_MAX, U32_MAX - 1, ADVMSS, 255), U32_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(1 << 29, 1, ADVMSS, 255), U32_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_want(1 << 20, 1, 65535, HALF), U32_MAX);
}

/* A socket as xtcp_rcvbuf_init() leaves it, its window announced. */
static struct sock *tuned_sock(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->advmss = ADVMSS;
	xs->rcv_nxt = 1000;
	xs->rcv_wnd = 65536;
	xtcp_rcvbuf_init(sk);
	return sk;
}

/* The first call starts a measurement, which ends a window later. */
static void rtt_by_the_window(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_rcv_rtt_measure(sk);
	KUNIT_EXPECT_EQ(test, xs->rcv_rtt_seq, 1000 + 65536);
	KUNIT_EXPECT_EQ(test, xs->rcv_rtt_us, 0);

	/* Short of the mark: still measuring. */
	xs->rcv_rtt_stamp = ktime_sub_us(ktime_get(), 5000);
	xs->rcv_nxt = 1000 + 65535;
	xtcp_rcv_rtt_measure(sk);
	KUNIT_EXPECT_EQ(test, xs->rcv_rtt_us, 0);

	/* At it: a sample of about 5 ms, and the next measurement begins. */
	xs->rcv_nxt = 1000 + 65536;
	xtcp_rcv_rtt_measure(sk);
	KUNIT_EXPECT_GE(test, xs->rcv_rtt_us, 5000);
	KUNIT_EXPECT_LT(test, xs->rcv_rtt_us, 5000 + 1000000);
	KUNIT_EXPECT_EQ(test, xs->rcv_rtt_seq, 1000 + 2 * 65536);
}

/* A longer sample leaves the estimate; a shorter one replaces it. */
static void rtt_keeps_the_least(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_rtt_us = 3000;
	xs->rcv_rtt_seq = 2000;
	xs->rcv_rtt_stamp = ktime_sub_us(ktime_get(), 60000000);
	xs->rcv_nxt = 2000;
	xtcp_rcv_rtt_measure(sk);
	KUNIT_EXPECT_EQ(test, xs->rcv_rtt_us, 3000);

	xs->rcv_rtt_seq = xs->rcv_nxt;
	xs->rcv_rtt_stamp = ktime_get();
	xtcp_rcv_rtt_measure(sk);
	KUNIT_EXPECT_LT(test, xs->rcv_rtt_us, 3000);
	KUNIT_EXPECT_GE(test, xs->rcv_rtt_us, 1);
}

/* A round trip over, with @read bytes read in it. */
static void round_read(struct sock *sk, u32 read)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcv_rtt_us = 10000;
	xs->rcvq_stamp = ktime_sub_us(ktime_get(), 20000);
	xs->copied = xs->rcvq_copied + read;
}

static void grows_with_the_reader(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int before = READ_ONCE(sk->sk_rcvbuf);
	u32 space = xs->rcvq_space, want;

	KUNIT_EXPECT_EQ(test, space, XTCP_INIT_CWND * ADVMSS);
	xs->rcv_ratio = 192;	/* segments were three quarters data */
	round_read(sk, 4 * space);
	xtcp_rcvbuf_adjust(sk);
	want = xtcp_rcvbuf_want(4 * space, space, ADVMSS, 192);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), min_t(u32, want, xtcp_rmem[2]));
	KUNIT_EXPECT_GT(test, READ_ONCE(sk->sk_rcvbuf), before);
	KUNIT_EXPECT_EQ(test, xs->rcvq_space, 4 * space);
	KUNIT_EXPECT_EQ(test, xs->rcvq_copied, xs->copied);

	/* A slower round changes nothing, and starts the next. */
	before = READ_ONCE(sk->sk_rcvbuf);
	round_read(sk, space);
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), before);
	KUNIT_EXPECT_EQ(test, xs->rcvq_space, 4 * space);
	KUNIT_EXPECT_EQ(test, xs->rcvq_copied, xs->copied);
}

/*
 * With a large MSS (loopback's), ten segments are more than the first
 * window: the first round has to beat the window, which it can. Ten
 * segments would never be read in a round trip, and the buffer never grow.
 */
static void first_round_beats_the_window(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int before = READ_ONCE(sk->sk_rcvbuf);

	xs->advmss = 16064;
	xs->rcv_wnd = 65536;
	xtcp_rcvbuf_init(sk);
	KUNIT_EXPECT_EQ(test, xs->rcvq_space, 65536);
	round_read(sk, 100000);
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_GT(test, READ_ONCE(sk->sk_rcvbuf), before);
	KUNIT_EXPECT_EQ(test, xs->rcvq_space, 100000);
}

/* Before a round trip has passed, or before any RTT sample, no round ends. */
static void waits_for_the_round(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int before = READ_ONCE(sk->sk_rcvbuf);
	u32 start = xs->rcvq_copied;

	round_read(sk, 1 << 20);
	xs->rcvq_stamp = ktime_get();
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), before);
	KUNIT_EXPECT_EQ(test, xs->rcvq_copied, start);

	round_read(sk, 1 << 20);
	xs->rcv_rtt_us = 0;
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), before);
}

static void at_most_rmem_max(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);

	round_read(sk, 1 << 30);
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), xtcp_rmem[2]);
}

/* SO_RCVBUF's size stands; the rounds still count. */
static void not_when_set(struct kunit *test)
{
	struct sock *sk = tuned_sock(test);

	sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	KUNIT_EXPECT_FALSE(test, xtcp_rcvbuf_may_grow(sk));
	WRITE_ONCE(sk->sk_rcvbuf, 8192);
	round_read(sk, 1 << 20);
	xtcp_rcvbuf_adjust(sk);
	KUNIT_EXPECT_EQ(test, READ_ONCE(sk->sk_rcvbuf), 8192);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcvq_space, 1 << 20);
}

/*
 * A socket owned by its process, its receive queue at the receive
 * buffer: its backlog still takes as much again, and a GSO packet more,
 * before a segment is dropped (it took what the send buffer allowed).
 */
static void backlog_room(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	u32 rcvbuf = SZ_256K, sndbuf = SZ_64K, limit, taken = 0;
	bool dropped = false;

	/* The loop ends by a drop, or fails the test with none by the limit. */
	WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
	WRITE_ONCE(sk->sk_sndbuf, sndbuf);
	limit = xtcp_backlog_limit(sk);
	KUNIT_EXPECT_EQ(test, limit, 2 * rcvbuf + sndbuf / 2 + SZ_64K);

	lock_sock(sk);
	atomic_add(rcvbuf, &sk->sk_rmem_alloc);
	while (!dropped && taken <= limit) {
		struct sk_buff *skb = alloc_skb(4000, GFP_KERNEL);

		if (!skb)
			break;
		local_bh_disable();
		bh_lock_sock(sk);
		xtcp_rcv_locked(sk, skb);
		dropped = sk->sk_backlog.len == taken;
		taken = sk->sk_backlog.len;
		bh_unlock_sock(sk);
		local_bh_enable();
	}
	atomic_sub(rcvbuf, &sk->sk_rmem_alloc);
	/* The backlog goes to xtcp_do_rcv(), which frees what a closed socket gets. */
	release_sock(sk);

	KUNIT_EXPECT_TRUE(test, dropped);
	KUNIT_EXPECT_GE(test, taken, rcvbuf + SZ_64K);
}

static struct kunit_case xtcp_mem_cases[] = {
	KUNIT_CASE(want_steady),
	KUNIT_CASE(want_doubling),
	KUNIT_CASE(want_at_ratio),
	KUNIT_CASE(want_saturates),
	KUNIT_CASE(rtt_by_the_window),
	KUNIT_CASE(rtt_keeps_the_least),
	KUNIT_CASE(grows_with_the_reader),
	KUNIT_CASE(first_round_beats_the_window),
	KUNIT_CASE(waits_for_the_round),
	KUNIT_CASE(at_most_rmem_max),
	KUNIT_CASE(not_when_set),
	KUNIT_CASE(backlog_room),
	{}
};

static struct kunit_suite xtcp_mem_suite = {
	.name = "xtcp_mem",
	.test_cases = xtcp_mem_cases,
};

kunit_test_suite(xtcp_mem_suite);
