// SPDX-License-Identifier: GPL-2.0
/*
 * The send buffer grows with the congestion window, as Linux TCP's does
 * (tcp_sndbuf_expand()), unless SO_SNDBUF set it.
 *
 * A fresh connection's two ends hold room for twice the initial window
 * of ten full segments (SO_SNDBUF at least 2 * 10 * 1460 bytes). After
 * XT_STREAM_MB megabytes (default 16) sent a to b, the sender's buffer
 * has grown past what it was and past 64 KiB. A client whose SO_SNDBUF
 * was set to 32 KiB before connect() reads back 64 KiB (the kernel
 * doubles it) before and after the same transfer, which arrives whole.
 */
#include <pthread.h>
#include <poll.h>

#include "xtnet.h"

#define MB		(1 << 20)
#define INITIAL		(2 * 10 * 1460)
#define WMEM_DEFAULT	16384

static int sndbuf(int fd)
{
	int v;
	socklen_t len = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &v, &len) < 0)
		xt_fail("getsockopt SO_SNDBUF");
	return v;
}

int main(void)
{
	const char *mb = getenv("XT_STREAM_MB");
	size_t xfer = (mb ? atoi(mb) : 16) * (size_t)MB;
	char *buf = xt_pattern(xfer);
	struct xt_pair p;
	int before, after, fd, sfd, lfd, set = 32768;

	p = xt_pair_open(XT_PORT);
	before = sndbuf(p.cfd);
	XT_CHECK(before >= INITIAL, "client SO_SNDBUF %d after connect, not >= %d",
		 before, INITIAL);
	XT_CHECK(sndbuf(p.sfd) >= INITIAL, "server SO_SNDBUF %d after accept, not >= %d",
		 sndbuf(p.sfd), INITIAL);
	xt_xfer(p.cfd, p.sfd, buf, xfer, 120000);
	after = sndbuf(p.cfd);
	XT_CHECK(after > before && after > 4 * WMEM_DEFAULT,
		 "client SO_SNDBUF %d after %zu MB, %d before", after, xfer / MB, before);
	printf("SO_SNDBUF: %d after connect, %d after %zu MB\n", before, after, xfer / MB);
	close(p.cfd);
	close(p.sfd);

	/* SO_SNDBUF set: it stays what was asked for. */
	lfd = p.lfd;
	fd = xt_socket_in("a");
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &set, sizeof(set)) < 0)
		xt_fail("setsockopt SO_SNDBUF");
	XT_CHECK(xt_connect(fd, XT_B, XT_PORT) == 0, "connect");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "accept");
	XT_CHECK(sndbuf(fd) == 2 * set, "SO_SNDBUF %d after connect, set %d", sndbuf(fd), set);
	xt_xfer(fd, sfd, buf, xfer, 120000);
	XT_CHECK(sndbuf(fd) == 2 * set, "SO_SNDBUF %d after the transfer, set %d", sndbuf(fd), set);
	close(fd);
	close(sfd);
	close(lfd);
	free(buf);
	return 0;
}
