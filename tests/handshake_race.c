// SPDX-License-Identifier: GPL-2.0
/*
 * The ACK that completes a handshake and the client's first data arrive
 * together, while a process holds the listener: both find the listener
 * (the connection does not exist yet) and wait in its backlog. The ACK
 * then makes the connection; the data must reach it, not draw a RST from
 * the listener, which has no request for it any more. The same happens
 * when the two are received on two CPUs at once.
 *
 * netem's slots on a's side release each connection's ACK and its first
 * data in one burst, and a thread in b keeps the listener locked most of
 * the time with setsockopt(). Each of 150 connections sends one byte and
 * must get it back; a reset client fails the test. Without the fix the
 * 18th connection was reset on the first try here.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "xtnet.h"

#define CONNS	150

static int lfd;
static atomic_int stop;

/* Keep the listener owned by a process as much as possible. */
static void *hold_listener(void *arg)
{
	int one = 1;

	(void)arg;
	while (!atomic_load(&stop))
		setsockopt(lfd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	return NULL;
}

/* Echo one byte on each accepted connection. */
static void *serve(void *arg)
{
	char c;
	int i, fd;

	(void)arg;
	for (i = 0; i < CONNS; i++) {
		fd = xt_accept_wait(lfd, 5000);
		if (fd < 0)
			return NULL;
		if (xt_wait_readable(fd, 3000) && recv(fd, &c, 1, 0) == 1)
			send(fd, &c, 1, MSG_NOSIGNAL);
		close(fd);
	}
	return NULL;
}

int main(void)
{
	pthread_t holder, server;
	char c;
	int i, fd, n;

	lfd = xt_listen_in("b", XT_PORT, CONNS);
	xt_netem("a", "slot 10ms 10ms");
	pthread_create(&holder, NULL, hold_listener, NULL);
	pthread_create(&server, NULL, serve, NULL);

	xt_enter("a");
	for (i = 0; i < CONNS; i++) {
		fd = xt_socket();
		XT_CHECK(xt_connect(fd, XT_B, XT_PORT) == 0, "connect %d", i);
		c = 'a' + i % 26;
		XT_CHECK(send(fd, &c, 1, MSG_NOSIGNAL) == 1, "send %d", i);
		XT_CHECK(xt_wait_readable(fd, 3000), "connection %d: no answer", i);
		n = recv(fd, &c, 1, 0);
		XT_CHECK(n == 1 && c == 'a' + i % 26, "connection %d: recv gave %d (%s)", i, n,
			 n < 0 ? strerror(errno) : "no error");
		close(fd);
	}
	atomic_store(&stop, 1);
	pthread_join(holder, NULL);
	pthread_join(server, NULL);
	return 0;
}
