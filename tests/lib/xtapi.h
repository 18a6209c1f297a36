/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the socket API tests (tests/api_*.c): socket options and
 * ioctls as ints, a byte pattern that says where in a stream a byte
 * belongs, filling a send path until it blocks, draining it, and work
 * done by a second thread after a delay (so that a call which blocks is
 * the one that wakes).
 */
#ifndef _XTAPI_H
#define _XTAPI_H

#include <linux/sockios.h>
#include <pthread.h>

#include "xtnet.h"

static inline void xt_setint(int fd, int level, int opt, int val)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		xt_fail("setsockopt %d/%d = %d", level, opt, val);
}

static inline int xt_getint(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int val;

	if (getsockopt(fd, level, opt, &val, &len) < 0)
		xt_fail("getsockopt %d/%d", level, opt);
	return val;
}

/* An ioctl that answers an int; fails the test if the ioctl fails. */
static inline int xt_ioctl_int(int fd, unsigned long req)
{
	int val = -1;

	if (ioctl(fd, req, &val) < 0)
		xt_fail("ioctl 0x%lx", req);
	return val;
}

static inline void xt_timeo(int fd, int opt, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv)) < 0)
		xt_fail("setsockopt timeout %d", opt);
}

/* The byte at offset off of a test stream: not periodic in any buffer size. */
static inline unsigned char xt_pat(size_t off)
{
	return (unsigned char)((off * 2654435761u) >> 13);
}

static inline void xt_pat_fill(unsigned char *buf, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = xt_pat(off + i);
}

/* The offset of the first byte that is not the pattern, or -1. */
static inline long xt_pat_check(const unsigned char *buf, size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != xt_pat(off + i))
			return (long)(off + i);
	return -1;
}

/*
 * Send with MSG_DONTWAIT until the send path is full (EAGAIN), the
 * peer not reading; then wait a little and send again until EAGAIN once
 * more, so that what the ACKs freed is used too. Returns the bytes sent.
 */
static inline size_t xt_fill(int fd)
{
	static char buf[16384];
	size_t total = 0;
	int round;

	for (round = 0; round < 2; round++) {
		for (;;) {
			ssize_t n = send(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_NOSIGNAL);

			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0)
				xt_fail("send while filling");
			total += n;
			if (total > (64u << 20))
				xt_fail("sent 64 MiB and never blocked");
		}
		xt_msleep(300);
	}
	return total;
}

/* Read and drop exactly len bytes within ms, or fail. */
static inline void xt_drain(int fd, size_t len, int ms)
{
	static char buf[65536];

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		xt_recv_all(fd, buf, n, ms);
		len -= n;
	}
}

/* Wait up to ms for SIOCINQ on fd to reach want; returns the last value. */
static inline int xt_wait_inq(int fd, int want, int ms)
{
	double end = xt_now() + ms / 1000.0;
	int v;

	while ((v = xt_ioctl_int(fd, SIOCINQ)) != want && xt_now() < end)
		xt_msleep(5);
	return v;
}

static inline int xt_wait_inq_ok(int fd, int want)
{
	return xt_wait_inq(fd, want, 3000) == want;
}

/* Work for a second thread: fn(arg) after ms. */
struct xt_later {
	pthread_t t;
	int ms;
	void (*fn)(void *arg);
	void *arg;
};

static inline void *xt_later_run(void *p)
{
	struct xt_later *l = p;

	xt_msleep(l->ms);
	l->fn(l->arg);
	return NULL;
}

static inline void xt_later(struct xt_later *l, int ms, void (*fn)(void *), void *arg)
{
	l->ms = ms;
	l->fn = fn;
	l->arg = arg;
	if (pthread_create(&l->t, NULL, xt_later_run, l))
		xt_fail("pthread_create");
}

static inline void xt_later_join(struct xt_later *l)
{
	pthread_join(l->t, NULL);
}

/* A send for xt_later(). */
struct xt_send_job {
	int fd;
	const void *buf;
	size_t len;
};

static inline void xt_send_job(void *p)
{
	struct xt_send_job *j = p;

	xt_send_all(j->fd, j->buf, j->len);
}

#endif /* _XTAPI_H */
