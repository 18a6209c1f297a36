// SPDX-License-Identifier: GPL-2.0
/*
 * A peer that vanishes mid-transfer: data flows both ways between a and
 * b, then netem drops everything both ways. Each end retransmits
 * retries2 times (lowered to 5 here, about 13 s of backoff from a 200 ms
 * RTO) and gives up: a send() or recv() blocked on the socket fails with
 * ETIMEDOUT, the other call on the same socket with ETIMEDOUT too, or,
 * the error having been taken, with EPIPE (send) or EOF (recv), as Linux
 * TCP does. The connection is then CLOSED, its namespace counted the
 * timeout (xtcp's Timeouts, TCP's TCPAbortOnTimeout), and it
 * retransmitted before: xtcp retries2 times at least; Linux TCP turns
 * retries2 into a time (12.6 s, what 5 doublings of a 200 ms RTO take),
 * so where the RTO is larger (the debug kernel) it gives up after fewer.
 * It must end within 120 s of the loss; calls blocked 150 s fail the
 * test.
 */
#include <pthread.h>

#include "xtnet.h"

#define RETRIES2 5
#define LIMIT_S 120

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

static long timeouts(const char *ns)
{
	return xt_stat_of(ns, "Timeouts", "TCPAbortOnTimeout");
}

static long retrans(const char *ns)
{
	return xt_stat_of(ns, "RetransSegs", "RetransSegs");
}

int main(void)
{
	struct timeval tv = { .tv_sec = 150 };
	long to0[2], re0[2];
	struct end e[4];
	struct xt_pair p;
	double t0;
	int i, s;

	xt_sysctl("a", "retries2", RETRIES2);
	xt_sysctl("b", "retries2", RETRIES2);
	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	p = xt_pair_open(XT_PORT);
	e[0] = (struct end){ .ns = "a", .fd = p.cfd, .write = 1 };
	e[1] = (struct end){ .ns = "a", .fd = p.cfd, .write = 0 };
	e[2] = (struct end){ .ns = "b", .fd = p.sfd, .write = 1 };
	e[3] = (struct end){ .ns = "b", .fd = p.sfd, .write = 0 };
	for (i = 0; i < 4; i++) {
		if (setsockopt(e[i].fd, SOL_SOCKET, e[i].write ? SO_SNDTIMEO : SO_RCVTIMEO,
			       &tv, sizeof(tv)) < 0)
			xt_fail("SO_SNDTIMEO/SO_RCVTIMEO");
		if (pthread_create(&e[i].thread, NULL, run_end, &e[i]))
			xt_fail("pthread_create");
	}
	/* Mid-transfer: both directions have moved data. */
	t0 = xt_now();
	while (e[1].done < 262144 || e[3].done < 262144) {
		XT_CHECK(xt_now() - t0 < 60, "only %zu and %zu bytes moved in 60 s",
			 (size_t)e[1].done, (size_t)e[3].done);
		xt_msleep(10);
	}
	for (i = 0; i < 2; i++) {
		to0[i] = timeouts(i ? "b" : "a");
		re0[i] = retrans(i ? "b" : "a");
	}
	xt_netem("a", "limit 10000 loss 100%");
	xt_netem("b", "limit 10000 loss 100%");
	t0 = xt_now();
	for (i = 0; i < 4; i++)
		pthread_join(e[i].thread, NULL);
	for (i = 0; i < 4; i++)
		fprintf(stderr, "vanish: %s's %s returned %zd (%s) %.1f s after the loss, "
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
		XT_CHECK(retrans(ns) - re0[s] >= (xt_is_tcp() ? 1 : RETRIES2),
			 "%s: gave up after %ld retransmissions, retries2 is %d", ns,
			 retrans(ns) - re0[s], RETRIES2);
	}
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	return 0;
}
