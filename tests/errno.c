// SPDX-License-Identifier: GPL-2.0
/*
 * The errno values of the socket calls, as Linux TCP gives them: bind to
 * port 0 picks an ephemeral port; EADDRINUSE on a port in use; what
 * SO_REUSEADDR allows (two bound sockets, not two listeners); EINVAL on a
 * second bind; EISCONN on a second connect; EALREADY on a second
 * non-blocking connect in SYN-SENT; ENETUNREACH with no route; EAGAIN
 * from a non-blocking accept; accept4's SOCK_NONBLOCK|SOCK_CLOEXEC; a
 * full backlog leaves later connections pending until accept() makes
 * room; ENOTCONN from getpeername and recv on unconnected sockets and
 * from recv on a listener; EPIPE from send on an unconnected socket.
 *
 * The backlog check asserts only what TCP reliably does: with backlog 1
 * the first connection completes and a third stays in SYN-SENT; Linux
 * also completes the second (its queue holds backlog + 1), which is not
 * asserted.
 */
#include "xtnet.h"

static void ephemeral_and_addrinuse(void)
{
	struct sockaddr_in sin;
	int a, b, c, d, port;

	a = xt_socket_in("a");
	xt_bind(a, XT_A, 0);
	port = xt_local_port(a);
	XT_CHECK(port >= 1024, "bind to port 0 gave port %d", port);

	b = xt_socket_in("a");
	sin = xt_addr(XT_A, port);
	XT_ERRNO(bind(b, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	sin = xt_addr("0.0.0.0", port);
	XT_ERRNO(bind(b, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	/* A bound socket cannot be bound again. */
	sin = xt_addr(XT_A, 0);
	XT_ERRNO(bind(a, (struct sockaddr *)&sin, sizeof(sin)), EINVAL);
	/* An address this host does not have. */
	sin = xt_addr(XT_B, 0);
	XT_ERRNO(bind(b, (struct sockaddr *)&sin, sizeof(sin)), EADDRNOTAVAIL);
	close(a);
	close(b);

	/* SO_REUSEADDR on both: two bound sockets, but only one listener. */
	c = xt_socket_in("a");
	d = xt_socket_in("a");
	xt_reuseaddr(c);
	xt_reuseaddr(d);
	xt_bind(c, XT_A, XT_PORT);
	xt_bind(d, XT_A, XT_PORT);
	XT_CHECK(listen(c, 4) == 0, "listen");
	XT_ERRNO(listen(d, 4), EADDRINUSE);
	close(d);
	/* Without SO_REUSEADDR, a listener's port stays taken. */
	d = xt_socket_in("a");
	sin = xt_addr(XT_A, XT_PORT);
	XT_ERRNO(bind(d, (struct sockaddr *)&sin, sizeof(sin)), EADDRINUSE);
	close(d);
	close(c);
}

static void connect_errors(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 1);
	int fd;

	XT_ERRNO(xt_connect(p.cfd, XT_B, XT_PORT + 1), EISCONN);
	XT_ERRNO(listen(p.cfd, 4), EINVAL);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);

	/* Second connect while the first SYN is lost: EALREADY. */
	xt_netem("a", "loss 100%");
	fd = xt_socket_in("a");
	xt_nonblock(fd, 1);
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT + 1), EINPROGRESS);
	XT_STATE(fd, XTCP_SYN_SENT);
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT + 1), EALREADY);
	XT_ERRNO(send(fd, "x", 1, MSG_NOSIGNAL), EAGAIN);
	close(fd);
	xt_netem_off("a");

	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, "198.51.100.1", 80), ENETUNREACH);
	close(fd);
}

static void accept_errors(void)
{
	int lfd, cfd, sfd, fl;

	lfd = xt_listen_in("b", XT_PORT + 2, 4);
	xt_nonblock(lfd, 1);
	XT_ERRNO(accept(lfd, NULL, NULL), EAGAIN);

	cfd = xt_socket_in("a");
	XT_CHECK(xt_connect(cfd, XT_B, XT_PORT + 2) == 0, "connect");
	XT_CHECK(xt_wait_readable(lfd, 3000), "nothing to accept");
	sfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	XT_CHECK(sfd >= 0, "accept4");
	fl = fcntl(sfd, F_GETFL);
	XT_CHECK(fl >= 0 && (fl & O_NONBLOCK), "accept4 without O_NONBLOCK");
	fl = fcntl(sfd, F_GETFD);
	XT_CHECK(fl >= 0 && (fl & FD_CLOEXEC), "accept4 without FD_CLOEXEC");
	XT_ERRNO(recv(sfd, &fl, 1, 0), EAGAIN);
	XT_ERRNO(accept(lfd, NULL, NULL), EAGAIN);
	XT_ERRNO(accept4(lfd, NULL, NULL, 0x4000000), EINVAL);
	close(sfd);
	close(cfd);
	close(lfd);
}

/* Backlog 1, nobody accepting: a later connection stays pending. */
static void backlog(void)
{
	int lfd, c[3], s[3], done[3], i, n;
	struct pollfd p;

	lfd = xt_listen_in("b", XT_PORT + 3, 1);
	for (i = 0; i < 3; i++) {
		c[i] = xt_socket_in("a");
		xt_nonblock(c[i], 1);
		XT_ERRNO(xt_connect(c[i], XT_B, XT_PORT + 3), EINPROGRESS);
		p = (struct pollfd){ .fd = c[i], .events = POLLOUT };
		done[i] = poll(&p, 1, 500) == 1;
		XT_CHECK(!done[i] || xt_so_error(c[i]) == 0, "connection %d failed", i);
	}
	XT_CHECK(done[0], "the first connection did not complete");
	XT_CHECK(!done[2], "the third connection completed on a full backlog");
	XT_STATE(c[2], XTCP_SYN_SENT);

	/* Accepting makes room; the SYN retransmission gets through. */
	for (n = 0; n < 3; n++) {
		s[n] = xt_accept_wait(lfd, 5000);
		XT_CHECK(s[n] >= 0, "accepted %d of 3", n);
	}
	for (i = 0; i < 3; i++) {
		p = (struct pollfd){ .fd = c[i], .events = POLLOUT };
		XT_CHECK(poll(&p, 1, 3000) == 1, "connection %d still pending", i);
		XT_CHECK(xt_so_error(c[i]) == 0, "connection %d failed", i);
		XT_STATE(c[i], XTCP_ESTABLISHED);
	}
	for (i = 0; i < 3; i++) {
		close(c[i]);
		close(s[i]);
	}
	close(lfd);
}

static void unconnected(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char buf[4];
	int fd, lfd;

	fd = xt_socket_in("a");
	XT_ERRNO(getpeername(fd, (struct sockaddr *)&sin, &len), ENOTCONN);
	XT_ERRNO(send(fd, "x", 1, MSG_NOSIGNAL), EPIPE);
	XT_ERRNO(recv(fd, buf, sizeof(buf), MSG_DONTWAIT), ENOTCONN);
	XT_ERRNO(shutdown(fd, SHUT_RDWR), ENOTCONN);
	XT_ERRNO(accept(fd, NULL, NULL), EINVAL);
	close(fd);

	lfd = xt_listen_in("a", XT_PORT + 4, 4);
	XT_ERRNO(recv(lfd, buf, sizeof(buf), MSG_DONTWAIT), ENOTCONN);
	XT_ERRNO(send(lfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	len = sizeof(sin);
	XT_ERRNO(getpeername(lfd, (struct sockaddr *)&sin, &len), ENOTCONN);
	close(lfd);
}

int main(void)
{
	ephemeral_and_addrinuse();
	connect_errors();
	accept_errors();
	backlog();
	unconnected();
	return 0;
}
