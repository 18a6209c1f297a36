/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte streams for the transfer tests: a writer sends len bytes of a
 * pseudo-random stream named by its seed and shuts down; the reader of
 * the other end checks every byte against the same stream and wants EOF
 * right after the last. Each runs in its own thread and records what
 * went wrong instead of exiting, so that a test can say which direction
 * of which connection failed.
 *
 * No byte moving for XT_STALL_MS (either end) fails the flow: a stalled
 * connection ends the test instead of waiting for the guest's timeout.
 *
 *	struct xt_flow f[4];
 *	xt_duplex(f, p.cfd, p.sfd, len, 1);
 *	xt_flows_check(f, 4, "clean");
 */
#ifndef _XT_STREAM_H
#define _XT_STREAM_H

#include <pthread.h>

#include "xtnet.h"

#define XT_STALL_MS 60000

struct xt_flow {
	int fd;
	uint32_t seed;		/* names the stream; both ends use the same */
	size_t len;		/* bytes the writer sends, the reader wants */
	int write;		/* 1: the writer, 0: the reader */
	const char *what;	/* "a->b written", for messages */
	_Atomic size_t done;	/* bytes so far */
	int err;		/* errno of the failure, or 0 */
	char msg[192];		/* what failed, or "" */
	pthread_t thread;
};

/* The stream's next byte: xorshift32, one byte per step. */
static inline uint8_t xt_stream_byte(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/*
 * What the socket says of itself, for a failure message: its state,
 * its RTO and how often the oldest segment went again (XTCP_INFO, or
 * TCP_INFO under XT_PROTO=6).
 */
static inline void xt_conn_str(int fd, char *buf, size_t len)
{
	struct xtcp_info xi;
	struct tcp_info ti;
	socklen_t sl;

	if (xt_is_tcp()) {
		sl = sizeof(ti);
		if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &sl) < 0)
			ti.tcpi_state = 0;
		snprintf(buf, len, "%s, rto %u us, %u retransmits, %u backoffs",
			 xt_state_name(ti.tcpi_state), ti.tcpi_rto, ti.tcpi_retransmits,
			 ti.tcpi_backoff);
		return;
	}
	sl = sizeof(xi);
	if (getsockopt(fd, SOL_XTCP, XTCP_INFO, &xi, &sl) < 0)
		xi.xtcpi_state = 0;
	snprintf(buf, len, "%s, rto %u us, %u retransmits", xt_state_name(xi.xtcpi_state),
		 xi.xtcpi_rto, xi.xtcpi_retransmits);
}

static inline void xt_flow_fail(struct xt_flow *f, const char *msg)
{
	char conn[96];

	f->err = errno;
	xt_conn_str(f->fd, conn, sizeof(conn));
	snprintf(f->msg, sizeof(f->msg), "%s after %zu of %zu bytes (%s)", msg,
		 (size_t)f->done, f->len, conn);
}

static inline void *xt_flow_writer(void *arg)
{
	struct xt_flow *f = arg;
	uint32_t x = f->seed;
	uint8_t *buf = malloc(65536);
	size_t n, i, off = 0, have = 0;

	if (!buf) {
		xt_flow_fail(f, "malloc");
		return NULL;
	}
	while (f->done < f->len) {
		struct pollfd p = { .fd = f->fd, .events = POLLOUT };
		ssize_t r;

		if (off == have) {
			n = f->len - f->done < 65536 ? f->len - f->done : 65536;
			for (i = 0; i < n; i++)
				buf[i] = xt_stream_byte(&x);
			off = 0;
			have = n;
		}
		r = poll(&p, 1, XT_STALL_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 1) {
			errno = 0;
			xt_flow_fail(f, "send stalled for 60 s");
			goto out;
		}
		r = send(f->fd, buf + off, have - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r <= 0) {
			xt_flow_fail(f, "send failed");
			goto out;
		}
		off += r;
		f->done += r;
	}
	if (shutdown(f->fd, SHUT_WR) < 0)
		xt_flow_fail(f, "shutdown failed");
out:
	free(buf);
	return NULL;
}

static inline void *xt_flow_reader(void *arg)
{
	struct xt_flow *f = arg;
	uint32_t x = f->seed;
	uint8_t *buf = malloc(65536);
	ssize_t n, i;

	if (!buf) {
		xt_flow_fail(f, "malloc");
		return NULL;
	}
	for (;;) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };

		n = poll(&p, 1, XT_STALL_MS);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != 1) {
			errno = 0;
			xt_flow_fail(f, "recv stalled for 60 s");
			break;
		}
		n = recv(f->fd, buf, 65536, MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n < 0) {
			xt_flow_fail(f, "recv failed");
			break;
		}
		if (n == 0) {
			errno = 0;
			if (f->done != f->len)
				xt_flow_fail(f, "EOF before the end");
			break;
		}
		for (i = 0; i < n; i++) {
			if (buf[i] != xt_stream_byte(&x)) {
				f->done += i;
				errno = 0;
				xt_flow_fail(f, "a byte differs");
				goto out;
			}
		}
		f->done += n;
		if (f->done > f->len) {
			errno = 0;
			xt_flow_fail(f, "more bytes than were sent");
			break;
		}
	}
out:
	free(buf);
	return NULL;
}

static inline void xt_flow_start(struct xt_flow *f)
{
	if (pthread_create(&f->thread, NULL, f->write ? xt_flow_writer : xt_flow_reader, f))
		xt_fail("pthread_create");
}

/*
 * Both directions of the connection between fd a (in namespace a) and
 * fd b at once: f[0] writes a->b, f[1] reads it, f[2] writes b->a, f[3]
 * reads it, len bytes each, streams seed and seed + 1. Started, not
 * joined.
 */
static inline void xt_duplex(struct xt_flow *f, int a, int b, size_t len, uint32_t seed)
{
	int i;

	f[0] = (struct xt_flow){ .fd = a, .seed = seed, .write = 1, .what = "a->b written" };
	f[1] = (struct xt_flow){ .fd = b, .seed = seed, .write = 0, .what = "a->b read" };
	f[2] = (struct xt_flow){ .fd = b, .seed = seed + 1, .write = 1, .what = "b->a written" };
	f[3] = (struct xt_flow){ .fd = a, .seed = seed + 1, .write = 0, .what = "b->a read" };
	for (i = 0; i < 4; i++) {
		f[i].len = len;
		xt_flow_start(&f[i]);
	}
}

/* Join n flows; print each that failed, and return how many did. */
static inline int xt_flows_join(struct xt_flow *f, int n, const char *name)
{
	int i, bad = 0;

	for (i = 0; i < n; i++)
		pthread_join(f[i].thread, NULL);
	for (i = 0; i < n; i++) {
		if (!f[i].msg[0])
			continue;
		fprintf(stderr, "%s: %s: %s (errno %d: %s)\n", name, f[i].what, f[i].msg,
			f[i].err, strerror(f[i].err));
		bad++;
	}
	return bad;
}

/* Join n flows; fail, naming each that failed, if any did. */
static inline void xt_flows_check(struct xt_flow *f, int n, const char *name)
{
	int bad = xt_flows_join(f, n, name);

	XT_CHECK(!bad, "%s: %d of %d flows failed", name, bad, n);
}

#endif /* _XT_STREAM_H */
