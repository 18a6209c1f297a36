// SPDX-License-Identifier: GPL-2.0
/*
 * Simultaneous open and simultaneous close (RFC 9293 section 3.5, the
 * contract's section 3). With netem delay 200 ms on both veths:
 *   - two sockets bound to fixed ports connect to each other at once; the
 *     SYNs cross, each side goes SYN-SENT -> SYN-RECEIVED -> ESTABLISHED
 *     and sends on the wire a SYN seq=x, then a SYN-ACK seq=x ack=y+1;
 *   - both shutdown(SHUT_WR) at once; the FINs cross, each side goes
 *     FIN-WAIT-1 -> CLOSING -> TIME-WAIT, and each sends FIN then an ACK
 *     of the peer's FIN.
 * States are sampled every 2 ms. SYN-RECEIVED lasts one delay (200 ms)
 * and is checked too. Linux TCP reports CLOSED on a socket that has
 * handed its connection to a timewait socket, so the last state may read
 * TIME-WAIT or CLOSED; TIME-WAIT is then proven by the ports staying in
 * use after close().
 */
#include "wire.h"

#define PA 6001
#define PB 6002

struct trace {
	int n;
	int s[16];
};

/* Record each distinct state of fd until it is final or ms pass. */
static void sample(int fa, int fb, struct trace *ta, struct trace *tb, int last, int ms)
{
	double end = xt_now() + ms / 1000.0;
	int fd[2] = { fa, fb }, i;
	struct trace *t[2] = { ta, tb };

	while (xt_now() < end) {
		int done = 1;

		for (i = 0; i < 2; i++) {
			int s = xt_state(fd[i]);

			if ((!t[i]->n || t[i]->s[t[i]->n - 1] != s) && t[i]->n < 16)
				t[i]->s[t[i]->n++] = s;
			if (s != last && !(last == XTCP_TIME_WAIT && s == XTCP_CLOSE))
				done = 0;
		}
		if (done)
			break;
		xt_msleep(2);
	}
}

static void print_trace(const char *who, struct trace *t)
{
	int i;

	fprintf(stderr, "%s:", who);
	for (i = 0; i < t->n; i++)
		fprintf(stderr, " %s", xt_state_name(t->s[i]));
	fprintf(stderr, "\n");
}

static int trace_is(struct trace *t, const int *want, int n)
{
	int i;

	if (t->n != n)
		return 0;
	for (i = 0; i < t->n; i++) {
		if (t->s[i] == want[i])
			continue;
		/* TIME-WAIT may read CLOSED (see the top). */
		if (i == t->n - 1 && want[i] == XTCP_TIME_WAIT && t->s[i] == XTCP_CLOSE)
			continue;
		return 0;
	}
	return 1;
}

static void check_wire(struct xt_cap *cap, unsigned short from, unsigned short to)
{
	struct xt_seg syn, synack, peer;
	int pos = 0;

	XT_WIRE(cap, xt_cap_next(cap, &pos, from, to, 0xff, XT_SYN, 1000, &syn),
		"no SYN from %u", from);
	XT_WIRE(cap, syn.mss > 0, "SYN without MSS");
	pos = 0;
	XT_WIRE(cap, xt_cap_next(cap, &pos, to, from, 0xff, XT_SYN, 1000, &peer),
		"no SYN from %u", to);
	pos = 0;
	XT_WIRE(cap, xt_cap_next(cap, &pos, from, to, 0xff, XT_SYN | XT_ACK, 1000, &synack),
		"no SYN-ACK from %u", from);
	XT_WIRE(cap, synack.seq == syn.seq && synack.ack == peer.seq + 1,
		"SYN-ACK from %u seq=%u ack=%u, wanted seq=%u ack=%u", from, synack.seq,
		synack.ack, syn.seq, peer.seq + 1);
	XT_WIRE(cap, synack.t > syn.t, "SYN-ACK before the SYN");
	XT_WIRE(cap, xt_cap_count(cap, from, to, XT_SYN | XT_ACK, XT_SYN, NULL) == 1,
		"SYN from %u retransmitted", from);
}

static void check_close_wire(struct xt_cap *cap, unsigned short from, unsigned short to)
{
	struct xt_seg fin, peerfin, ack;
	int pos = 0;

	XT_WIRE(cap, xt_cap_next(cap, &pos, from, to, XT_FIN, XT_FIN, 2000, &fin),
		"no FIN from %u", from);
	pos = 0;
	XT_WIRE(cap, xt_cap_next(cap, &pos, to, from, XT_FIN, XT_FIN, 2000, &peerfin),
		"no FIN from %u", to);
	/* The FINs crossed: neither acknowledges the other. */
	XT_WIRE(cap, fin.ack != peerfin.seq + 1, "FIN from %u already ACKs the peer's", from);
	/* After its FIN, the next segment from this side ACKs the peer's FIN. */
	pos = 0;
	xt_cap_next(cap, &pos, from, to, XT_FIN, XT_FIN, 0, &fin);
	XT_WIRE(cap, xt_cap_next(cap, &pos, from, to, XT_ANY, 0, 2000, &ack) &&
		(ack.flags & ~XT_PSH) == XT_ACK && ack.ack == peerfin.seq + 1,
		"no ACK of %u's FIN from %u", to, from);
	XT_WIRE(cap, ack.seq == fin.seq + 1, "ACK after FIN has seq=%u, wanted %u", ack.seq,
		fin.seq + 1);
}

static void port_in_use(const char *ns, unsigned short port)
{
	int fd = xt_socket_in(ns);
	struct sockaddr_in sin = xt_addr(xt_ip_of(ns), port);

	XT_ERRNO(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	close(fd);
}

int main(void)
{
	static const int open_states[] = { XTCP_SYN_SENT, XTCP_SYN_RECV, XTCP_ESTABLISHED };
	static const int close_states[] = { XTCP_FIN_WAIT1, XTCP_CLOSING, XTCP_TIME_WAIT };
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct trace ta = { 0 }, tb = { 0 };
	struct pollfd p[2];
	char buf[8];
	int fa, fb;

	xt_netem("a", "delay 200ms");
	xt_netem("b", "delay 200ms");
	fa = xt_socket_in("a");
	fb = xt_socket_in("b");
	xt_bind(fa, XT_A, PA);
	xt_bind(fb, XT_B, PB);
	xt_nonblock(fa, 1);
	xt_nonblock(fb, 1);

	/* Simultaneous open. */
	XT_ERRNO(xt_connect(fa, XT_B, PB), EINPROGRESS);
	XT_ERRNO(xt_connect(fb, XT_A, PA), EINPROGRESS);
	sample(fa, fb, &ta, &tb, XTCP_ESTABLISHED, 3000);
	if (!trace_is(&ta, open_states, 3) || !trace_is(&tb, open_states, 3)) {
		print_trace("a", &ta);
		print_trace("b", &tb);
		xt_cap_dump(cap);
		xt_fail("simultaneous open did not go SYN-SENT, SYN-RECEIVED, ESTABLISHED");
	}
	p[0] = (struct pollfd){ .fd = fa, .events = POLLOUT };
	p[1] = (struct pollfd){ .fd = fb, .events = POLLOUT };
	XT_CHECK(poll(p, 2, 2000) == 2 && xt_so_error(fa) == 0 && xt_so_error(fb) == 0,
		 "connect did not succeed on both");
	check_wire(cap, PA, PB);
	check_wire(cap, PB, PA);

	xt_nonblock(fa, 0);
	xt_nonblock(fb, 0);
	xt_send_all(fa, "to b", 4);
	xt_recv_all(fb, buf, 4, 2000);
	xt_send_all(fb, "to a", 4);
	xt_recv_all(fa, buf, 4, 2000);
	xt_msleep(600);		/* let every ACK land */

	/* Simultaneous close. */
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	XT_CHECK(shutdown(fa, SHUT_WR) == 0 && shutdown(fb, SHUT_WR) == 0, "shutdown");
	sample(fa, fb, &ta, &tb, XTCP_TIME_WAIT, 3000);
	if (!trace_is(&ta, close_states, 3) || !trace_is(&tb, close_states, 3)) {
		print_trace("a", &ta);
		print_trace("b", &tb);
		xt_cap_dump(cap);
		xt_fail("simultaneous close did not go FIN-WAIT-1, CLOSING, TIME-WAIT");
	}
	check_close_wire(cap, PA, PB);
	check_close_wire(cap, PB, PA);
	XT_CHECK(recv(fa, buf, sizeof(buf), 0) == 0 && recv(fb, buf, sizeof(buf), 0) == 0,
		 "no EOF");
	close(fa);
	close(fb);
	port_in_use("a", PA);
	port_in_use("b", PB);

	xt_cap_stop(cap);
	return 0;
}
