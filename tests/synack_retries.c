// SPDX-License-Identifier: GPL-2.0
/*
 * SYN-ACK retransmission and the end of a request (contract section 5:
 * the SYN's backoff, initial RTO 1 s then doubling; synack_retries
 * retries, then the request is dropped). With synack_retries=2 in b, a
 * SYN injected from a makes b's listener send a SYN-ACK at about 0 s
 * and again at 1 and 3 s, then nothing: at 7 s the request is dropped,
 * so the ACK that would have completed the handshake draws a RST (seq =
 * its ack, as any ACK to a listener without a request) and nothing
 * reaches accept(). Under xtcp, b's /proc/net/xtcp_stat also counts the
 * two retransmissions and the one timeout.
 *
 * Nobody may answer b's SYN-ACKs, or a's RST would end the request
 * early. b's neighbour entry for a's address is made to point at a MAC
 * address nobody has: the SYN-ACKs leave veth-b, where they are
 * captured, and veth-a drops them as frames for another host, so no
 * stack sees them. For the final ACK the entry is put right again.
 *
 * Timing is checked as in syn_timeout.c, -300/+600 ms (see EARLY, LATE).
 * Under TCP the same run, with net.ipv4.tcp_synack_retries=2 in b,
 * passes unchanged: TCP's request timer has the same schedule. Only the
 * counters are xtcp's own; TCP's TcpExt ones are not checked.
 */
#include "wire.h"

#define EARLY 0.3
#define LATE 0.6

static int within(double t, double want)
{
	return t > want - EARLY && t < want + LATE;
}

#define FAKE_PORT 40002
#define ISN 1000
#define NOBODY_MAC "02:00:00:00:00:01"

/* Counter name in b's /proc/net/xtcp_stat. */
static long b_counter(const char *name)
{
	int old = xt_push_ns("b");
	FILE *f = fopen("/proc/thread-self/net/xtcp_stat", "r");
	char key[64];
	long v;

	xt_pop_ns(old);
	if (!f)
		xt_fail("open /proc/net/xtcp_stat in b");
	while (fscanf(f, "%63s %ld", key, &v) == 2) {
		if (!strcmp(key, name)) {
			fclose(f);
			return v;
		}
	}
	xt_fail("no counter %s in xtcp_stat", name);
}

int main(void)
{
	static const double want[] = { 0, 1, 3 };
	struct xt_hdr syn = {
		.sport = FAKE_PORT, .dport = XT_PORT, .seq = ISN, .flags = XT_SYN, .mss = 1460,
	};
	long retrans = 0, timeouts = 0;
	struct xt_seg sa[4], rst;
	struct xt_hdr ack;
	struct xt_cap *cap;
	int lfd, pos = 0, i, n;
	double t;

	xt_sysctl("b", "synack_retries", 2);
	xt_static_neigh();
	xt_sh("/sbin/ip -n b neigh replace %s lladdr %s dev veth-b nud permanent",
	      XT_A, NOBODY_MAC);
	lfd = xt_listen_in("b", XT_PORT, 4);
	if (!xt_is_tcp()) {
		retrans = b_counter("RetransSegs");
		timeouts = b_counter("Timeouts");
	}

	cap = xt_cap_start("b", "veth-b");
	xt_inject("a", XT_B, &syn);
	for (n = 0; n < 4; n++)
		if (!xt_cap_next(cap, &pos, XT_PORT, FAKE_PORT, XT_SYN | XT_ACK, XT_SYN | XT_ACK,
				 n ? 5000 : 2000, &sa[n]))
			break;
	XT_WIRE(cap, n == 3, "%d SYN-ACKs, wanted 3 (synack_retries=2)", n);
	for (i = 0; i < 3; i++) {
		t = sa[i].t - sa[0].t;
		XT_WIRE(cap, within(t, want[i]), "SYN-ACK %d at %.3f s, wanted %.0f s",
			i, t, want[i]);
		XT_WIRE(cap, sa[i].seq == sa[0].seq && sa[i].ack == ISN + 1 && sa[i].outgoing,
			"SYN-ACK %d seq=%u ack=%u, wanted seq=%u ack=%u", i, sa[i].seq,
			sa[i].ack, sa[0].seq, ISN + 1);
	}
	/* A third retransmission would come at 7 s; wait past it. */
	t = cap->t0 + sa[0].t + 7 + LATE + 0.5 - xt_now();
	if (t > 0)
		xt_msleep((int)(t * 1000));
	XT_WIRE(cap, xt_cap_count(cap, XT_PORT, FAKE_PORT, XT_ANY, 0, NULL) == 3,
		"b sent more than 3 SYN-ACKs");
	if (!xt_is_tcp()) {
		retrans = b_counter("RetransSegs") - retrans;
		timeouts = b_counter("Timeouts") - timeouts;
		XT_CHECK(retrans == 2, "RetransSegs went up by %ld, wanted 2", retrans);
		XT_CHECK(timeouts == 1, "Timeouts went up by %ld, wanted 1", timeouts);
	}

	/* The request is gone: the completing ACK is refused. */
	xt_static_neigh();
	pos = xt_cap_mark(cap);
	ack = (struct xt_hdr){
		.sport = FAKE_PORT, .dport = XT_PORT, .seq = ISN + 1, .ack = sa[0].seq + 1,
		.flags = XT_ACK,
	};
	xt_inject("a", XT_B, &ack);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, FAKE_PORT, XT_ANY, 0, 2000, &rst),
		"no answer to the ACK of a dropped request");
	XT_WIRE(cap, rst.flags == XT_RST && rst.seq == sa[0].seq + 1,
		"answer to the ACK: flags %#x seq=%u, wanted RST seq=%u", rst.flags,
		rst.seq, sa[0].seq + 1);
	xt_nonblock(lfd, 1);
	XT_ERRNO(accept(lfd, NULL, NULL), EAGAIN);
	close(lfd);
	xt_cap_stop(cap);
	return 0;
}
