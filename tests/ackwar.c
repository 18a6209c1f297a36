// SPDX-License-Identifier: GPL-2.0
/*
 * No ACK war. Segments are injected from b's address at the client in a,
 * whose sequence numbers are learnt from a capture (as tests/reset does):
 *  - 30 bare ACKs acknowledging data never sent: the first
 *    challenge_ack_limit (10) are answered with an ACK, the other 20 are
 *    not, and AckSkipped counts them (on a slow kernel, whose second may
 *    end during them, up to 10 more a second);
 *  - 5 segments with data far outside the window are each answered,
 *    whatever the budget: their sender needs to hear;
 *  - 100 bytes injected blind at the client's RCV.NXT: the client takes
 *    them, and from then on the two ends disagree on b's sequence space.
 *    Each answers the other's ACKs with an ACK; without the budget they
 *    would trade them as fast as they can. Over the next two seconds
 *    the server receives fewer than 60 segments.
 * The connection outlives the first two.
 */
#include "wire.h"

struct conn {
	struct xt_pair p;
	struct xt_cap *cap;
	uint32_t snd_nxt;	/* the client's */
	uint32_t rcv_nxt;	/* the client's */
};

static void exchange(struct conn *c)
{
	char buf[4];

	xt_send_expect(c->p.cfd, c->p.sfd, "ping");
	xt_send_expect(c->p.sfd, c->p.cfd, "pong");
	xt_msleep(300);
	xt_cap_next_seq(c->cap, c->p.cport, c->p.port, &c->snd_nxt, NULL);
	xt_cap_next_seq(c->cap, c->p.port, c->p.cport, &c->rcv_nxt, NULL);
	XT_CHECK(recv(c->p.cfd, buf, sizeof(buf), MSG_DONTWAIT) < 0, "stray data");
}

/* Inject n copies of h; return how many segments the client sent back. */
static int answers(struct conn *c, struct xt_hdr *h, int n)
{
	int pos = xt_cap_mark(c->cap), i, k = 0;
	struct xt_seg s;

	h->sport = c->p.port;
	h->dport = c->p.cport;
	for (i = 0; i < n; i++)
		xt_inject("b", XT_A, h);
	xt_msleep(300);
	while (xt_cap_next(c->cap, &pos, c->p.cport, c->p.port, XT_ANY, 0, 0, &s))
		k++;
	return k;
}

int main(void)
{
	static const char junk[100] = "injected";
	struct conn c = { 0 };
	struct xt_hdr h;
	long skipped, segs;
	double t;
	int n;

	if (xt_is_tcp())
		return 77;	/* AckSkipped and challenge_ack_limit are xtcp's */
	c.cap = xt_cap_start("a", "veth-a");
	c.p = xt_pair_open(XT_PORT);
	exchange(&c);

	skipped = xt_stat("a", "AckSkipped");
	h = (struct xt_hdr){ .seq = c.rcv_nxt, .ack = c.snd_nxt + 100000, .flags = XT_ACK };
	t = xt_now();
	n = answers(&c, &h, 30);
	/*
	 * The budget is a second's, of jiffies: a slow (debug) kernel may
	 * see two, and under emulation its jiffies may leap.
	 */
	t = xt_now() - t - 0.3;
	XT_WIRE(c.cap, n >= 10 && n <= 10 * (2 + (int)t),
		"%d answers to 30 ACKs of unsent data in %.1f s, wanted 10 a second", n, t);
	XT_CHECK(xt_stat("a", "AckSkipped") - skipped == 30 - n, "AckSkipped +%ld, wanted %d",
		 xt_stat("a", "AckSkipped") - skipped, 30 - n);
	skipped = xt_stat("a", "AckSkipped");

	h = (struct xt_hdr){ .seq = c.rcv_nxt + 5000000, .ack = c.snd_nxt, .flags = XT_ACK,
			     .data = junk, .len = 10 };
	n = answers(&c, &h, 5);
	XT_WIRE(c.cap, n == 5, "%d answers to 5 data segments out of the window", n);
	XT_CHECK(xt_stat("a", "AckSkipped") == skipped, "a data segment went unanswered");
	XT_STATE(c.p.cfd, XTCP_ESTABLISHED);
	exchange(&c);

	/* The budget is per second: the war starts with a fresh one. */
	xt_msleep(1100);
	segs = xt_stat("b", "InSegs");
	h = (struct xt_hdr){ .sport = c.p.port, .dport = c.p.cport, .seq = c.rcv_nxt,
			     .ack = c.snd_nxt, .flags = XT_ACK | XT_PSH, .data = junk, .len = 100 };
	xt_inject("b", XT_A, &h);
	xt_msleep(2000);
	segs = xt_stat("b", "InSegs") - segs;
	XT_CHECK(segs < 60, "an ACK war: b received %ld segments in 2 s", segs);
	printf("ackwar: b received %ld segments in the 2 s after the injection\n", segs);

	xt_cap_stop(c.cap);
	close(c.p.cfd);
	close(c.p.sfd);
	close(c.p.lfd);
	return 0;
}
