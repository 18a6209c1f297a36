// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp's socket timers. All are hrtimers in softirq mode.
 *
 *   xs->timer            one per socket; what it means follows the state:
 *     retransmission     due while SYN, data or FIN is unacknowledged,
 *                        RTO << retries after the last transmission; on
 *                        expiry all in flight is lost (cong.c) and the
 *                        oldest segment goes again, until
 *                        syn_retries (SYN-SENT, SYN-RECEIVED) or retries2
 *                        (later states) are spent, which ends the
 *                        connection with ETIMEDOUT.
 *     zero-window probe  due while nothing is in flight but data waits
 *                        (output.c): RTO << probes after the last one;
 *                        on expiry xtcp_send_probe(). Also due when a
 *                        SYN, FIN or data found no memory for its
 *                        packet; the tries then count as retransmissions.
 *     keepalive          due while nothing is in flight nor waits, in
 *                        ESTABLISHED, CLOSE-WAIT or FIN-WAIT-2 (but an
 *                        orphan's), with SO_KEEPALIVE: keepidle after
 *                        the last segment received (xtcp_timer_idle()),
 *                        as Linux TCP's
 *                        keepalive timer; on expiry a probe (an ACK
 *                        with an old sequence number, which the peer
 *                        must answer) every keepintvl until an answer,
 *                        or, after keepcnt unanswered, a RST and
 *                        ETIMEDOUT. A segment received does not touch
 *                        the timer: an expiry finds the connection
 *                        heard from since and sleeps on.
 *     FIN-WAIT-2         due when an orphan (closed by its process)
 *                        reaches FIN-WAIT-2 with nothing in flight,
 *                        fin_timeout_ms later; on expiry it closes and
 *                        sends nothing, as Linux TCP's FIN-WAIT-2
 *                        timewait socket dies.
 *     SYN-ACK            a listener's: due when its first request's
 *                        SYN-ACK must go again; on expiry
 *                        xtcp_listen_timer_fire() (listen.c). A listener
 *                        has no other timer work, and a socket that
 *                        leaves LISTEN clears it.
 *   xs->delack           the delayed ACK: due XTCP_DELACK_NS after in-order
 *                        data that was not acknowledged at once, or the
 *                        FIN that began CLOSE-WAIT; any segment we send
 *                        with an ACK clears it.
 *   tw->timer            a TIME-WAIT entry's 2 MSL (tw.c, its own rules).
 *
 * A struct xtcp_timer is the work's due time, t->due, and an hrtimer that
 * wakes up for it. t->due is the truth: an expiry before it (the work was
 * put off) sleeps again until it; an expiry with t->due 0 (cleared) does
 * nothing. So putting work off never touches a queued hrtimer.
 *
 * References, as Linux TCP keeps them for its hrtimers:
 *   - a queued hrtimer holds one socket reference;
 *   - only xtcp_timer_set() queues it, with the socket locked, taking a
 *     reference if it was not queued and handing the reference on if it
 *     takes a queued one off to queue it earlier;
 *   - each expiry drops one, or hands it to release_sock() when a process
 *     owns the socket (XTCP_DEFER_* bit, xtcp_release_cb());
 *   - xtcp_timer_clear() drops one if it takes a queued hrtimer off;
 *   - xtcp_timer_forget() drops none: it leaves a queued hrtimer to
 *     expire with nothing due, which drops it then.
 * Since only a socket-locked caller queues, "not queued" seen under the
 * lock stays true until that caller queues. "Queued" may turn into
 * "running" behind its back, which the code above accepts:
 * hrtimer_try_to_cancel() is never trusted to tell whether a running
 * handler has been queued again (it answers -1 either way).
 *
 * The one case that cannot be mended without waiting: work brought
 * forward while the hrtimer's own handler is past the socket lock and
 * has queued it for later. The work then runs at that later expiry.
 */
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/**
 * xtcp_timer_set() - make a socket's timer work due at a time
 * @sk: the socket, locked
 * @t: one of its timers
 * @due: when, on CLOCK_MONOTONIC; never 0
 */
void xtcp_timer_set(struct sock *sk, struct xtcp_timer *t, ktime_t due)
{
	t->due = due;
	if (hrtimer_is_queued(&t->hrt)) {
		/* Waking at or before @due: the expiry sleeps on till then. */
		if (!ktime_after(hrtimer_get_expires(&t->hrt), due))
			return;
		switch (hrtimer_try_to_cancel(&t->hrt)) {
		case 1:		/* taken off: queue it earlier, same reference */
			hrtimer_start(&t->hrt, due, HRTIMER_MODE_ABS_SOFT);
			return;
		case -1:	/* its handler runs and will see @due, or wake late */
			return;
		}
		/* 0: it expired meanwhile and its handler is done: queue anew. */
	}
	sock_hold(sk);
	hrtimer_start(&t->hrt, due, HRTIMER_MODE_ABS_SOFT);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_set);

/**
 * xtcp_timer_clear() - nothing is due any more
 * @sk: the socket, locked; the caller holds a reference of its own
 * @t: one of its timers
 *
 * A handler already running is not waited for: it finds nothing to do.
 */
void xtcp_timer_clear(struct sock *sk, struct xtcp_timer *t)
{
	t->due = 0;
	if (hrtimer_try_to_cancel(&t->hrt) == 1)
		__sock_put(sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_clear);

/* An expiry, with the socket locked and not owned: run the work if due. */
static void xtcp_timer_expire(struct sock *sk, struct xtcp_timer *t)
{
	if (!t->due)
		return;
	if (ktime_before(ktime_get(), t->due)) {
		xtcp_timer_set(sk, t, t->due);
		return;
	}
	t->due = 0;
	t->fire(sk);
}

/* The socket that @t is one of the timers of. */
static struct sock *xtcp_timer_sk(struct xtcp_timer *t)
{
	if (t->defer_bit == XTCP_DEFER_TIMER)
		return &container_of(t, struct xtcp_sock, timer)->inet.sk;
	return &container_of(t, struct xtcp_sock, delack)->inet.sk;
}

/**
 * xtcp_timer_handler() - every socket timer's hrtimer function
 * @hrt: the hrtimer; its socket reference is consumed
 *
 * Return: HRTIMER_NORESTART; the work queues the timer again if it must.
 */
VISIBLE_IF_KUNIT enum hrtimer_restart xtcp_timer_handler(struct hrtimer *hrt)
{
	struct xtcp_timer *t = container_of(hrt, struct xtcp_timer, hrt);
	struct sock *sk = xtcp_timer_sk(t);

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		/* release_sock() runs it with this reference; one is enough. */
		if (test_and_set_bit(t->defer_bit, &xtcp_sk(sk)->deferred))
			__sock_put(sk);
		bh_unlock_sock(sk);
		return HRTIMER_NORESTART;
	}
	xtcp_timer_expire(sk, t);
	bh_unlock_sock(sk);
	sock_put(sk);
	return HRTIMER_NORESTART;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_handler);

static void xtcp_timer_deferred(struct sock *sk, struct xtcp_timer *t)
{
	if (!test_and_clear_bit(t->defer_bit, &xtcp_sk(sk)->deferred))
		return;
	xtcp_timer_expire(sk, t);
	__sock_put(sk);
}

/**
 * xtcp_release_cb() - run what timers deferred: struct proto.release_cb
 * @sk: the socket, at the end of release_sock(), still owned
 */
void xtcp_release_cb(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_timer_deferred(sk, &xs->timer);
	xtcp_timer_deferred(sk, &xs->delack);
	/* Not a timer, but deferred the same way by xtcp_v4_err(). */
	if (test_and_clear_bit(XTCP_DEFER_MTU, &xs->deferred)) {
		xtcp_mtu_reduced(sk);
		__sock_put(sk);
	}
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_release_cb);

/**
 * xtcp_timer_setup() - set up one of a new socket's timers
 * @sk: the socket
 * @t: the timer, xtcp_sk(@sk)->timer or ->delack
 * @fire: its work, run when due with @sk locked and not owned
 * @defer_bit: its XTCP_DEFER_* bit: XTCP_DEFER_TIMER or XTCP_DEFER_DELACK
 */
void xtcp_timer_setup(struct sock *sk, struct xtcp_timer *t,
		      void (*fire)(struct sock *sk), int defer_bit)
{
	hrtimer_init(&t->hrt, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	t->hrt.function = xtcp_timer_handler;
	t->due = 0;
	t->fire = fire;
	t->defer_bit = defer_bit;
	WARN_ON_ONCE(xtcp_timer_sk(t) != sk);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_setup);

/**
 * xtcp_timer_arm() - make a socket's retransmission, probe, keepalive or FIN-WAIT-2 work due
 * @sk: the socket, locked
 * @ns: from now, in nanoseconds
 */
void xtcp_timer_arm(struct sock *sk, u64 ns)
{
	xtcp_timer_set(sk, &xtcp_sk(sk)->timer, ktime_add_ns(ktime_get(), ns));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_arm);

/**
 * xtcp_timer_backoff() - the retransmission or probe timer: due after the backoff
 * @sk: the socket, locked
 *
 * One RTO doubled for each of xs->retries, at most 120 s (xtcp_backoff_ns()).
 */
void xtcp_timer_backoff(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_timer_arm(sk, xtcp_backoff_ns(xs->rto_us, xs->retries));
}

/**
 * xtcp_timer_restart() - a fresh backoff: the timer is due in one RTO
 * @sk: the socket, locked
 *
 * For what begins a new flight or ends zero-window probing: whatever the
 * timer was due for before, and however far it had backed off, it now
 * times what is sent from here.
 */
void xtcp_timer_restart(struct sock *sk)
{
	xtcp_sk(sk)->retries = 0;
	xtcp_timer_backoff(sk);
}

/**
 * xtcp_keepalive_time() - seconds idle before a keepalive probe
 * @sk: the socket
 *
 * Return: XTCP_KEEPIDLE, or net.xtcp.keepalive_time if it was not set.
 */
u32 xtcp_keepalive_time(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepidle) ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_time);
}

/**
 * xtcp_keepalive_intvl() - seconds between keepalive probes
 * @sk: the socket
 *
 * Return: XTCP_KEEPINTVL, or net.xtcp.keepalive_intvl if it was not set.
 */
u32 xtcp_keepalive_intvl(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepintvl) ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_intvl);
}

/**
 * xtcp_keepalive_probes() - keepalive probes unanswered before a timeout
 * @sk: the socket
 *
 * Return: XTCP_KEEPCNT, or net.xtcp.keepalive_probes if it was not set.
 */
u32 xtcp_keepalive_probes(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepcnt) ? :
	       READ_ONCE(xtcp_pernet(sock_net(sk))->keepalive_probes);
}

/*
 * Does the connection keep alive now: SO_KEEPALIVE, and synchronized, as
 * tcp_keepalive_timer() asks? Idle, that is ESTABLISHED, CLOSE-WAIT or
 * FIN-WAIT-2 (FIN-WAIT-1 as our FIN's ACK arrives, just before it).
 */
static bool xtcp_keepalive_on(const struct sock *sk)
{
	return sock_flag(sk, SOCK_KEEPOPEN) &&
	       !((1 << sk->sk_state) &
		 (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT | TCPF_SYN_RECV));
}

/* Jiffies until the connection has heard nothing for keepidle; 0 once it has. */
static u32 xtcp_keepalive_left(const struct sock *sk)
{
	u32 idle = xtcp_keepalive_time(sk) * HZ;
	u32 elapsed = (u32)jiffies - xtcp_sk(sk)->rcv_tstamp;

	return idle > elapsed ? idle - elapsed : 0;
}

/* Nothing in flight, nothing waiting: the timer is the keepalive's or no one's. */
static bool xtcp_idle(const struct xtcp_sock *xs)
{
	return xs->snd_una == xs->snd_nxt && !xs->send_head;
}

/**
 * xtcp_timer_idle() - all in flight is acknowledged: a keepalive, or nothing, is due
 * @sk: the socket, locked
 *
 * With SO_KEEPALIVE and nothing waiting to go, the timer falls due
 * keepidle after the last segment received; otherwise nothing is due
 * (xtcp_timer_cancel()), until the next segment sent arms it. Either way
 * the hrtimer most often stays queued as it was.
 */
void xtcp_timer_idle(struct sock *sk)
{
	if (!xtcp_keepalive_on(sk) || xtcp_sk(sk)->send_head)
		xtcp_timer_cancel(sk);
	else
		xtcp_timer_arm(sk, jiffies_to_nsecs(xtcp_keepalive_left(sk)));
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_timer_idle);

/**
 * xtcp_keepalive_start() - SO_KEEPALIVE or XTCP_KEEPIDLE changed, or the connection began
 * @sk: the socket, locked
 * @secs: when the keepalive is due, from now, in seconds; 0 to count
 *	keepidle from the last segment received
 *
 * Only an idle connection's timer is touched: while something is in
 * flight or waits, the timer is the retransmission's or the probe's,
 * and the keepalive follows when that is done (xtcp_timer_idle()). A
 * listener's, which times its SYN-ACKs, never is.
 */
void xtcp_keepalive_start(struct sock *sk, u32 secs)
{
	if (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) || !xtcp_idle(xtcp_sk(sk)))
		return;
	if (!secs || !xtcp_keepalive_on(sk))
		xtcp_timer_idle(sk);
	else
		xtcp_timer_arm(sk, (u64)secs * NSEC_PER_SEC);
}

/*
 * The keepalive's work: send a probe if the connection has heard nothing
 * for keepidle, and every keepintvl after while nothing answers; give up
 * after keepcnt unanswered, as tcp_keepalive_timer() does.
 */
VISIBLE_IF_KUNIT void xtcp_keepalive_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 left;

	if (!xtcp_keepalive_on(sk))
		return;
	left = xtcp_keepalive_left(sk);
	if (left) {
		xtcp_timer_arm(sk, jiffies_to_nsecs(left));
		return;
	}
	if (xs->probes >= xtcp_keepalive_probes(sk)) {
		xtcp_send_ctl(sk, XTCP_FLAG_RST | XTCP_FLAG_ACK);
		xtcp_give_up(sk);
		return;
	}
	xs->probes++;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_KEEPALIVE_PROBES);
	xtcp_xmit_probe(sk);
	xtcp_timer_arm(sk, (u64)xtcp_keepalive_intvl(sk) * NSEC_PER_SEC);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_keepalive_fire);

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
 * xtcp_timer_cancel() - all in flight is acknowledged: no retransmission due
 * @sk: the socket, locked
 *
 * Nor a keepalive: xtcp_timer_idle() calls this where none is wanted.
 * The hrtimer may stay queued (xtcp_timer_forget()): the next segment
 * sent arms it again, most often for later than it expires.
 */
void xtcp_timer_cancel(struct sock *sk)
{
	xtcp_timer_forget(&xtcp_sk(sk)->timer);
}

/**
 * xtcp_timers_stop() - nothing of a connection's is due any more
 * @sk: the socket, locked; the caller holds a reference of its own
 */
void xtcp_timers_stop(struct sock *sk)
{
	xtcp_timer_clear(sk, &xtcp_sk(sk)->timer);
	xtcp_timer_clear(sk, &xtcp_sk(sk)->delack);
}

/**
 * xtcp_give_up() - retransmissions, window or keepalive probes are spent: ETIMEDOUT
 * @sk: the socket, locked and not owned
 */
void xtcp_give_up(struct sock *sk)
{
	bool dead = sock_flag(sk, SOCK_DEAD);

	xtcp_inc_stats(sock_net(sk), XTCP_MIB_TIMEOUTS);
	if (sk->sk_state == TCP_SYN_SENT)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
	/* An ICMP error seen meanwhile says more than "timed out". */
	WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ?: ETIMEDOUT);
	/* Closed before the wakeup, so poll sees the error and the close. */
	xtcp_fsm_event(sk, XE_TIMEOUT);
	if (!dead)
		sk_error_report(sk);
}

/**
 * xtcp_retry() - one more timeout of what is unsent or unacknowledged
 * @sk: the socket, locked and not owned
 *
 * Counts it in xs->retries, or, once syn_retries (SYN-SENT,
 * SYN-RECEIVED) or retries2 (later states) are spent, gives up.
 *
 * Return: true if the connection goes on, false if it timed out.
 */
bool xtcp_retry(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	int limit;

	limit = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		READ_ONCE(xn->syn_retries) : READ_ONCE(xn->retries2);
	if (xs->retries >= limit) {
		xtcp_give_up(sk);
		return false;
	}
	xs->retries++;
	return true;
}

/* The socket timer's work. Called with the socket locked, not owned. */
static void xtcp_timer_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int state = sk->sk_state;

	if (state == TCP_LISTEN) {
		xtcp_listen_timer_fire(sk);
		return;
	}
	if (state == TCP_CLOSE)
		return;

	if (xs->snd_una == xs->snd_nxt) {
		if (xs->send_head)
			xtcp_send_probe(sk);
		else if (state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
			xtcp_fsm_event(sk, XE_TIMEOUT);
		else
			xtcp_keepalive_fire(sk);
		return;
	}

	if (!xtcp_retry(sk))
		return;
	xtcp_cong_on_timeout(sk);
	xtcp_push(sk);
	xtcp_timer_backoff(sk);
}

/*
 * The delayed ACK's work: acknowledge what is still unacknowledged, in
 * any state with a connection (a FIN's ACK may still be due in LAST-ACK
 * or CLOSING, when our own FIN waits behind data).
 */
static void xtcp_delack_fire(struct sock *sk)
{
	if (!xtcp_sk(sk)->rcv_unacked ||
	    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT)))
		return;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_DELAYED_ACKS);
	xtcp_send_ack(sk);
}

/**
 * xtcp_timer_init() - set up a new socket's retransmission and delayed ACK timers
 * @sk: the socket
 */
void xtcp_timer_init(struct sock *sk)
{
	xtcp_timer_setup(sk, &xtcp_sk(sk)->timer, xtcp_timer_fire, XTCP_DEFER_TIMER);
	xtcp_timer_setup(sk, &xtcp_sk(sk)->delack, xtcp_delack_fire, XTCP_DEFER_DELACK);
}
