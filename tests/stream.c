// SPDX-License-Identifier: GPL-2.0
/*
 * The byte stream under loss, issue 4's matrix: one connection per path
 * condition carries MB megabytes each way at once (full duplex), each
 * direction a pseudo-random stream that the reader checks byte for byte,
 * then both ends shut down and read EOF. Every condition has a path of
 * its own (namespaces aN and bN, tests/lib/topo path N) and runs in a
 * process of its own, all at once: the test takes as long as its
 * slowest condition, not the sum. The conditions, set with netem on a's
 * egress (a->b) and b's (b->a):
 *
 *   clean        nothing
 *   loss1        1 % loss each way
 *   loss5        5 % loss each way
 *   loss10       10 % loss each way
 *   loss20       20 % loss a->b only, b->a clean (the a->b data and
 *                the b->a ACKs of the other stream see the loss); an
 *                eighth of MB under TCP and on a slow kernel (below)
 *   reorder      25 % of the segments overtake the rest, which wait
 *                10 ms, each way
 *   dup5         5 % duplicated each way
 *   corrupt1     1 % with a bit flipped each way, which the checksum
 *                must catch
 *   delay_loss   50 ms delay and 1 % loss each way
 *
 * Every condition but clean has each end send one segment to a packet:
 * netem loses, reorders, duplicates and corrupts packets, and a GSO
 * packet holds up to 44 segments, where over a real link (the stack
 * cuts GSO packets before the NIC) each segment meets the path's
 * trouble alone; a 1 MB flow would also be too few GSO packets for 1 %
 * of them to be sure to meet any. The clean path carries GSO packets;
 * tests/gso checks them, and their cutting, on their own.
 *
 * Each must finish within a stall limit (no byte moving for 60 s fails);
 * speed is not measured, only printed. The counters of each condition's
 * namespaces (xtcp_stat, or under XT_PROTO=6 TCP's snmp and netstat)
 * must show that its netem did what it says, which also tells a quiet
 * netem from a working protocol: where there is loss, segments were
 * retransmitted and some by fast retransmit, not all by timeouts;
 * reordering put segments in the out-of-order queue; duplication brought
 * segments already received (xtcp's OutOfWindow, TCP's TCPDSACKOldSent);
 * corruption raised InCsumErrors (and the data still arrived intact).
 *
 * XT_STREAM_MB sets the size (default 2: the debug kernel moves about
 * 100 KB/s); XT_STREAM_SLOW=1 says the kernel is that slow;
 * XT_STREAM_ONLY=NAME[,NAME...] runs some conditions;
 * XT_STREAM_CAPTURE=1 keeps the latest segments of each path's veth and
 * prints the last 40 when a condition fails, to show how it ended.
 */
#include <sys/wait.h>

#include "stream.h"
#include "wire.h"

enum {
	RETRANS = 1,		/* lossy: retransmissions, some fast */
	OFO = 2,		/* reordering: out-of-order segments held */
	DUP = 4,		/* duplication: old segments again */
	CSUM = 8,		/* corruption: checksum errors counted */
};

struct cond {
	const char *name;
	const char *netem_a;	/* on a's egress: a->b */
	const char *netem_b;	/* on b's egress: b->a */
	int expect;
	int shift;		/* see size_of() */
};

#define L "limit 10000"

static const struct cond conds[] = {
	{ "clean", L, L, 0, 0 },
	{ "loss1", L " loss 1%", L " loss 1%", RETRANS, 0 },
	{ "loss5", L " loss 5%", L " loss 5%", RETRANS, 0 },
	{ "loss10", L " loss 10%", L " loss 10%", RETRANS, 0 },
	{ "loss20", L " loss 20%", L, RETRANS, 3 },
	{ "reorder", L " delay 10ms reorder 25% 50%", L " delay 10ms reorder 25% 50%", OFO, 0 },
	{ "dup5", L " duplicate 5%", L " duplicate 5%", DUP, 0 },
	{ "corrupt1", L " corrupt 1%", L " corrupt 1%", CSUM, 0 },
	{ "delay_loss", L " delay 50ms loss 1%", L " delay 50ms loss 1%", RETRANS, 0 },
};

#define NCONDS (sizeof(conds) / sizeof(conds[0]))

/*
 * What a condition carries: all of MB, except that loss20 carries an
 * eighth under TCP, the control (at 20 % Linux TCP needs over six
 * minutes for 32 MB, more than CI can give one test; xtcp with SACK takes
 * about four), and on a slow kernel (XT_STREAM_SLOW: the debug kernel,
 * CPU-bound at 100 KB/s, queues seconds of data, its RTO grows to several
 * seconds, and two losses of one retransmission back off past the stall
 * limit).
 */
static size_t size_of(const struct cond *c, size_t total)
{
	return xt_is_tcp() || getenv("XT_STREAM_SLOW") ? total >> c->shift : total;
}

/* The counters a condition looks at, summed over its two namespaces. */
struct counts {
	long retrans, fast, ofo, csum, old;
};

static long both(const char *na, const char *nb, const char *xname, const char *tname)
{
	return xt_stat_of(na, xname, tname) + xt_stat_of(nb, xname, tname);
}

static struct counts counts(const char *na, const char *nb)
{
	return (struct counts){
		.retrans = both(na, nb, "RetransSegs", "RetransSegs"),
		.fast = both(na, nb, "FastRetrans", "TCPFastRetrans"),
		.ofo = both(na, nb, "OfoQueued", "TCPOFOQueue"),
		.csum = both(na, nb, "InCsumErrors", "InCsumErrors"),
		.old = both(na, nb, "OutOfWindow", "TCPDSACKOldSent"),
	};
}

static void run(const struct cond *c, int path, size_t total)
{
	char na[16], nb[16];
	struct xt_cap *cap = NULL;
	struct counts c0, c1;
	struct xt_flow f[4];
	struct xt_pair p;
	double t0;
	int bad;

	snprintf(na, sizeof(na), "a%d", path);
	snprintf(nb, sizeof(nb), "b%d", path);
	if (strcmp(c->name, "clean")) {
		xt_gso_max_segs(na, 1);
		xt_gso_max_segs(nb, 1);
	}
	xt_netem(na, L);
	xt_netem_change(nb, L);
	if (getenv("XT_STREAM_CAPTURE")) {
		char veth[24];

		snprintf(veth, sizeof(veth), "veth-%s", na);
		cap = xt_cap_start_ring(na, veth);
	}
	p = xt_pair_between(na, nb, XT_PORT);
	xt_netem_change(na, c->netem_a);
	xt_netem_change(nb, c->netem_b);
	c0 = counts(na, nb);
	t0 = xt_now();
	xt_duplex(f, p.cfd, p.sfd, total, 1);
	bad = xt_flows_join(f, 4, c->name);
	if (bad && cap)
		xt_cap_tail(cap, c->name, 40);
	if (bad) {
		/* A stall with packets held in netem (backlog) is netem's. */
		xt_sh("/sbin/tc -n %s -s qdisc show dev veth-%s >&2", na, na);
		xt_sh("/sbin/tc -n %s -s qdisc show dev veth-%s >&2", nb, nb);
	}
	XT_CHECK(!bad, "%s: %d of 4 flows failed", c->name, bad);
	c1 = counts(na, nb);
	fprintf(stderr, "%-10s %zu bytes each way in %5.1f s: %ld retransmitted (%ld fast), "
		"%ld out of order, %ld bad checksums, %ld old again\n",
		c->name, total, xt_now() - t0, c1.retrans - c0.retrans, c1.fast - c0.fast,
		c1.ofo - c0.ofo, c1.csum - c0.csum, c1.old - c0.old);
	if (c->expect & RETRANS) {
		XT_CHECK(c1.retrans > c0.retrans, "%s: nothing retransmitted", c->name);
		XT_CHECK(c1.fast > c0.fast, "%s: no fast retransmit", c->name);
	}
	if (c->expect & OFO)
		XT_CHECK(c1.ofo > c0.ofo, "%s: nothing held out of order", c->name);
	if (c->expect & DUP)
		XT_CHECK(c1.old > c0.old, "%s: no old segment came again", c->name);
	if (c->expect & CSUM)
		XT_CHECK(c1.csum > c0.csum, "%s: no checksum error counted", c->name);
	if (cap)
		xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static int selected(const char *only, const char *name)
{
	size_t n = strlen(name);
	const char *s;

	if (!only)
		return 1;
	for (s = only; (s = strstr(s, name)); s += n)
		if ((s == only || s[-1] == ',') && (s[n] == ',' || !s[n]))
			return 1;
	return 0;
}

int main(void)
{
	const char *only = getenv("XT_STREAM_ONLY");
	const char *mb = getenv("XT_STREAM_MB");
	size_t total = (size_t)(mb ? atoi(mb) : 2) << 20;
	pid_t pid[NCONDS] = { 0 };
	int i, n = 0, failed = 0, status;
	double t0 = xt_now();

	/* The paths at once too: a namespace takes seconds on the debug kernel. */
	for (i = 0; i < (int)NCONDS; i++) {
		if (!selected(only, conds[i].name))
			continue;
		pid[i] = fork();
		if (pid[i] < 0)
			xt_fail("fork");
		if (pid[i] == 0) {
			xt_path(i + 1);
			exit(0);
		}
		n++;
	}
	for (i = 0; i < (int)NCONDS; i++) {
		if (pid[i] && (waitpid(pid[i], &status, 0) < 0 || !WIFEXITED(status) ||
			       WEXITSTATUS(status)))
			xt_fail("path %d for %s did not come up", i + 1, conds[i].name);
		pid[i] = 0;
	}
	XT_CHECK(n > 0, "XT_STREAM_ONLY=%s names no condition", only);
	fprintf(stderr, "stream: %d paths up in %.1f s\n", n, xt_now() - t0);
	fprintf(stderr, "stream: %d conditions at once, %zu bytes each way each\n", n, total);
	for (i = 0; i < (int)NCONDS; i++) {
		if (!selected(only, conds[i].name))
			continue;
		pid[i] = fork();
		if (pid[i] < 0)
			xt_fail("fork");
		if (pid[i] == 0) {
			run(&conds[i], i + 1, size_of(&conds[i], total));
			exit(0);
		}
	}
	for (i = 0; i < (int)NCONDS; i++) {
		if (!pid[i])
			continue;
		if (waitpid(pid[i], &status, 0) < 0)
			xt_fail("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "stream: %s failed\n", conds[i].name);
			failed++;
		}
	}
	fprintf(stderr, "stream: %d of %d conditions passed in %.1f s\n", n - failed, n,
		xt_now() - t0);
	return failed ? 1 : 0;
}
