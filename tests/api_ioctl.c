// SPDX-License-Identifier: GPL-2.0
/*
 * The queue ioctls and SO_RCVLOWAT, as Linux TCP gives them:
 *   - SIOCINQ counts bytes received and not read: MSG_PEEK leaves it,
 *     reading lowers it, the peer's FIN adds nothing;
 *   - SIOCOUTQ counts bytes not yet acknowledged (sent or not, and a FIN
 *     as one), SIOCOUTQNSD those not yet sent: with the peer's ACKs
 *     delayed, a write shows in SIOCOUTQ at once and is sent at once;
 *     with the peer's window full, some is unsent, and what the sender
 *     holds plus what the receiver holds is all that was written;
 *   - all three are EINVAL on a listener, and 0 in SYN-SENT;
 *   - SO_RCVLOWAT: poll and epoll report POLLIN only once that many
 *     bytes are unread, or at EOF; lowering it wakes a blocked poll(), as
 *     does data reaching it; a blocking recv waits for that many bytes,
 *     a non-blocking one returns what there is; a mark past half the
 *     buffer grows the buffer to hold it (twice the mark, data being
 *     reckoned half the memory it takes before any has come), so that
 *     300000 bytes sent arrive and reach it, unless SO_RCVBUF set the
 *     buffer: then the mark stops at half of it, and the buffer stays.
 */
#include <sys/epoll.h>

#include "xtapi.h"

static void close_pair(struct xt_pair *p)
{
	close(p->cfd);
	close(p->sfd);
	close(p->lfd);
}

static void inq(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT);
	unsigned char out[1000], in[1000];

	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 0, "SIOCINQ %d on an idle connection",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	xt_pat_fill(out, 0, sizeof(out));
	xt_send_all(p.cfd, out, sizeof(out));
	XT_CHECK(xt_wait_inq(p.sfd, 1000, 3000) == 1000, "SIOCINQ %d, wanted 1000",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	XT_CHECK(recv(p.sfd, in, 500, MSG_PEEK) == 500, "peek");
	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 1000, "SIOCINQ %d after a peek",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	XT_CHECK(recv(p.sfd, in, 300, 0) == 300, "recv");
	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 700, "SIOCINQ %d after reading 300",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	/* The FIN is not a byte. */
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	XT_CHECK(xt_wait_state(p.sfd, XTCP_CLOSE_WAIT, 3000), "no FIN");
	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 700, "SIOCINQ %d after the FIN",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	xt_recv_all(p.sfd, in, 700, 1000);
	XT_CHECK(xt_pat_check(in, 300, 700) < 0, "wrong data");
	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 0, "SIOCINQ %d after reading all",
		 xt_ioctl_int(p.sfd, SIOCINQ));
	close_pair(&p);
}

static void outq_in_flight(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 1);
	char buf[1000] = { 0 };
	double end;

	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQ) == 0, "SIOCOUTQ on an idle connection");
	/* The peer's ACKs take 300 ms. */
	xt_netem("b", "delay 300ms");
	xt_send_all(p.cfd, buf, sizeof(buf));
	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQ) == 1000, "SIOCOUTQ %d right after a write",
		 xt_ioctl_int(p.cfd, SIOCOUTQ));
	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQNSD) == 0, "SIOCOUTQNSD %d: not sent at once",
		 xt_ioctl_int(p.cfd, SIOCOUTQNSD));
	end = xt_now() + 3;
	while (xt_ioctl_int(p.cfd, SIOCOUTQ) && xt_now() < end)
		xt_msleep(10);
	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQ) == 0, "SIOCOUTQ %d after the ACK",
		 xt_ioctl_int(p.cfd, SIOCOUTQ));

	/* A FIN counts one until it is acknowledged. */
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQ) == 1, "SIOCOUTQ %d with a FIN out",
		 xt_ioctl_int(p.cfd, SIOCOUTQ));
	XT_CHECK(xt_wait_state(p.cfd, XTCP_FIN_WAIT2, 3000), "the FIN was not ACKed");
	XT_CHECK(xt_ioctl_int(p.cfd, SIOCOUTQ) == 0, "SIOCOUTQ %d after the FIN's ACK",
		 xt_ioctl_int(p.cfd, SIOCOUTQ));
	xt_netem_off("b");
	close_pair(&p);
}

static void outq_window_full(void)
{
	struct xt_pair p;
	int outq, nsd, in;
	size_t sent;

	/* Buffers set before the connection, so the window is small from the start. */
	p.lfd = xt_socket_in("b");
	xt_reuseaddr(p.lfd);
	xt_setint(p.lfd, SOL_SOCKET, SO_RCVBUF, 8192);
	xt_bind(p.lfd, XT_B, XT_PORT + 2);
	XT_CHECK(listen(p.lfd, 4) == 0, "listen");
	p.cfd = xt_socket_in("a");
	xt_setint(p.cfd, SOL_SOCKET, SO_SNDBUF, 131072);
	XT_CHECK(xt_connect(p.cfd, XT_B, XT_PORT + 2) == 0, "connect");
	p.sfd = xt_accept_wait(p.lfd, 3000);
	XT_CHECK(p.sfd >= 0, "accept");

	sent = xt_fill(p.cfd);
	outq = xt_ioctl_int(p.cfd, SIOCOUTQ);
	nsd = xt_ioctl_int(p.cfd, SIOCOUTQNSD);
	in = xt_ioctl_int(p.sfd, SIOCINQ);
	XT_CHECK(nsd > 0 && nsd <= outq, "SIOCOUTQNSD %d, SIOCOUTQ %d: nothing held back",
		 nsd, outq);
	XT_CHECK(in > 0, "SIOCINQ %d at the receiver", in);
	XT_CHECK((size_t)outq + in == sent, "SIOCOUTQ %d + SIOCINQ %d, but %zu were sent",
		 outq, in, sent);
	xt_drain(p.sfd, sent, 10000);
	close_pair(&p);
}

static void not_connected(void)
{
	int lfd = xt_listen_in("b", XT_PORT + 3, 4), fd, v;

	XT_ERRNO(ioctl(lfd, SIOCINQ, &v), EINVAL);
	XT_ERRNO(ioctl(lfd, SIOCOUTQ, &v), EINVAL);
	XT_ERRNO(ioctl(lfd, SIOCOUTQNSD, &v), EINVAL);
	close(lfd);

	xt_netem("a", "loss 100%");
	fd = xt_socket_in("a");
	xt_nonblock(fd, 1);
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT + 3), EINPROGRESS);
	XT_CHECK(xt_ioctl_int(fd, SIOCINQ) == 0, "SIOCINQ in SYN-SENT");
	XT_CHECK(xt_ioctl_int(fd, SIOCOUTQ) == 0, "SIOCOUTQ in SYN-SENT");
	XT_CHECK(xt_ioctl_int(fd, SIOCOUTQNSD) == 0, "SIOCOUTQNSD in SYN-SENT");
	close(fd);
	xt_netem_off("a");
}

static int pollin(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) < 0)
		xt_fail("poll");
	return p.revents & POLLIN;
}

static int epoll_in(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		xt_fail("epoll");
	n = epoll_wait(ep, &ev, 1, 0);
	close(ep);
	return n == 1 && (ev.events & EPOLLIN);
}

struct lowat_job {
	int fd;
	int val;
};

static void set_lowat(void *p)
{
	struct lowat_job *j = p;

	xt_setint(j->fd, SOL_SOCKET, SO_RCVLOWAT, j->val);
}

static void rcvlowat(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 4);
	static unsigned char out[4096], in[4096];
	struct xt_send_job sj;
	struct lowat_job lj;
	struct xt_later l;
	double t0;
	ssize_t n;

	xt_pat_fill(out, 0, sizeof(out));
	XT_CHECK(xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT) == 1, "SO_RCVLOWAT is not 1");
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVLOWAT, 1000);
	XT_CHECK(xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT) == 1000, "SO_RCVLOWAT %d",
		 xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT));

	/* 500 unread: below the mark. */
	xt_send_all(p.cfd, out, 500);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 500), "500 bytes never arrived");
	XT_CHECK(!pollin(p.sfd, 0), "POLLIN with 500 bytes and SO_RCVLOWAT 1000");
	XT_CHECK(!epoll_in(p.sfd), "EPOLLIN with 500 bytes and SO_RCVLOWAT 1000");
	XT_CHECK(recv(p.sfd, in, sizeof(in), MSG_PEEK | MSG_DONTWAIT) == 500,
		 "a non-blocking recv does not wait for SO_RCVLOWAT");

	/* Lowering the mark wakes a poll() that waits. */
	lj = (struct lowat_job){ p.sfd, 1 };
	xt_later(&l, 200, set_lowat, &lj);
	t0 = xt_now();
	XT_CHECK(pollin(p.sfd, 3000), "no POLLIN after SO_RCVLOWAT went down to 1");
	XT_CHECK(xt_now() - t0 < 2, "poll woke after %.3f s", xt_now() - t0);
	xt_later_join(&l);

	/* Data that reaches the mark wakes it too. */
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVLOWAT, 1000);
	XT_CHECK(!pollin(p.sfd, 0), "POLLIN after SO_RCVLOWAT went up again");
	sj = (struct xt_send_job){ p.cfd, out + 500, 600 };
	xt_later(&l, 200, xt_send_job, &sj);
	t0 = xt_now();
	XT_CHECK(pollin(p.sfd, 3000), "no POLLIN at 1100 bytes with SO_RCVLOWAT 1000");
	XT_CHECK(xt_now() - t0 < 2, "poll woke after %.3f s", xt_now() - t0);
	XT_CHECK(epoll_in(p.sfd), "no EPOLLIN at 1100 bytes with SO_RCVLOWAT 1000");
	xt_later_join(&l);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 1100), "1100 bytes never arrived");
	n = recv(p.sfd, in, sizeof(in), 0);
	XT_CHECK(n == 1100, "recv returned %zd of 1100", n);
	XT_CHECK(xt_pat_check(in, 0, 1100) < 0, "wrong data");

	/*
	 * A blocking recv waits for the mark, not for the first bytes. (Linux
	 * TCP wakes it only once the mark's worth is unread beyond what it
	 * took already, hence 1500 more.)
	 */
	xt_send_all(p.cfd, out, 500);
	sj = (struct xt_send_job){ p.cfd, out + 500, 1500 };
	xt_later(&l, 300, xt_send_job, &sj);
	n = recv(p.sfd, in, sizeof(in), 0);
	XT_CHECK(n >= 1000, "a blocking recv returned %zd with SO_RCVLOWAT 1000", n);
	xt_later_join(&l);
	/* The rest may be below the mark, so poll() is no way to wait for it. */
	if (n < 2000)
		XT_CHECK(recv(p.sfd, in + n, 2000 - n, MSG_WAITALL) == 2000 - n, "the rest");
	XT_CHECK(xt_pat_check(in, 0, 2000) < 0, "wrong data");

	/* EOF is readable whatever the mark. */
	xt_send_all(p.cfd, out, 10);
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	XT_CHECK(pollin(p.sfd, 3000), "no POLLIN at EOF with 10 bytes unread");
	XT_CHECK(recv(p.sfd, in, sizeof(in), 0) == 10, "recv before EOF");
	XT_CHECK(recv(p.sfd, in, sizeof(in), 0) == 0, "no EOF");
	close_pair(&p);
}

static void rcvlowat_grows(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 5);
	const int big = 300000;
	unsigned char *out = malloc(big), *in = malloc(big);
	int buf, lowat;

	if (!out || !in)
		xt_fail("no memory");
	xt_pat_fill(out, 0, big);
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVLOWAT, big);
	XT_CHECK(xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT) == big, "SO_RCVLOWAT %d, not %d",
		 xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT), big);
	buf = xt_getint(p.sfd, SOL_SOCKET, SO_RCVBUF);
	XT_CHECK(buf >= 2 * big, "SO_RCVBUF %d with SO_RCVLOWAT %d", buf, big);
	xt_send_all(p.cfd, out, big);
	XT_CHECK(pollin(p.sfd, 10000), "no POLLIN with %d bytes sent and SO_RCVLOWAT %d", big,
		 big);
	XT_CHECK(recv(p.sfd, in, big, MSG_WAITALL) == big, "recv of %d", big);
	XT_CHECK(xt_pat_check(in, 0, big) < 0, "wrong data");

	xt_setint(p.sfd, SOL_SOCKET, SO_RCVBUF, 65536);
	buf = xt_getint(p.sfd, SOL_SOCKET, SO_RCVBUF);
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVLOWAT, big);
	lowat = xt_getint(p.sfd, SOL_SOCKET, SO_RCVLOWAT);
	XT_CHECK(lowat == buf / 2, "SO_RCVLOWAT %d with SO_RCVBUF set to %d", lowat, buf);
	XT_CHECK(xt_getint(p.sfd, SOL_SOCKET, SO_RCVBUF) == buf, "SO_RCVBUF %d, set to %d",
		 xt_getint(p.sfd, SOL_SOCKET, SO_RCVBUF), buf);
	free(out);
	free(in);
	close_pair(&p);
}

int main(void)
{
	inq();
	outq_in_flight();
	outq_window_full();
	not_connected();
	rcvlowat();
	rcvlowat_grows();
	return 0;
}
