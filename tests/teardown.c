// SPDX-License-Identifier: GPL-2.0
/*
 * Teardown. An active close() puts FIN, ACK, FIN, ACK on the wire with
 * the right numbers; the passive side reads 0 and sits in CLOSE-WAIT; the
 * closing side then holds its port in TIME-WAIT. Step by step with
 * shutdown(), which keeps the sockets observable and netem delay making
 * each state last: FIN-WAIT-1 until our FIN is ACKed, FIN-WAIT-2 while
 * the peer sits in CLOSE-WAIT, LAST-ACK on the peer until its FIN is
 * ACKed, then CLOSED. A half close: after shutdown(SHUT_WR) the peer
 * reads EOF but can still send, and we still receive.
 *
 * The ACK of a FIN that ends ESTABLISHED waits, as Linux TCP's does (the
 * delayed ACK of its pingpong mode): held in CLOSE-WAIT, the passive
 * side sends it alone a moment later; closing at once, it sends none,
 * its FIN carrying the acknowledgment: three segments, not four. And
 * when its FIN cannot go, queued behind data the peer's shut window holds
 * back, the delayed ACK still goes alone from LAST-ACK, not with the next
 * window probe much later. A FIN ahead of a gap in the data is not kept
 * but draws a duplicate ACK at once, as any segment out of order does
 * (RFC 5681 4.2).
 *
 * TIME-WAIT through the socket: Linux TCP hands a connection entering
 * TIME-WAIT to a separate timewait socket and reports CLOSED on the
 * original one, so a socket still open there may read either TIME-WAIT
 * or CLOSED; TIME-WAIT itself is proven by the port staying in use
 * (bind gives EADDRINUSE) after close(). The orphaned FIN-WAIT-2
 * timeout (fin_timeout_ms) is tests/finwait2.c's.
 */
#include "wire.h"

static void port_in_use(unsigned short port)
{
	int fd = xt_socket_in("a");
	struct sockaddr_in sin = xt_addr(XT_A, port);

	XT_ERRNO(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	close(fd);
}

/* close() on an established connection: the four segments. */
static void active_close_on_the_wire(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p = xt_pair_open(XT_PORT);
	struct xt_seg fin1, ack1, fin2, ack2;
	uint32_t cnxt, snxt;
	char buf[8];
	int pos;

	xt_msleep(50);
	xt_cap_next_seq(cap, p.cport, XT_PORT, &cnxt, &snxt);
	pos = xt_cap_mark(cap);

	XT_CHECK(close(p.cfd) == 0, "close");
	XT_CHECK(xt_wait_readable(p.sfd, 3000), "no EOF at the passive side");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 0, "read after FIN is not 0");
	XT_STATE(p.sfd, XTCP_CLOSE_WAIT);

	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, XT_PORT, XT_FIN | XT_SYN | XT_RST, XT_FIN,
				 2000, &fin1), "no FIN from the closing side");
	XT_WIRE(cap, fin1.seq == cnxt && (fin1.flags & XT_ACK) && fin1.len == 0,
		"FIN seq=%u, wanted %u", fin1.seq, cnxt);
	/* Linux delays this ACK up to 200 ms; CLOSE-WAIT lasts longer. */
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, p.cport, 0xff & ~XT_PSH, XT_ACK, 1000,
				 &ack1), "the FIN was not ACKed alone");
	XT_WIRE(cap, ack1.ack == fin1.seq + 1 && ack1.seq == snxt, "ACK of FIN seq=%u ack=%u",
		ack1.seq, ack1.ack);

	XT_CHECK(close(p.sfd) == 0, "close in CLOSE-WAIT");
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, p.cport, XT_FIN | XT_SYN | XT_RST, XT_FIN,
				 2000, &fin2), "no FIN from the passive side");
	XT_WIRE(cap, fin2.seq == snxt && fin2.ack == fin1.seq + 1, "second FIN seq=%u ack=%u",
		fin2.seq, fin2.ack);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, XT_PORT, 0xff & ~XT_PSH, XT_ACK, 2000, &ack2),
		"the second FIN was not ACKed");
	XT_WIRE(cap, ack2.seq == fin1.seq + 1 && ack2.ack == fin2.seq + 1,
		"last ACK seq=%u ack=%u", ack2.seq, ack2.ack);
	xt_msleep(200);
	XT_WIRE(cap, xt_cap_count(cap, XT_ANY, XT_ANY, XT_RST, XT_RST, NULL) == 0,
		"a RST in an orderly close");
	XT_WIRE(cap, xt_cap_count(cap, XT_ANY, XT_ANY, XT_FIN, XT_FIN, NULL) == 2,
		"FINs retransmitted");

	/* The closing side's port is held by TIME-WAIT. */
	port_in_use(p.cport);
	xt_cap_stop(cap);
	close(p.lfd);
}

/*
 * The passive side closes as soon as it reads EOF: its FIN acknowledges
 * the peer's, with no ACK alone before it. Return: 0, or 1 if this
 * process took so long to close that the delayed ACK went first, which
 * is right, and the case must be tried again.
 */
static int passive_close_at_once(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p = xt_pair_open(XT_PORT + 3);
	struct xt_seg fin1, next, ack2;
	uint32_t cnxt, snxt;
	char buf[8];
	int pos;

	xt_msleep(50);
	xt_cap_next_seq(cap, p.cport, XT_PORT + 3, &cnxt, &snxt);
	pos = xt_cap_mark(cap);

	XT_CHECK(close(p.cfd) == 0, "close");
	XT_CHECK(xt_wait_readable(p.sfd, 3000), "no EOF at the passive side");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 0, "read after FIN is not 0");
	XT_CHECK(close(p.sfd) == 0, "close in CLOSE-WAIT");

	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, XT_PORT + 3, XT_FIN, XT_FIN, 2000, &fin1),
		"no FIN from the closing side");
	XT_WIRE(cap, fin1.seq == cnxt, "FIN seq=%u, wanted %u", fin1.seq, cnxt);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT + 3, p.cport, XT_ANY, 0, 2000, &next),
		"no answer to the FIN");
	/* A lone ACK the delayed-ACK timer sent: no sooner than 40 ms. */
	if (next.flags == XT_ACK && next.ack == fin1.seq + 1 && next.t - fin1.t >= 0.035) {
		fprintf(stderr, "the delayed ACK went %.0f ms after the FIN, before close()\n",
			(next.t - fin1.t) * 1000);
		xt_cap_stop(cap);
		close(p.lfd);
		return 1;
	}
	XT_WIRE(cap, next.flags == (XT_FIN | XT_ACK) && next.seq == snxt &&
		next.ack == fin1.seq + 1,
		"answer to the FIN: flags 0x%x seq=%u ack=%u, wanted FIN-ACK seq=%u ack=%u",
		next.flags, next.seq, next.ack, snxt, fin1.seq + 1);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, XT_PORT + 3, 0xff & ~XT_PSH, XT_ACK, 2000,
				 &ack2), "the second FIN was not ACKed");
	XT_WIRE(cap, ack2.ack == next.seq + 1, "last ACK ack=%u, wanted %u", ack2.ack,
		next.seq + 1);
	xt_msleep(200);
	XT_WIRE(cap, xt_cap_count(cap, XT_ANY, XT_ANY, XT_ANY, 0, NULL) == pos,
		"segments after the last ACK");
	xt_cap_stop(cap);
	close(p.lfd);
	return 0;
}

/*
 * b's FIN waits behind data that a's shut window holds, so b's close()
 * sends nothing: a's FIN must still be acknowledged by b's delayed ACK,
 * now from LAST-ACK, a delay of 100 ms and 40 ms after it left a, not
 * by whatever b's window probing sends hundreds of milliseconds later.
 * With 100 ms each way, b's RTO is far above the delayed ACK's 40 ms.
 * The delayed ACK is told from probes and data by what it carries:
 * nothing, from SND.UNA (a probe's sequence number is one less).
 */
static void fin_ack_behind_shut_window(void)
{
	unsigned short port = XT_PORT + 4;
	int lfd, cfd, sfd, small = 4096, pos;
	struct xt_seg fin1, s;
	static char buf[16384];
	struct xt_cap *cap;
	int full = 0;
	double until;
	char c;

	xt_netem("a", "delay 100ms");
	xt_netem("b", "delay 100ms");
	lfd = xt_listen_in("b", port, 16);
	cfd = xt_socket_in("a");
	XT_CHECK(setsockopt(cfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) == 0, "SO_RCVBUF");
	XT_CHECK(xt_connect(cfd, XT_B, port) == 0, "connect");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "accept");
	XT_CHECK(setsockopt(sfd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)) == 0, "SO_SNDBUF");
	/* a never reads: its window shuts, and b's send buffer fills. */
	xt_nonblock(sfd, 1);
	until = xt_now() + 20;
	while (!full && xt_now() < until) {
		if (send(sfd, buf, sizeof(buf), 0) < 0) {
			XT_CHECK(errno == EAGAIN, "send");
			xt_msleep(500);
			full = send(sfd, buf, sizeof(buf), 0) < 0 && errno == EAGAIN;
		}
	}
	XT_CHECK(full, "b's send buffer never filled");

	cap = xt_cap_start("a", "veth-a");
	pos = xt_cap_mark(cap);
	XT_CHECK(shutdown(cfd, SHUT_WR) == 0, "shutdown");
	XT_CHECK(xt_wait_readable(sfd, 3000) && recv(sfd, &c, 1, 0) == 0, "no EOF in b");
	XT_CHECK(close(sfd) == 0, "close");

	XT_WIRE(cap, xt_cap_next(cap, &pos, xt_local_port(cfd), port, XT_FIN, XT_FIN, 2000, &fin1),
		"no FIN from a");
	do {
		XT_WIRE(cap, xt_cap_next(cap, &pos, port, XT_ANY, XT_ACK, XT_ACK, 3000, &s),
			"a's FIN (seq=%u) was never acknowledged alone", fin1.seq);
	} while (s.ack != fin1.seq + 1 || s.seq != fin1.ack || s.len);
	XT_WIRE(cap, s.t - fin1.t < 0.3, "a's FIN acknowledged %.0f ms after it left, wanted 140",
		(s.t - fin1.t) * 1000);
	xt_cap_stop(cap);
	xt_netem_off("a");
	xt_netem_off("b");
	xt_abort(cfd);
	close(cfd);
	close(lfd);
}

/*
 * A FIN forged from a, 100 bytes ahead of what a sent: a duplicate ACK.
 * Then b closes, and the same in FIN-WAIT-2, b having shut reading down,
 * resets the connection, as data there would (Linux TCP does both).
 */
static void fin_after_gap(void)
{
	unsigned short port = XT_PORT + 5;
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p = xt_pair_open(port);
	struct xt_hdr h = { .sport = p.cport, .dport = port, .flags = XT_FIN | XT_ACK };
	uint32_t cnxt, snxt;
	struct xt_seg ack;
	int pos;

	xt_msleep(50);
	xt_cap_next_seq(cap, p.cport, port, &cnxt, &snxt);
	pos = xt_cap_mark(cap);
	h.seq = cnxt + 100;
	h.ack = snxt;
	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_ANY, 0, 1000, &ack),
		"no answer to a FIN after a gap");
	XT_WIRE(cap, ack.flags == XT_ACK && ack.seq == snxt && ack.ack == cnxt,
		"answer flags 0x%x seq=%u ack=%u, wanted ACK seq=%u ack=%u", ack.flags, ack.seq,
		ack.ack, snxt, cnxt);
	XT_STATE(p.sfd, XTCP_ESTABLISHED);

	XT_CHECK(close(p.sfd) == 0, "close in b");
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_ACK | XT_FIN, XT_ACK, 1000, &ack) &&
		ack.ack == snxt + 1, "b's FIN not acknowledged");
	h.ack = snxt + 1;
	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_RST, XT_RST, 1000, &ack),
		"no RST for a FIN ahead of a gap in FIN-WAIT-2");
	XT_WIRE(cap, ack.seq == snxt + 1, "RST seq=%u, wanted %u", ack.seq, snxt + 1);
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.lfd);
}

/* The states one by one, made to last by a 100 ms delay each way. */
static void states_step_by_step(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 1);
	char buf[8];
	int s;

	xt_netem("a", "delay 100ms");
	xt_netem("b", "delay 100ms");

	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	XT_STATE(p.cfd, XTCP_FIN_WAIT1);
	XT_CHECK(xt_wait_state(p.cfd, XTCP_FIN_WAIT2, 2000), "no FIN-WAIT-2 but %s",
		 xt_state_name(xt_state(p.cfd)));
	XT_CHECK(xt_wait_readable(p.sfd, 1000), "no EOF at the passive side");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 0, "read after FIN is not 0");
	XT_STATE(p.sfd, XTCP_CLOSE_WAIT);
	/* Held in CLOSE-WAIT, the peer leaves us in FIN-WAIT-2. */
	xt_msleep(500);
	XT_STATE(p.cfd, XTCP_FIN_WAIT2);
	XT_STATE(p.sfd, XTCP_CLOSE_WAIT);

	XT_CHECK(shutdown(p.sfd, SHUT_WR) == 0, "shutdown in CLOSE-WAIT");
	XT_STATE(p.sfd, XTCP_LAST_ACK);
	XT_CHECK(xt_wait_state(p.sfd, XTCP_CLOSE, 2000), "LAST-ACK did not end: %s",
		 xt_state_name(xt_state(p.sfd)));
	s = xt_state(p.cfd);
	XT_CHECK(s == XTCP_TIME_WAIT || s == XTCP_CLOSE, "active side in %s after both FINs",
		 xt_state_name(s));
	XT_CHECK(recv(p.cfd, buf, sizeof(buf), MSG_DONTWAIT) == 0, "no EOF at the active side");

	xt_netem_off("a");
	xt_netem_off("b");
	close(p.sfd);
	close(p.cfd);
	port_in_use(p.cport);
	close(p.lfd);
}

/* shutdown(SHUT_WR): the peer reads EOF and still sends; we still receive. */
static void half_close(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 2);
	char buf[32];
	int i;

	xt_send_all(p.cfd, "last words", 10);
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	xt_recv_all(p.sfd, buf, 10, 3000);
	XT_CHECK(!memcmp(buf, "last words", 10), "data before the FIN");
	XT_CHECK(xt_wait_readable(p.sfd, 3000) && recv(p.sfd, buf, sizeof(buf), 0) == 0,
		 "no EOF after the data");
	XT_ERRNO(send(p.cfd, "x", 1, MSG_NOSIGNAL), EPIPE);

	for (i = 0; i < 3; i++) {
		xt_send_all(p.sfd, "reply", 5);
		xt_recv_all(p.cfd, buf, 5, 3000);
		XT_CHECK(!memcmp(buf, "reply", 5), "reply %d", i);
	}
	XT_STATE(p.cfd, XTCP_FIN_WAIT2);
	XT_STATE(p.sfd, XTCP_CLOSE_WAIT);
	XT_CHECK(close(p.sfd) == 0, "close");
	XT_CHECK(xt_wait_readable(p.cfd, 3000) && recv(p.cfd, buf, sizeof(buf), 0) == 0,
		 "no EOF after the peer's close");
	close(p.cfd);
	close(p.lfd);
}

int main(void)
{
	int tries = 0;

	active_close_on_the_wire();
	while (passive_close_at_once())
		XT_CHECK(++tries < 3, "closed too late three times in a row");
	fin_ack_behind_shut_window();
	fin_after_gap();
	states_step_by_step();
	half_close();
	return 0;
}
