// SPDX-License-Identifier: GPL-2.0
/*
 * A peer that vanishes: netem drops what it sends, and the end that has
 * something to send tries retries2 times (lowered to 5 here, about 13 s
 * of backoff from a 200 ms RTO), then gives up. Two parts:
 *
 *  - flow: data flows both ways between a and b when the loss, both
 *    ways, begins. A send() or recv() blocked on the socket fails with
 *    ETIMEDOUT, the other call on the same socket with ETIMEDOUT too, or,
 *    the error having been taken, with EPIPE (send) or EOF (recv), as
 *    Linux TCP does. The connection is then CLOSED, its namespace counted
 *    the timeout (xtcp's Timeouts, TCP's TCPAbortOnTimeout), and it tried
 *    again before: xtcp retries2 times at least; Linux TCP turns retries2
 *    into a time (12.6 s, what 5 doublings of a 200 ms RTO take), so
 *    where the RTO is larger (the debug kernel) it gives up after fewer.
 *    A try is a retransmission, or a window probe where the loss caught
 *    the peer's window shut with nothing in flight.
 *  - shut: a never reads, so b's writes fill a's window and b probes it.
 *    Then a's answers are lost: the probe timer, not the retransmission
 *    timer, times the connection out after retries2 unanswered probes
 *    (3 here: probes back off from where the answered ones left them, and
 *    on the debug kernel a few more are answered before the loss begins),
 *    and b's send() fails with ETIMEDOUT.
 *
 * Each part must end within 120 s of the loss; calls blocked 150 s fail
 * the test.
 */
#include <pthread.h>

#include "xtnet.h"

#define RETRIES2 5
#define LIMIT_S 120
#define SHUT_RETRIES2 3
#define SHUT_PORT (XT_PORT + 1)

struct end {
	const char *ns;
	int fd;
	int write;
	_Atomic size_t done;
	ssize_t ret;		/* the failing call's result */
	int err;		/* its errno */
	double t;		/* when it returned */
	pthread_t thread;
};

static void *run_end(void *arg)
{
	static const char zeros[16384];
	struct end *e = arg;
	char buf[16384];
	ssize_t n;

	for (;;) {
		if (e->write)
			n = send(e->fd, zeros, sizeof(zeros), MSG_NOSIGNAL);
		else
			n = recv(e->fd, buf, sizeof(buf), 0);
		/*
		 * With a timeout set, a signal makes the call fail with EINTR
		 * instead of restarting it: the SIGCHLD of the tc that
		 * system() ran, say, which another thread blocks.
		 */
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		e->done += n;
	}
	e->ret = n;
	e->err = n < 0 ? errno : 0;
	e->t = xt_now();
	return NULL;
}

/* Runs e in a thread of its own; its call gives up after 150 s. */
static void start(struct end *e)
{
	struct timeval tv = { .tv_sec = 150 };

	if (setsockopt(e->fd, SOL_SOCKET, e->write ? SO_SNDTIMEO : SO_RCVTIMEO,
		       &tv, sizeof(tv)) < 0)
		xt_fail("SO_SNDTIMEO/SO_RCVTIMEO");
	if (pthread_create(&e->thread, NULL, run_end, e))
		xt_fail("pthread_create");
}

static long timeouts(const char *ns)
{
	return xt_stat_of(ns, "Timeouts", "TCPAbortOnTimeout");
}

static long probes(const char *ns)
{
	return xt_stat_of(ns, "WindowProbes", "TCPWinProbe");
}

/* Retransmissions and window probes: see above. */
static long tries(const char *ns)
{
	return xt_stat_of(ns, "RetransSegs", "RetransSegs") + probes(ns);
}

static void flow(void)
{
	long to0[2], try0[2];
	struct end e[4];
	struct xt_pair p;
	double t0;
	int i, s;

	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	p = xt_pair_open(XT_PORT);
	e[0] = (struct end){ .ns = "a", .fd = p.cfd, .write = 1 };
	e[1] = (struct end){ .ns = "a", .fd = p.cfd, .write = 0 };
	e[2] = (struct end){ .ns = "b", .fd = p.sfd, .write = 1 };
	e[3] = (struct end){ .ns = "b", .fd = p.sfd, .write = 0 };
	for (i = 0; i < 4; i++)
		start(&e[i]);
	/* Mid-transfer: both directions have moved data. */
	t0 = xt_now();
	while (e[1].done < 262144 || e[3].done < 262144) {
		XT_CHECK(xt_now() - t0 < 60, "only %zu and %zu bytes moved in 60 s",
			 (size_t)e[1].done, (size_t)e[3].done);
		xt_msleep(10);
	}
	for (i = 0; i < 2; i++) {
		to0[i] = timeouts(i ? "b" : "a");
		try0[i] = tries(i ? "b" : "a");
	}
	xt_netem("a", "limit 10000 loss 100%");
	xt_netem("b", "limit 10000 loss 100%");
	t0 = xt_now();
	for (i = 0; i < 4; i++)
		pthread_join(e[i].thread, NULL);
	for (i = 0; i < 4; i++)
		fprintf(stderr, "flow: %s's %s returned %zd (%s) %.1f s after the loss, "
			"%zu bytes before\n", e[i].ns, e[i].write ? "send" : "recv", e[i].ret,
			e[i].ret < 0 ? strerror(e[i].err) : "EOF", e[i].t - t0,
			(size_t)e[i].done);
	for (s = 0; s < 2; s++) {
		struct end *w = &e[2 * s], *r = &e[2 * s + 1];
		const char *ns = w->ns;

		XT_CHECK((w->ret < 0 && w->err == ETIMEDOUT) || (r->ret < 0 && r->err == ETIMEDOUT),
			 "%s: neither send nor recv failed with ETIMEDOUT", ns);
		XT_CHECK(w->ret < 0 && (w->err == ETIMEDOUT || w->err == EPIPE),
			 "%s: send returned %zd, errno %d", ns, w->ret, w->err);
		XT_CHECK(r->ret == 0 || (r->ret < 0 && r->err == ETIMEDOUT),
			 "%s: recv returned %zd, errno %d", ns, r->ret, r->err);
		XT_CHECK(w->t - t0 < LIMIT_S && r->t - t0 < LIMIT_S,
			 "%s: ended %.1f and %.1f s after the loss", ns, w->t - t0, r->t - t0);
		XT_STATE(w->fd, XTCP_CLOSE);
		XT_CHECK(timeouts(ns) > to0[s], "%s: no timeout counted", ns);
		XT_CHECK(tries(ns) - try0[s] >= (xt_is_tcp() ? 1 : RETRIES2),
			 "%s: gave up after %ld retransmissions and probes, retries2 is %d",
			 ns, tries(ns) - try0[s], RETRIES2);
	}
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void shut(void)
{
	struct xt_pair p;
	struct end w;
	long to0, try0, pr0;
	double t0;

	xt_sysctl("b", "retries2", SHUT_RETRIES2);
	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	p = xt_pair_open(SHUT_PORT);
	w = (struct end){ .ns = "b", .fd = p.sfd, .write = 1 };
	pr0 = probes("b");
	start(&w);
	/* a's window is shut, nothing is in flight, and b has probed. */
	t0 = xt_now();
	while (probes("b") == pr0) {
		XT_CHECK(xt_now() - t0 < 30, "b sent no window probe in 30 s, %zu bytes written",
			 (size_t)w.done);
		xt_msleep(50);
	}
	/*
	 * Quickly: each probe answered meanwhile doubles the wait for the
	 * next ones. Those count in the probes below, whose check is so
	 * a floor, with the time limit.
	 */
	to0 = timeouts("b");
	try0 = tries("b");
	pr0 = probes("b");
	xt_netem_change("a", "limit 10000 loss 100%");
	t0 = xt_now();
	pthread_join(w.thread, NULL);
	fprintf(stderr, "shut: b's send returned %zd (%s) %.1f s after the loss, %zu bytes "
		"before; %ld probes, %ld tries\n", w.ret, w.ret < 0 ? strerror(w.err) : "-",
		w.t - t0, (size_t)w.done, probes("b") - pr0, tries("b") - try0);
	XT_CHECK(w.ret < 0 && w.err == ETIMEDOUT, "b: send returned %zd, errno %d",
		 w.ret, w.err);
	XT_CHECK(w.t - t0 < LIMIT_S, "b: ended %.1f s after the loss", w.t - t0);
	XT_STATE(p.sfd, XTCP_CLOSE);
	XT_CHECK(timeouts("b") > to0, "b: no timeout counted");
	XT_CHECK(probes("b") - pr0 >= SHUT_RETRIES2,
		 "b: gave up after %ld probes, retries2 is %d", probes("b") - pr0, SHUT_RETRIES2);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

int main(void)
{
	xt_sysctl("a", "retries2", RETRIES2);
	xt_sysctl("b", "retries2", RETRIES2);
	flow();
	shut();
	return 0;
}
