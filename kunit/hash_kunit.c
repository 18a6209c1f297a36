// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the lookup tables (module/hash.c).
 *
 * The four-tuple tables' size: a bucket per two pages of RAM, a power of
 * two, never under 2^12 nor over 2^20 (2^16 for a 512 MB guest). A
 * listener's score: 2 bound to the segment's address, 1 bound to any, 0
 * another port or address. And the lockless lookup itself, on a real
 * socket hashed under a made-up four-tuple (TEST-NET-2, which no test
 * sends to): found with a reference of the caller's while hashed under
 * it, not found under the tuple it left once unhashed and hashed again
 * under another (connect(AF_UNSPEC) then connect()), found under the new
 * one, and not found once unhashed.
 */
#include <kunit/test.h>
#include <linux/log2.h>
#include <net/inet_sock.h>

#include "ksock.h"
#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define PAGES_PER_MB	(SZ_1M / PAGE_SIZE)

static void tuple_hash_size(struct kunit *test)
{
	unsigned long pages;

	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(0), 1U << 12);
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(1), 1U << 12);
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(16 * PAGES_PER_MB), 1U << 12);
	/* 512 MB less what the kernel keeps, as totalram_pages() says. */
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(480 * PAGES_PER_MB), 1U << 16);
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(512 * PAGES_PER_MB), 1U << 16);
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(1024 * PAGES_PER_MB), 1U << 17);
	KUNIT_EXPECT_EQ(test, xtcp_tuple_hash_size_for(ULONG_MAX), 1U << 20);
	for (pages = 1; pages < (1UL << 24); pages = pages * 3 + 1) {
		unsigned int size = xtcp_tuple_hash_size_for(pages);

		KUNIT_EXPECT_TRUE(test, is_power_of_2(size));
		KUNIT_EXPECT_GE(test, size, 1U << 12);
		KUNIT_EXPECT_LE(test, size, 1U << 20);
	}
}

static void listen_score(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	struct inet_sock *inet = inet_sk(sk);
	__be32 here = htonl(0xc6336401), there = htonl(0xc6336402);	/* 198.51.100.1, .2 */

	inet->inet_num = 5001;
	inet->inet_rcv_saddr = 0;
	KUNIT_EXPECT_EQ(test, xtcp_listen_score(sk, &init_net, here, 5001), 1);
	KUNIT_EXPECT_EQ(test, xtcp_listen_score(sk, &init_net, here, 5002), 0);
	inet->inet_rcv_saddr = here;
	KUNIT_EXPECT_EQ(test, xtcp_listen_score(sk, &init_net, here, 5001), 2);
	KUNIT_EXPECT_EQ(test, xtcp_listen_score(sk, &init_net, there, 5001), 0);
	inet->inet_num = 0;
	inet->inet_rcv_saddr = 0;
}

/* Give sk the four-tuple here:lport - there:rport and hash it. */
static void hash_as(struct sock *sk, __be32 here, __be16 lport, __be32 there, __be16 rport)
{
	struct inet_sock *inet = inet_sk(sk);

	inet->inet_rcv_saddr = here;
	inet->inet_sport = lport;
	inet->inet_daddr = there;
	inet->inet_dport = rport;
	xtcp_hash_conn(sk);
}

static void lookup_rehash(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test), *found;
	__be32 here = htonl(0xc6336401), there = htonl(0xc6336402);
	__be16 lport = htons(40001), old = htons(40002), new = htons(40003);
	int refs;

	refs = refcount_read(&sk->sk_refcnt);
	hash_as(sk, here, lport, there, old);
	/* The table's reference. */
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), refs + 1);
	/* A segment from there:old to here:lport. */
	found = xtcp_lookup(&init_net, there, old, here, lport);
	KUNIT_EXPECT_PTR_EQ(test, found, sk);
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), refs + 2);
	if (found)
		sock_put(found);

	xtcp_unhash(sk);
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), refs);
	hash_as(sk, here, lport, there, new);
	KUNIT_EXPECT_NULL(test, xtcp_lookup(&init_net, there, old, here, lport));
	found = xtcp_lookup(&init_net, there, new, here, lport);
	KUNIT_EXPECT_PTR_EQ(test, found, sk);
	if (found)
		sock_put(found);

	xtcp_unhash(sk);
	KUNIT_EXPECT_NULL(test, xtcp_lookup(&init_net, there, new, here, lport));
	KUNIT_EXPECT_EQ(test, refcount_read(&sk->sk_refcnt), refs);
	inet_sk(sk)->inet_rcv_saddr = 0;
	inet_sk(sk)->inet_sport = 0;
	inet_sk(sk)->inet_daddr = 0;
	inet_sk(sk)->inet_dport = 0;
}

static struct kunit_case hash_cases[] = {
	KUNIT_CASE(tuple_hash_size),
	KUNIT_CASE(listen_score),
	KUNIT_CASE(lookup_rehash),
	{}
};

static struct kunit_suite hash_suite = {
	.name = "xtcp_hash",
	.test_cases = hash_cases,
};

kunit_test_suite(hash_suite);
