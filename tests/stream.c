// SPDX-License-Identifier: GPL-2.0
/*
 * The byte stream under loss: one connection per path condition carries
 * MB megabytes each way at once (full duplex), each direction a
 * pseudo-random stream that the reader checks byte for byte, then both
 * ends shut down and read EOF. The conditions, set with netem on both
 * ends of the veth (data goes both ways, so "a" and "b" each shape one
 * direction):
 *
 *   clean           nothing
 *   loss1           1 % loss each way
 *   loss5           5 % loss each way
 *   delay_loss      50 ms delay and 1 % loss each way
 *
 * Each must finish within a stall limit (no byte moving for 60 s fails);
 * speed is not measured here (make bench does that), only printed. Under
 * xtcp, where there is loss, some of it must have been repaired by fast
 * retransmit (the FastRetrans counters), not all by timeouts.
 * XT_STREAM_MB sets the size (default 2: the emulated guest moves a few
 * MB/s); XT_STREAM_ONLY=NAME runs one condition.
 */
#include <pthread.h>

#include "xtnet.h"

struct cond {
	const char *name;
	const char *netem;	/* on a's and b's egress */
	int lossy;
};

static const struct cond conds[] = {
	{ "clean", "limit 10000", 0 },
	{ "loss1", "limit 10000 loss 1%", 1 },
	{ "loss5", "limit 10000 loss 5%", 1 },
	{ "delay_loss", "limit 10000 delay 50ms loss 1%", 1 },
};

static long fast_retrans(void)
{
	return xt_is_tcp() ? 0 : xt_stat("a", "FastRetrans") + xt_stat("b", "FastRetrans");
}

static size_t total;

struct dir {
	int fd;
	uint32_t seed;
	const char *what;
	const char *err;	/* set on failure */
};

/* The stream's next byte: xorshift32, one byte per step. */
static uint8_t next_byte(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

static void *writer(void *arg)
{
	struct dir *d = arg;
	uint32_t x = d->seed;
	static __thread uint8_t buf[65536];
	size_t done = 0, n, i;

	while (done < total) {
		n = total - done < sizeof(buf) ? total - done : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = next_byte(&x);
		xt_send_all(d->fd, buf, n);
		done += n;
	}
	if (shutdown(d->fd, SHUT_WR) < 0)
		d->err = "shutdown";
	return NULL;
}

static void *reader(void *arg)
{
	struct dir *d = arg;
	uint32_t x = d->seed;
	static __thread uint8_t buf[65536];
	size_t done = 0;
	ssize_t n, i;

	for (;;) {
		if (!xt_wait_readable(d->fd, 60000)) {
			d->err = "stalled for 60 s";
			return NULL;
		}
		n = recv(d->fd, buf, sizeof(buf), 0);
		if (n < 0) {
			d->err = "recv failed";
			return NULL;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != next_byte(&x)) {
				d->err = "a byte differs";
				return NULL;
			}
		}
		done += n;
	}
	if (done != total)
		d->err = "EOF before the end";
	return NULL;
}

static void run(const struct cond *c, unsigned short port)
{
	struct xt_pair p;
	struct dir d[4];
	pthread_t t[4];
	long fast0;
	double t0;
	int i;

	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	p = xt_pair_open(port);
	xt_netem("a", c->netem);
	xt_netem("b", c->netem);
	d[0] = (struct dir){ .fd = p.cfd, .seed = 1, .what = "a->b written" };
	d[1] = (struct dir){ .fd = p.sfd, .seed = 1, .what = "a->b read" };
	d[2] = (struct dir){ .fd = p.sfd, .seed = 2, .what = "b->a written" };
	d[3] = (struct dir){ .fd = p.cfd, .seed = 2, .what = "b->a read" };
	t0 = xt_now();
	fast0 = fast_retrans();
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, i % 2 ? reader : writer, &d[i]);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++)
		XT_CHECK(!d[i].err, "%s: %s: %s", c->name, d[i].what, d[i].err);
	fprintf(stderr, "%-10s %zu bytes each way in %.1f s, %ld fast retransmits\n", c->name,
		total, xt_now() - t0, fast_retrans() - fast0);
	if (c->lossy && !xt_is_tcp())
		XT_CHECK(fast_retrans() > fast0, "%s: no fast retransmit", c->name);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

int main(void)
{
	const char *only = getenv("XT_STREAM_ONLY");
	unsigned int i;

	total = (size_t)(getenv("XT_STREAM_MB") ? atoi(getenv("XT_STREAM_MB")) : 2) << 20;
	for (i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
		if (!only || !strcmp(only, conds[i].name))
			run(&conds[i], XT_PORT + i);
	return 0;
}
