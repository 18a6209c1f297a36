// SPDX-License-Identifier: GPL-2.0
/*
 * connect()'s choice of local port, made as Linux TCP makes it: what
 * must be unique is the four-tuple, so a port that connect() chose may be
 * chosen again for another destination; a port held through bind() or
 * listen() is never chosen. A host may then have as many connections to
 * each destination as it has ephemeral ports, not that many in all.
 *
 * In a, the ephemeral ports are 40000 to 40003; a socket is bound to
 * 40000 and a listener is on 40001. Two connections to each of b's two
 * listeners take 40002 and 40003, both ports twice; a fifth to either
 * fails with EADDRNOTAVAIL, and bind() to a shared port with EADDRINUSE.
 * Then a connection from b to the listener, closed by a first, leaves a
 * TIME-WAIT entry on 40001 and the listener closes: the entry keeps
 * connect() off that port as the listener did (Linux's TIME-WAIT sockets
 * stay in their port's bind bucket). Once the bound socket is closed,
 * its port, 40000, is the one left to choose, and then none is.
 *
 * Run for xtcp and for Linux TCP, the control.
 */
#include "xtnet.h"

#define LOW	40000
#define HIGH	(LOW + 3)
#define BOUND	LOW		/* bound, neither listening nor connected */
#define LISTENS	(LOW + 1)	/* a listener in a */
#define PORT1	XT_PORT
#define PORT2	(XT_PORT + 1)

/* A connection from a to b's port: its client socket. */
static int connect_to(unsigned short port)
{
	int fd = xt_socket_in("a");

	if (xt_connect(fd, XT_B, port) < 0)
		xt_fail("connect to port %u", port);
	return fd;
}

/* The local ports of c[0] and c[1] are 40002 and 40003, in some order. */
static void check_pair(const int *c, unsigned short port)
{
	unsigned short p0 = xt_local_port(c[0]), p1 = xt_local_port(c[1]);

	XT_CHECK((p0 == LOW + 2 && p1 == LOW + 3) || (p0 == LOW + 3 && p1 == LOW + 2),
		 "connections to port %u took local ports %u and %u, wanted %u and %u",
		 port, p0, p1, LOW + 2, LOW + 3);
}

int main(void)
{
	int l1, l2, la, bound, c[2][2], last, fd, s, i;
	char c0;

	xt_port_range("a", LOW, HIGH);
	l1 = xt_listen_in("b", PORT1, 16);
	l2 = xt_listen_in("b", PORT2, 16);
	la = xt_listen_in("a", LISTENS, 16);
	bound = xt_socket_in("a");
	xt_bind(bound, XT_A, BOUND);

	for (i = 0; i < 2; i++) {
		c[0][i] = connect_to(PORT1);
		c[1][i] = connect_to(PORT2);
	}
	check_pair(c[0], PORT1);
	check_pair(c[1], PORT2);

	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, XT_B, PORT1), EADDRNOTAVAIL);
	close(fd);
	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, XT_B, PORT2), EADDRNOTAVAIL);
	close(fd);
	XT_ERRNO(xt_try_bind("a", LOW + 2, 0), EADDRINUSE);

	/* A TIME-WAIT entry on the listener's port, which a closes first. */
	fd = xt_socket_in("b");
	XT_CHECK(xt_connect(fd, XT_A, LISTENS) == 0, "connect to a's listener");
	s = xt_accept_wait(la, 5000);
	XT_CHECK(s >= 0, "accept in a");
	close(s);
	XT_CHECK(xt_wait_readable(fd, 5000) && recv(fd, &c0, 1, 0) == 0, "no EOF in b");
	close(fd);
	xt_msleep(300);
	close(la);

	/* The bound port is free to choose once its socket is gone. */
	close(bound);
	last = connect_to(PORT1);
	XT_CHECK(xt_local_port(last) == BOUND, "connection took port %u, wanted %u",
		 xt_local_port(last), BOUND);
	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, XT_B, PORT1), EADDRNOTAVAIL);
	close(fd);

	close(last);
	for (i = 0; i < 2; i++) {
		close(c[0][i]);
		close(c[1][i]);
	}
	close(l1);
	close(l2);
	return 0;
}
