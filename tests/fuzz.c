// SPDX-License-Identifier: GPL-2.0
/*
 * Segment fuzzer: XT_FUZZ_N (default 20000) crafted and random segments
 * from raw sockets in a at namespace b, where listeners wait, and
 * connections whose b end is in each state but LISTEN and CLOSED:
 * ESTABLISHED, CLOSE-WAIT, FIN-WAIT-2 and TIME-WAIT with a's sockets as
 * peers; SYN-SENT, SYN-RECEIVED (a request), FIN-WAIT-1, CLOSING and
 * LAST-ACK with spoofed peers whose answers go nowhere (xt_spoof_setup()),
 * so that b stays in those states, retransmitting, for the run:
 *  - ports: one of those connections' four-tuples, a listener's port
 *    from other source ports, a closed port, any port;
 *  - sequence and acknowledgment numbers at and around the edges of
 *    that connection's window (learnt from b's latest segment of it on
 *    the wire), or anything;
 *  - every flag combination, zero, small and huge windows;
 *  - options: well-formed MSS, window scale, SACK-permitted, SACK blocks
 *    and timestamps, and malformed ones (length 0 or 1, running past the
 *    header, random bytes);
 *  - every data offset, segments shorter than their header, payloads up
 *    to 4000 bytes from a (those over the MTU arrive as IP fragments),
 *    up to the MTU from a spoofed peer;
 *  - about one in seven with a wrong checksum.
 * Then: b counted every one in InSegs, and not many more (no ACK war
 * between a and b, see tests/ackwar); each whose data offset does not
 * fit in InMalformed; each with a wrong checksum and a sound
 * header exactly in InCsumErrors; each with a checksum right and an
 * option list malformed (by bad_options(), the contract's rule written
 * again) also in InMalformed; each sound one to a port where b has
 * no socket at least in NoSocket (b's answers may draw more); the other
 * drop counters are printed, a tally of why what reached a socket was
 * not taken. And a new connection to the listener, and one to a new
 * listener, carry data both ways; and then, every connection of the
 * run aborted or closed, no socket is left but TIME-WAIT entries. The
 * harness fails the run on any kernel report (KASAN, lockdep, WARN) on
 * the debug kernel.
 * XT_FUZZ_SEED repeats a run; the seed is printed.
 */
#include "wire.h"

static uint64_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 16;
}

static int pick(int n)
{
	return rnd() % n;
}

/* Around x: at it, one off it, a little or a lot off it. */
static uint32_t near(uint32_t x)
{
	static const int32_t d[] = { 0, 1, -1, 1448, -1448, 65535, -65535, 1 << 20, -(1 << 20) };

	switch (pick(4)) {
	case 0:
		return rnd() << 16 ^ rnd();
	case 1:
		return x + (int32_t)(pick(4000) - 2000);
	default:
		return x + d[pick(ARRAY_SIZE(d))];
	}
}

/* Options into o (up to 40 bytes); returns their length. */
static int options(uint8_t *o, uint32_t edge)
{
	int n = 0, k, i;

	for (k = pick(5); k-- > 0 && n < 40;) {
		switch (pick(9)) {
		case 0:		/* MSS */
			if (n + 4 > 40)
				break;
			o[n++] = 2;
			o[n++] = 4;
			i = pick(3) ? 1 + pick(65535) : 0;
			o[n++] = i >> 8;
			o[n++] = i;
			break;
		case 1:		/* window scale, also past 14 */
			if (n + 3 > 40)
				break;
			o[n++] = 3;
			o[n++] = 3;
			o[n++] = pick(20);
			break;
		case 2:		/* SACK-permitted */
			if (n + 2 > 40)
				break;
			o[n++] = 4;
			o[n++] = 2;
			break;
		case 3:		/* SACK blocks near the edge */
			i = 1 + pick(4);
			if (n + 2 + 8 * i > 40)
				break;
			o[n++] = 5;
			o[n++] = 2 + 8 * i;
			while (i--) {
				uint32_t l = near(edge), r = pick(3) ? l + pick(3000) : near(edge);
				int b;

				for (b = 0; b < 4; b++)
					o[n + b] = l >> (24 - 8 * b);
				for (b = 0; b < 4; b++)
					o[n + 4 + b] = r >> (24 - 8 * b);
				n += 8;
			}
			break;
		case 4:		/* timestamps */
			if (n + 10 > 40)
				break;
			o[n++] = 8;
			o[n++] = 10;
			for (i = 0; i < 8; i++)
				o[n++] = rnd();
			break;
		case 5:		/* NOP, EOL */
			o[n++] = pick(2);
			break;
		case 6:		/* a length of 0 or 1 */
			if (n + 2 > 40)
				break;
			o[n++] = 2 + pick(30);
			o[n++] = pick(2);
			break;
		case 7:		/* a length running past the header */
			if (n + 2 > 40)
				break;
			o[n++] = pick(256);
			o[n++] = 41 + pick(200);
			break;
		default:	/* noise */
			for (i = 1 + pick(8); i-- && n < 40;)
				o[n++] = rnd();
		}
	}
	return n;
}

/* The targets: a's peers first, then the spoofed ones. */
enum {
	ESTABLISHED, CLOSE_WAIT, FIN_WAIT2, TIME_WAIT,
	SYN_SENT, SYN_RECV, FIN_WAIT1, CLOSING, LAST_ACK, TARGETS
};

#define SPOOFED		SYN_SENT
#define SPOOF_PORT	7000	/* a spoofed peer's port: SPOOF_PORT + target */

/*
 * A connection of b's, and b's latest segment on it. For a spoofed peer,
 * p.cport is the peer's port and p.port b's; p.cfd is unused.
 */
struct target {
	struct xt_pair p;
	struct in_addr peer;
	uint32_t b_seq, b_ack;
};

struct fuzz {
	int fd, spoof_fd;
	struct in_addr src, dst;
	unsigned short closed;
	struct target t[TARGETS];
	long sent, bad_csum, bad_doff, bad_opts, no_socket;
};

/*
 * b's counters of what it received and why it dropped what it did:
 * printed after the run, the four named checked against what was sent.
 */
enum { IN_SEGS, MALFORMED, CSUM_ERRORS, NO_SOCKET };

static const char *const causes[] = {
	[IN_SEGS] = "InSegs", [MALFORMED] = "InMalformed", [CSUM_ERRORS] = "InCsumErrors",
	[NO_SOCKET] = "NoSocket", "OutOfWindow", "ChallengeAcks", "AckSkipped", "BacklogDrops",
	"OfoDrops", "RcvMemDrops", "SynQueueDrops", "AcceptQueueDrops", "SyncookiesFailed",
};

#define NCAUSES	ARRAY_SIZE(causes)

/*
 * Is this option list malformed, by the contract's rule as xtcp applies
 * it: an option with no length byte, a length under 2 or past the end,
 * or an MSS, window scale, SACK-permitted or SACK option of the wrong
 * length? Unknown kinds are skipped by their length.
 */
static int bad_options(const uint8_t *o, int len)
{
	int i = 0, olen;

	while (i < len && o[i] != 0) {
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (len - i < 2)
			return 1;
		olen = o[i + 1];
		if (olen < 2 || olen > len - i)
			return 1;
		if ((o[i] == 2 && olen != 4) || (o[i] == 3 && olen != 3) ||
		    (o[i] == 4 && olen != 2) || (o[i] == 5 && (olen < 10 || (olen - 2) % 8)) ||
		    (o[i] == 8 && olen != 10))
			return 1;
		i += olen;
	}
	return 0;
}

/* Does b have a socket, connected or listening, on port? */
static int in_use(const struct fuzz *f, unsigned short port)
{
	int i;

	for (i = 0; i < TARGETS; i++)
		if (port == f->t[i].p.port || port == f->t[i].p.cport)
			return 1;
	return port >= XT_PORT && port <= XT_PORT + 2;
}

static void one(struct fuzz *f)
{
	static uint8_t pkt[4096];
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = f->dst };
	uint8_t o[40];
	int olen, hl, len, doff, dlen, i;
	uint16_t sport, dport, ck;
	struct target *t = &f->t[pick(TARGETS)];
	int spoofed = t - f->t >= SPOOFED, nobody = 0;
	uint32_t sum = 0;

	switch (pick(5)) {
	case 0:
	case 1:
		sport = t->p.cport;
		dport = t->p.port;
		break;
	case 2:
		sport = 1024 + pick(64000);
		dport = t->p.port;
		break;
	case 3:
		sport = t->p.cport;
		dport = f->closed;
		nobody = 1;
		break;
	default:
		sport = rnd();
		do
			dport = rnd();
		while (in_use(f, dport));
		nobody = 1;
	}
	olen = options(o, t->b_seq);
	hl = 20 + (olen + 3) / 4 * 4;
	dlen = pick(8) || spoofed ? pick(1400) : pick(4000 - 60);
	if (!pick(4))
		dlen = 0;
	len = hl + dlen;
	memset(pkt, 0, hl);
	pkt[0] = sport >> 8;
	pkt[1] = sport;
	pkt[2] = dport >> 8;
	pkt[3] = dport;
	for (i = 0; i < 4; i++) {
		pkt[4 + i] = near(t->b_ack) >> (24 - 8 * i);
		pkt[8 + i] = near(t->b_seq) >> (24 - 8 * i);
	}
	doff = pick(6) ? hl / 4 : pick(16);
	pkt[12] = doff << 4 | (pick(8) ? 0 : pick(16));
	pkt[13] = pick(3) ? rnd() : 1U << pick(8);
	i = pick(4) ? rnd() : pick(2) * 65535U;
	pkt[14] = i >> 8;
	pkt[15] = i;
	memcpy(pkt + 20, o, olen);
	for (i = hl; i < len; i++)
		pkt[i] = rnd();
	/* Sometimes a segment shorter than even a header. */
	if (!pick(40))
		len = pick(20);

	sum += ntohs(t->peer.s_addr & 0xffff) + ntohs(t->peer.s_addr >> 16);
	sum += ntohs(f->dst.s_addr & 0xffff) + ntohs(f->dst.s_addr >> 16);
	sum += xt_proto() + len;
	if (len >= 18) {
		ck = xt_csum(pkt, len, sum);
		pkt[16] = ck >> 8;
		pkt[17] = ck;
	}
	if (len < 20 || doff * 4 < 20 || doff * 4 > len) {
		f->bad_doff++;
	} else if (!pick(7)) {
		pkt[16] ^= 1 << pick(8);
		f->bad_csum++;
	} else if (bad_options(pkt + 20, doff * 4 - 20)) {
		f->bad_opts++;
	} else {
		f->no_socket += nobody;
	}
	if (spoofed) {
		if (xt_spoof_send(f->spoof_fd, t->peer, f->dst, pkt, len) != len)
			xt_fail("send a spoofed %d-byte segment", len);
	} else if (sendto(f->fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) != len) {
		xt_fail("send a %d-byte segment", len);
	}
	f->sent++;
}

/* b's latest segment of each connection, for the window's edges. */
static void learn(struct fuzz *f, struct xt_cap *cap)
{
	struct xt_seg s;
	int i;

	for (i = 0; i < TARGETS; i++) {
		struct target *t = &f->t[i];

		if (xt_cap_latest(cap, t->p.port, t->p.cport, &s)) {
			t->b_seq = s.seq;
			t->b_ack = s.ack;
		}
	}
}

/* A segment from target t's spoofed peer, in order, with flags. */
static void from_peer(struct fuzz *f, struct target *t, uint8_t flags, uint32_t seq,
		      uint32_t ack)
{
	struct xt_hdr h = { .sport = t->p.cport, .dport = t->p.port, .flags = flags,
			    .seq = seq, .ack = ack, .mss = flags & XT_SYN ? 1460 : 0 };
	uint8_t seg[64];
	int len = xt_build(seg, t->peer, f->dst, &h);

	if (xt_spoof_send(f->spoof_fd, t->peer, f->dst, seg, len) != len)
		xt_fail("spoofed segment");
}

/* The next segment from b to target t's peer with flags under mask. */
static struct xt_seg from_b(struct xt_cap *cap, int *pos, struct target *t, uint8_t mask,
			    uint8_t want)
{
	struct xt_seg s;

	XT_WIRE(cap, xt_cap_next(cap, pos, t->p.port, t->p.cport, mask, want, 5000, &s),
		"no segment with flags %#x from b to port %u", want, t->p.cport);
	return s;
}

/*
 * Target t's spoofed peer opens a connection to a listener of b's by
 * hand: b's end, accepted, in ESTABLISHED. Returns b's ISS.
 */
static uint32_t spoofed_open(struct fuzz *f, struct xt_cap *cap, struct target *t)
{
	const uint32_t irs = 100000 * (t - f->t);
	int pos = xt_cap_mark(cap);
	struct xt_seg s;

	t->p.lfd = xt_listen_in("b", t->p.port, 4);
	from_peer(f, t, XT_SYN, irs, 0);
	s = from_b(cap, &pos, t, XT_SYN | XT_ACK, XT_SYN | XT_ACK);
	from_peer(f, t, XT_ACK, irs + 1, s.seq + 1);
	t->p.sfd = xt_accept_wait(t->p.lfd, 5000);
	XT_CHECK(t->p.sfd >= 0, "no connection from spoofed port %u", t->p.cport);
	return s.seq;
}

/*
 * b's ends in SYN-SENT, SYN-RECEIVED, FIN-WAIT-1, CLOSING and LAST-ACK,
 * their peers spoofed and silent but for the segments that put b there.
 */
static void spoofed_targets(struct fuzz *f, struct xt_cap *cap)
{
	uint32_t iss, irs;
	struct target *t;
	int i, pos;

	for (i = SPOOFED; i < TARGETS; i++) {
		t = &f->t[i];
		t->peer.s_addr = htonl(XT_VOID_NET | 9);
		t->p.cport = SPOOF_PORT + i;
		t->p.port = XT_PORT + 10 + i;
		t->p.cfd = -1;
		t->p.sfd = -1;
		t->p.lfd = -1;
	}

	t = &f->t[SYN_SENT];
	t->p.sfd = xt_socket_in("b");
	xt_nonblock(t->p.sfd, 1);
	xt_bind(t->p.sfd, XT_B, t->p.port);
	XT_ERRNO(xt_connect(t->p.sfd, inet_ntoa(t->peer), t->p.cport), EINPROGRESS);

	t = &f->t[SYN_RECV];
	t->p.lfd = xt_listen_in("b", t->p.port, 4);
	from_peer(f, t, XT_SYN, 12345, 0);

	/* b closes first; its FIN is never acknowledged. */
	t = &f->t[FIN_WAIT1];
	spoofed_open(f, cap, t);
	shutdown(t->p.sfd, SHUT_WR);

	/* Both close at once: the peer's FIN does not acknowledge b's. */
	t = &f->t[CLOSING];
	irs = 100000 * CLOSING;
	iss = spoofed_open(f, cap, t);
	pos = xt_cap_mark(cap);
	shutdown(t->p.sfd, SHUT_WR);
	from_b(cap, &pos, t, XT_FIN, XT_FIN);
	from_peer(f, t, XT_FIN | XT_ACK, irs + 1, iss + 1);

	/* The peer closes first; b's FIN after it is never acknowledged. */
	t = &f->t[LAST_ACK];
	irs = 100000 * LAST_ACK;
	iss = spoofed_open(f, cap, t);
	from_peer(f, t, XT_FIN | XT_ACK, irs + 1, iss + 1);
	XT_CHECK(xt_wait_state(t->p.sfd, XTCP_CLOSE_WAIT, 5000), "no CLOSE-WAIT");
	shutdown(t->p.sfd, SHUT_WR);

	XT_CHECK(xt_wait_state(f->t[SYN_SENT].p.sfd, XTCP_SYN_SENT, 5000), "no SYN-SENT");
	XT_CHECK(xt_wait_state(f->t[FIN_WAIT1].p.sfd, XTCP_FIN_WAIT1, 5000), "no FIN-WAIT-1");
	XT_CHECK(xt_wait_state(f->t[CLOSING].p.sfd, XTCP_CLOSING, 5000), "no CLOSING");
	XT_CHECK(xt_wait_state(f->t[LAST_ACK].p.sfd, XTCP_LAST_ACK, 5000), "no LAST-ACK");
}

/* The connections with a's sockets as peers. */
static void targets(struct fuzz *f)
{
	int i;

	for (i = 0; i < SPOOFED; i++) {
		struct xt_pair *p = &f->t[i].p;

		f->t[i].peer = f->src;
		*p = xt_pair_open(XT_PORT + 10 + i);
		xt_send_expect(p->cfd, p->sfd, "before the fuzz");
		xt_send_expect(p->sfd, p->cfd, "and back");
	}
	shutdown(f->t[CLOSE_WAIT].p.cfd, SHUT_WR);
	shutdown(f->t[FIN_WAIT2].p.sfd, SHUT_WR);
	close(f->t[TIME_WAIT].p.sfd);
	f->t[TIME_WAIT].p.sfd = -1;
	xt_msleep(100);
	close(f->t[TIME_WAIT].p.cfd);
	f->t[TIME_WAIT].p.cfd = -1;
	XT_CHECK(xt_wait_state(f->t[CLOSE_WAIT].p.sfd, XTCP_CLOSE_WAIT, 5000), "no CLOSE-WAIT");
	XT_CHECK(xt_wait_state(f->t[FIN_WAIT2].p.sfd, XTCP_FIN_WAIT2, 5000), "no FIN-WAIT-2");
	/* TIME-WAIT: b's end closed first; the entry answers for it. */
	xt_msleep(200);
}

/*
 * Abort every end: a graceful close could last a minute or more, holding
 * the module. b's ends with spoofed peers would retransmit their FINs
 * into the void. And the fuzz may have reset b's end of a connection
 * with a, whose end, closed, would then wait out FIN-WAIT-2's 60 s for a
 * FIN that never comes (seen with XT_FUZZ_SEED=0x1328b7eca9 on the debug
 * kernel); or put data into b's stream that a never sent, after which
 * either end's FIN acknowledges what the other never sent, is dropped
 * for it (as Linux TCP drops it) and is sent again until retries2 runs
 * out.
 */
static void untargets(struct fuzz *f)
{
	int i;

	for (i = 0; i < TARGETS; i++) {
		if (f->t[i].p.cfd >= 0) {
			xt_abort(f->t[i].p.cfd);
			close(f->t[i].p.cfd);
		}
		if (f->t[i].p.sfd >= 0) {
			xt_abort(f->t[i].p.sfd);
			close(f->t[i].p.sfd);
		}
		if (f->t[i].p.lfd >= 0)
			close(f->t[i].p.lfd);
	}
}

static void works(unsigned short port)
{
	struct xt_pair p = xt_pair_open(port);

	xt_send_expect(p.cfd, p.sfd, "after the fuzz, a to b");
	xt_send_expect(p.sfd, p.cfd, "after the fuzz, b to a");
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

/* Entries in ns but TIME-WAIT entries (which hold nothing); printed if show. */
static int left_in(const char *ns, const char *show)
{
	int st[16];

	return xt_proc_entries(ns, st, show) - st[TCP_TIME_WAIT];
}

/* Every socket of the run gone but TIME-WAIT entries, within 10 s. */
static void settled(void)
{
	double t0 = xt_now();

	while (left_in("a", NULL) + left_in("b", NULL)) {
		if (xt_now() - t0 > 10) {
			left_in("a", "fuzz: left in a: ");
			left_in("b", "fuzz: left in b: ");
			xt_fail("sockets left 10 s after the run");
		}
		xt_msleep(500);
	}
}

int main(void)
{
	const char *n_env = getenv("XT_FUZZ_N"), *seed_env = getenv("XT_FUZZ_SEED");
	long n = n_env ? atol(n_env) : 20000, before[NCAUSES], d[NCAUSES];
	struct sockaddr_in src = xt_addr(XT_A, 0);
	struct fuzz f = { .closed = XT_PORT + 1 };
	int off = IP_PMTUDISC_DONT, old, fd;
	struct xt_cap *cap;
	unsigned int i;

	if (xt_is_tcp())
		return 77;	/* counters and a raw socket of xtcp's number */
	rng = seed_env ? strtoull(seed_env, NULL, 0) : (uint64_t)time(NULL) * 2654435761u;
	rng |= 1;
	printf("fuzz: %ld segments, XT_FUZZ_SEED=%#llx\n", n, (unsigned long long)rng);

	f.src = src.sin_addr;
	f.dst = xt_addr(XT_B, 0).sin_addr;
	f.spoof_fd = xt_spoof_setup();
	cap = xt_cap_start_ring("b", "veth-b");
	targets(&f);
	spoofed_targets(&f, cap);
	learn(&f, cap);

	old = xt_push_ns("a");
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, xt_proto());
	xt_pop_ns(old);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &off, sizeof(off)) < 0)
		xt_fail("raw socket in a");
	f.fd = fd;

	for (i = 0; i < NCAUSES; i++)
		before[i] = xt_stat("b", causes[i]);
	while (f.sent < n) {
		one(&f);
		/*
		 * Paced by b's own count, so that no segment is lost in a
		 * full backlog and a slow (debug) kernel is never swamped.
		 */
		if (!(f.sent % 32) || f.sent == n) {
			double t0 = xt_now();

			while (xt_stat("b", "InSegs") - before[IN_SEGS] < f.sent) {
				XT_CHECK(xt_now() - t0 < 20, "b took %ld of %ld segments",
					 xt_stat("b", "InSegs") - before[IN_SEGS], f.sent);
				xt_msleep(1);
			}
			learn(&f, cap);
		}
	}
	printf("fuzz: sent %ld (%ld bad offsets, %ld bad checksums, ", f.sent, f.bad_doff,
	       f.bad_csum);
	printf("%ld bad options, %ld sound to no socket); b:", f.bad_opts, f.no_socket);
	for (i = 0; i < NCAUSES; i++) {
		d[i] = xt_stat("b", causes[i]) - before[i];
		printf(" %s +%ld", causes[i], d[i]);
	}
	printf("\n");
	XT_CHECK(d[IN_SEGS] >= f.sent, "b counted %ld segments of %ld", d[IN_SEGS], f.sent);
	/* b's answers draw a few back (RSTs to its SYN-ACKs); a war, many. */
	XT_CHECK(d[IN_SEGS] < f.sent + f.sent / 4 + 1000, "b received %ld segments for %ld sent",
		 d[IN_SEGS], f.sent);
	/* Dropped before any socket: each for its own cause, once. */
	XT_CHECK(d[MALFORMED] == f.bad_doff + f.bad_opts,
		 "InMalformed +%ld, %ld bad offsets and %ld bad option lists sent", d[MALFORMED],
		 f.bad_doff, f.bad_opts);
	XT_CHECK(d[CSUM_ERRORS] == f.bad_csum, "InCsumErrors +%ld, %ld sent", d[CSUM_ERRORS],
		 f.bad_csum);
	XT_CHECK(d[NO_SOCKET] >= f.no_socket, "NoSocket +%ld, %ld sent to no socket", d[NO_SOCKET],
		 f.no_socket);
	close(fd);
	close(f.spoof_fd);
	xt_cap_stop(cap);
	untargets(&f);

	works(XT_PORT);
	works(XT_PORT + 2);
	settled();
	return 0;
}
