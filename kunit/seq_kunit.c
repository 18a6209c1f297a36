// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: sequence number arithmetic (module/seq.h), in particular across
 * the 2^32 wrap and at the edge of half the sequence space.
 */
#include <kunit/test.h>

#include "seq.h"

struct seq_order_case {
	const char *name;
	u32 a, b;
	bool before;	/* expected xtcp_seq_before(a, b) */
};

static const struct seq_order_case seq_order_cases[] = {
	{ "equal",		100,		100,		false },
	{ "one_behind",		99,		100,		true },
	{ "one_ahead",		101,		100,		false },
	{ "behind_the_wrap",	0xfffffff0,	0x10,		true },
	{ "ahead_of_the_wrap",	0x10,		0xfffffff0,	false },
	{ "max_and_zero",	0xffffffff,	0,		true },
	{ "just_under_half",	0,		0x7fffffff,	true },
	{ "just_over_half",	0,		0x80000001,	false },
	/* Exactly half apart, each is "before" the other: RFC 9293 3.4. */
	{ "half_a",		0,		0x80000000,	true },
	{ "half_b",		0x80000000,	0,		true },
};

static void seq_order_desc(const struct seq_order_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq_order, seq_order_cases, seq_order_desc);

static void seq_before_after(struct kunit *test)
{
	const struct seq_order_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_seq_before(c->a, c->b), c->before);
	/* after is before with the operands swapped, except at equality */
	KUNIT_EXPECT_EQ(test, xtcp_seq_after(c->b, c->a), c->before);
	if (c->a == c->b)
		KUNIT_EXPECT_FALSE(test, xtcp_seq_after(c->a, c->b));
}

static void seq_between(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 5, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(10, 5, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(4, 5, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(11, 5, 10));
	/* a range that wraps */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xffffffff, 0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0, 0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0x10, 0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0x11, 0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xffffffef, 0xfffffff0, 0x10));
}

static void seq_in_window(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(1000, 1000, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(1001, 1000, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(999, 1000, 100));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(1099, 1000, 100));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(1100, 1000, 100));
	/* an empty window holds nothing, not even its left edge */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(1000, 1000, 0));
	/* across the wrap */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(5, 0xfffffffb, 16));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(11, 0xfffffffb, 16));
}

static struct kunit_case xtcp_seq_cases[] = {
	KUNIT_CASE_PARAM(seq_before_after, seq_order_gen_params),
	KUNIT_CASE(seq_between),
	KUNIT_CASE(seq_in_window),
	{}
};

static struct kunit_suite xtcp_seq_suite = {
	.name = "xtcp_seq",
	.test_cases = xtcp_seq_cases,
};

kunit_test_suite(xtcp_seq_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for xtcp");
