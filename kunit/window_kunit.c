// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receive window we announce, xtcp_window() (module/output.c):
 * the free receive buffer scaled by the share of memory received data
 * took (half, until a full segment has come; xtcp_rcv_ratio() from a
 * segment's length and truesize), at most 65535 << our window scale, and
 * never less than what is left of the window already announced, so its
 * right edge (RCV.NXT at the announcement + the window) never moves
 * back (RFC 7323 2.4), however much memory out-of-order data takes. With
 * a scale the window is a multiple of 1 << scale, rounded down, unless
 * keeping the edge needs it rounded up. And the scale we offer,
 * xtcp_wscale_offer(), and the peer's MSS we take, xtcp_peer_mss().
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

static struct sock *scaled_sock(struct kunit *test, int rcvbuf, u8 ws)
{
	struct sock *sk = window_sock(test, rcvbuf);

	xtcp_sk(sk)->wscale_ok = 1;
	xtcp_sk(sk)->rcv_wscale = ws;
	return sk;
}

/* 1 MiB of buffer, scale 4: 524288 bytes, field 32768. */
static void scaled_half_the_buffer(struct kunit *test)
{
	struct sock *sk = scaled_sock(test, 1 << 20, 4);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 32768);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_wnd, 524288);
}

/* The field still caps it: 65535 << 2 of a 4 MiB buffer. */
static void scaled_at_most_the_field(struct kunit *test)
{
	struct sock *sk = scaled_sock(test, 4 << 20, 2);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 65535);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_wnd, 65535 << 2);
}

/* Without wscale_ok the scale is not used, whatever rcv_wscale says. */
static void unscaled_unless_agreed(struct kunit *test)
{
	struct sock *sk = scaled_sock(test, 1 << 20, 4);

	xtcp_sk(sk)->wscale_ok = 0;
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 65535);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_wnd, 65535);
}

/* 1001 free bytes at scale 3: 500 bytes, rounded down to 496, field 62. */
static void scaled_rounds_down(struct kunit *test)
{
	struct sock *sk = scaled_sock(test, 1001, 3);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 62);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->rcv_wnd, 496);
}

/* Keeping the edge: 31768 left rounds up to 31776 at scale 4. */
static void scaled_edge_rounds_up(struct kunit *test)
{
	struct sock *sk = scaled_sock(test, 65536, 4);
	struct xtcp_sock *xs = xtcp_sk(sk);

	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 2048);	/* 32768 */
	xs->rcv_nxt += 1000;
	atomic_add(60000, &sk->sk_rmem_alloc);
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 1986);	/* 31776 >> 4 */
	KUNIT_EXPECT_GE(test, xs->rcv_wup + xs->rcv_wnd, 1000 + 32768);
	atomic_sub(60000, &sk->sk_rmem_alloc);
}

/* The smallest shift whose window field covers @space bytes. */
static void expect_offer_covers(struct kunit *test, struct sock *sk, u32 space)
{
	u8 ws = xtcp_wscale_offer(sk);

	KUNIT_EXPECT_LE(test, ws, 14);
	KUNIT_EXPECT_GE(test, (u64)XTCP_MAX_WINDOW << ws, space);
	if (ws)
		KUNIT_EXPECT_LT(test, (u64)XTCP_MAX_WINDOW << (ws - 1), space);
}

/*
 * The offer covers the largest buffer the socket may get, all of which
 * a window may near: what SO_RCVBUF may give (2 * rmem_max), or, unless
 * SO_RCVBUF set the buffer, xtcp_rmem[2], to which it may grow by itself
 * or, with moderate_rcvbuf 0, for a SO_RCVLOWAT mark.
 */
static void offer_covers_the_buffer(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	u32 space = max_t(u32, READ_ONCE(sk->sk_rcvbuf), 2U * READ_ONCE(sysctl_rmem_max));
	int moderate = READ_ONCE(xn->moderate_rcvbuf);

	KUNIT_ASSERT_TRUE(test, xtcp_rcvbuf_may_grow(sk));
	expect_offer_covers(test, sk, max_t(u32, space, xtcp_rmem[2]));
	WRITE_ONCE(xn->moderate_rcvbuf, 0);
	expect_offer_covers(test, sk, max_t(u32, space, xtcp_rmem[2]));
	WRITE_ONCE(xn->moderate_rcvbuf, moderate);
	sk->sk_userlocks |= SOCK_RCVBUF_LOCK;
	expect_offer_covers(test, sk, space);
	/* A huge buffer asks for the largest shift there is. */
	WRITE_ONCE(sk->sk_rcvbuf, INT_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_offer(sk), 14);
}

/* Segments that were three quarters data: three quarters of the free buffer. */
static void ratio_scales_the_window(struct kunit *test)
{
	struct sock *sk = window_sock(test, 65536);
	struct xtcp_sock *xs = xtcp_sk(sk);

	KUNIT_EXPECT_EQ(test, xs->rcv_ratio, XTCP_RATIO_DEFAULT);
	xs->rcv_ratio = 192;
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 49152);
	xs->rcv_nxt += 49152;
	atomic_add(40000, &sk->sk_rmem_alloc);
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 25536 * 3 / 4);
	atomic_sub(40000, &sk->sk_rmem_alloc);
	/* Nearly all data: nearly all the buffer. */
	xs->rcv_ratio = 255;
	KUNIT_EXPECT_EQ(test, xtcp_window(sk), 65280);
}

/* A segment's share of data in its memory, in 1/256ths, 1 to 255. */
static void ratio_of_a_segment(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(1448, 2304), 1448 * 256 / 2304);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(65160, 66304), 65160 * 256 / 66304);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(1, 4096), 1);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(0, 768), 1);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(100000, 100001), 255);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(5000, 1000), 255);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_ratio(5000, 0), 255);
}

/*
 * The peer's MSS: RFC 9293's 536 if none, at most ours and XTCP_MAX_SEG
 * (whose skb, with its headroom, fits a 16 KiB allocation), at least 48;
 * a jumbo frame's whole.
 */
static void peer_mss(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(0, 1460), XTCP_MSS_DEFAULT);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(1000, 1460), 1000);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(9000, 1460), 1460);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(1, 1460), XTCP_MIN_MSS);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(47, U16_MAX), XTCP_MIN_MSS);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(48, U16_MAX), 48);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(65535, U16_MAX), XTCP_MAX_SEG);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(65483, 65483), XTCP_MAX_SEG);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(8960, 65483), 8960);
	KUNIT_EXPECT_EQ(test, xtcp_peer_mss(16384, 65483), XTCP_MAX_SEG);
	KUNIT_EXPECT_LE(test, SKB_DATA_ALIGN(XTCP_HEADROOM + XTCP_MAX_SEG) +
			SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), 16384);
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE(half_the_free_buffer),
	KUNIT_CASE(at_most_65535),
	KUNIT_CASE(right_edge_never_moves_back),
	KUNIT_CASE(nothing_left_past_the_edge),
	KUNIT_CASE(scaled_half_the_buffer),
	KUNIT_CASE(scaled_at_most_the_field),
	KUNIT_CASE(unscaled_unless_agreed),
	KUNIT_CASE(scaled_rounds_down),
	KUNIT_CASE(scaled_edge_rounds_up),
	KUNIT_CASE(offer_covers_the_buffer),
	KUNIT_CASE(ratio_scales_the_window),
	KUNIT_CASE(ratio_of_a_segment),
	KUNIT_CASE(peer_mss),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

kunit_test_suite(xtcp_window_suite);
