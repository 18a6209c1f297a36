// SPDX-License-Identifier: GPL-2.0
/*
 * Lookups under churn (the lockless, RCU-walked lookup tables of hash.c
 * and tw.c). With several thousand TIME-WAIT entries (XT_LOOKUP_TW,
 * 4000: half left in a by closing the client first, half in b by closing
 * the server first) and a thousand established connections
 * (XT_LOOKUP_EST) held in the two namespaces (where opening them takes
 * long, in the debug guest, only as many as open in 60 s each, 250
 * at a time), for XT_LOOKUP_SECS (6) seconds at once:
 *   - two streams carry 16 KB each way, again and again, checking bytes;
 *   - one socket in a connects, exchanges a message, disconnects
 *     (connect(AF_UNSPEC)) and connects again, in a loop: every time it
 *     leaves its four-tuple's chain and enters another's, which is what
 *     may carry a lockless reader off its chain;
 *   - the established connections exchange a byte each way, in turn (all
 *     of them, but in the debug guest);
 *   - TIME-WAIT entries left in b are reused, one after another, by a SYN
 *     from a bound to the old client port, which must find the entry
 *     (xtcp counts it in TimeWaitRecycled) and open a connection through
 *     the listener.
 * No send, recv or connect may fail (a lookup that missed a live
 * connection would answer its segment with a RST: ECONNRESET), every
 * established connection is still ESTABLISHED at the end, and under
 * xtcp neither namespace's NoSocket counter grows during the churn (no
 * segment found no socket: the loop waits for the disconnected socket's
 * peer to be reset, and the peer had nothing left to send),
 * and TimeWaitRecycled grows by exactly the number of reuses (every
 * TIME-WAIT entry was found).
 *
 * The races the nulls markers close (a segment's lookup carried off its
 * chain by a socket moving) are windows of a few instructions: this test
 * catches gross breakage of the lockless lookups (a RST, a miss, a
 * crash, a KASAN report in the debug guest), not that race reliably.
 *
 * Under XT_PROTO=6 the same runs against Linux TCP, without the counter
 * checks (TCP has no NoSocket, and counts a TIME-WAIT reused by a SYN
 * nowhere).
 */
#include "xtnet.h"

#include <pthread.h>

#define PORT_EST	(XT_PORT)	/* established connections; the churn */
#define PORT_TW		(XT_PORT + 1)	/* TIME-WAIT entries; their reuse */
#define PORT_STREAM	(XT_PORT + 2)
#define BATCH		250
/* Seconds the setup may take: the debug guest opens a few per second. */
#define FILL_SECS	60
#define EST_SECS	60
#define STREAM_LEN	16384
#define NSTREAMS	2

static int n_tw = 4000, n_est = 1000, secs = 6;
static volatile int stop;
static int lfd_est, lfd_tw;

/* What the last connection from each of a's ports to PORT_TW left. */
enum { NONE, TW_IN_A, TW_IN_B };
static unsigned char tw_of[65536];

/*
 * n connections from a to b's listener lfd on port, at once: clients into
 * c[], and into s[] the accepted sockets, s[i] the peer of c[i].
 */
static void open_batch(int lfd, unsigned short port, int *c, int *s, int n)
{
	unsigned short *cport = calloc(n, sizeof(*cport));
	struct sockaddr_in sin;
	struct pollfd p;
	socklen_t len;
	int i, j, fd;

	XT_CHECK(cport, "no memory");
	for (i = 0; i < n; i++) {
		c[i] = xt_socket_in("a");
		xt_nonblock(c[i], 1);
		XT_ERRNO(xt_connect(c[i], XT_B, port), EINPROGRESS);
	}
	for (i = 0; i < n; i++) {
		p = (struct pollfd){ .fd = c[i], .events = POLLOUT };
		XT_CHECK(poll(&p, 1, 20000) == 1 && xt_so_error(c[i]) == 0,
			 "connection %d of %d did not complete", i, n);
		xt_nonblock(c[i], 0);
		cport[i] = xt_local_port(c[i]);
	}
	for (i = 0; i < n; i++) {
		fd = xt_accept_wait(lfd, 20000);
		XT_CHECK(fd >= 0, "accepted %d of %d", i, n);
		len = sizeof(sin);
		XT_CHECK(getpeername(fd, (struct sockaddr *)&sin, &len) == 0, "getpeername");
		for (j = 0; j < n && cport[j] != ntohs(sin.sin_port); j++)
			;
		XT_CHECK(j < n, "accepted a connection from port %u, not ours",
			 ntohs(sin.sin_port));
		s[j] = fd;
	}
	free(cport);
}

/* Wait for EOF on fd, then close it. */
static void eof_close(int fd)
{
	char buf[16];

	XT_CHECK(xt_wait_readable(fd, 10000) && recv(fd, buf, sizeof(buf), 0) == 0, "no EOF");
	close(fd);
}

/*
 * n_tw connections to PORT_TW, closed: half by a first, half by b first;
 * fewer if FILL_SECS pass first. Return: how many.
 */
static int fill_time_wait(void)
{
	static int c[BATCH], s[BATCH];
	double t0 = xt_now();
	int done, n, i;

	for (done = 0; done < n_tw && xt_now() - t0 < FILL_SECS; done += n) {
		n = n_tw - done < BATCH ? n_tw - done : BATCH;
		open_batch(lfd_tw, PORT_TW, c, s, n);
		for (i = 0; i < n; i++) {
			/* A port used again took over its TIME-WAIT's tuple. */
			if (i % 2) {
				tw_of[xt_local_port(c[i])] = TW_IN_B;
				close(s[i]);
				eof_close(c[i]);
			} else {
				tw_of[xt_local_port(c[i])] = TW_IN_A;
				close(c[i]);
				eof_close(s[i]);
			}
		}
	}
	return done;
}

struct stream {
	int c, s;
	long rounds;
};

/* 16 KB each way, again and again, until stopped. */
static void *stream_run(void *arg)
{
	static char buf[STREAM_LEN];
	struct stream *st = arg;
	unsigned int i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 3);
	while (!stop) {
		xt_xfer(st->c, st->s, buf, sizeof(buf), 10000);
		xt_xfer(st->s, st->c, buf, sizeof(buf), 10000);
		st->rounds++;
	}
	return NULL;
}

static long churns;

/* Connect, exchange, disconnect, connect again: a new chain each time. */
static void *churn_run(void *arg)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int fd = xt_socket_in("a"), s;
	char buf[4];

	(void)arg;
	while (!stop) {
		if (xt_connect(fd, XT_B, PORT_EST) < 0)
			xt_fail("connect after %ld disconnects", churns);
		s = xt_accept_wait(lfd_est, 10000);
		XT_CHECK(s >= 0, "accept after %ld disconnects", churns);
		xt_send_expect(fd, s, "ping");
		xt_send_expect(s, fd, "pong");
		XT_CHECK(connect(fd, &unspec, sizeof(unspec)) == 0, "connect(AF_UNSPEC)");
		/* The peer is reset: nothing of it is left in flight. */
		XT_CHECK(xt_wait_readable(s, 10000), "no RST after connect(AF_UNSPEC)");
		XT_CHECK(recv(s, buf, sizeof(buf), 0) < 0 && errno == ECONNRESET,
			 "the disconnected peer was not reset");
		close(s);
		churns++;
	}
	close(fd);
	return NULL;
}

static long reuses;

/* SYNs from a's old ports into b's TIME-WAIT entries, each reusing one. */
static void *reuse_run(void *arg)
{
	int port, fd, s;

	(void)arg;
	for (port = 1; port < 65536 && !stop; port++) {
		if (tw_of[port] != TW_IN_B)
			continue;
		fd = xt_socket_in("a");
		xt_reuseaddr(fd);
		xt_bind(fd, XT_A, port);
		if (xt_connect(fd, XT_B, PORT_TW) < 0)
			xt_fail("connect from port %u into b's TIME-WAIT", port);
		s = xt_accept_wait(lfd_tw, 10000);
		XT_CHECK(s >= 0, "accept of the connection reusing port %u", port);
		close(s);
		eof_close(fd);
		reuses++;
	}
	return NULL;
}

static int getenv_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v ? atoi(v) : def;
}

int main(void)
{
	static char one = 'x';
	struct stream st[NSTREAMS];
	pthread_t ts[NSTREAMS], tc, tr;
	long nosock_a = 0, nosock_b = 0, recycled = 0;
	int *c, *s, i, done, n, lfd_stream, tcp = xt_is_tcp();
	long rounds = 0, pings = 0;
	double t0;
	char buf;

	n_tw = getenv_int("XT_LOOKUP_TW", n_tw);
	n_est = getenv_int("XT_LOOKUP_EST", n_est);
	secs = getenv_int("XT_LOOKUP_SECS", secs);
	xt_raise_nofile(2 * n_est + 2 * BATCH + 64);
	c = calloc(n_est, sizeof(int));
	s = calloc(n_est, sizeof(int));
	XT_CHECK(c && s, "no memory");
	/* TIME-WAIT must outlast the test: xtcp's default is 60 s, as TCP's. */
	xt_sysctl("a", "tw_timeout_ms", 600000);
	xt_sysctl("b", "tw_timeout_ms", 600000);
	lfd_est = xt_listen_in("b", PORT_EST, 1024);
	lfd_tw = xt_listen_in("b", PORT_TW, 1024);

	t0 = xt_now();
	xt_port_range("a", 10000, 29999);
	n_tw = fill_time_wait();
	/* Later connections keep off the ports the reuses bind. */
	xt_port_range("a", 30000, 60999);
	fprintf(stderr, "%d TIME-WAIT entries in %.1f s\n", n_tw, xt_now() - t0);
	t0 = xt_now();
	for (done = 0; done < n_est && xt_now() - t0 < EST_SECS; done += n) {
		n = n_est - done < BATCH ? n_est - done : BATCH;
		open_batch(lfd_est, PORT_EST, c + done, s + done, n);
	}
	n_est = done;
	lfd_stream = xt_listen_in("b", PORT_STREAM, 16);
	for (i = 0; i < NSTREAMS; i++) {
		open_batch(lfd_stream, PORT_STREAM, &st[i].c, &st[i].s, 1);
		st[i].rounds = 0;
	}
	fprintf(stderr, "and %d connections in %.1f s\n", n_est, xt_now() - t0);

	if (!tcp) {
		nosock_a = xt_stat("a", "NoSocket");
		nosock_b = xt_stat("b", "NoSocket");
		recycled = xt_stat("b", "TimeWaitRecycled");
	}
	for (i = 0; i < NSTREAMS; i++)
		XT_CHECK(!pthread_create(&ts[i], NULL, stream_run, &st[i]), "pthread_create");
	XT_CHECK(!pthread_create(&tc, NULL, churn_run, NULL), "pthread_create");
	XT_CHECK(!pthread_create(&tr, NULL, reuse_run, NULL), "pthread_create");
	t0 = xt_now();
	/* In the debug guest a round trip takes 100 ms: not all get one. */
	for (i = 0; xt_now() - t0 < secs; i = (i + 1) % n_est, pings++) {
		xt_send_all(c[i], &one, 1);
		xt_recv_all(s[i], &buf, 1, 5000);
		xt_send_all(s[i], &one, 1);
		xt_recv_all(c[i], &buf, 1, 5000);
	}
	stop = 1;
	for (i = 0; i < NSTREAMS; i++) {
		pthread_join(ts[i], NULL);
		rounds += st[i].rounds;
	}
	pthread_join(tc, NULL);
	pthread_join(tr, NULL);
	fprintf(stderr, "%.1f s: %ld pings, %ld stream rounds, %ld disconnects, %ld reuses\n",
		xt_now() - t0, pings, rounds, churns, reuses);

	XT_CHECK(pings && rounds && churns && reuses,
		 "something did not run: %ld pings, %ld rounds, %ld disconnects, %ld reuses",
		 pings, rounds, churns, reuses);
	for (i = 0; i < n_est; i++) {
		XT_STATE(c[i], XTCP_ESTABLISHED);
		XT_STATE(s[i], XTCP_ESTABLISHED);
	}
	if (!tcp) {
		XT_CHECK(xt_stat("a", "NoSocket") == nosock_a && xt_stat("b", "NoSocket") == nosock_b,
			 "segments found no socket: a %ld, b %ld", xt_stat("a", "NoSocket") - nosock_a,
			 xt_stat("b", "NoSocket") - nosock_b);
		XT_CHECK(xt_stat("b", "TimeWaitRecycled") - recycled == reuses,
			 "%ld reuses, but %ld TIME-WAIT entries recycled", reuses,
			 xt_stat("b", "TimeWaitRecycled") - recycled);
	}
	return 0;
}
