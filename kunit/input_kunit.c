// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the receive path's sequence number test, xtcp_acceptable()
 * (module/input.c), against RFC 9293 section 3.10.7.4 (and, at the end,
 * its timestamp test, RFC 7323 PAWS):
 *
 *   SEG.LEN  RCV.WND  acceptable when
 *   0        0        SEG.SEQ = RCV.NXT
 *   0        >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *   >0       0        never
 *   >0       >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND, or
 *                     RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
 *
 * at the edges of the window (first byte, last byte, one past), across
 * the 2^32 wrap, and with SYN and FIN, which SEG.LEN counts. Segments are
 * given as xtcp_parse_header() leaves them: len is the data alone,
 * end_seq = seq + len + SYN + FIN.
 */
#include <kunit/test.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct acc_case {
	const char *name;
	u32 rcv_nxt, rcv_wnd;
	u32 seq;
	u16 len;	/* data bytes */
	u8 flags;	/* XTCP_FLAG_SYN and/or XTCP_FLAG_FIN, if any */
	bool ok;
};

#define SYN	XTCP_FLAG_SYN
#define FIN	XTCP_FLAG_FIN

/* RCV.NXT 1000 with RCV.WND 100: the window is 1000..1099. */
static const struct acc_case acc_cases[] = {
	/* SEG.LEN 0, RCV.WND 0: only exactly RCV.NXT */
	{ "len0_wnd0_at_nxt",		1000, 0,   1000, 0,	0,   true },
	{ "len0_wnd0_one_before",	1000, 0,   999,	 0,	0,   false },
	{ "len0_wnd0_one_after",	1000, 0,   1001, 0,	0,   false },

	/* SEG.LEN 0, RCV.WND > 0: SEG.SEQ in the window */
	{ "len0_first_byte",		1000, 100, 1000, 0,	0,   true },
	{ "len0_last_byte",		1000, 100, 1099, 0,	0,   true },
	{ "len0_one_past",		1000, 100, 1100, 0,	0,   false },
	{ "len0_one_before",		1000, 100, 999,	 0,	0,   false },
	{ "len0_half_space_away",	1000, 100, 1000 + 0x80000000, 0, 0, false },

	/* SEG.LEN > 0, RCV.WND 0: nothing */
	{ "len1_wnd0_at_nxt",		1000, 0,   1000, 1,	0,   false },
	{ "len10_wnd0_at_nxt",		1000, 0,   1000, 10,	0,   false },
	{ "len10_wnd0_overlapping",	1000, 0,   995,	 10,	0,   false },

	/* SEG.LEN > 0, RCV.WND > 0: first or last byte in the window */
	{ "first_byte_at_nxt",		1000, 100, 1000, 10,	0,   true },
	{ "fills_window",		1000, 100, 1000, 100,	0,   true },
	{ "runs_past_window",		1000, 100, 1050, 100,	0,   true },
	{ "starts_at_last_byte",	1000, 100, 1099, 10,	0,   true },
	{ "starts_one_past",		1000, 100, 1100, 1,	0,   false },
	{ "ends_at_nxt",		1000, 100, 990,	 11,	0,   true },
	{ "ends_one_before_nxt",	1000, 100, 990,	 10,	0,   false },
	{ "one_byte_before_nxt",	1000, 100, 999,	 1,	0,   false },
	{ "far_ahead",			1000, 100, 5000, 10,	0,   false },

	/* the 2^32 wrap: window 0xffffffc0..0x23 */
	{ "wrap_len0_first_byte",	0xffffffc0, 100, 0xffffffc0, 0, 0, true },
	{ "wrap_len0_max",		0xffffffc0, 100, 0xffffffff, 0, 0, true },
	{ "wrap_len0_zero",		0xffffffc0, 100, 0,	     0, 0, true },
	{ "wrap_len0_last_byte",	0xffffffc0, 100, 0x23,	     0, 0, true },
	{ "wrap_len0_one_past",		0xffffffc0, 100, 0x24,	     0, 0, false },
	{ "wrap_len0_one_before",	0xffffffc0, 100, 0xffffffbf, 0, 0, false },
	{ "wrap_data_across",		0xffffffc0, 100, 0xfffffff0, 0x40, 0, true },
	{ "wrap_ends_at_nxt",		0xffffffc0, 100, 0xffffffb0, 0x11, 0, true },
	{ "wrap_ends_before_nxt",	0xffffffc0, 100, 0xffffffb0, 0x10, 0, false },
	{ "wrap_starts_at_last_byte",	0xffffffc0, 100, 0x23,	     10, 0, true },
	{ "wrap_starts_one_past",	0xffffffc0, 100, 0x24,	     10, 0, false },
	{ "wrap_wnd0_at_nxt",		0xffffffff, 0,	 0xffffffff, 0, 0, true },
	{ "wrap_wnd0_after_nxt",	0xffffffff, 0,	 0,	     0, 0, false },
	{ "wrap_nxt0_one_before",	0,	    100, 0xffffffff, 0, 0, false },
	{ "wrap_nxt0_ends_at_nxt",	0,	    100, 0xfffffffe, 3, 0, true },

	/* the largest window, unscaled */
	{ "wnd_max_last_byte",		0xfffff000, 65535, 0xfffff000 + 65534, 0, 0, true },
	{ "wnd_max_one_past",		0xfffff000, 65535, 0xfffff000 + 65535, 0, 0, false },

	/* SYN and FIN count in SEG.LEN */
	{ "fin_wnd0_at_nxt",		1000, 0,   1000, 0,	FIN, false },
	{ "syn_wnd0_at_nxt",		1000, 0,   1000, 0,	SYN, false },
	{ "fin_at_last_byte",		1000, 100, 1099, 0,	FIN, true },
	{ "fin_one_past",		1000, 100, 1100, 0,	FIN, false },
	{ "fin_one_before_nxt",		1000, 100, 999,	 0,	FIN, false },
	{ "data_fin_fin_at_nxt",	1000, 100, 990,	 10,	FIN, true },
	{ "syn_data_at_nxt",		1000, 100, 990,	 10,	SYN, true },
	{ "syn_data_before_nxt",	1000, 100, 990,	 9,	SYN, false },
	{ "syn_fin_ends_at_nxt",	1000, 100, 999,	 0,	SYN | FIN, true },
	{ "wrap_fin_ends_at_nxt",	0,	   100, 0xfffffff0, 0x10, FIN, true },
};

static void acc_case_desc(const struct acc_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(acc, acc_cases, acc_case_desc);

static void input_acceptable(struct kunit *test)
{
	const struct acc_case *c = test->param_value;
	struct xtcp_seg seg = {
		.seq = c->seq,
		.len = c->len,
		.flags = c->flags | XTCP_FLAG_ACK,
		.end_seq = c->seq + c->len + !!(c->flags & SYN) + !!(c->flags & FIN),
	};

	KUNIT_EXPECT_EQ(test, xtcp_acceptable(c->rcv_nxt, c->rcv_wnd, &seg), c->ok);
}

/*
 * RFC 7323 5's test, xtcp_paws_ok(): a TSval may not go back by more than
 * the window given, across the 2^32 wrap too, unless TS.Recent is 0 or
 * was taken XTCP_PAWS_WRAP_SECS ago (Linux 6.12's 2147 s).
 */
struct paws_case {
	const char *name;
	u32 recent;
	u32 age;	/* seconds since TS.Recent was taken */
	u32 tsval;
	u32 win;
	bool ok;
};

static const struct paws_case paws_cases[] = {
	{ "equal",		1000, 0, 1000, 0, true },
	{ "ahead",		1000, 0, 1001, 0, true },
	{ "far_ahead",		1000, 0, 1000 + 0x7fffffffU, 0, true },
	{ "one_behind",		1000, 0, 999, 0, false },
	{ "one_behind_win_1",	1000, 0, 999, 1, true },
	{ "two_behind_win_1",	1000, 0, 998, 1, false },
	{ "behind_within_rto",	1000, 0, 800, 200, true },
	{ "most_of_space_behind", 1000, 0, 1000 - 0x7fffffffU, 0, false },
	{ "ahead_across_wrap",	0xfffffff0, 0, 0x10, 0, true },
	{ "behind_across_wrap",	0x10, 0, 0xfffffff0, 0, false },
	{ "recent_zero",	0, 0, 0x80000001, 0, true },
	{ "recent_before_wrap",	1000, XTCP_PAWS_WRAP_SECS - 2, 999, 0, false },
	{ "recent_at_wrap",	1000, XTCP_PAWS_WRAP_SECS, 999, 0, true },
};

static void paws_case_desc(const struct paws_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(paws, paws_cases, paws_case_desc);

static void input_paws(struct kunit *test)
{
	const struct paws_case *c = test->param_value;
	u32 now = (u32)ktime_get_seconds();

	KUNIT_EXPECT_EQ(test, xtcp_paws_ok(c->recent, now - c->age, c->tsval, c->win), c->ok);
}

static struct kunit_case xtcp_input_cases[] = {
	KUNIT_CASE_PARAM(input_acceptable, acc_gen_params),
	KUNIT_CASE_PARAM(input_paws, paws_gen_params),
	{}
};

static struct kunit_suite xtcp_input_suite = {
	.name = "xtcp_input",
	.test_cases = xtcp_input_cases,
};

kunit_test_suite(xtcp_input_suite);
