// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receive window we announce, xtcp_window() (module/output.c):
 * half the free receive buffer, at most 65535 without window scaling,
 * and never less than what is left of the window already announced, so
 * its right edge (RCV.NXT at the announcement + the window) never moves
 * back (RFC 7323 2.4), however much memory out-of-order data takes.
 */
#include <kunit/test.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

static struct sock *window_sock(struct kunit *test, int rcvbuf)
{
	struct sock *sk = xtcp_kunit_sock(test);

	WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
	xtcp_sk(sk)->rcv_nxt = 1000;
	return sk;
}

static void half_the_free_buffer(struct kunit *test)
{
	struct sock *sk = window_sock(test, 65536);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 32768);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_wup, 1000);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_wnd_left(xtcp_sk(sk)), 32768);
}

static void at_most_65535(struct kunit *test)
{
	struct sock *sk = window_sock(test, 1 << 20);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 65535);
}

static void right_edge_never_moves_back(struct kunit *test)
{
	struct sock *sk = window_sock(test, 65536);
	struct xtcp_sock *xs = xtcp_sk(sk);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 32768);
	/* 1000 bytes in order, and 40000 bytes of memory taken. */
	xs->rcv_nxt += 1000;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_wnd_left(xs), 31768);
	atomic_add(40000, &sk->sk_rmem_alloc);
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 31768);	/* not (65536 - 40000) / 2 */
	KUNIT_EXPECT_EQ(test, xs->rcv_wup + xs->rcv_wnd, 1000 + 32768);
	/* Memory back: the window grows again. */
	atomic_sub(40000, &sk->sk_rmem_alloc);
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 32768);
	KUNIT_EXPECT_EQ(test, xs->rcv_wup + xs->rcv_wnd, 2000 + 32768);
}

/* Past the edge (the peer overran it): nothing is left, not a huge window. */
static void nothing_left_past_the_edge(struct kunit *test)
{
	struct sock *sk = window_sock(test, 65536);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_window(sk);
	xs->rcv_nxt += 40000;
	KUNIT_EXPECT_EQ(test, xtcp_rcv_wnd_left(xs), 0);
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE(half_the_free_buffer),
	KUNIT_CASE(at_most_65535),
	KUNIT_CASE(right_edge_never_moves_back),
	KUNIT_CASE(nothing_left_past_the_edge),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

kunit_test_suite(xtcp_window_suite);
