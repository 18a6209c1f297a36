// SPDX-License-Identifier: GPL-2.0
/*
 * What the send path puts on the wire, checked on a capture:
 *
 *   nagle       with b's ACKs held back 100 ms: a 1-byte write goes at
 *               once, the nine after it wait for its ACK and go as one
 *               segment; with XTCP_NODELAY each write is a segment;
 *               with XTCP_CORK nothing short goes until it is cleared,
 *               and a forgotten cork lets go within about 200 ms;
 *               MSG_MORE holds a write for the next one
 *   delack      b acknowledges a stream of full segments about every
 *               second one (a GSO packet, which b takes whole, as the
 *               full segments it holds), and a lone small segment about
 *               40 ms late (the DelayedAcks counter)
 *   wscale      SYN and SYN-ACK offer window scaling, b then announces
 *               more than 65535 bytes; a SYN without the option gets a
 *               SYN-ACK without it
 *   persist     a reader that stops: the writer's data waits at a zero
 *               window, probes go out and keep the connection, and it
 *               all arrives once the reader reads again
 *
 * Under TCP (XT_PROTO=6) the same, with autocorking off in a (it would
 * merge NODELAY writes while netem holds earlier ones) and without the
 * segment and ACK counts that TSO and GRO change.
 */
#include "wire.h"

static void set_opt(int fd, int name, int val)
{
	if (setsockopt(fd, xt_proto(), name, &val, sizeof(val)) < 0)
		xt_fail("setsockopt %d = %d", name, val);
}

static int get_opt(int fd, int name)
{
	socklen_t len = sizeof(int);
	int val = -1;

	if (getsockopt(fd, xt_proto(), name, &val, &len) < 0)
		xt_fail("getsockopt %d", name);
	return val;
}

/*
 * Segments of new data from sport after mark, and their bytes; a
 * retransmission (TCP's tail loss probe, say) is not counted again.
 */
static int data_segs(struct xt_cap *cap, int mark, uint16_t sport, int *bytes)
{
	struct xt_seg s;
	int n = 0, pos = mark;
	uint32_t end = 0;

	*bytes = 0;
	while (xt_cap_next(cap, &pos, sport, XT_ANY, XT_ANY, 0, 0, &s)) {
		if (s.len && (!n || (int32_t)(s.seq - end) >= 0)) {
			n++;
			*bytes += s.len;
			end = s.seq + s.len;
		}
	}
	return n;
}

/* len bytes from p's client to its server, sent while they are read. */
static void xfer(const struct xt_pair *p, const void *buf, size_t len)
{
	xt_xfer(p->cfd, p->sfd, buf, len, 30000);
}

static void write_ones(int fd, int n, int flags)
{
	while (n--)
		XT_CHECK(send(fd, "x", 1, flags) == 1, "send");
}

static void nagle(unsigned short port)
{
	struct xt_pair p = xt_pair_open(port);
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	char buf[64];
	int mark, n, bytes;

	xt_netem("b", "delay 100ms");
	XT_CHECK(get_opt(p.cfd, XTCP_NODELAY) == 0 && get_opt(p.cfd, XTCP_CORK) == 0,
		 "options not off on a new socket");

	/* Nagle: one at once, nine merged behind its ACK. */
	mark = xt_cap_mark(cap);
	write_ones(p.cfd, 10, 0);
	xt_msleep(400);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 2 && bytes == 10, "Nagle: %d segments, %d bytes", n, bytes);
	xt_recv_all(p.sfd, buf, 10, 2000);

	/* NODELAY: one segment per write. */
	set_opt(p.cfd, XTCP_NODELAY, 1);
	XT_CHECK(get_opt(p.cfd, XTCP_NODELAY) == 1, "NODELAY reads back");
	mark = xt_cap_mark(cap);
	write_ones(p.cfd, 10, 0);
	xt_msleep(400);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 10 && bytes == 10, "NODELAY: %d segments, %d bytes", n, bytes);
	xt_recv_all(p.sfd, buf, 10, 2000);

	/* CORK wins over NODELAY; clearing it sends what it held. */
	set_opt(p.cfd, XTCP_CORK, 1);
	XT_CHECK(get_opt(p.cfd, XTCP_CORK) == 1, "CORK reads back");
	mark = xt_cap_mark(cap);
	write_ones(p.cfd, 10, 0);
	xt_msleep(100);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 0, "corked: %d segments went", n);
	set_opt(p.cfd, XTCP_CORK, 0);
	xt_msleep(100);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 1 && bytes == 10, "uncorked: %d segments, %d bytes", n, bytes);
	xt_recv_all(p.sfd, buf, 10, 2000);

	/* A cork left on holds data at most about 200 ms (once idle). */
	xt_msleep(300);
	set_opt(p.cfd, XTCP_CORK, 1);
	mark = xt_cap_mark(cap);
	write_ones(p.cfd, 5, 0);
	xt_recv_all(p.sfd, buf, 5, 1500);
	xt_msleep(50);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 1 && bytes == 5, "cork ceiling: %d segments, %d bytes", n, bytes);
	set_opt(p.cfd, XTCP_CORK, 0);

	/* MSG_MORE holds one write for the next. */
	set_opt(p.cfd, XTCP_NODELAY, 0);
	xt_msleep(300);
	mark = xt_cap_mark(cap);
	XT_CHECK(send(p.cfd, "ab", 2, MSG_MORE) == 2, "send MSG_MORE");
	xt_msleep(50);
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 0, "MSG_MORE: %d segments went", n);
	XT_CHECK(send(p.cfd, "cd", 2, 0) == 2, "send");
	xt_recv_all(p.sfd, buf, 4, 2000);
	xt_msleep(50);		/* the capture thread may lag behind */
	n = data_segs(cap, mark, p.cport, &bytes);
	XT_WIRE(cap, n == 1 && bytes == 4, "after MSG_MORE: %d segments, %d bytes", n, bytes);
	XT_CHECK(!memcmp(buf, "abcd", 4), "bytes out of order");

	xt_netem_off("b");
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void delack(unsigned short port)
{
	struct xt_pair p = xt_pair_open(port);
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	static char buf[256 << 10];
	int i, n, acks, late = 0, mark;
	long delayed0;
	struct xt_seg s, a;

	/* A stream of full segments: about one ACK per two. */
	mark = xt_cap_mark(cap);
	xfer(&p, buf, sizeof(buf));
	xt_msleep(100);
	data_segs(cap, mark, p.cport, &i);
	n = (i + XT_MSS - 1) / XT_MSS;
	acks = 0;
	for (i = mark; xt_cap_next(cap, &i, p.port, p.cport, XT_ANY, 0, 0, &s);)
		acks += !s.len;
	fprintf(stderr, "delack: %d full segments' data, %d ACKs\n", n, acks);
	if (!xt_is_tcp())
		XT_WIRE(cap, acks * 4 < n * 3, "%d ACKs for %d segments", acks, n);

	/* Lone small segments: each ACK waits for the timer. */
	delayed0 = xt_is_tcp() ? 0 : xt_stat("b", "DelayedAcks");
	for (i = 0; i < 8; i++) {
		int pos = xt_cap_mark(cap);

		XT_CHECK(send(p.cfd, "y", 1, 0) == 1, "send");
		XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, p.port, XT_ANY, 0, 1000, &s) &&
			s.len == 1, "no small segment");
		XT_WIRE(cap, xt_cap_next(cap, &pos, p.port, p.cport, XT_ACK, XT_ACK, 1000, &a),
			"no ACK");
		late += a.t - s.t > 0.020;
		xt_recv_all(p.sfd, buf, 1, 1000);
		xt_msleep(100);
	}
	fprintf(stderr, "delack: %d of 8 ACKs over 20 ms late\n", late);
	if (!xt_is_tcp()) {
		XT_CHECK(late >= 6, "only %d of 8 ACKs were delayed", late);
		XT_CHECK(xt_stat("b", "DelayedAcks") - delayed0 >= 6, "DelayedAcks did not count");
	}
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void wscale(unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	static char buf[1 << 20];
	struct xt_pair p = xt_pair_open(port);
	struct xt_seg syn, synack, s;
	struct xt_hdr h = { .sport = 40000, .dport = port, .seq = 1000, .flags = XT_SYN,
			    .mss = 1460 };
	long most = 0;
	int pos = 0;

	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_SYN, XT_SYN, 2000, &syn), "SYN");
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_SYN, XT_SYN, 2000, &synack),
		"SYN-ACK");
	XT_WIRE(cap, syn.wscale >= 0 && syn.wscale <= 14, "SYN offers wscale %d", syn.wscale);
	XT_WIRE(cap, synack.wscale >= 0 && synack.wscale <= 14, "SYN-ACK offers wscale %d",
		synack.wscale);
	XT_WIRE(cap, synack.win <= 65535 && syn.win <= 65535, "SYN windows");

	xfer(&p, buf, sizeof(buf));
	xt_msleep(100);
	while (xt_cap_next(cap, &pos, port, p.cport, XT_ACK, XT_ACK, 0, &s))
		if ((long)s.win << synack.wscale > most)
			most = (long)s.win << synack.wscale;
	fprintf(stderr, "wscale: a offers %d, b %d; b's largest window %ld\n", syn.wscale,
		synack.wscale, most);
	XT_WIRE(cap, most > 65535, "b never announced more than 65535 bytes (%ld)", most);

	/* Only an offer is answered with one. */
	pos = xt_cap_mark(cap);
	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, 40000, XT_SYN, XT_SYN, 2000, &synack),
		"no SYN-ACK to the injected SYN");
	XT_WIRE(cap, synack.wscale == -1, "SYN-ACK offers wscale %d to a SYN without",
		synack.wscale);
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void persist(unsigned short port)
{
	struct xt_pair p;
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	static unsigned char buf[4 << 20], got[4 << 20];
	size_t sent = 0, i;
	uint32_t una = 0;
	struct xt_seg s;
	int pos, probes = 0, zero = 0;
	long probes0;
	ssize_t n;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i * 7 + (i >> 12);
	probes0 = xt_is_tcp() ? 0 : xt_stat("a", "WindowProbes");
	p = xt_pair_open(port);
	pos = xt_cap_mark(cap);
	xt_nonblock(p.cfd, 1);
	/* Write until the send buffer is full too: the window is then zero. */
	for (;;) {
		n = send(p.cfd, buf + sent, sizeof(buf) - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			xt_msleep(300);
			n = send(p.cfd, buf + sent, sizeof(buf) - sent, MSG_NOSIGNAL);
			if (n < 0 && errno == EAGAIN)
				break;
		}
		XT_CHECK(n > 0, "send");
		sent += n;
		XT_CHECK(sent < sizeof(buf), "4 MB went into a reader that reads nothing");
	}
	xt_msleep(3000);
	while (xt_cap_next(cap, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		if (s.sport == port) {
			zero += !s.win;
			una = s.ack;
		}
		/* A probe: no data, and a sequence number already acknowledged. */
		if (s.sport == p.cport && !s.len && s.seq + 1 == una)
			probes++;
	}
	fprintf(stderr, "persist: %zu bytes queued, %d zero windows, %d probes\n", sent,
		zero, probes);
	XT_WIRE(cap, zero > 0, "b never announced a zero window");
	XT_WIRE(cap, probes > 0, "a never probed the zero window");
	if (!xt_is_tcp())
		XT_CHECK(xt_stat("a", "WindowProbes") > probes0, "WindowProbes did not count");
	XT_CHECK(xt_state(p.cfd) == XTCP_ESTABLISHED, "a gave up: %s",
		 xt_state_name(xt_state(p.cfd)));

	/* The reader comes back: everything arrives, in order. */
	xt_nonblock(p.cfd, 0);
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	xt_recv_all(p.sfd, got, sent, 30000);
	XT_CHECK(!memcmp(got, buf, sent), "the data differs");
	XT_CHECK(recv(p.sfd, got, 1, 0) == 0, "no EOF after the data");
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

int main(void)
{
	if (xt_is_tcp())
		XT_CHECK(xt_sysctl_path("a", "ipv4/tcp_autocorking", 0) == 0, "tcp_autocorking");
	nagle(XT_PORT);
	delack(XT_PORT + 1);
	wscale(XT_PORT + 2);
	persist(XT_PORT + 3);
	return 0;
}
