// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: initial sequence numbers (module/isn.c), RFC 6528's
 * ISN = M + F(4-tuple, secret). With the key and the clock given:
 * the same inputs give the same ISN; for a fixed tuple the ISN moves
 * with the clock by exactly ns >> 12 (4.096 us ticks), modulo 2^32, also
 * where the ISN or the tick count wraps; changing any one field of the
 * tuple, or the key, changes the ISN.
 *
 * And SYN cookies, the ISNs of a listener under a flood: a cookie checks
 * good in its epoch and the next, also across the epoch counter's wrap,
 * and carries the largest table MSS not above the peer's; it checks bad
 * two epochs on, an epoch early, with another key, another peer ISN, any
 * one field of the tuple changed, or any one of its 32 bits flipped.
 */
#include <kunit/test.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define TICK	4096ULL		/* ns per clock tick */

static const siphash_key_t isn_key = {
	{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }
};

struct isn_tuple {
	const char *name;
	__be32 saddr, daddr;
	__be16 sport, dport;
};

/* 192.0.2.1:40000 -> 192.0.2.2:7777 */
static const struct isn_tuple isn_base = {
	"base", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	cpu_to_be16(40000), cpu_to_be16(7777),
};

static u32 isn(const siphash_key_t *key, const struct isn_tuple *t, u64 ns)
{
	return xtcp_isn_at(key, t->saddr, t->daddr, t->sport, t->dport, ns);
}

static void isn_deterministic(struct kunit *test)
{
	siphash_key_t copy = isn_key;
	const u64 ns = 123456789012ULL;
	u32 first = isn(&isn_key, &isn_base, ns);

	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, ns), first);
	/* the key's value counts, not where it is */
	KUNIT_EXPECT_EQ(test, isn(&copy, &isn_base, ns), first);
}

static void isn_clock(struct kunit *test)
{
	const u64 t0 = 1000 * TICK;
	const u64 ns = 123456789012345ULL;
	u32 base = isn(&isn_key, &isn_base, t0);

	/* within a tick nothing moves */
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, t0 + TICK - 1), base);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, t0 - 1), base - 1);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, t0 + TICK), base + 1);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, t0 + 1000 * TICK), base + 1000);
	/* one second is 244140 whole ticks (and 2560 ns over) */
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, t0 + NSEC_PER_SEC), base + 244140);
	/* from time 0 (34 hours, past a wrap), it has moved by ns >> 12 */
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, ns) - isn(&isn_key, &isn_base, 0),
			lower_32_bits(ns >> 12));
}

/* The ISN wraps from 0xffffffff to 0 a tick later, like any sequence number. */
static void isn_sequence_wrap(struct kunit *test)
{
	u32 f = isn(&isn_key, &isn_base, 0);
	u64 top = (u64)(U32_MAX - f) * TICK;	/* when the ISN is 0xffffffff */

	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, top), U32_MAX);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, top + TICK), 0);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, top + 2 * TICK), 1);
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(isn(&isn_key, &isn_base, top + TICK),
					       isn(&isn_key, &isn_base, top)));
}

/* The tick count wraps at 2^32 ticks (2^44 ns, about 4.9 hours). */
static void isn_clock_wrap(struct kunit *test)
{
	const u64 wrap = TICK << 32;
	u32 before = isn(&isn_key, &isn_base, wrap - TICK);

	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, wrap), before + 1);
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, wrap), isn(&isn_key, &isn_base, 0));
	KUNIT_EXPECT_EQ(test, isn(&isn_key, &isn_base, wrap + 5 * TICK),
			isn(&isn_key, &isn_base, 5 * TICK));
}

/* The base tuple with one field changed, by one bit or more. */
static const struct isn_tuple isn_others[] = {
	{ "saddr_low_bit", cpu_to_be32(0xc0000200), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40000), cpu_to_be16(7777) },
	{ "saddr_high_bit", cpu_to_be32(0x40000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40000), cpu_to_be16(7777) },
	{ "daddr_low_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000203),
	  cpu_to_be16(40000), cpu_to_be16(7777) },
	{ "daddr_high_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0x40000202),
	  cpu_to_be16(40000), cpu_to_be16(7777) },
	{ "sport_low_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40001), cpu_to_be16(7777) },
	{ "sport_high_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40000 ^ 0x8000), cpu_to_be16(7777) },
	{ "dport_low_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40000), cpu_to_be16(7776) },
	{ "dport_high_bit", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(40000), cpu_to_be16(7777 ^ 0x8000) },
	/* the same connection seen from the other end */
	{ "reversed", cpu_to_be32(0xc0000202), cpu_to_be32(0xc0000201),
	  cpu_to_be16(7777), cpu_to_be16(40000) },
	{ "ports_swapped", cpu_to_be32(0xc0000201), cpu_to_be32(0xc0000202),
	  cpu_to_be16(7777), cpu_to_be16(40000) },
};

static void isn_tuple_desc(const struct isn_tuple *t, char *desc)
{
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(isn_tuple, isn_others, isn_tuple_desc);

static void isn_tuple_changes(struct kunit *test)
{
	const struct isn_tuple *t = test->param_value;
	const u64 ns = 987654321ULL;

	KUNIT_EXPECT_NE(test, isn(&isn_key, t, ns), isn(&isn_key, &isn_base, ns));
	/* and keeps its distance as the clock moves */
	KUNIT_EXPECT_EQ(test, isn(&isn_key, t, ns + 77 * TICK) - isn(&isn_key, t, ns), 77);
}

static void isn_key_changes(struct kunit *test)
{
	static const siphash_key_t one_bit = {
		{ 0x0706050403020101ULL, 0x0f0e0d0c0b0a0908ULL }
	};
	static const siphash_key_t high_half = {
		{ 0x0706050403020100ULL, 0x8f0e0d0c0b0a0908ULL }
	};
	static const siphash_key_t other = {
		{ 0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL }
	};
	const u64 ns = 987654321ULL;
	u32 base = isn(&isn_key, &isn_base, ns);
	unsigned int i;

	KUNIT_EXPECT_NE(test, isn(&one_bit, &isn_base, ns), base);
	KUNIT_EXPECT_NE(test, isn(&high_half, &isn_base, ns), base);
	KUNIT_EXPECT_NE(test, isn(&other, &isn_base, ns), base);
	for (i = 0; i < ARRAY_SIZE(isn_others); i++)
		KUNIT_EXPECT_NE_MSG(test, isn(&other, &isn_others[i], ns),
				    isn(&isn_key, &isn_others[i], ns),
				    "%s", isn_others[i].name);
}

static u32 cookie(const siphash_key_t *key, const struct isn_tuple *t, u32 irs, u32 epoch,
		  u16 mss)
{
	return xtcp_cookie_at(key, t->saddr, t->daddr, t->sport, t->dport, irs, epoch, mss);
}

static u16 cookie_check(const siphash_key_t *key, const struct isn_tuple *t, u32 irs,
			u32 c, u32 epoch)
{
	return xtcp_cookie_check_at(key, t->saddr, t->daddr, t->sport, t->dport, irs, c,
				    epoch);
}

/* The peer's MSS, and the one its cookie carries. */
static const struct {
	u16 peer, carried;
} cookie_mss[] = {
	{ 48, 48 }, { 255, 48 }, { 256, 256 }, { 535, 256 }, { 536, 536 },
	{ 1000, 536 }, { 1220, 1220 }, { 1399, 1220 }, { 1400, 1400 },
	{ 1459, 1440 }, { 1460, 1460 }, { 8959, 1460 }, { 8960, 8960 },
	{ 65535, 8960 },
};

static void cookie_lifetime(struct kunit *test)
{
	const u32 irs = 0x12345678, epoch = 1000;
	unsigned int i;
	u32 last;

	for (i = 0; i < ARRAY_SIZE(cookie_mss); i++) {
		u32 c = cookie(&isn_key, &isn_base, irs, epoch, cookie_mss[i].peer);
		u16 want = cookie_mss[i].carried;

		KUNIT_EXPECT_EQ_MSG(test, cookie_check(&isn_key, &isn_base, irs, c, epoch), want,
				    "peer mss %u", cookie_mss[i].peer);
		KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs, c, epoch + 1), want);
		KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs, c, epoch + 2), 0);
		KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs, c, epoch - 1), 0);
	}
	/* the epoch counter wraps like any other */
	last = cookie(&isn_key, &isn_base, irs, U32_MAX, 1460);
	KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs, last, 0), 1460);
	KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs, last, 1), 0);
}

static void cookie_forgeries(struct kunit *test)
{
	static const siphash_key_t other = {
		{ 0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL }
	};
	const u32 irs = 0xfffffff0, epoch = 77;
	u32 c = cookie(&isn_key, &isn_base, irs, epoch, 1460);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, cookie_check(&isn_key, &isn_base, irs, c, epoch), 1460);
	KUNIT_EXPECT_EQ(test, cookie_check(&other, &isn_base, irs, c, epoch), 0);
	KUNIT_EXPECT_EQ(test, cookie_check(&isn_key, &isn_base, irs + 1, c, epoch), 0);
	for (i = 0; i < ARRAY_SIZE(isn_others); i++)
		KUNIT_EXPECT_EQ_MSG(test, cookie_check(&isn_key, &isn_others[i], irs, c, epoch), 0,
				    "%s", isn_others[i].name);
	for (i = 0; i < 32; i++)
		KUNIT_EXPECT_EQ_MSG(test, cookie_check(&isn_key, &isn_base, irs, c ^ BIT(i), epoch),
				    0, "bit %u", i);
}

static struct kunit_case xtcp_isn_cases[] = {
	KUNIT_CASE(isn_deterministic),
	KUNIT_CASE(isn_clock),
	KUNIT_CASE(isn_sequence_wrap),
	KUNIT_CASE(isn_clock_wrap),
	KUNIT_CASE_PARAM(isn_tuple_changes, isn_tuple_gen_params),
	KUNIT_CASE(isn_key_changes),
	KUNIT_CASE(cookie_lifetime),
	KUNIT_CASE(cookie_forgeries),
	{}
};

static struct kunit_suite xtcp_isn_suite = {
	.name = "xtcp_isn",
	.test_cases = xtcp_isn_cases,
};

kunit_test_suite(xtcp_isn_suite);
