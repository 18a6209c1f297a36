// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp's timers. All are hrtimers in softirq mode.
 *
 *   xs->timer            one per socket; what it means follows the state:
 *     retransmission     armed while SYN, data or FIN is unacknowledged,
 *                        for RTO << retries; on expiry the oldest segment
 *                        goes again, until syn_retries (SYN-SENT,
 *                        SYN-RECEIVED) or retries2 (later states) are
 *                        spent, which ends the connection with ETIMEDOUT.
 *     FIN-WAIT-2         armed when an orphan (closed by its process)
 *                        reaches FIN-WAIT-2 with nothing in flight, for
 *                        fin_timeout_ms; on expiry it sends RST and
 *                        closes, as Linux TCP does.
 *   xs->listen_timer     a listener's SYN-ACK retransmissions (listen.c).
 *   tw->timer            a TIME-WAIT entry's 2 MSL (tw.c).
 *
 * References: an armed xs->timer holds a socket reference. Arming takes
 * one unless it replaces a pending expiry (whose reference it inherits);
 * cancelling a pending expiry drops one. The handler always consumes its
 * reference: it drops it, or, finding the socket owned by a process, sets
 * XTCP_DEFER_TIMER and leaves it to xtcp_release_cb(), which runs the
 * expiry from release_sock() unless the timer was re-armed meanwhile.
 *
 * All of this runs with the socket locked (lock_sock or bh_lock_sock):
 * that is what keeps an arm, a cancel and the handler's work apart.
 */
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/**
 * xtcp_sock_timer_start() - (re)start a timer that holds a socket reference
 * @sk: the socket, locked
 * @timer: one of its timers
 * @when: the expiry
 * @mode: HRTIMER_MODE_REL_SOFT or HRTIMER_MODE_ABS_SOFT
 *
 * Takes a reference unless it replaces a pending expiry, whose reference
 * it inherits.
 */
void xtcp_sock_timer_start(struct sock *sk, struct hrtimer *timer, ktime_t when,
			   enum hrtimer_mode mode)
{
	if (hrtimer_try_to_cancel(timer) != 1)
		sock_hold(sk);
	hrtimer_start(timer, when, mode);
}

/**
 * xtcp_sock_timer_run() - the body of every socket timer's handler
 * @sk: the socket whose timer expired; the timer's reference is consumed
 * @bit: the XTCP_DEFER_* bit for this timer
 * @fire: the expiry's work, run with the socket locked and not owned
 *
 * Return: HRTIMER_NORESTART; @fire re-arms the timer if it needs to.
 */
enum hrtimer_restart xtcp_sock_timer_run(struct sock *sk, int bit,
					 void (*fire)(struct sock *sk))
{
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		/* One deferral at a time: a second one's reference goes. */
		if (test_and_set_bit(bit, &xtcp_sk(sk)->deferred))
			__sock_put(sk);
		bh_unlock_sock(sk);
		return HRTIMER_NORESTART;
	}
	fire(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
	return HRTIMER_NORESTART;
}

/**
 * xtcp_sock_timer_deferred() - run an expiry a timer left to release_sock()
 * @sk: the socket, at the end of release_sock(), still owned
 * @bit: the XTCP_DEFER_* bit for this timer
 * @timer: the timer
 * @fire: the expiry's work
 *
 * Skips the work if the timer was armed again meanwhile; drops the
 * reference the deferral kept either way.
 */
void xtcp_sock_timer_deferred(struct sock *sk, int bit, struct hrtimer *timer,
			      void (*fire)(struct sock *sk))
{
	if (!test_and_clear_bit(bit, &xtcp_sk(sk)->deferred))
		return;
	if (!hrtimer_is_queued(timer))
		fire(sk);
	__sock_put(sk);
}

/**
 * xtcp_timer_arm() - (re)start a socket's timer
 * @sk: the socket, locked
 * @ns: from now, in nanoseconds
 */
void xtcp_timer_arm(struct sock *sk, u64 ns)
{
	xtcp_sock_timer_start(sk, &xtcp_sk(sk)->timer, ns_to_ktime(ns),
			      HRTIMER_MODE_REL_SOFT);
}

/**
 * xtcp_timer_arm_fin_wait2() - an orphan waits in FIN-WAIT-2 at most this long
 * @sk: the socket, locked, in FIN-WAIT-2 with nothing in flight
 */
void xtcp_timer_arm_fin_wait2(struct sock *sk)
{
	u64 ms = READ_ONCE(xtcp_pernet(sock_net(sk))->fin_timeout_ms);

	xtcp_timer_arm(sk, ms * NSEC_PER_MSEC);
}

/**
 * xtcp_timer_cancel() - stop a socket's timer
 * @sk: the socket, locked; the caller holds a reference of its own
 *
 * A handler already running is not waited for: it finds nothing to do.
 */
void xtcp_timer_cancel(struct sock *sk)
{
	if (hrtimer_try_to_cancel(&xtcp_sk(sk)->timer) == 1)
		__sock_put(sk);
}

/* The expiry itself. Called with the socket locked, not owned. */
static void xtcp_timer_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	int state = sk->sk_state;
	int limit;

	if (state == TCP_CLOSE || state == TCP_LISTEN)
		return;

	if (xs->snd_una == xs->snd_nxt) {
		if (state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
			xtcp_fsm_event(sk, XE_TIMEOUT);
		return;
	}

	limit = state == TCP_SYN_SENT || state == TCP_SYN_RECV ?
		READ_ONCE(xn->syn_retries) : READ_ONCE(xn->retries2);
	if (xs->retries >= limit) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_TIMEOUTS);
		if (state == TCP_SYN_SENT)
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
		WRITE_ONCE(sk->sk_err, ETIMEDOUT);
		sk_error_report(sk);
		xtcp_fsm_event(sk, XE_TIMEOUT);
		return;
	}
	xs->retries++;
	xtcp_retransmit(sk);
	xtcp_timer_arm(sk, xtcp_backoff_ns(xs->rto_us, xs->retries));
}

static enum hrtimer_restart xtcp_timer_handler(struct hrtimer *timer)
{
	struct xtcp_sock *xs = container_of(timer, struct xtcp_sock, timer);

	return xtcp_sock_timer_run(&xs->inet.sk, XTCP_DEFER_TIMER, xtcp_timer_fire);
}

/**
 * xtcp_release_cb() - run what timers deferred: struct proto.release_cb
 * @sk: the socket, at the end of release_sock(), still owned
 */
void xtcp_release_cb(struct sock *sk)
{
	xtcp_sock_timer_deferred(sk, XTCP_DEFER_TIMER, &xtcp_sk(sk)->timer, xtcp_timer_fire);
	xtcp_listen_release_cb(sk);
}

/**
 * xtcp_timer_init() - set up a new socket's timers
 * @sk: the socket
 */
void xtcp_timer_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_init(&xs->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_SOFT);
	xs->timer.function = xtcp_timer_handler;
}
