// SPDX-License-Identifier: GPL-2.0
/*
 * epoll, level and edge triggered, as Linux TCP drives it:
 *   - level triggered, EPOLLIN is reported while data is unread; edge
 *     triggered, once per arrival: not again for data left unread, again
 *     when more comes;
 *   - an epoll_wait() that blocks wakes for data, for a connection on a
 *     listener, for the peer's FIN (EPOLLIN|EPOLLRDHUP), for our own
 *     shutdown completing both directions (EPOLLHUP), and for a RST
 *     (EPOLLERR|EPOLLHUP, and everything readable);
 *   - EPOLLOUT: reported on a fresh connection, not while the send
 *     buffer is full, and again, edge triggered, once the peer reads and
 *     the buffer drains; a blocking send that waited then completes.
 */
#include <sys/epoll.h>

#include "xtapi.h"

static int ep_add(int fd, unsigned int events)
{
	struct epoll_event ev = { .events = events };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		xt_fail("epoll");
	return ep;
}

/* The events of one epoll_wait(), 0 if none came within ms. */
static unsigned int ep_wait(int ep, int ms)
{
	struct epoll_event ev;
	int n = epoll_wait(ep, &ev, 1, ms);

	if (n < 0)
		xt_fail("epoll_wait");
	return n ? ev.events : 0;
}

#define EP_IS(ep, ms, want) do {					\
	unsigned int __e = ep_wait(ep, ms);				\
	if (__e != (unsigned int)(want))				\
		xt_fail("epoll_wait(" #ep ") gave %s, wanted %s",	\
			xt_pollstr(__e), xt_pollstr(want));		\
} while (0)

static void close_pair(struct xt_pair *p)
{
	close(p->cfd);
	close(p->sfd);
	close(p->lfd);
}

static void level_and_edge(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT);
	int lt = ep_add(p.sfd, EPOLLIN), et = ep_add(p.sfd, EPOLLIN | EPOLLET);
	struct xt_send_job j = { p.cfd, "0123456789", 10 };
	struct xt_later l;
	char buf[64];
	double t0;

	EP_IS(lt, 0, 0);
	EP_IS(et, 0, 0);

	/* Both wake for data that comes while they wait. */
	xt_later(&l, 200, xt_send_job, &j);
	t0 = xt_now();
	EP_IS(et, 3000, EPOLLIN);
	XT_CHECK(xt_now() - t0 < 2, "edge-triggered wait woke after %.3f s", xt_now() - t0);
	xt_later_join(&l);
	EP_IS(lt, 0, EPOLLIN);

	/* Unread data: level keeps reporting it, edge does not. */
	EP_IS(lt, 0, EPOLLIN);
	EP_IS(et, 100, 0);
	XT_CHECK(recv(p.sfd, buf, 4, 0) == 4, "recv");
	EP_IS(lt, 0, EPOLLIN);
	EP_IS(et, 0, 0);

	/* More data is a new edge. */
	xt_send_all(p.cfd, "abc", 3);
	EP_IS(et, 3000, EPOLLIN);
	EP_IS(et, 100, 0);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 9), "9 bytes unread, wanted");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 9, "recv the rest");
	EP_IS(lt, 0, 0);
	EP_IS(et, 0, 0);
	close(lt);
	close(et);
	close_pair(&p);
}

static void listener(void)
{
	int lfd = xt_listen_in("b", XT_PORT + 1, 4), cfd, sfd;
	int et = ep_add(lfd, EPOLLIN | EPOLLET);

	EP_IS(et, 0, 0);
	cfd = xt_socket_in("a");
	XT_CHECK(xt_connect(cfd, XT_B, XT_PORT + 1) == 0, "connect");
	EP_IS(et, 3000, EPOLLIN);
	EP_IS(et, 0, 0);
	sfd = accept(lfd, NULL, NULL);
	XT_CHECK(sfd >= 0, "accept");
	close(et);
	close(sfd);
	close(cfd);
	close(lfd);
}

static void shut(void *p)
{
	shutdown(*(int *)p, SHUT_WR);
}

static void rdhup_hup(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 2);
	int ask = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
	int et = ep_add(p.cfd, ask);
	struct xt_later l;
	char buf[4];

	EP_IS(et, 0, EPOLLOUT);
	EP_IS(et, 0, 0);

	/* The peer's FIN, while we wait. */
	xt_later(&l, 200, shut, &p.sfd);
	EP_IS(et, 3000, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
	xt_later_join(&l);
	XT_CHECK(recv(p.cfd, buf, sizeof(buf), 0) == 0, "no EOF");

	/* Our own shutdown: both directions shut. */
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	EP_IS(et, 3000, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLHUP);
	close(et);
	close_pair(&p);
}

static void linger0(void *p)
{
	struct linger lg = { 1, 0 };

	if (setsockopt(*(int *)p, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		xt_fail("SO_LINGER");
	close(*(int *)p);
}

static void rst(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 3);
	int et = ep_add(p.cfd, EPOLLIN | EPOLLRDHUP | EPOLLET);
	struct xt_later l;

	EP_IS(et, 0, 0);
	xt_later(&l, 200, linger0, &p.sfd);
	EP_IS(et, 3000, EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR);
	xt_later_join(&l);
	XT_CHECK(xt_so_error(p.cfd) == ECONNRESET, "SO_ERROR %d", xt_so_error(p.cfd));
	close(et);
	close(p.cfd);
	close(p.lfd);
}

struct drain_job {
	int fd;
	size_t len;
};

static void drain(void *p)
{
	struct drain_job *j = p;

	xt_drain(j->fd, j->len, 10000);
}

static void epollout(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 4);
	int et = ep_add(p.cfd, EPOLLOUT | EPOLLET), lt = ep_add(p.cfd, EPOLLOUT);
	static char buf[100000];
	struct drain_job j;
	struct xt_later l;
	size_t sent;
	double t0;
	ssize_t n;

	EP_IS(et, 0, EPOLLOUT);
	EP_IS(et, 0, 0);
	EP_IS(lt, 0, EPOLLOUT);

	sent = xt_fill(p.cfd);
	EP_IS(lt, 0, 0);
	EP_IS(et, 200, 0);

	/* The peer reads it all: the buffer drains and EPOLLOUT comes. */
	j = (struct drain_job){ p.sfd, sent };
	xt_later(&l, 200, drain, &j);
	t0 = xt_now();
	EP_IS(et, 5000, EPOLLOUT);
	XT_CHECK(xt_now() - t0 < 4, "EPOLLOUT after %.3f s", xt_now() - t0);
	xt_later_join(&l);
	EP_IS(lt, 0, EPOLLOUT);

	/* A blocking send that waits for room completes once the peer reads. */
	sent = xt_fill(p.cfd);
	j = (struct drain_job){ p.sfd, sent + sizeof(buf) };
	xt_later(&l, 200, drain, &j);
	n = send(p.cfd, buf, sizeof(buf), 0);
	XT_CHECK(n == (ssize_t)sizeof(buf), "a blocking send returned %zd", n);
	xt_later_join(&l);
	close(lt);
	close(et);
	close_pair(&p);
}

int main(void)
{
	level_and_edge();
	listener();
	rdhup_hup();
	rst();
	epollout();
	return 0;
}
