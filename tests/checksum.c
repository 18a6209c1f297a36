// SPDX-License-Identifier: GPL-2.0
/*
 * Checksum offload: a segment may leave with only the pseudo-header's
 * sum in its checksum field (CHECKSUM_PARTIAL), for the device, or the
 * stack for a device that cannot, to finish. Captured on veth-a, before
 * the device:
 *  - with net.xtcp.checksum_offload at its default (1), a's GSO packets
 *    hold the pseudo-header sum, and every other segment a sends is
 *    finished (over veth it may be forwarded to a NIC that finishes only
 *    TCP's checksums: tests/nic), SYN and pure ACKs included, as is the
 *    listener's SYN-ACK; 64 KB each way arrive intact;
 *  - with checksum_offload 0 in a, no GSO packet leaves, every segment
 *    is finished, and b still takes them all;
 *  - over lo (captured there), where no packet can go on to a NIC, a's
 *    data segments hold the pseudo-header sum with offload, as TCP's
 *    do, and are finished without;
 *  - no segment was counted as a checksum error.
 * Under XT_PROTO=6 the first part runs against Linux TCP, whose segments
 * on veth are all unfinished.
 */
#include "wire.h"

#define LEN 65536

static char out[LEN];

/*
 * Count a's segments on p's connection, and those whose checksum is in
 * the state wanted of them: a GSO packet as the segments it holds
 * (xt_seg_count()), which with offload must be unfinished; any other
 * finished, but unfinished with offload under Linux TCP.
 */
static void count_sent(struct xt_cap *c, const struct xt_pair *p, int offload, int *all,
		       int *right, int *gso, int *synack_ok)
{
	struct xt_seg s;
	int pos = 0, segs, want;

	*all = 0;
	*right = 0;
	*gso = 0;
	while (xt_cap_next(c, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		if (s.sport == p->port && s.dport == p->cport && (s.flags & XT_SYN))
			*synack_ok = s.csum == XT_CSUM_OK;
		if (!s.outgoing || s.sport != p->cport || s.dport != p->port)
			continue;
		segs = xt_seg_count(&s);
		*all += segs;
		*gso += segs > 1;
		want = offload && (segs > 1 || xt_is_tcp()) ? XT_CSUM_PARTIAL : XT_CSUM_OK;
		if (s.csum == want)
			*right += segs;
		else
			xt_seg_print(&s);
	}
}

static void run(int offload, unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	int all, n, gso, synack_ok = -1;
	struct xt_pair p;

	if (!xt_is_tcp())
		xt_sysctl_path("a", "xtcp/checksum_offload", offload);
	p = xt_pair_open(port);
	xt_xfer(p.cfd, p.sfd, out, LEN, 20000);
	xt_xfer(p.sfd, p.cfd, out, LEN, 20000);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	xt_msleep(200);
	count_sent(cap, &p, offload, &all, &n, &gso, &synack_ok);
	XT_CHECK(all > 10, "offload %d: only %d segments of a's captured", offload, all);
	XT_CHECK(n == all, "offload %d: the checksums of %d of a's %d segments as above",
		 offload, all - n, all);
	if (!xt_is_tcp()) {
		XT_CHECK(offload ? gso > 0 : gso == 0, "offload %d: %d GSO packets", offload, gso);
		XT_CHECK(synack_ok == 1, "the SYN-ACK's checksum was not finished (%d)",
			 synack_ok);
	}
	xt_cap_stop(cap);
}

/* 64 KB each way over lo in a: a's data segments' checksums as wanted. */
static void run_lo(int offload, unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("a", "lo");
	int lfd = xt_socket_in("a"), cfd = xt_socket_in("a"), sfd;
	int want = offload ? XT_CSUM_PARTIAL : XT_CSUM_OK, all = 0, n = 0, pos = 0;
	struct xt_seg s;

	if (!xt_is_tcp())
		xt_sysctl_path("a", "xtcp/checksum_offload", offload);
	xt_bind(lfd, "127.0.0.1", port);
	XT_CHECK(listen(lfd, 4) == 0, "lo: listen");
	XT_CHECK(xt_connect(cfd, "127.0.0.1", port) == 0, "lo: connect");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "lo: accept");
	xt_xfer(cfd, sfd, out, LEN, 20000);
	xt_xfer(sfd, cfd, out, LEN, 20000);
	close(cfd);
	close(sfd);
	close(lfd);
	xt_msleep(200);
	while (xt_cap_next(cap, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		/* lo shows each packet twice: leaving, and arriving. */
		if (!s.outgoing || !s.len || (s.sport != port && s.dport != port))
			continue;
		all++;
		if (s.csum == want)
			n++;
		else
			xt_seg_print(&s);
	}
	XT_CHECK(all > 2, "lo, offload %d: only %d data segments captured", offload, all);
	XT_CHECK(n == all, "lo, offload %d: %d of %d data segments' checksums not %s", offload,
		 all - n, all, offload ? "left to finish" : "finished");
	xt_cap_stop(cap);
}

int main(void)
{
	long errs_a, errs_b;
	size_t i;

	for (i = 0; i < LEN; i++)
		out[i] = i * 7 + i / 251;
	errs_a = xt_stat_of("a", "InCsumErrors", "InCsumErrors");
	errs_b = xt_stat_of("b", "InCsumErrors", "InCsumErrors");
	run(1, XT_PORT);
	run_lo(1, XT_PORT + 2);
	if (!xt_is_tcp()) {
		run(0, XT_PORT + 1);
		run_lo(0, XT_PORT + 3);
		xt_sysctl_path("a", "xtcp/checksum_offload", 1);
	}
	XT_CHECK(xt_stat_of("a", "InCsumErrors", "InCsumErrors") == errs_a &&
		 xt_stat_of("b", "InCsumErrors", "InCsumErrors") == errs_b,
		 "segments counted as checksum errors");
	return 0;
}
