// SPDX-License-Identifier: GPL-2.0
/*
 * poll() readiness in each state, exactly as Linux TCP reports it (the
 * mask is printed in words on a mismatch): a fresh socket, a listener
 * with and without a pending connection, a socket in SYN-SENT, an
 * established one, with data, after the peer's FIN, with both directions
 * shut, and after a RST (with SO_ERROR ECONNRESET, read once). The same
 * masks through epoll for the established and reset cases.
 *
 * Every poll asks for POLLIN|POLLPRI|POLLOUT|POLLRDHUP, so the expected
 * masks hold exactly those bits plus POLLERR/POLLHUP.
 */
#include <sys/epoll.h>

#include "xtnet.h"

#define ASK (POLLIN | POLLPRI | POLLOUT | POLLRDHUP)

static int mask_of(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = ASK };

	if (poll(&p, 1, ms) < 0)
		xt_fail("poll");
	return p.revents;
}

#define MASK(fd, want) do {						\
	int __m = mask_of(fd, 0);					\
	if (__m != (want))						\
		xt_fail("poll(" #fd ") gave %s, wanted %s", xt_pollstr(__m),	\
			xt_pollstr(want));				\
} while (0)

/* Wait until fd's mask has every bit of want (or ms pass), then check it. */
static void wait_mask(int fd, int want, int ms)
{
	double end = xt_now() + ms / 1000.0;

	while ((mask_of(fd, 0) & want) != want && xt_now() < end)
		xt_msleep(5);
}

static int epoll_mask(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDHUP };
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		xt_fail("epoll");
	n = epoll_wait(ep, &ev, 1, 0);
	close(ep);
	return n == 1 ? (int)ev.events : 0;
}

static void fresh_and_listener(void)
{
	int fd, lfd, cfd, sfd;

	fd = xt_socket_in("a");
	MASK(fd, POLLOUT | POLLHUP);
	close(fd);

	lfd = xt_listen_in("b", XT_PORT, 4);
	MASK(lfd, 0);
	cfd = xt_socket_in("a");
	XT_CHECK(xt_connect(cfd, XT_B, XT_PORT) == 0, "connect");
	wait_mask(lfd, POLLIN, 2000);
	MASK(lfd, POLLIN);
	sfd = accept(lfd, NULL, NULL);
	XT_CHECK(sfd >= 0, "accept");
	MASK(lfd, 0);
	close(sfd);
	close(cfd);
	close(lfd);
}

static void syn_sent(void)
{
	int fd;

	xt_netem("a", "loss 100%");
	fd = xt_socket_in("a");
	xt_nonblock(fd, 1);
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT), EINPROGRESS);
	MASK(fd, 0);
	close(fd);
	xt_netem_off("a");
}

static void established_data_fin(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 1);
	char buf[16];

	MASK(p.cfd, POLLOUT);
	MASK(p.sfd, POLLOUT);
	XT_CHECK(epoll_mask(p.cfd) == EPOLLOUT, "epoll gave 0x%x", epoll_mask(p.cfd));

	xt_send_all(p.sfd, "data", 4);
	wait_mask(p.cfd, POLLIN, 2000);
	MASK(p.cfd, POLLIN | POLLOUT);
	xt_recv_all(p.cfd, buf, 4, 1000);
	MASK(p.cfd, POLLOUT);

	/* The peer's FIN: readable (EOF) and RDHUP, still writable. */
	XT_CHECK(shutdown(p.sfd, SHUT_WR) == 0, "shutdown");
	wait_mask(p.cfd, POLLRDHUP, 2000);
	MASK(p.cfd, POLLIN | POLLOUT | POLLRDHUP);
	MASK(p.sfd, POLLOUT);

	/* Both directions shut. */
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	MASK(p.cfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	wait_mask(p.sfd, POLLRDHUP, 2000);
	MASK(p.sfd, POLLIN | POLLOUT | POLLRDHUP | POLLHUP);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void reset(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 2);
	struct linger lg = { 1, 0 };
	int all = POLLIN | POLLOUT | POLLRDHUP | POLLHUP | POLLERR;

	XT_CHECK(setsockopt(p.sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0, "SO_LINGER");
	close(p.sfd);
	wait_mask(p.cfd, POLLERR, 2000);
	MASK(p.cfd, all);
	XT_CHECK(epoll_mask(p.cfd) == (EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP | EPOLLERR),
		 "epoll gave 0x%x", epoll_mask(p.cfd));
	XT_CHECK(xt_so_error(p.cfd) == ECONNRESET, "SO_ERROR %d", xt_so_error(p.cfd));
	/* Reading SO_ERROR clears it, and with it POLLERR. */
	MASK(p.cfd, all & ~POLLERR);
	XT_STATE(p.cfd, XTCP_CLOSE);
	close(p.cfd);
	close(p.lfd);
}

int main(void)
{
	fresh_and_listener();
	syn_sent();
	established_data_fin();
	reset();
	return 0;
}
