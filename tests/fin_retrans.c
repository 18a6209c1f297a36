// SPDX-License-Identifier: GPL-2.0
/*
 * FIN retransmission (contract section 5: FIN is retransmitted like
 * data, RFC 6298's timer and backoff). a shuts down its sending side
 * while netem drops everything a sends; the FIN and its first
 * retransmission are lost. After 500 ms the path is clear again: the
 * next retransmission reaches b, which reads EOF and ACKs it, and a
 * reaches FIN-WAIT-2. On b's wire the first FIN seen comes after the
 * path cleared, with the sequence number a's FIN had; under xtcp a's
 * RetransSegs counter shows the retransmissions.
 */
#include "wire.h"

int main(void)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_pair p = xt_pair_open(XT_PORT);
	long retrans = xt_is_tcp() ? 0 : xt_stat("a", "RetransSegs");
	struct xt_seg fin;
	uint32_t cnxt;
	double t0, cleared;
	char buf[4];
	int pos;

	xt_msleep(50);
	xt_cap_next_seq(cap, p.cport, XT_PORT, &cnxt, NULL);
	pos = xt_cap_mark(cap);

	xt_netem("a", "loss 100%");
	t0 = xt_now();
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	xt_msleep(500);
	XT_STATE(p.cfd, XTCP_FIN_WAIT1);
	xt_netem_off("a");
	cleared = xt_now() - t0;

	XT_CHECK(xt_wait_readable(p.sfd, 5000) && recv(p.sfd, buf, sizeof(buf), 0) == 0,
		 "no EOF at b after the path cleared");
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, XT_PORT, XT_FIN, XT_FIN, 1000, &fin),
		"no FIN reached b");
	XT_WIRE(cap, fin.seq == cnxt, "FIN seq=%u, wanted %u", fin.seq, cnxt);
	XT_CHECK(xt_wait_state(p.cfd, XTCP_FIN_WAIT2, 2000), "a not in FIN-WAIT-2");
	if (!xt_is_tcp())
		XT_CHECK(xt_stat("a", "RetransSegs") >= retrans + 2,
			 "RetransSegs went from %ld to %ld, wanted 2 more at least", retrans,
			 xt_stat("a", "RetransSegs"));
	fprintf(stderr, "path cleared at %.2f s, FIN through at %.2f s\n", cleared,
		xt_now() - t0);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	xt_cap_stop(cap);
	return 0;
}
