// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what include/uapi/linux/xtcp.h promises userspace. The state
 * values and option numbers must equal Linux TCP's, since tools and
 * programs use both the same way.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <net/tcp_states.h>

#include <uapi/linux/xtcp.h>

static void uapi_protocol_number(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, IPPROTO_XTCP, 253);
	KUNIT_EXPECT_EQ(test, SOL_XTCP, IPPROTO_XTCP);
	KUNIT_EXPECT_LT(test, IPPROTO_XTCP, IPPROTO_MAX);
}

static void uapi_states_are_tcps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, XTCP_ESTABLISHED, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, XTCP_SYN_SENT, TCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, XTCP_SYN_RECV, TCP_SYN_RECV);
	KUNIT_EXPECT_EQ(test, XTCP_FIN_WAIT1, TCP_FIN_WAIT1);
	KUNIT_EXPECT_EQ(test, XTCP_FIN_WAIT2, TCP_FIN_WAIT2);
	KUNIT_EXPECT_EQ(test, XTCP_TIME_WAIT, TCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSE, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSE_WAIT, TCP_CLOSE_WAIT);
	KUNIT_EXPECT_EQ(test, XTCP_LAST_ACK, TCP_LAST_ACK);
	KUNIT_EXPECT_EQ(test, XTCP_LISTEN, TCP_LISTEN);
	KUNIT_EXPECT_EQ(test, XTCP_CLOSING, TCP_CLOSING);
}

/* Socket options are numbered as their TCP twins, so code ports by level. */
static void uapi_options_are_tcps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, XTCP_NODELAY, TCP_NODELAY);
	KUNIT_EXPECT_EQ(test, XTCP_CORK, TCP_CORK);
	KUNIT_EXPECT_EQ(test, XTCP_KEEPIDLE, TCP_KEEPIDLE);
	KUNIT_EXPECT_EQ(test, XTCP_KEEPINTVL, TCP_KEEPINTVL);
	KUNIT_EXPECT_EQ(test, XTCP_KEEPCNT, TCP_KEEPCNT);
	KUNIT_EXPECT_EQ(test, XTCP_INFO, TCP_INFO);
}

static struct kunit_case xtcp_uapi_cases[] = {
	KUNIT_CASE(uapi_protocol_number),
	KUNIT_CASE(uapi_states_are_tcps),
	KUNIT_CASE(uapi_options_are_tcps),
	{}
};

static struct kunit_suite xtcp_uapi_suite = {
	.name = "xtcp_uapi",
	.test_cases = xtcp_uapi_cases,
};

kunit_test_suite(xtcp_uapi_suite);
