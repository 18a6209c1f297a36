// SPDX-License-Identifier: GPL-2.0
/*
 * Over loopback, whose MTU (65536) would allow segments of 65483 bytes,
 * what a segment costs stays small.
 *
 * In namespace a, a client connects to a listener on 127.0.0.1. Corked
 * (XTCP_CORK, or TCP_CORK under XT_PROTO=6, so that nothing leaves and
 * is freed), one byte written holds under 4 KiB of the send buffer
 * (SO_MEMINFO's wmem_queued): it used to take an skb of a whole MSS,
 * 128 KiB of truesize. xtcp's send MSS there is at most 16064 bytes, the
 * most a 16 KiB allocation holds (TCP's, with its paged skbs, is the
 * route's). Then XT_STREAM_MB megabytes (default 8) go each way at once
 * and arrive whole.
 */
#include <linux/sock_diag.h>
#include <netinet/tcp.h>

#include "xtapi.h"

#define LO	"127.0.0.1"
#define MAX_SEG	16064

static unsigned int wmem_queued(int fd)
{
	__u32 mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);

	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0)
		xt_fail("getsockopt SO_MEMINFO");
	return mem[SK_MEMINFO_WMEM_QUEUED];
}

struct job {
	int from, to;
	const void *buf;
	size_t len;
};

static void *xfer_run(void *arg)
{
	struct job *j = arg;

	xt_xfer(j->from, j->to, j->buf, j->len, 120000);
	return NULL;
}

int main(void)
{
	int lfd, cfd, sfd, cork = xt_is_tcp() ? TCP_CORK : XTCP_CORK;
	int level = xt_is_tcp() ? IPPROTO_TCP : SOL_XTCP;
	const char *mb = getenv("XT_STREAM_MB");
	size_t xfer = (mb ? atoi(mb) : 8) << 20;
	unsigned char *buf = malloc(xfer);
	unsigned int queued;
	struct job back;
	pthread_t t;

	XT_CHECK(buf, "malloc");
	xt_pat_fill(buf, 0, xfer);
	xt_enter("a");
	lfd = xt_socket();
	xt_bind(lfd, LO, XT_PORT);
	XT_CHECK(listen(lfd, 4) == 0, "listen");
	cfd = xt_socket();
	XT_CHECK(xt_connect(cfd, LO, XT_PORT) == 0, "connect");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "accept");

	xt_setint(cfd, level, cork, 1);
	XT_CHECK(send(cfd, "x", 1, 0) == 1, "send");
	queued = wmem_queued(cfd);
	XT_CHECK(queued > 0 && queued < 4096, "one corked byte holds %u bytes of the send buffer",
		 queued);
	xt_setint(cfd, level, cork, 0);
	xt_recv_all(sfd, buf, 1, 3000);
	XT_CHECK(buf[0] == 'x', "received 0x%02x", buf[0]);
	if (!xt_is_tcp()) {
		struct xtcp_info info;
		socklen_t len = sizeof(info);

		XT_CHECK(getsockopt(cfd, SOL_XTCP, XTCP_INFO, &info, &len) == 0, "XTCP_INFO");
		XT_CHECK(info.xtcpi_snd_mss <= MAX_SEG && info.xtcpi_snd_mss > 1460,
			 "send MSS %u on loopback", info.xtcpi_snd_mss);
	}
	printf("one corked byte: %u bytes queued\n", queued);

	/* Both ways at once. */
	xt_pat_fill(buf, 0, xfer);
	back = (struct job){ .from = sfd, .to = cfd, .buf = buf, .len = xfer };
	XT_CHECK(pthread_create(&t, NULL, xfer_run, &back) == 0, "pthread_create");
	xt_xfer(cfd, sfd, buf, xfer, 120000);
	pthread_join(t, NULL);
	close(cfd);
	close(sfd);
	close(lfd);
	free(buf);
	return 0;
}
