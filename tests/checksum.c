// SPDX-License-Identifier: GPL-2.0
/*
 * Checksum offload, as TCP does it: a connection's segments leave with
 * only the pseudo-header's sum in the checksum field (CHECKSUM_PARTIAL),
 * and the device, or the stack for a device that cannot, finishes it.
 * Captured on veth-a, before the device:
 *  - with net.xtcp.checksum_offload at its default (1), every segment a
 *    sends on its connection holds the pseudo-header sum, SYN and pure
 *    ACKs included; the listener's SYN-ACK, sent for no socket yet, is
 *    finished; 64 KB each way arrive intact, b taking a's unfinished
 *    segments as they are;
 *  - with checksum_offload 0 in a, every segment a sends is finished,
 *    and b, which now must sum them itself, still takes them all;
 *  - no segment was counted as a checksum error.
 * Under XT_PROTO=6 the first part runs against Linux TCP: its segments
 * on veth are unfinished the same way (GSO packets before they are cut).
 */
#include "wire.h"

#define LEN 65536

static char out[LEN];

/*
 * Count a's segments on p's connection, and those with checksum state st:
 * a GSO packet as the segments it holds (xt_seg_count()).
 */
static void count_sent(struct xt_cap *c, const struct xt_pair *p, int *all, int *st_n,
		       int st, int *synack_ok)
{
	struct xt_seg s;
	int pos = 0, segs;

	*all = 0;
	*st_n = 0;
	while (xt_cap_next(c, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		if (s.sport == p->port && s.dport == p->cport && (s.flags & XT_SYN))
			*synack_ok = s.csum == XT_CSUM_OK;
		if (!s.outgoing || s.sport != p->cport || s.dport != p->port)
			continue;
		segs = xt_seg_count(&s);
		*all += segs;
		if (s.csum == st)
			*st_n += segs;
		else
			xt_seg_print(&s);
	}
}

static void run(int offload, unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	int all, n, synack_ok = -1;
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
	count_sent(cap, &p, &all, &n, offload ? XT_CSUM_PARTIAL : XT_CSUM_OK, &synack_ok);
	XT_CHECK(all > 10, "offload %d: only %d segments of a's captured", offload, all);
	XT_CHECK(n == all, "offload %d: %d of a's %d segments not %s", offload, all - n,
		 all, offload ? "left for the device" : "finished");
	if (!xt_is_tcp())
		XT_CHECK(synack_ok == 1, "the SYN-ACK's checksum was not finished (%d)",
			 synack_ok);
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
	if (!xt_is_tcp()) {
		run(0, XT_PORT + 1);
		xt_sysctl_path("a", "xtcp/checksum_offload", 1);
	}
	XT_CHECK(xt_stat_of("a", "InCsumErrors", "InCsumErrors") == errs_a &&
		 xt_stat_of("b", "InCsumErrors", "InCsumErrors") == errs_b,
		 "segments counted as checksum errors");
	return 0;
}
