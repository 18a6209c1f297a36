// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the state table (module/fsm.c). Every one of the 11 x 11 (state,
 * event) pairs has a case saying what RFC 9293 section 3.3.2 and the
 * rules at the top of fsm.c ask for: the next state and the actions, or
 * "not valid" (xtcp_fsm_lookup() returns NULL). The expected table below
 * is written from the RFC, row by row with every event spelled out, not
 * copied from fsm.c, so that a wrong or missing entry there fails here.
 *
 * Where the RFC is silent, Linux TCP is the reference:
 *  - ABORT sends RST only from SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
 *    FIN-WAIT-2 and CLOSE-WAIT (tcp_need_reset(); RFC 9293 3.10.5 agrees);
 *  - the FIN-WAIT-2 timeout of an orphan ends without a RST: with
 *    tcp_fin_timeout up to 60 s Linux hands the orphan to a timewait
 *    socket in FIN-WAIT-2 (tcp_time_wait()), which dies silently;
 *  - a listener stays in LISTEN; its SYN-RECEIVED requests, and TIME-WAIT
 *    entries, are separate objects that end in CLOSED.
 */
#include <kunit/test.h>
#include <linux/limits.h>
#include <net/tcp_states.h>

#include "ksock.h"
#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define NOT_VALID	0	/* no next state: the event is not valid here */

struct fsm_case {
	u8 state;
	u8 ev;
	u8 next;	/* NOT_VALID, or the state afterwards */
	u16 actions;	/* XA_* */
};

static const struct fsm_case fsm_cases[] = {
	/* CLOSED: only the user's OPEN calls; segments go to no socket. */
	{ TCP_CLOSE,       XE_CONNECT,     TCP_SYN_SENT,    XA_SEND_SYN },
	{ TCP_CLOSE,       XE_LISTEN,      TCP_LISTEN,      0 },
	{ TCP_CLOSE,       XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_ABORT,       NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_FIN,     NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_RCV_RST,     NOT_VALID,       0 },
	{ TCP_CLOSE,       XE_TIMEOUT,     NOT_VALID,       0 },

	/* LISTEN: rcv SYN / snd SYN,ACK; CLOSE / delete TCB; RST ignored. */
	{ TCP_LISTEN,      XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_CLOSE,       TCP_CLOSE,       XA_DONE },
	{ TCP_LISTEN,      XE_ABORT,       TCP_CLOSE,       XA_DONE },
	{ TCP_LISTEN,      XE_RCV_SYN,     TCP_SYN_RECV,    XA_SEND_SYNACK },
	{ TCP_LISTEN,      XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_RCV_FIN,     NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_RCV_RST,     NOT_VALID,       0 },
	{ TCP_LISTEN,      XE_TIMEOUT,     NOT_VALID,       0 },

	/*
	 * SYN-SENT: rcv SYN,ACK / snd ACK; rcv SYN / snd SYN,ACK (simultaneous
	 * open); CLOSE deletes the TCB without a FIN; a FIN is dropped.
	 */
	{ TCP_SYN_SENT,    XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_SYN_SENT,    XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_SYN_SENT,    XE_CLOSE,       TCP_CLOSE,       XA_DONE },
	{ TCP_SYN_SENT,    XE_ABORT,       TCP_CLOSE,       XA_DONE },
	{ TCP_SYN_SENT,    XE_RCV_SYN,     TCP_SYN_RECV,    XA_SEND_SYNACK },
	{ TCP_SYN_SENT,    XE_RCV_SYNACK,  TCP_ESTABLISHED, XA_SEND_ACK | XA_CONNECTED },
	{ TCP_SYN_SENT,    XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_SYN_SENT,    XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_SYN_SENT,    XE_RCV_FIN,     NOT_VALID,       0 },
	{ TCP_SYN_SENT,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_SYN_SENT,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/*
	 * SYN-RECEIVED: rcv ACK of SYN / x; CLOSE / snd FIN. A FIN comes with
	 * an ACK, which moves to ESTABLISHED first, so it is not an event here.
	 */
	{ TCP_SYN_RECV,    XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_CLOSE,       TCP_FIN_WAIT1,   XA_SEND_FIN },
	{ TCP_SYN_RECV,    XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE },
	{ TCP_SYN_RECV,    XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_RCV_ACK,     TCP_ESTABLISHED, XA_CONNECTED },
	{ TCP_SYN_RECV,    XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_RCV_FIN,     NOT_VALID,       0 },
	{ TCP_SYN_RECV,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_SYN_RECV,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* ESTABLISHED: CLOSE / snd FIN; rcv FIN / ACK later (Linux's pingpong). */
	{ TCP_ESTABLISHED, XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_CLOSE,       TCP_FIN_WAIT1,   XA_SEND_FIN },
	{ TCP_ESTABLISHED, XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE },
	{ TCP_ESTABLISHED, XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_ESTABLISHED, XE_RCV_FIN,     TCP_CLOSE_WAIT,  XA_ACK_LATER },
	{ TCP_ESTABLISHED, XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_ESTABLISHED, XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* FIN-WAIT-1: rcv ACK of FIN / x; rcv FIN / snd ACK (simultaneous close). */
	{ TCP_FIN_WAIT1,   XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE },
	{ TCP_FIN_WAIT1,   XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT1,   XE_RCV_FIN_ACK, TCP_FIN_WAIT2,   0 },
	{ TCP_FIN_WAIT1,   XE_RCV_FIN,     TCP_CLOSING,     XA_SEND_ACK },
	{ TCP_FIN_WAIT1,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_FIN_WAIT1,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* FIN-WAIT-2: rcv FIN / snd ACK, to TIME-WAIT. */
	{ TCP_FIN_WAIT2,   XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE },
	{ TCP_FIN_WAIT2,   XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_FIN_WAIT2,   XE_RCV_FIN,     TCP_TIME_WAIT,   XA_SEND_ACK | XA_TIME_WAIT },
	{ TCP_FIN_WAIT2,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_FIN_WAIT2,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* CLOSING: rcv ACK of FIN / x, to TIME-WAIT; a FIN again is ACKed. */
	{ TCP_CLOSING,     XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_ABORT,       TCP_CLOSE,       XA_DONE },
	{ TCP_CLOSING,     XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_CLOSING,     XE_RCV_FIN_ACK, TCP_TIME_WAIT,   XA_TIME_WAIT },
	{ TCP_CLOSING,     XE_RCV_FIN,     TCP_CLOSING,     XA_SEND_ACK },
	{ TCP_CLOSING,     XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_CLOSING,     XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/*
	 * TIME-WAIT, the entry's row: a FIN again is ACKed (and the 2 MSL
	 * restarted), a RST or 2 MSL ends it. No user is left to call.
	 */
	{ TCP_TIME_WAIT,   XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_ABORT,       NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_TIME_WAIT,   XE_RCV_FIN,     TCP_TIME_WAIT,   XA_SEND_ACK },
	{ TCP_TIME_WAIT,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_TIME_WAIT,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* CLOSE-WAIT: CLOSE / snd FIN; a FIN again is ACKed. */
	{ TCP_CLOSE_WAIT,  XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_CLOSE,       TCP_LAST_ACK,    XA_SEND_FIN },
	{ TCP_CLOSE_WAIT,  XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE },
	{ TCP_CLOSE_WAIT,  XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_RCV_FIN_ACK, NOT_VALID,       0 },
	{ TCP_CLOSE_WAIT,  XE_RCV_FIN,     TCP_CLOSE_WAIT,  XA_SEND_ACK },
	{ TCP_CLOSE_WAIT,  XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_CLOSE_WAIT,  XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },

	/* LAST-ACK: rcv ACK of FIN / x, to CLOSED; a FIN again is ACKed. */
	{ TCP_LAST_ACK,    XE_CONNECT,     NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_LISTEN,      NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_CLOSE,       NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_ABORT,       TCP_CLOSE,       XA_DONE },
	{ TCP_LAST_ACK,    XE_RCV_SYN,     NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_RCV_SYNACK,  NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_RCV_ACK,     NOT_VALID,       0 },
	{ TCP_LAST_ACK,    XE_RCV_FIN_ACK, TCP_CLOSE,       XA_DONE },
	{ TCP_LAST_ACK,    XE_RCV_FIN,     TCP_LAST_ACK,    XA_SEND_ACK },
	{ TCP_LAST_ACK,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE },
	{ TCP_LAST_ACK,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE },
};

/* RFC 9293's names, for the case descriptions (the suite's own copy). */
static const char *const fsm_state[] = {
	[TCP_ESTABLISHED] = "ESTABLISHED",
	[TCP_SYN_SENT] = "SYN-SENT",
	[TCP_SYN_RECV] = "SYN-RECEIVED",
	[TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[TCP_TIME_WAIT] = "TIME-WAIT",
	[TCP_CLOSE] = "CLOSED",
	[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_LAST_ACK] = "LAST-ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

static const char *const fsm_event[XE_MAX] = {
	[XE_CONNECT] = "connect",
	[XE_LISTEN] = "listen",
	[XE_CLOSE] = "close",
	[XE_ABORT] = "abort",
	[XE_RCV_SYN] = "rcv_syn",
	[XE_RCV_SYNACK] = "rcv_synack",
	[XE_RCV_ACK] = "rcv_ack",
	[XE_RCV_FIN_ACK] = "rcv_ack_of_fin",
	[XE_RCV_FIN] = "rcv_fin",
	[XE_RCV_RST] = "rcv_rst",
	[XE_TIMEOUT] = "timeout",
};

static void fsm_case_desc(const struct fsm_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s_%s",
		 fsm_state[c->state], fsm_event[c->ev]);
}

KUNIT_ARRAY_PARAM(fsm, fsm_cases, fsm_case_desc);

static void fsm_transition(struct kunit *test)
{
	const struct fsm_case *c = test->param_value;
	const struct xtcp_fsm_row *t = xtcp_fsm_lookup(c->state, c->ev);

	if (c->next == NOT_VALID) {
		KUNIT_EXPECT_NULL(test, t);
		return;
	}
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, t->next, c->next);
	KUNIT_EXPECT_EQ(test, t->actions, c->actions);
}

/* The table above names each of the 11 x 11 pairs exactly once. */
static void fsm_cases_cover_every_pair(struct kunit *test)
{
	static const u8 states[] = {
		TCP_ESTABLISHED, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1,
		TCP_FIN_WAIT2, TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT,
		TCP_LAST_ACK, TCP_LISTEN, TCP_CLOSING,
	};
	unsigned int i, j, k, n;

	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(fsm_cases), 11 * XE_MAX);
	for (i = 0; i < ARRAY_SIZE(states); i++) {
		for (j = 0; j < XE_MAX; j++) {
			for (n = 0, k = 0; k < ARRAY_SIZE(fsm_cases); k++)
				n += fsm_cases[k].state == states[i] &&
				     fsm_cases[k].ev == j;
			KUNIT_EXPECT_EQ_MSG(test, n, 1, "%s %s",
					    fsm_state[states[i]], fsm_event[j]);
		}
	}
}

/* Whatever the event, no state but the eleven has a row. */
static void fsm_lookup_out_of_range(struct kunit *test)
{
	static const int bad_states[] = {
		INT_MIN, -1, 0, TCP_NEW_SYN_RECV, TCP_MAX_STATES, 255, INT_MAX,
	};
	unsigned int i, ev;

	for (i = 0; i < ARRAY_SIZE(bad_states); i++)
		for (ev = 0; ev < XE_MAX; ev++)
			KUNIT_EXPECT_NULL_MSG(test,
					      xtcp_fsm_lookup(bad_states[i], ev),
					      "state %d event %u", bad_states[i], ev);

	KUNIT_EXPECT_NULL(test, xtcp_fsm_lookup(TCP_ESTABLISHED, XE_MAX));
	KUNIT_EXPECT_NULL(test, xtcp_fsm_lookup(TCP_CLOSE, XE_MAX + 1));
	KUNIT_EXPECT_NULL(test, xtcp_fsm_lookup(TCP_CLOSE, 255));
}

static void fsm_state_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_ESTABLISHED), "ESTABLISHED");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_SYN_SENT), "SYN-SENT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_SYN_RECV), "SYN-RECEIVED");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_FIN_WAIT1), "FIN-WAIT-1");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_FIN_WAIT2), "FIN-WAIT-2");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_TIME_WAIT), "TIME-WAIT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_CLOSE), "CLOSED");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_CLOSE_WAIT), "CLOSE-WAIT");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_LAST_ACK), "LAST-ACK");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_LISTEN), "LISTEN");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_CLOSING), "CLOSING");
}

static void fsm_state_name_invalid(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(0), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(-1), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(INT_MIN), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_NEW_SYN_RECV), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(TCP_MAX_STATES), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_state_name(INT_MAX), "?");
}

/* Every cause has its one-word name; nothing else has one. */
static void fsm_cause_names(struct kunit *test)
{
	static const char *const names[] = {
		"connect", "listen", "close", "abort", "disconnect", "rcv-syn",
		"rcv-synack", "rcv-ack", "rcv-fin-ack", "rcv-fin", "rcv-rst",
		"rcv-data", "timeout", "icmp", "time-wait",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_EXPECT_STREQ(test, xtcp_cause_name(XTCP_CAUSE_CONNECT + i), names[i]);
	KUNIT_EXPECT_EQ(test, XTCP_CAUSE_CONNECT + ARRAY_SIZE(names) - 1,
			XTCP_CAUSE_TIME_WAIT);
	KUNIT_EXPECT_STREQ(test, xtcp_cause_name(0), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_cause_name(XTCP_CAUSE_TIME_WAIT + 1), "?");
	KUNIT_EXPECT_STREQ(test, xtcp_cause_name(UINT_MAX), "?");
}

/* A fresh socket has no history, and the ring gives back what it took. */
static void fsm_history_short(struct kunit *test)
{
	struct xtcp_sock *xs = xtcp_sk(xtcp_kunit_sock(test));
	struct xtcp_transition out[XTCP_HISTORY_LEN + 1];

	KUNIT_EXPECT_EQ(test, xtcp_history_read(&xs->inet.sk, out, ARRAY_SIZE(out)), 0);
	xtcp_history_add(xs, TCP_CLOSE, TCP_SYN_SENT, XTCP_CAUSE_CONNECT, 1000);
	xtcp_history_add(xs, TCP_SYN_SENT, TCP_ESTABLISHED, XTCP_CAUSE_RCV_SYNACK, 2000);
	KUNIT_EXPECT_EQ(test, xs->transitions, 2);
	KUNIT_ASSERT_EQ(test, xtcp_history_read(&xs->inet.sk, out, ARRAY_SIZE(out)), 2);
	KUNIT_EXPECT_EQ(test, out[0].xtcpt_time_ns, 1000);
	KUNIT_EXPECT_EQ(test, out[0].xtcpt_old, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, out[0].xtcpt_new, TCP_SYN_SENT);
	KUNIT_EXPECT_EQ(test, out[0].xtcpt_cause, XTCP_CAUSE_CONNECT);
	KUNIT_EXPECT_EQ(test, out[1].xtcpt_time_ns, 2000);
	KUNIT_EXPECT_EQ(test, out[1].xtcpt_new, TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, out[1].xtcpt_cause, XTCP_CAUSE_RCV_SYNACK);
	/* Room for one: the newest. */
	KUNIT_ASSERT_EQ(test, xtcp_history_read(&xs->inet.sk, out, 1), 1);
	KUNIT_EXPECT_EQ(test, out[0].xtcpt_time_ns, 2000);
	KUNIT_EXPECT_EQ(test, xtcp_history_read(&xs->inet.sk, out, 0), 0);
}

/* Past XTCP_HISTORY_LEN changes the oldest go, and the count goes on. */
static void fsm_history_wraps(struct kunit *test)
{
	struct xtcp_sock *xs = xtcp_sk(xtcp_kunit_sock(test));
	struct xtcp_transition out[XTCP_HISTORY_LEN];
	unsigned int i, n = 3 * XTCP_HISTORY_LEN + 5;

	for (i = 0; i < n; i++)
		xtcp_history_add(xs, TCP_LISTEN, TCP_CLOSE, XTCP_CAUSE_CLOSE, i);
	KUNIT_EXPECT_EQ(test, xs->transitions, n);
	KUNIT_ASSERT_EQ(test, xtcp_history_read(&xs->inet.sk, out, ARRAY_SIZE(out)),
			XTCP_HISTORY_LEN);
	for (i = 0; i < XTCP_HISTORY_LEN; i++)
		KUNIT_EXPECT_EQ(test, out[i].xtcpt_time_ns, n - XTCP_HISTORY_LEN + i);
	KUNIT_ASSERT_EQ(test, xtcp_history_read(&xs->inet.sk, out, 3), 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, out[i].xtcpt_time_ns, n - 3 + i);
}

static struct kunit_case xtcp_fsm_cases[] = {
	KUNIT_CASE_PARAM(fsm_transition, fsm_gen_params),
	KUNIT_CASE(fsm_cases_cover_every_pair),
	KUNIT_CASE(fsm_lookup_out_of_range),
	KUNIT_CASE(fsm_state_names),
	KUNIT_CASE(fsm_state_name_invalid),
	KUNIT_CASE(fsm_cause_names),
	KUNIT_CASE(fsm_history_short),
	KUNIT_CASE(fsm_history_wraps),
	{}
};

static struct kunit_suite xtcp_fsm_suite = {
	.name = "xtcp_fsm",
	.test_cases = xtcp_fsm_cases,
};

kunit_test_suite(xtcp_fsm_suite);
