// SPDX-License-Identifier: GPL-2.0
/*
 * The counters of /proc/net/xtcp_stat (issue 5) move by exactly what the
 * test makes happen, in the namespace where it happens:
 *
 *   - a connection that carries 10000 bytes and closes, a first: a's
 *     OutSegs and b's InSegs both equal the segments a sent as b's veth
 *     saw them (a GSO packet, which the veth carries whole, counting as
 *     the MSS-sized segments it holds), and the other way round;
 *     ActiveOpens +1 in a, PassiveOpens +1 in b, TimeWaitCreated +1 in a (it closed first);
 *     no RST, no retransmission, no reset connection;
 *   - connect() to a port nobody listens on: b's NoSocket and OutRsts +1,
 *     a's AttemptFails +1;
 *   - the server closes with linger 0: b's OutRsts and EstabResets +1,
 *     a's InRsts and EstabResets +1;
 *   - a segment shorter than a header: b's InMalformed +1;
 *   - a SYN into b's established connection: b's ChallengeAcks +1;
 *   - a third connection to a listener of backlog 1 that accepts none:
 *     b's AcceptQueueDrops +1 for each of its SYNs that b's veth saw;
 *   - SYNs that fill a SYN queue (16 requests; b's SYN-ACKs are lost): with
 *     syncookies 0 the 17th is b's SynQueueDrops +1; with syncookies 1
 *     an 18th is SyncookiesSent +1 instead;
 *   - a new SYN for the four-tuple of a's TIME-WAIT entry, after the
 *     server port's listener went and came back: the entry gives way,
 *     a's TimeWaitRecycled +1 and TimeWaitCreated unchanged. (a listens
 *     here: the entry must belong to the side that receives the SYN.)
 * Under XT_PROTO=6 the steps with a Linux TCP counter of the same meaning
 * are checked against it (ActiveOpens, PassiveOpens, AttemptFails,
 * EstabResets, OutRsts); the rest are xtcp's own. TCP's segment counts
 * are not held to the capture: it counts a GSO packet's segments, which
 * the veth carries as one.
 */
#include "wire.h"

#define MAXC 48

struct stats {
	int n;
	char name[MAXC][40];
	long v[MAXC];
};

static void snap(const char *ns, struct stats *s)
{
	int old = xt_push_ns(ns);
	FILE *f = fopen("/proc/thread-self/net/xtcp_stat", "r");

	xt_pop_ns(old);
	if (!f)
		xt_fail("/proc/net/xtcp_stat");
	s->n = 0;
	while (s->n < MAXC && fscanf(f, "%39s %ld", s->name[s->n], &s->v[s->n]) == 2)
		s->n++;
	fclose(f);
	XT_CHECK(s->n > 20, "only %d counters", s->n);
}

static long val(const struct stats *s, const char *name)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->v[i];
	xt_fail("no counter %s", name);
}

/* The segments sport sent to dport that the capture saw (xt_seg_count()). */
static int segs_seen(struct xt_cap *cap, uint16_t sport, uint16_t dport)
{
	int i, n = 0;

	pthread_mutex_lock(&cap->lock);
	for (i = 0; i < cap->n; i++)
		if (xt_seg_match(&cap->seg[i], sport, dport, XT_ANY, 0))
			n += xt_seg_count(&cap->seg[i]);
	pthread_mutex_unlock(&cap->lock);
	return n;
}

/* Before and after, per namespace: a is [0], b is [1]. */
static struct stats before[2];

static void begin(void)
{
	if (xt_is_tcp())
		return;
	snap("a", &before[0]);
	snap("b", &before[1]);
}

/*
 * Counter name (TCP's tcp_name under XT_PROTO=6, if any) in ns moved by
 * want since begin().
 */
static void moved(const char *ns, const char *name, const char *tcp_name, long want,
		  const struct stats *now)
{
	long d;

	if (xt_is_tcp())
		return;
	(void)tcp_name;
	d = val(now, name) - val(&before[ns[0] == 'b'], name);
	XT_CHECK(d == want, "%s's %s moved by %ld, wanted %ld", ns, name, d, want);
}

/* Linux TCP's counters, for the control run. */
static const char *const tcp_names[] = {
	"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "OutRsts",
};

#define NTCP (sizeof(tcp_names) / sizeof(tcp_names[0]))

static long tcp_before[2][NTCP];

static void tcp_begin(void)
{
	unsigned int i;

	if (!xt_is_tcp())
		return;
	for (i = 0; i < NTCP; i++) {
		tcp_before[0][i] = xt_tcp_stat("a", tcp_names[i]);
		tcp_before[1][i] = xt_tcp_stat("b", tcp_names[i]);
	}
}

static void tcp_moved(const char *ns, const char *name, long want)
{
	unsigned int i;
	long d;

	if (!xt_is_tcp())
		return;
	for (i = 0; i < NTCP && strcmp(tcp_names[i], name); i++)
		;
	XT_CHECK(i < NTCP, "%s", name);
	d = xt_tcp_stat(ns, name) - tcp_before[ns[0] == 'b'][i];
	XT_CHECK(d == want, "%s's TCP %s moved by %ld, wanted %ld", ns, name, d, want);
}

/* Mark both sets of counters; check(ns, name, tcp name or NULL, delta). */
static void mark(void)
{
	begin();
	tcp_begin();
}

static struct stats now_a, now_b;

static void take(void)
{
	if (xt_is_tcp())
		return;
	snap("a", &now_a);
	snap("b", &now_b);
}

static void check(const char *ns, const char *name, const char *tcp_name, long want)
{
	moved(ns, name, tcp_name, want, ns[0] == 'a' ? &now_a : &now_b);
	if (tcp_name)
		tcp_moved(ns, tcp_name, want);
}

static void wait_state(int fd, int want)
{
	XT_CHECK(xt_wait_state(fd, want, 5000), "never reached %s", xt_state_name(want));
}

static void connection(void)
{
	static char buf[10000];
	struct xt_cap *cap;
	int a_to_b, b_to_a;
	struct xt_pair p;

	cap = xt_cap_start("b", "veth-b");
	mark();
	p = xt_pair_open(XT_PORT);
	memset(buf, 'c', sizeof(buf));
	xt_xfer(p.cfd, p.sfd, buf, sizeof(buf), 10000);
	close(p.cfd);
	XT_CHECK(xt_wait_readable(p.sfd, 5000), "no FIN");
	close(p.sfd);
	close(p.lfd);
	/* The last ACK, a's, and then quiet: TIME-WAIT answers nothing more. */
	xt_msleep(500);
	a_to_b = segs_seen(cap, p.cport, XT_PORT);
	b_to_a = segs_seen(cap, XT_PORT, p.cport);
	xt_cap_stop(cap);
	XT_CHECK(a_to_b >= 4 && b_to_a >= 3, "captured %d and %d", a_to_b, b_to_a);
	take();
	check("a", "OutSegs", NULL, a_to_b);
	check("b", "InSegs", NULL, a_to_b);
	check("b", "OutSegs", NULL, b_to_a);
	check("a", "InSegs", NULL, b_to_a);
	check("a", "ActiveOpens", "ActiveOpens", 1);
	check("b", "ActiveOpens", "ActiveOpens", 0);
	check("b", "PassiveOpens", "PassiveOpens", 1);
	check("a", "PassiveOpens", "PassiveOpens", 0);
	check("a", "TimeWaitCreated", NULL, 1);
	check("b", "TimeWaitCreated", NULL, 0);
	check("a", "OutRsts", "OutRsts", 0);
	check("b", "OutRsts", "OutRsts", 0);
	check("a", "EstabResets", "EstabResets", 0);
	check("b", "EstabResets", "EstabResets", 0);
	check("a", "RetransSegs", NULL, 0);
}

static void refused(void)
{
	int fd = xt_socket_in("a");

	mark();
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT + 1), ECONNREFUSED);
	take();
	check("b", "NoSocket", NULL, 1);
	check("b", "OutRsts", "OutRsts", 1);
	check("a", "AttemptFails", "AttemptFails", 1);
	check("a", "InRsts", NULL, 1);
	check("a", "EstabResets", "EstabResets", 0);
	close(fd);
}

static void reset(void)
{
	struct linger lg = { 1, 0 };
	struct xt_pair p = xt_pair_open(XT_PORT + 2);

	mark();
	if (setsockopt(p.sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		xt_fail("SO_LINGER");
	close(p.sfd);
	wait_state(p.cfd, XTCP_CLOSE);
	take();
	check("b", "OutRsts", "OutRsts", 1);
	check("b", "EstabResets", "EstabResets", 1);
	check("a", "InRsts", NULL, 1);
	check("a", "EstabResets", "EstabResets", 1);
	check("a", "OutRsts", "OutRsts", 0);
	close(p.cfd);
	close(p.lfd);
}

/* Ten bytes of protocol xt_proto() from a to b: no room for a header. */
static void malformed(void)
{
	struct sockaddr_in to = xt_addr(XT_B, 0);
	static const char junk[10] = "0123456789";
	int fd, old;

	old = xt_push_ns("a");
	fd = socket(AF_INET, SOCK_RAW, xt_proto());
	xt_pop_ns(old);
	if (fd < 0)
		xt_fail("raw socket");
	mark();
	if (sendto(fd, junk, sizeof(junk), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		xt_fail("sendto");
	xt_msleep(200);
	take();
	check("b", "InMalformed", NULL, 1);
	check("b", "InSegs", NULL, 1);
	check("b", "OutRsts", "OutRsts", 0);
	close(fd);
}

static void challenge(void)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_pair p = xt_pair_open(XT_PORT + 3);
	struct xt_hdr h = { .flags = XT_SYN };
	uint32_t nxt;

	xt_cap_next_seq(cap, p.cport, XT_PORT + 3, &nxt, NULL);
	h.sport = p.cport;
	h.dport = XT_PORT + 3;
	h.seq = nxt + 100;
	mark();
	xt_inject("a", XT_B, &h);
	xt_msleep(300);
	take();
	check("b", "ChallengeAcks", NULL, 1);
	check("b", "OutRsts", "OutRsts", 0);
	XT_STATE(p.sfd, XTCP_ESTABLISHED);
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void accept_queue(void)
{
	int lfd = xt_listen_in("b", XT_PORT + 4, 1), fd[3], i, syns;
	struct xt_cap *cap;

	for (i = 0; i < 2; i++) {
		fd[i] = xt_socket_in("a");
		if (xt_connect(fd[i], XT_B, XT_PORT + 4) < 0)
			xt_fail("connect %d", i);
	}
	fd[2] = xt_socket_in("a");
	xt_nonblock(fd[2], 1);
	cap = xt_cap_start("b", "veth-b");
	mark();
	XT_ERRNO(xt_connect(fd[2], XT_B, XT_PORT + 4), EINPROGRESS);
	xt_msleep(300);
	/*
	 * Each of its SYNs is dropped: the first, and any resent since. The
	 * counters are read between two equal counts of them.
	 */
	for (i = 0, syns = -1; i < 5; i++) {
		syns = xt_cap_count(cap, xt_local_port(fd[2]), XT_PORT + 4, XT_SYN, XT_SYN, NULL);
		take();
		if (syns == xt_cap_count(cap, xt_local_port(fd[2]), XT_PORT + 4, XT_SYN, XT_SYN,
					 NULL))
			break;
	}
	XT_CHECK(syns >= 1, "no SYN seen");
	check("b", "AcceptQueueDrops", NULL, syns);
	check("b", "SynQueueDrops", NULL, 0);
	xt_cap_stop(cap);
	for (i = 0; i < 3; i++)
		close(fd[i]);
	close(lfd);
}

static void syn_queue(void)
{
	int lfd = xt_listen_in("b", XT_PORT + 5, 1), i;
	struct xt_hdr h = { .flags = XT_SYN, .dport = XT_PORT + 5, .mss = 1460 };

	xt_netem("b", "loss 100%");
	xt_sysctl("b", "syncookies", 0);
	mark();
	for (i = 0; i < 17; i++) {
		h.sport = 40000 + i;
		h.seq = 1000 * i;
		xt_inject("a", XT_B, &h);
	}
	xt_msleep(300);
	take();
	check("b", "SynQueueDrops", NULL, 1);
	check("b", "AcceptQueueDrops", NULL, 0);
	check("b", "SyncookiesSent", NULL, 0);
	/* With syncookies on, the next one is answered with a cookie. */
	xt_sysctl("b", "syncookies", 1);
	mark();
	h.sport = 40017;
	xt_inject("a", XT_B, &h);
	xt_msleep(300);
	take();
	check("b", "SynQueueDrops", NULL, 0);
	check("b", "SyncookiesSent", NULL, 1);
	close(lfd);
	xt_netem_off("b");
}

/*
 * a serves; b's client closes last, so a's accepted socket closes first
 * and a holds the TIME-WAIT entry. Then b connects again from the same
 * port to a new listener on the same port of a.
 */
static void recycle(void)
{
	unsigned short port = XT_PORT + 6, cport = 45678;
	int lfd = xt_listen_in("a", port, 4), cfd, sfd;

	cfd = xt_socket_in("b");
	xt_reuseaddr(cfd);
	xt_bind(cfd, XT_B, cport);
	if (xt_connect(cfd, XT_A, port) < 0)
		xt_fail("connect");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "accept");
	close(sfd);
	XT_CHECK(xt_wait_readable(cfd, 5000), "no FIN");
	close(cfd);
	xt_msleep(300);		/* a's TIME-WAIT entry is made */
	close(lfd);
	if (xt_is_tcp())
		return;		/* TCP's recycling asks for timestamps */
	lfd = xt_listen_in("a", port, 4);
	mark();
	cfd = xt_socket_in("b");
	xt_reuseaddr(cfd);
	xt_bind(cfd, XT_B, cport);
	if (xt_connect(cfd, XT_A, port) < 0)
		xt_fail("connect again");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "accept again");
	take();
	check("a", "TimeWaitRecycled", NULL, 1);
	check("a", "TimeWaitCreated", NULL, 0);
	check("a", "PassiveOpens", NULL, 1);
	close(sfd);
	close(cfd);
	close(lfd);
}

int main(void)
{
	connection();
	refused();
	reset();
	malformed();
	challenge();
	accept_queue();
	syn_queue();
	recycle();
	return 0;
}
