// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of segments on an established connection (RFC 5961, RFC
 * 9293 section 3.10.7.4, the contract's section 4). The sequence numbers
 * are learnt from a capture, then segments are injected from b's address
 * to the client in a:
 *   - a RST inside the window but not at rcv_nxt gets a challenge ACK
 *     (seq=snd_nxt ack=rcv_nxt) and changes nothing;
 *   - a SYN in ESTABLISHED gets a challenge ACK and changes nothing;
 *   - data far outside the window, and data wholly before it, get an ACK
 *     and are dropped;
 *   - a RST at exactly rcv_nxt resets: recv gives ECONNRESET, then send
 *     EPIPE (with MSG_NOSIGNAL), the state is CLOSED, nothing answers it.
 * After each survivable segment, data still flows both ways.
 *
 * Under TCP, challenge ACK and out-of-window ACK rate limits are lifted
 * (xt_no_ack_ratelimit); the injected segments carry no timestamps
 * option, which Linux accepts on a connection that uses timestamps.
 */
#include "wire.h"

struct conn {
	struct xt_pair p;
	struct xt_cap *cap;
	uint32_t snd_nxt;	/* the client's */
	uint32_t rcv_nxt;	/* the client's */
};

/* Exchange a message each way, then learn the client's numbers. */
static void exchange(struct conn *c)
{
	char buf[4];
	uint32_t ack;

	xt_send_all(c->p.cfd, "ping", 4);
	xt_recv_all(c->p.sfd, buf, 4, 2000);
	xt_send_all(c->p.sfd, "pong", 4);
	xt_recv_all(c->p.cfd, buf, 4, 2000);
	XT_CHECK(!memcmp(buf, "pong", 4), "wrong data");
	/* Let both ACKs cross (even delayed ones) before reading the capture. */
	xt_msleep(300);
	xt_cap_next_seq(c->cap, c->p.cport, c->p.port, &c->snd_nxt, &ack);
	xt_cap_next_seq(c->cap, c->p.port, c->p.cport, &c->rcv_nxt, NULL);
	XT_WIRE(c->cap, ack == c->rcv_nxt, "client acks %u, server sent up to %u", ack,
		c->rcv_nxt);
	XT_STATE(c->p.cfd, XTCP_ESTABLISHED);
}

/* Inject h to the client; expect a bare ACK seq=snd_nxt ack=rcv_nxt. */
static void expect_ack(struct conn *c, struct xt_hdr *h, const char *what)
{
	int pos = xt_cap_mark(c->cap);
	struct xt_seg s;
	char buf[16];

	h->sport = c->p.port;
	h->dport = c->p.cport;
	xt_inject("b", XT_A, h);
	XT_WIRE(c->cap, xt_cap_next(c->cap, &pos, c->p.cport, c->p.port, XT_ANY, 0, 1000, &s),
		"%s: no answer", what);
	XT_WIRE(c->cap, (s.flags & ~XT_PSH) == XT_ACK && s.len == 0, "%s: answer flags 0x%x",
		what, s.flags);
	XT_WIRE(c->cap, s.seq == c->snd_nxt && s.ack == c->rcv_nxt,
		"%s: ACK seq=%u ack=%u, wanted seq=%u ack=%u", what, s.seq, s.ack,
		c->snd_nxt, c->rcv_nxt);
	XT_CHECK(recv(c->p.cfd, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN,
		 "%s: data was delivered", what);
	XT_STATE(c->p.cfd, XTCP_ESTABLISHED);
	exchange(c);
}

int main(void)
{
	struct conn c = { 0 };
	struct xt_hdr h;
	struct xt_seg s;
	char buf[8];
	int pos;

	xt_no_ack_ratelimit();
	c.cap = xt_cap_start("a", "veth-a");
	c.p = xt_pair_open(XT_PORT);
	exchange(&c);

	h = (struct xt_hdr){ .seq = c.rcv_nxt + 100, .flags = XT_RST };
	expect_ack(&c, &h, "RST in the window");
	h = (struct xt_hdr){ .seq = c.rcv_nxt + 1, .ack = c.snd_nxt, .flags = XT_RST | XT_ACK };
	expect_ack(&c, &h, "RST-ACK at rcv_nxt+1");
	h = (struct xt_hdr){ .seq = c.rcv_nxt, .flags = XT_SYN, .mss = 1460 };
	expect_ack(&c, &h, "SYN in ESTABLISHED");
	h = (struct xt_hdr){ .seq = c.rcv_nxt + 0x40000000, .ack = c.snd_nxt,
			     .flags = XT_ACK | XT_PSH, .data = "outside!!!", .len = 10 };
	expect_ack(&c, &h, "data beyond the window");
	h = (struct xt_hdr){ .seq = c.rcv_nxt - 10, .ack = c.snd_nxt,
			     .flags = XT_ACK | XT_PSH, .data = "stale data", .len = 10 };
	expect_ack(&c, &h, "data before the window");

	/* The exact RST. */
	pos = xt_cap_mark(c.cap);
	h = (struct xt_hdr){ .sport = c.p.port, .dport = c.p.cport, .seq = c.rcv_nxt,
			     .flags = XT_RST };
	xt_inject("b", XT_A, &h);
	XT_CHECK(xt_wait_state(c.p.cfd, XTCP_CLOSE, 2000), "the exact RST did not reset: %s",
		 xt_state_name(xt_state(c.p.cfd)));
	XT_ERRNO(recv(c.p.cfd, buf, sizeof(buf), 0), ECONNRESET);
	XT_ERRNO(send(c.p.cfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	xt_msleep(300);
	XT_WIRE(c.cap, !xt_cap_next(c.cap, &pos, c.p.cport, c.p.port, XT_ANY, 0, 0, &s),
		"the reset connection answered");

	xt_cap_stop(c.cap);
	close(c.p.cfd);
	close(c.p.sfd);
	close(c.p.lfd);
	return 0;
}
