// SPDX-License-Identifier: GPL-2.0
/*
 * A byte stream survives reordering: netem on a's egress delays most
 * segments 20 ms and lets some through at once, so b sees many of them
 * after a gap. a sends one segment to a packet (no GSO, whose packets
 * netem would reorder whole, a few dozen in all). The client in a sends
 * 2 MB of a pseudo-random pattern, the server in b reads it back and
 * checks every byte, all within 45 s.
 *
 * A receiver that dropped what came after a gap would wait out a
 * retransmission timeout for most of the reordered segments and not get
 * done in time. Under xtcp the counter OfoQueued in b must show that
 * segments were held out of order.
 */
#include <pthread.h>

#include "xtnet.h"

#define TOTAL		(2 << 20)
#define DEADLINE_MS	45000

/* The pattern: xorshift32 from a fixed seed, one byte a step. */
static void fill(uint8_t *buf, size_t len)
{
	uint32_t x = 0x9e3779b9;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x;
	}
}

struct sender {
	int fd;
	const uint8_t *buf;
};

static void *send_all(void *arg)
{
	struct sender *s = arg;

	xt_send_all(s->fd, s->buf, TOTAL);
	return NULL;
}

int main(void)
{
	uint8_t *want = malloc(TOTAL), *got = malloc(TOTAL);
	long queued = 0;
	struct xt_pair p;
	struct sender s;
	pthread_t t;
	double t0;
	size_t i;

	XT_CHECK(want && got, "no memory for %d bytes", TOTAL);
	fill(want, TOTAL);
	xt_gso_max_segs("a", 1);
	p = xt_pair_open(XT_PORT);
	if (!xt_is_tcp())
		queued = xt_stat("b", "OfoQueued");
	xt_netem("a", "delay 20ms reorder 25% 50%");

	t0 = xt_now();
	s = (struct sender){ .fd = p.cfd, .buf = want };
	XT_CHECK(!pthread_create(&t, NULL, send_all, &s), "pthread_create");
	xt_recv_all(p.sfd, got, TOTAL, DEADLINE_MS);
	pthread_join(t, NULL);
	for (i = 0; i < TOTAL && got[i] == want[i]; i++)
		;
	XT_CHECK(i == TOTAL, "byte %zu of %d is 0x%02x, sent 0x%02x", i, TOTAL, got[i], want[i]);
	printf("# %d bytes in %.1f s\n", TOTAL, xt_now() - t0);

	if (!xt_is_tcp()) {
		long now = xt_stat("b", "OfoQueued");

		printf("# OfoQueued +%ld, OfoDrops %ld, RetransSegs %ld\n", now - queued,
		       xt_stat("b", "OfoDrops"), xt_stat("a", "RetransSegs"));
		XT_CHECK(now > queued, "no segment was held out of order");
	}
	xt_netem_off("a");
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	free(want);
	free(got);
	return 0;
}
