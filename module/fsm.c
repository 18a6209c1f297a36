// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp state machine: RFC 9293 section 3.3.2, as one table.
 *
 * xtcp_fsm[state][event] gives the state afterwards and what to do on the
 * way. input.c, socket.c and timer.c decide which event a segment, a call
 * or a timer is; xtcp_fsm_event() looks it up and acts. An event with no
 * entry is not valid in that state and changes nothing.
 *
 * Five details of Linux TCP that the table follows:
 *  - A listener stays in LISTEN: a SYN makes a request in SYN-RECEIVED
 *    (listen.c applies the LISTEN row to the request, not the listener).
 *  - A socket entering TIME-WAIT hands its four-tuple to a small entry
 *    (tw.c) and is itself CLOSED; the TIME-WAIT row is the entry's.
 *  - ABORT (close() with linger 0 or unread data) sends RST only from the
 *    states where Linux's tcp_disconnect() does.
 *  - An orphan's FIN-WAIT-2 timeout closes without a RST: Linux, with
 *    tcp_fin_timeout up to 60 s, hands the orphan to a timewait socket
 *    in FIN-WAIT-2 (tcp_time_wait()), which dies silently.
 *  - The FIN that takes ESTABLISHED to CLOSE-WAIT is acknowledged by the
 *    delayed ACK (Linux's pingpong mode): a process that reads EOF often
 *    closes at once, and then our FIN carries the ACK, one segment less.
 *
 * Called with the socket locked (lock_sock or bh_lock_sock).
 */
#include <net/tcp_states.h>

#include "xtcp.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

#define T(state, ev, nxt, act) \
	[state][ev] = { .next = nxt, .actions = act }

static const struct xtcp_fsm_row xtcp_fsm[TCP_MAX_STATES][XE_MAX] = {
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
	T(TCP_ESTABLISHED, XE_RCV_FIN,     TCP_CLOSE_WAIT,  XA_ACK_LATER),
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

/* Each event's cause, unless the caller names a closer one. */
static const u8 xtcp_event_cause[XE_MAX] = {
	[XE_CONNECT] = XTCP_CAUSE_CONNECT,
	[XE_LISTEN] = XTCP_CAUSE_LISTEN,
	[XE_CLOSE] = XTCP_CAUSE_CLOSE,
	[XE_ABORT] = XTCP_CAUSE_ABORT,
	[XE_RCV_SYN] = XTCP_CAUSE_RCV_SYN,
	[XE_RCV_SYNACK] = XTCP_CAUSE_RCV_SYNACK,
	[XE_RCV_ACK] = XTCP_CAUSE_RCV_ACK,
	[XE_RCV_FIN_ACK] = XTCP_CAUSE_RCV_FIN_ACK,
	[XE_RCV_FIN] = XTCP_CAUSE_RCV_FIN,
	[XE_RCV_RST] = XTCP_CAUSE_RCV_RST,
	[XE_TIMEOUT] = XTCP_CAUSE_TIMEOUT,
};

/* One word each, for the xtcp_set_state tracepoint's why= and tools. */
static const char *const xtcp_cause_names[] = {
	[XTCP_CAUSE_CONNECT] = "connect",
	[XTCP_CAUSE_LISTEN] = "listen",
	[XTCP_CAUSE_CLOSE] = "close",
	[XTCP_CAUSE_ABORT] = "abort",
	[XTCP_CAUSE_DISCONNECT] = "disconnect",
	[XTCP_CAUSE_RCV_SYN] = "rcv-syn",
	[XTCP_CAUSE_RCV_SYNACK] = "rcv-synack",
	[XTCP_CAUSE_RCV_ACK] = "rcv-ack",
	[XTCP_CAUSE_RCV_FIN_ACK] = "rcv-fin-ack",
	[XTCP_CAUSE_RCV_FIN] = "rcv-fin",
	[XTCP_CAUSE_RCV_RST] = "rcv-rst",
	[XTCP_CAUSE_RCV_DATA] = "rcv-data",
	[XTCP_CAUSE_TIMEOUT] = "timeout",
	[XTCP_CAUSE_ICMP] = "icmp",
	[XTCP_CAUSE_TIME_WAIT] = "time-wait",
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
 * xtcp_cause_name() - a one-word name for a cause of a state change
 * @cause: enum xtcp_cause
 *
 * Return: a static string; "?" for a value that is no cause.
 */
const char *xtcp_cause_name(unsigned int cause)
{
	if (cause >= ARRAY_SIZE(xtcp_cause_names) || !xtcp_cause_names[cause])
		return "?";
	return xtcp_cause_names[cause];
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cause_name);

/**
 * xtcp_fsm_lookup() - the table entry for an event in a state
 * @state: TCP_* state value
 * @ev: the event
 *
 * Return: the entry, or NULL when the event is not valid in @state.
 */
VISIBLE_IF_KUNIT const struct xtcp_fsm_row *xtcp_fsm_lookup(int state, enum xtcp_event ev)
{
	const struct xtcp_fsm_row *t;

	if (state <= 0 || state >= TCP_MAX_STATES || ev >= XE_MAX)
		return NULL;
	t = &xtcp_fsm[state][ev];
	return t->next ? t : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_fsm_lookup);

/**
 * xtcp_history_add() - remember a state change
 * @xs: the socket, locked
 * @old: the state left
 * @state: the state entered
 * @cause: enum xtcp_cause
 * @now: when
 *
 * The ring keeps the last XTCP_HISTORY_LEN changes; @xs->transitions
 * counts them all and says where the next one goes.
 */
void xtcp_history_add(struct xtcp_sock *xs, int old, int state, u8 cause,
		      ktime_t now)
{
	unsigned int i = xs->transitions % XTCP_HISTORY_LEN;

	xs->history.time_ns[i] = ktime_to_ns(now);
	xs->history.old[i] = old;
	xs->history.state[i] = state;
	xs->history.cause[i] = cause;
	xs->transitions++;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_history_add);

/**
 * xtcp_history_read() - a socket's last state changes, oldest first
 * @sk: the socket, locked
 * @out: where they go
 * @max: room in @out, in changes
 *
 * Return: how many were written: the newest @max of those kept.
 */
unsigned int xtcp_history_read(const struct sock *sk, struct xtcp_transition *out,
			       unsigned int max)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int n = min_t(u32, xs->transitions, XTCP_HISTORY_LEN);
	unsigned int i, k;

	n = min(n, max);
	for (i = 0; i < n; i++) {
		k = (xs->transitions - n + i) % XTCP_HISTORY_LEN;
		out[i] = (struct xtcp_transition){
			.xtcpt_time_ns = xs->history.time_ns[k],
			.xtcpt_old = xs->history.old[k],
			.xtcpt_new = xs->history.state[k],
			.xtcpt_cause = xs->history.cause[k],
		};
	}
	return n;
}
EXPORT_SYMBOL_GPL(xtcp_history_read);

/**
 * xtcp_set_state() - move a socket to a new state
 * @sk: the socket, locked
 * @state: TCP_* state value
 * @cause: enum xtcp_cause: what moved it, for its history and the tracepoint
 */
void xtcp_set_state(struct sock *sk, int state, u8 cause)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	trace_xtcp_set_state(sk, old, state, cause);
	xtcp_history_add(xtcp_sk(sk), old, state, cause, ktime_get());
	if (state == TCP_ESTABLISHED && old == TCP_SYN_SENT)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ACTIVE_OPENS);
	if (state == TCP_CLOSE &&
	    (old == TCP_ESTABLISHED || old == TCP_CLOSE_WAIT))
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ESTAB_RESETS);
	smp_store_release(&sk->sk_state, state);	/* pairs with inet_sk_state_load() */
}

/**
 * xtcp_fsm_event_cause() - apply an event to a socket, naming its cause
 * @sk: the socket, locked
 * @ev: the event
 * @cause: enum xtcp_cause, for the history: where the event alone would
 *	mislead (an ICMP error ends an opening as a timeout does)
 *
 * Changes the state as the table says and carries out its actions. On
 * XA_DONE the socket may be freed, if it was an orphan: the caller must
 * hold its own reference.
 *
 * Return: 0, or -EINVAL if @ev is not valid in the socket's state.
 */
int xtcp_fsm_event_cause(struct sock *sk, enum xtcp_event ev, u8 cause)
{
	const struct xtcp_fsm_row *t = xtcp_fsm_lookup(sk->sk_state, ev);
	u16 act;

	if (!t)
		return -EINVAL;
	act = t->actions;

	/* A RST goes out with the sequence numbers of the old state. */
	if (act & XA_SEND_RST)
		xtcp_send_ctl(sk, XTCP_FLAG_RST | XTCP_FLAG_ACK);

	xtcp_set_state(sk, t->next, cause);

	if (act & XA_SEND_SYN)
		xtcp_queue_ctl(sk, XTCP_FLAG_SYN);
	if (act & XA_SEND_SYNACK)	/* simultaneous open: our SYN again, now with ACK */
		xtcp_retransmit(sk, "syn-ack");
	if (act & XA_SEND_FIN)
		xtcp_queue_ctl(sk, XTCP_FLAG_FIN);
	if (act & XA_SEND_ACK)
		xtcp_send_ack(sk);
	if (act & XA_ACK_LATER)
		xtcp_ack_fin_later(sk);
	if (act & XA_CONNECTED) {
		if (sock_flag(sk, SOCK_KEEPOPEN))
			xtcp_keepalive_start(sk, xtcp_keepalive_time(sk));
		sk->sk_state_change(sk);
	}
	if (act & XA_TIME_WAIT) {
		xtcp_tw_enter(sk);
		xtcp_set_state(sk, TCP_CLOSE, XTCP_CAUSE_TIME_WAIT);
		act |= XA_DONE;
	}
	if (act & XA_DONE)
		xtcp_done(sk);
	return 0;
}

/**
 * xtcp_fsm_event() - apply an event to a socket
 * @sk: the socket, locked
 * @ev: the event, which is also the cause its history records
 *
 * As xtcp_fsm_event_cause().
 *
 * Return: 0, or -EINVAL if @ev is not valid in the socket's state.
 */
int xtcp_fsm_event(struct sock *sk, enum xtcp_event ev)
{
	return xtcp_fsm_event_cause(sk, ev, ev < XE_MAX ? xtcp_event_cause[ev] : 0);
}
