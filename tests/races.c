// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle races (issue 7), each tried XT_RACE_N times (default 40) at
 * moments swept across the window where the two meet. Like tests/unload
 * this is a stress test: the debug kernel's KASAN, lockdep,
 * DEBUG_OBJECTS_TIMERS and kmemleak give the verdict, and the harness's
 * rmmod after the test fails if a socket was left behind.
 *
 *   - close() against the retransmission timer: with a's segments lost,
 *     a's data goes unacknowledged and its timer fires 200 ms (the least
 *     RTO) after the send; a closes 150 to 250 ms after it, aborting
 *     (linger 0) or closing with the data still queued, so that the close
 *     and the expiry meet. Then the loss ends, and after a close b sees
 *     the data and EOF.
 *   - close() against segments arriving: b streams to a while a closes,
 *     0 to 20 ms into the stream, with unread data (a reset); b's writer
 *     must see EPIPE or ECONNRESET, never hang.
 *   - TIME-WAIT expiry against reuse: with tw_timeout_ms at 1, a client
 *     bound to one port with SO_REUSEADDR connects again at once after
 *     each connection, retrying while the four-tuple's entry lives
 *     (EADDRNOTAVAIL); the one who closes first alternates, so entries
 *     in a end under connect() and entries in b under the new SYN.
 */
#include "xtnet.h"
#include "xtapi.h"

#define PORT	XT_PORT
#define CPORT	20000

static int rounds;

static void close_vs_timer(int lfd)
{
	char buf[64];
	int i, cfd, sfd;
	ssize_t r;

	for (i = 0; i < rounds; i++) {
		cfd = xt_socket_in("a");
		XT_CHECK(xt_connect(cfd, XT_B, PORT) == 0, "round %d: connect", i);
		sfd = xt_accept_wait(lfd, 5000);
		XT_CHECK(sfd >= 0, "round %d: accept", i);
		xt_netem("a", "loss 100%");
		xt_send_all(cfd, "lost, then sent again", 21);
		xt_msleep(150 + 100 * i / rounds);
		if (i % 2)
			xt_abort(cfd);
		close(cfd);
		xt_netem_off("a");
		if (!(i % 2)) {
			/* The orphan sends its data and FIN again. */
			xt_timeo(sfd, SO_RCVTIMEO, 10000);
			while ((r = recv(sfd, buf, sizeof(buf), 0)) > 0)
				;
			XT_CHECK(r == 0, "round %d: b's end saw errno %d, not EOF", i, errno);
		}
		/* After an abort whose RST was lost, b's end knows nothing. */
		xt_abort(sfd);
		close(sfd);
	}
}

struct writer {
	int fd;
	int err;
};

static void *write_until_error(void *arg)
{
	struct writer *w = arg;
	static char chunk[65536];

	while (send(w->fd, chunk, sizeof(chunk), MSG_NOSIGNAL) > 0)
		;
	w->err = errno;
	return NULL;
}

static void close_vs_segments(int lfd)
{
	struct writer w;
	pthread_t t;
	int i, cfd;

	for (i = 0; i < rounds; i++) {
		cfd = xt_socket_in("a");
		XT_CHECK(xt_connect(cfd, XT_B, PORT) == 0, "round %d: connect", i);
		w.fd = xt_accept_wait(lfd, 5000);
		XT_CHECK(w.fd >= 0, "round %d: accept", i);
		xt_timeo(w.fd, SO_SNDTIMEO, 10000);
		if (pthread_create(&t, NULL, write_until_error, &w))
			xt_fail("pthread_create");
		usleep(20000 * i / rounds);
		close(cfd);	/* unread data: a reset */
		pthread_join(t, NULL);
		XT_CHECK(w.err == EPIPE || w.err == ECONNRESET,
			 "round %d: b's writer ended with errno %d", i, w.err);
		close(w.fd);
	}
}

static void tw_vs_reuse(int lfd)
{
	int i, cfd, sfd, tries;
	char c;

	xt_sysctl("a", "tw_timeout_ms", 1);
	xt_sysctl("b", "tw_timeout_ms", 1);
	for (i = 0; i < 4 * rounds; i++) {
		for (tries = 0;; tries++) {
			cfd = xt_socket_in("a");
			xt_reuseaddr(cfd);
			xt_bind(cfd, XT_A, CPORT);
			if (xt_connect(cfd, XT_B, PORT) == 0)
				break;
			XT_CHECK(errno == EADDRNOTAVAIL && tries < 1000,
				 "round %d: connect, errno %d after %d tries", i, errno, tries);
			close(cfd);
			usleep(100);
		}
		sfd = xt_accept_wait(lfd, 5000);
		XT_CHECK(sfd >= 0, "round %d: accept", i);
		xt_send_expect(cfd, sfd, "x");
		/* Even rounds a closes first (its entry), odd rounds b. */
		close(i % 2 ? sfd : cfd);
		XT_CHECK(xt_wait_readable(i % 2 ? cfd : sfd, 5000) &&
			 read(i % 2 ? cfd : sfd, &c, 1) == 0, "round %d: no FIN", i);
		close(i % 2 ? cfd : sfd);
		usleep(1000 * (i % 3));
	}
	xt_sysctl("a", "tw_timeout_ms", 60000);
	xt_sysctl("b", "tw_timeout_ms", 60000);
}

int main(void)
{
	const char *env = getenv("XT_RACE_N");
	int lfd;

	if (xt_is_tcp())
		return 77;	/* its TIME-WAIT is fixed; the rest is xtcp's own */
	rounds = env ? atoi(env) : 40;
	lfd = xt_listen_in("b", PORT, 16);
	close_vs_timer(lfd);
	printf("races: close against the timer, %d rounds\n", rounds);
	close_vs_segments(lfd);
	printf("races: close against segments, %d rounds\n", rounds);
	tw_vs_reuse(lfd);
	printf("races: TIME-WAIT expiry against reuse, %d rounds\n", 4 * rounds);
	close(lfd);
	return 0;
}
