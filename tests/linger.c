// SPDX-License-Identifier: GPL-2.0
/*
 * Abortive close (contract section 4): close() with SO_LINGER {1, 0}
 * sends a RST instead of a FIN (seen on the wire, seq = the closer's
 * snd_nxt) and frees the connection at once, so the port is free again;
 * the peer's recv gets ECONNRESET. close() with unread data in the
 * receive queue does the same. In both cases no FIN is sent.
 *
 * Not covered: SO_LINGER {1, N>0} (close() blocking until the FIN is
 * ACKed), whose timing the contract does not fix.
 */
#include "wire.h"

/* Close sfd (already set up to abort); expect a RST and ECONNRESET at cfd. */
static void expect_abort(struct xt_cap *cap, struct xt_pair *p)
{
	struct xt_seg rst;
	uint32_t snxt, sack;
	int pos, fd;
	char buf[8];

	xt_msleep(100);
	xt_cap_next_seq(cap, p->port, p->cport, &snxt, &sack);
	pos = xt_cap_mark(cap);
	XT_CHECK(close(p->sfd) == 0, "close");
	XT_WIRE(cap, xt_cap_next(cap, &pos, p->port, p->cport, XT_ANY, 0, 2000, &rst),
		"nothing sent at close");
	XT_WIRE(cap, (rst.flags & XT_RST) && !(rst.flags & (XT_FIN | XT_SYN)) && rst.len == 0,
		"close sent flags 0x%x, wanted a RST", rst.flags);
	XT_WIRE(cap, rst.seq == snxt, "RST seq=%u, wanted %u", rst.seq, snxt);

	XT_CHECK(xt_wait_readable(p->cfd, 2000), "the peer saw nothing");
	XT_ERRNO(recv(p->cfd, buf, sizeof(buf), 0), ECONNRESET);
	XT_STATE(p->cfd, XTCP_CLOSE);
	xt_msleep(200);
	XT_WIRE(cap, !xt_cap_count(cap, p->port, p->cport, XT_FIN, XT_FIN, NULL),
		"a FIN besides the RST");
	/* Nothing is left of the connection. */
	close(p->cfd);
	close(p->lfd);
	/* The aborted connection does not hold its port. */
	fd = xt_socket_in("b");
	xt_bind(fd, XT_B, p->port);
	close(fd);
}

static void linger_zero(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p = xt_pair_open(XT_PORT);
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char buf[9];

	/*
	 * Data that was sent and read: the abort must not depend on it. (Data
	 * received before a RST stays readable in Linux TCP, so it is read
	 * first.)
	 */
	xt_send_all(p.sfd, "some data", 9);
	xt_recv_all(p.cfd, buf, 9, 2000);
	XT_CHECK(setsockopt(p.sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0, "SO_LINGER");
	/* Wait until the data is ACKed, so that snd_nxt is on the wire. */
	xt_msleep(200);
	expect_abort(cap, &p);
	xt_cap_stop(cap);
}

static void unread_data(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p = xt_pair_open(XT_PORT + 1);

	xt_send_all(p.cfd, "never read", 10);
	XT_CHECK(xt_wait_readable(p.sfd, 2000), "the data did not arrive");
	expect_abort(cap, &p);
	xt_cap_stop(cap);
}

int main(void)
{
	linger_zero();
	unread_data();
	return 0;
}
