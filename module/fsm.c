// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp state machine: RFC 9293 section 3.3.2, as one table.
 *
 * xtcp_fsm[state][event] gives the state afterwards and what to do on the
 * way. input.c, socket.c and timer.c decide which event a segment, a call
 * or a timer is; xtcp_fsm_event() looks it up and acts. An event with no
 * entry is not valid in that state and changes nothing.
 *
 * Four details of Linux TCP that the table follows:
 *  - A listener stays in LISTEN: a SYN makes a request in SYN-RECEIVED
 *    (listen.c applies the LISTEN row to the request, not the listener).
 *  - A socket entering TIME-WAIT hands its four-tuple to a small entry
 *    (tw.c) and is itself CLOSED; the TIME-WAIT row is the entry's.
 *  - ABORT (close() with linger 0 or unread data) sends RST only from the
 *    states where Linux's tcp_disconnect() does.
 *  - An orphan's FIN-WAIT-2 timeout closes without a RST: Linux, with
 *    tcp_fin_timeout up to 60 s, hands the orphan to a timewait socket
 *    in FIN-WAIT-2 (tcp_time_wait()), which dies silently.
 *
 * Called with the socket locked (lock_sock or bh_lock_sock).
 */
#include <net/tcp_states.h>

#include "xtcp.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

#define T(state, ev, nxt, act) \
	[state][ev] = { .next = nxt, .actions = act }

static const struct xtcp_transition xtcp_fsm[TCP_MAX_STATES][XE_MAX] = {
	T(TCP_CLOSE,       XE_CONNECT,     TCP_SYN_SENT,    XA_SEND_SYN),
	T(TCP_CLOSE,       XE_LISTEN,      TCP_LISTEN,      0),

	T(TCP_LISTEN,      XE_CLOSE,       TCP_CLOSE,       XA_DONE),
	T(TCP_LISTEN,      XE_ABORT,       TCP_CLOSE,       XA_DONE),
	T(TCP_LISTEN,      XE_RCV_SYN,     TCP_SYN_RECV,    XA_SEND_SYNACK),

	T(TCP_SYN_SENT,    XE_CLOSE,       TCP_CLOSE,       XA_DONE),
	T(TCP_SYN_SENT,    XE_ABORT,       TCP_CLOSE,       XA_DONE),
	T(TCP_SYN_SENT,    XE_RCV_SYN,     TCP_SYN_RECV,    XA_SEND_SYNACK),
	T(TCP_SYN_SENT,    XE_RCV_SYNACK,  TCP_ESTABLISHED, XA_SEND_ACK | XA_CONNECTED),
	T(TCP_SYN_SENT,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_SYN_SENT,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_SYN_RECV,    XE_CLOSE,       TCP_FIN_WAIT1,   XA_SEND_FIN),
	T(TCP_SYN_RECV,    XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE),
	T(TCP_SYN_RECV,    XE_RCV_ACK,     TCP_ESTABLISHED, XA_CONNECTED),
	T(TCP_SYN_RECV,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_SYN_RECV,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_ESTABLISHED, XE_CLOSE,       TCP_FIN_WAIT1,   XA_SEND_FIN),
	T(TCP_ESTABLISHED, XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE),
	T(TCP_ESTABLISHED, XE_RCV_FIN,     TCP_CLOSE_WAIT,  XA_SEND_ACK),
	T(TCP_ESTABLISHED, XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_ESTABLISHED, XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_FIN_WAIT1,   XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE),
	T(TCP_FIN_WAIT1,   XE_RCV_FIN_ACK, TCP_FIN_WAIT2,   0),
	T(TCP_FIN_WAIT1,   XE_RCV_FIN,     TCP_CLOSING,     XA_SEND_ACK),
	T(TCP_FIN_WAIT1,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_FIN_WAIT1,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_FIN_WAIT2,   XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE),
	T(TCP_FIN_WAIT2,   XE_RCV_FIN,     TCP_TIME_WAIT,   XA_SEND_ACK | XA_TIME_WAIT),
	T(TCP_FIN_WAIT2,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_FIN_WAIT2,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_CLOSING,     XE_ABORT,       TCP_CLOSE,       XA_DONE),
	T(TCP_CLOSING,     XE_RCV_FIN_ACK, TCP_TIME_WAIT,   XA_TIME_WAIT),
	T(TCP_CLOSING,     XE_RCV_FIN,     TCP_CLOSING,     XA_SEND_ACK),
	T(TCP_CLOSING,     XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_CLOSING,     XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_TIME_WAIT,   XE_RCV_FIN,     TCP_TIME_WAIT,   XA_SEND_ACK),
	T(TCP_TIME_WAIT,   XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_TIME_WAIT,   XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_CLOSE_WAIT,  XE_CLOSE,       TCP_LAST_ACK,    XA_SEND_FIN),
	T(TCP_CLOSE_WAIT,  XE_ABORT,       TCP_CLOSE,       XA_SEND_RST | XA_DONE),
	T(TCP_CLOSE_WAIT,  XE_RCV_FIN,     TCP_CLOSE_WAIT,  XA_SEND_ACK),
	T(TCP_CLOSE_WAIT,  XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_CLOSE_WAIT,  XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),

	T(TCP_LAST_ACK,    XE_ABORT,       TCP_CLOSE,       XA_DONE),
	T(TCP_LAST_ACK,    XE_RCV_FIN_ACK, TCP_CLOSE,       XA_DONE),
	T(TCP_LAST_ACK,    XE_RCV_FIN,     TCP_LAST_ACK,    XA_SEND_ACK),
	T(TCP_LAST_ACK,    XE_RCV_RST,     TCP_CLOSE,       XA_DONE),
	T(TCP_LAST_ACK,    XE_TIMEOUT,     TCP_CLOSE,       XA_DONE),
};

#undef T

static const char *const xtcp_state_names[TCP_MAX_STATES] = {
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

static const char *const xtcp_event_names[XE_MAX] = {
	[XE_CONNECT] = "connect",
	[XE_LISTEN] = "listen",
	[XE_CLOSE] = "close",
	[XE_ABORT] = "abort",
	[XE_RCV_SYN] = "rcv SYN",
	[XE_RCV_SYNACK] = "rcv SYN-ACK",
	[XE_RCV_ACK] = "rcv ACK",
	[XE_RCV_FIN_ACK] = "rcv ACK of FIN",
	[XE_RCV_FIN] = "rcv FIN",
	[XE_RCV_RST] = "rcv RST",
	[XE_TIMEOUT] = "timeout",
};

/**
 * xtcp_state_name() - the RFC 9293 name of a state
 * @state: TCP_* state value
 *
 * Return: a static string; "?" for a value that is no state.
 */
const char *xtcp_state_name(int state)
{
	if (state <= 0 || state >= TCP_MAX_STATES || !xtcp_state_names[state])
		return "?";
	return xtcp_state_names[state];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_state_name);

/**
 * xtcp_event_name() - a short name for an event
 * @ev: the event
 *
 * Return: a static string.
 */
const char *xtcp_event_name(enum xtcp_event ev)
{
	return ev < XE_MAX ? xtcp_event_names[ev] : "?";
}

/**
 * xtcp_fsm_lookup() - the table entry for an event in a state
 * @state: TCP_* state value
 * @ev: the event
 *
 * Return: the entry, or NULL when the event is not valid in @state.
 */
VISIBLE_IF_KUNIT const struct xtcp_transition *xtcp_fsm_lookup(int state, enum xtcp_event ev)
{
	const struct xtcp_transition *t;

	if (state <= 0 || state >= TCP_MAX_STATES || ev >= XE_MAX)
		return NULL;
	t = &xtcp_fsm[state][ev];
	return t->next ? t : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_fsm_lookup);

/**
 * xtcp_set_state() - move a socket to a new state
 * @sk: the socket, locked
 * @state: TCP_* state value
 */
void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	trace_xtcp_set_state(sk, old, state);
	if (state == TCP_ESTABLISHED && old == TCP_SYN_SENT)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ACTIVE_OPENS);
	if (state == TCP_CLOSE &&
	    (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT))
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ESTAB_RESETS);
	smp_store_release(&sk->sk_state, state);	/* pairs with inet_sk_state_load() */
}

/**
 * xtcp_fsm_event() - apply an event to a socket
 * @sk: the socket, locked
 * @ev: the event
 *
 * Changes the state as the table says and carries out its actions. On
 * XA_DONE the socket may be freed, if it was an orphan: the caller must
 * hold its own reference.
 *
 * Return: 0, or -EINVAL if @ev is not valid in the socket's state.
 */
int xtcp_fsm_event(struct sock *sk, enum xtcp_event ev)
{
	const struct xtcp_transition *t = xtcp_fsm_lookup(sk->sk_state, ev);
	u8 act;

	if (!t)
		return -EINVAL;
	act = t->actions;

	/* A RST goes out with the sequence numbers of the old state. */
	if (act & XA_SEND_RST)
		xtcp_send_ctl(sk, XTCP_FLAG_RST | XTCP_FLAG_ACK);

	xtcp_set_state(sk, t->next);

	if (act & XA_SEND_SYN)
		xtcp_queue_ctl(sk, XTCP_FLAG_SYN);
	if (act & XA_SEND_SYNACK)	/* simultaneous open: our SYN again, now with ACK */
		xtcp_retransmit(sk, "syn-ack");
	if (act & XA_SEND_FIN)
		xtcp_queue_ctl(sk, XTCP_FLAG_FIN);
	if (act & XA_SEND_ACK)
		xtcp_send_ack(sk);
	if (act & XA_CONNECTED)
		sk->sk_state_change(sk);
	if (act & XA_TIME_WAIT) {
		xtcp_tw_enter(sk);
		xtcp_set_state(sk, TCP_CLOSE);
		act |= XA_DONE;
	}
	if (act & XA_DONE)
		xtcp_done(sk);
	return 0;
}
