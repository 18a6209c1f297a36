// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the retransmission timeout (module/rto.c) against RFC 6298.
 *
 *   first sample R:   SRTT = R, RTTVAR = R/2
 *   later sample R':  RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|  (old SRTT)
 *                     SRTT = 7/8 SRTT + 1/8 R'
 *   always:           RTO = SRTT + max(G, 4 RTTVAR), G = 1 ms,
 *                     bounded to [200 ms, 120 s]
 *
 * The samples are chosen so the formulas come out exact in integers. And
 * the backoff: the SYN schedule 1, 2, 4, 8, 16, 32 s, then the 120 s cap,
 * however many timeouts.
 */
#include <kunit/test.h>
#include <linux/limits.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

struct rto_step {
	u32 rtt;		/* the sample, us */
	u32 srtt, rttvar, rto;	/* expected afterwards, us */
};

struct rto_case {
	const char *name;
	unsigned int n;
	struct rto_step step[3];
};

static const struct rto_case rto_cases[] = {
	{ "first_100ms", 1, {
		{ 100000, 100000, 50000, 300000 } } },
	/* 10 + 4 * 5 = 30 ms, raised to the floor */
	{ "first_10ms_floor", 1, {
		{ 10000, 10000, 5000, 200000 } } },
	/* 50 + 4 * 25 = 150 s, cut to the ceiling */
	{ "first_50s_ceiling", 1, {
		{ 50000000, 50000000, 25000000, 120000000 } } },
	/* 4 * RTTVAR = 8e9 does not fit in 32 bits: no overflow */
	{ "first_4000s_no_overflow", 1, {
		{ 4000000000U, 4000000000U, 2000000000U, 120000000 } } },
	/*
	 * 320 ms after 160: RTTVAR = 60000 + 160000 / 4 = 100000 (with the
	 * old SRTT; the new one would give 95000), SRTT = 140000 + 40000.
	 * 20 ms after that: RTTVAR = 75000 + 160000 / 4, SRTT = 157500 + 2500.
	 */
	{ "later_samples", 3, {
		{ 160000, 160000, 80000, 480000 },
		{ 320000, 180000, 100000, 580000 },
		{ 20000, 160000, 115000, 620000 } } },
	/* steady 80 ms: RTTVAR decays, RTO 240, 200, then 170 -> 200 ms */
	{ "later_floor", 3, {
		{ 80000, 80000, 40000, 240000 },
		{ 80000, 80000, 30000, 200000 },
		{ 80000, 80000, 22500, 200000 } } },
	/* 36 + 4 * 23 = 128 s, cut to the ceiling */
	{ "later_ceiling", 2, {
		{ 40000000, 40000000, 20000000, 120000000 },
		{ 8000000, 36000000, 23000000, 120000000 } } },
};

static void rto_case_desc(const struct rto_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rto, rto_cases, rto_case_desc);

static void rto_rtt_sample(struct kunit *test)
{
	const struct rto_case *c = test->param_value;
	u32 srtt = 0, rttvar = 0, rto = XTCP_RTO_INIT_US;
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		const struct rto_step *s = &c->step[i];

		xtcp_rtt_sample(&srtt, &rttvar, &rto, s->rtt);
		KUNIT_EXPECT_EQ_MSG(test, srtt, s->srtt, "SRTT after sample %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, rttvar, s->rttvar, "RTTVAR after sample %u", i + 1);
		KUNIT_EXPECT_EQ_MSG(test, rto, s->rto, "RTO after sample %u", i + 1);
	}
}

/*
 * G: with steady 250 ms samples RTTVAR decays by 3/4 a sample and 4 RTTVAR
 * falls under 1 ms; RTO is then SRTT + G, not SRTT + 4 RTTVAR.
 */
static void rto_granularity(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto = 0;
	int i;

	for (i = 0; i < 30; i++)
		xtcp_rtt_sample(&srtt, &rttvar, &rto, 250000);
	KUNIT_EXPECT_EQ(test, srtt, 250000);
	KUNIT_EXPECT_LT(test, 4 * rttvar, 1000);
	KUNIT_EXPECT_EQ(test, rto, 250000 + 1000);
}

/* A sample of 0 still counts: SRTT 0 would mean "no sample yet". */
static void rto_zero_sample(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto = 0;

	xtcp_rtt_sample(&srtt, &rttvar, &rto, 0);
	KUNIT_EXPECT_NE(test, srtt, 0);
	KUNIT_EXPECT_EQ(test, rto, 200000);
	/* the next one is a later sample: 7/8 of SRTT stays */
	xtcp_rtt_sample(&srtt, &rttvar, &rto, 800000);
	KUNIT_EXPECT_LE(test, srtt, 1 + 800000 / 8);
}

struct backoff_case {
	const char *name;
	u32 rto_us;
	unsigned int retries;
	u64 ns;
};

#define SEC(s)	((u64)(s) * NSEC_PER_SEC)
#define MSEC(m)	((u64)(m) * NSEC_PER_MSEC)

static const struct backoff_case backoff_cases[] = {
	/* the SYN schedule, from the initial RTO of 1 s */
	{ "syn_0",		XTCP_RTO_INIT_US, 0,	SEC(1) },
	{ "syn_1",		XTCP_RTO_INIT_US, 1,	SEC(2) },
	{ "syn_2",		XTCP_RTO_INIT_US, 2,	SEC(4) },
	{ "syn_3",		XTCP_RTO_INIT_US, 3,	SEC(8) },
	{ "syn_4",		XTCP_RTO_INIT_US, 4,	SEC(16) },
	{ "syn_5",		XTCP_RTO_INIT_US, 5,	SEC(32) },
	{ "syn_6",		XTCP_RTO_INIT_US, 6,	SEC(64) },
	{ "syn_7_capped",	XTCP_RTO_INIT_US, 7,	SEC(120) },
	{ "syn_8",		XTCP_RTO_INIT_US, 8,	SEC(120) },
	{ "syn_40",		XTCP_RTO_INIT_US, 40,	SEC(120) },
	{ "syn_64",		XTCP_RTO_INIT_US, 64,	SEC(120) },
	{ "syn_255",		XTCP_RTO_INIT_US, 255,	SEC(120) },
	{ "syn_uint_max",	XTCP_RTO_INIT_US, UINT_MAX, SEC(120) },
	/* from the floor: 200 ms * 2^9 = 102.4 s, then the cap */
	{ "floor_0",		200000,		  0,	MSEC(200) },
	{ "floor_9",		200000,		  9,	MSEC(102400) },
	{ "floor_10",		200000,		  10,	SEC(120) },
	{ "one_us_255",		1,		  255,	SEC(120) },
	{ "ceiling_0",		120000000,	  0,	SEC(120) },
	{ "ceiling_1",		120000000,	  1,	SEC(120) },
	{ "above_ceiling_0",	U32_MAX,	  0,	SEC(120) },
	{ "above_ceiling_40",	U32_MAX,	  40,	SEC(120) },
};

static void backoff_case_desc(const struct backoff_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(backoff, backoff_cases, backoff_case_desc);

static void rto_backoff(struct kunit *test)
{
	const struct backoff_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_backoff_ns(c->rto_us, c->retries), c->ns);
}

static struct kunit_case xtcp_rto_cases[] = {
	KUNIT_CASE_PARAM(rto_rtt_sample, rto_gen_params),
	KUNIT_CASE(rto_granularity),
	KUNIT_CASE(rto_zero_sample),
	KUNIT_CASE_PARAM(rto_backoff, backoff_gen_params),
	{}
};

static struct kunit_suite xtcp_rto_suite = {
	.name = "xtcp_rto",
	.test_cases = xtcp_rto_cases,
};

kunit_test_suite(xtcp_rto_suite);
