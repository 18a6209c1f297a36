// SPDX-License-Identifier: GPL-2.0
/*
 * Timestamps (RFC 7323), as Linux TCP's (the contract lets them be
 * added as window scaling is; TCP is the reference, and XT_PROTO=6 runs
 * the same checks on it, with net.ipv4.tcp_timestamps for the sysctl):
 *
 *   sysctl       net.xtcp.timestamps is 1 in a new namespace.
 *   negotiation  a's SYN offers the option (kind 8, length 10) with
 *                TSecr 0 when the sysctl is 1 in a; b's SYN-ACK carries
 *                it only in answer to an offer and when the sysctl is 1
 *                in b, echoing the SYN's TSval. From the third ACK to
 *                the last ACK of the close, every segment both ways
 *                carries it where both agreed, and none does where
 *                either did not. Tried with both on, with a off, and
 *                with b off. Both ends' info (XTCP_INFO, TCP_INFO) says
 *                so in its options (XTCPI_OPT_TIMESTAMPS) and in the
 *                send MSS, which the option's 12 bytes take from: 1448
 *                on the 1500-byte veth, 1460 without.
 *   echo         where both agreed, each TSecr is a TSval the peer sent
 *                earlier, and neither direction's TSvals go back; two of
 *                a's segments a second apart differ by about 1000 in
 *                TSval: the clock counts milliseconds.
 *   paws         on a connection with timestamps whose a end is idle, a
 *                data segment injected from a's four-tuple at b's
 *                RCV.NXT, with a TSval 2^30 older than the last a sent,
 *                is dropped (PAWS, RFC 7323 section 5): nothing can be
 *                read at b, which answers with an ACK that moves
 *                nothing and echoes the last good TSval, and counts it
 *                in PAWSEstab. The same segment with the last TSval a
 *                sent is taken (a TSval equal to TS.Recent passes) and
 *                ACKed; then one with no timestamps option at all, as
 *                Linux takes it. b's answers go to a MAC address nobody
 *                has, so that a never hears of data it did not send.
 *   timewait     b closes first and keeps the four-tuple in TIME-WAIT,
 *                its answers again going nowhere. A bare ACK in sequence
 *                with a TSval 2^30 old is answered with an ACK echoing
 *                a's last TSval, and counted in PAWSEstab (an in-sequence
 *                ACK with a good TSval would get nothing). A RST in
 *                sequence with that old TSval is counted and ignored,
 *                and the entry stays: a SYN from a's four-tuple below
 *                the old sequence space gets the entry's ACK. The same
 *                SYN with a newer TSval reaches b's listener, whose
 *                SYN-ACK echoes it (RFC 6191).
 *
 * Timestamps let a sender time a round trip with every ACK, not one a
 * window, and PAWS keeps a segment from a wrapped sequence space out of
 * the byte stream on a fast path; a side that disagrees about the option
 * would lose 12 bytes of every segment, or drop the other's segments.
 *
 * Times come from CLOCK_MONOTONIC, read around the two writes: a's
 * TSval may gain no more than it saw pass (and 100 ms for the ticks of
 * a coarser clock), nor less than 900 over the second slept between.
 */
#include "wire.h"

#ifndef XTCPI_OPT_TIMESTAMPS
#define XTCPI_OPT_TIMESTAMPS	1	/* as TCPI_OPT_TIMESTAMPS */
#endif

#define NOBODY		"02:00:00:00:00:01"	/* a MAC address nobody has */
#define TS_MSS		(XT_MSS - 12)		/* the MSS with timestamps */
#define DLEN		100			/* bytes of each injected segment */

static void set_ts(int a_on, int b_on)
{
	xt_sysctl("a", "timestamps", a_on);
	xt_sysctl("b", "timestamps", b_on);
}

/* The timestamps sysctl of ns, as read. */
static long get_ts(const char *ns)
{
	const char *path = xt_is_tcp() ? "/proc/sys/net/ipv4/tcp_timestamps" :
			   "/proc/sys/net/xtcp/timestamps";
	int old = xt_push_ns(ns);
	FILE *f = fopen(path, "r");
	long v = -1;

	xt_pop_ns(old);
	XT_CHECK(f && fscanf(f, "%ld", &v) == 1, "read %s in %s", path, ns);
	fclose(f);
	return v;
}

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, xt_proto(), XTCP_NODELAY, &one, sizeof(one)) < 0)
		xt_fail("setsockopt NODELAY");
}

/* fd's send MSS and options agree that timestamps are (on) or are not in use. */
static void check_info(int fd, int on, const char *who)
{
	struct xtcp_info xi;
	struct tcp_info ti;
	unsigned int mss, opts;

	xt_info(fd, &xi, &ti);
	mss = xt_is_tcp() ? ti.tcpi_snd_mss : xi.xtcpi_snd_mss;
	opts = xt_is_tcp() ? ti.tcpi_options : xi.xtcpi_options;
	XT_CHECK(mss == (unsigned int)(on ? TS_MSS : XT_MSS),
		 "%s sends segments of %u, wanted %d with timestamps %s", who, mss,
		 on ? TS_MSS : XT_MSS, on ? "on" : "off");
	XT_CHECK(!!(opts & XTCPI_OPT_TIMESTAMPS) == on,
		 "%s's info options 0x%x %s the timestamps bit, timestamps %s", who, opts,
		 opts & XTCPI_OPT_TIMESTAMPS ? "have" : "lack", on ? "on" : "off");
}

/* Close with a RST: the paws phase leaves the two ends out of step. */
static void pair_abort(struct xt_pair *p)
{
	xt_abort(p->cfd);
	xt_abort(p->sfd);
	close(p->cfd);
	close(p->sfd);
	close(p->lfd);
}

/*
 * a's segment that carries stream byte off (0: the first after the SYN),
 * waited for up to 2 s: the capture thread may lag behind.
 */
static void data_at(struct xt_cap *cap, const struct xt_pair *p, uint32_t off,
		    struct xt_seg *s)
{
	struct xt_seg syn;
	int pos = 0;

	XT_WIRE(cap, xt_cap_next(cap, &pos, p->cport, p->port, XT_SYN | XT_ACK, XT_SYN, 2000,
				 &syn), "no SYN from a");
	do
		XT_WIRE(cap, xt_cap_next(cap, &pos, p->cport, p->port, XT_ANY, 0, 2000, s),
			"no segment from a with byte %u within 2 s", off);
	while (!s->len || s->seq != syn.seq + 1 + off);
}

/*
 * Two of a's segments a second apart, after sent bytes from a: their
 * TSvals differ by the milliseconds between, no more than
 * CLOCK_MONOTONIC saw pass.
 */
static void clock_ms(struct xt_cap *cap, const struct xt_pair *p, uint32_t sent)
{
	struct xt_seg s1, s2;
	double t0, ms;
	int32_t d;

	t0 = xt_now();
	xt_send_expect(p->cfd, p->sfd, "tick");
	xt_msleep(1000);
	xt_send_expect(p->cfd, p->sfd, "tock");
	ms = (xt_now() - t0) * 1000;
	data_at(cap, p, sent, &s1);
	data_at(cap, p, sent + 4, &s2);
	XT_WIRE(cap, s1.ts && s2.ts, "a's data segments carry no timestamps");
	d = s2.tsval - s1.tsval;
	fprintf(stderr, "a's TSval rose by %d over %.0f ms, %.3f s apart on the wire\n", d, ms,
		s2.t - s1.t);
	XT_WIRE(cap, d >= 900 && d <= ms + 100,
		"a's TSval rose by %d between segments 1 s apart (%.0f ms around them)", d, ms);
}

/*
 * Every segment of the connection cport-port that cap holds: the option
 * where both agreed (on), on the SYN where a offered (a_on), nowhere
 * else; each TSecr a TSval the peer sent before, no TSval going back.
 */
static void walk(struct xt_cap *cap, unsigned short cport, unsigned short port, int a_on,
		 int on)
{
	static uint32_t sent[2][XT_CAP_MAX];
	int n[2] = { 0, 0 }, pos = 0, segs = 0, d, i;
	uint32_t syn_tsval = 0;
	struct xt_seg s;

	while (xt_cap_next(cap, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		if (!(s.sport == cport && s.dport == port) &&
		    !(s.sport == port && s.dport == cport))
			continue;
		d = s.sport == port;	/* 0: from a, 1: from b */
		segs++;
		if ((s.flags & (XT_SYN | XT_ACK)) == XT_SYN) {
			XT_WIRE(cap, s.ts == a_on, "timestamps=%d in a, and the SYN %s them", a_on,
				s.ts ? "offers" : "does not offer");
			XT_WIRE(cap, !s.ts || !s.tsecr, "the SYN's TSecr is %u, not 0", s.tsecr);
			syn_tsval = s.tsval;
		} else if (s.flags & XT_SYN) {
			XT_WIRE(cap, s.ts == on, "the SYN-ACK %s timestamps, wanted %s",
				s.ts ? "carries" : "lacks", on ? "them" : "none");
			XT_WIRE(cap, !s.ts || s.tsecr == syn_tsval,
				"the SYN-ACK's TSecr is %u, the SYN's TSval %u", s.tsecr,
				syn_tsval);
		} else {
			XT_WIRE(cap, s.ts == on,
				"a segment from %s (flags 0x%x seq=%u) %s timestamps, wanted %s",
				d ? "b" : "a", s.flags, s.seq, s.ts ? "carries" : "lacks",
				on ? "them" : "none");
		}
		if (!s.ts)
			continue;
		XT_WIRE(cap, !n[d] || (int32_t)(s.tsval - sent[d][n[d] - 1]) >= 0,
			"%s's TSval went back from %u to %u", d ? "b" : "a",
			sent[d][n[d] - 1], s.tsval);
		if ((s.flags & (XT_SYN | XT_ACK)) != XT_SYN) {
			for (i = 0; i < n[!d] && sent[!d][i] != s.tsecr; i++)
				;
			XT_WIRE(cap, i < n[!d], "%s echoes %u, which %s never sent", d ? "b" : "a",
				s.tsecr, d ? "a" : "b");
		}
		if (!n[d] || sent[d][n[d] - 1] != s.tsval)
			sent[d][n[d]++] = s.tsval;
	}
	XT_WIRE(cap, segs >= 10, "only %d segments of the connection on the wire", segs);
	fprintf(stderr, "%d segments, %d and %d TSvals from a and b\n", segs, n[0], n[1]);
}

/*
 * Connect a to b with timestamps a_on in a and b_on in b, talk both ways,
 * close, and check what crossed veth-b.
 */
static void negotiation(unsigned short port, int a_on, int b_on)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	int on = a_on && b_on, pos, i;
	struct xt_seg fin, ack;
	struct xt_pair p;
	char c;

	set_ts(a_on, b_on);
	p = xt_pair_open(port);
	nodelay(p.cfd);
	nodelay(p.sfd);
	check_info(p.cfd, on, "a");
	check_info(p.sfd, on, "b");
	for (i = 0; i < 3; i++) {
		xt_send_expect(p.cfd, p.sfd, "ping");
		xt_send_expect(p.sfd, p.cfd, "pong");
	}
	if (on)
		clock_ms(cap, &p, 3 * 4);

	/* Both FINs and the last ACK. */
	pos = xt_cap_mark(cap);
	close(p.cfd);
	XT_CHECK(xt_wait_readable(p.sfd, 2000) && recv(p.sfd, &c, 1, 0) == 0,
		 "b did not read EOF after a's close");
	close(p.sfd);
	close(p.lfd);
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_FIN, XT_FIN, 2000, &fin),
		"no FIN from b");
	do
		XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_ACK, XT_ACK, 2000, &ack),
			"a did not ACK b's FIN");
	while (ack.ack != fin.seq + fin.len + 1);

	walk(cap, p.cport, port, a_on, on);
	fprintf(stderr, "timestamps a=%d b=%d: %s\n", a_on, b_on, on ? "used" : "not used");
	xt_cap_stop(cap);
}

/*
 * Inject h from a's four-tuple to b; b's answer must be a pure ACK of
 * ack that echoes tsecr. Returns it.
 */
static struct xt_seg inject(struct xt_cap *cap, const struct xt_pair *p, const struct xt_hdr *h,
			    uint32_t ack, uint32_t tsecr, const char *what)
{
	int pos = xt_cap_mark(cap);
	struct xt_seg in, s;

	xt_inject("a", XT_B, h);
	/* Past any of a's ACKs the capture thread had yet to read. */
	do
		XT_WIRE(cap, xt_cap_next(cap, &pos, p->cport, p->port, XT_ANY, 0, 2000, &in),
			"%s: the injected segment is not on the wire", what);
	while (!in.len);
	XT_WIRE(cap, in.seq == h->seq && in.len == h->len && in.ts == h->ts &&
		(!in.ts || (in.tsval == h->tsval && in.tsecr == h->tsecr)),
		"%s: the wire does not hold the segment injected", what);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p->port, p->cport, XT_ANY, 0, 2000, &s),
		"%s: b did not answer", what);
	XT_WIRE(cap, (s.flags & ~XT_PSH) == XT_ACK && !s.len,
		"%s: b answered with flags 0x%x and %d bytes, not a pure ACK", what, s.flags,
		s.len);
	XT_WIRE(cap, s.ack == ack, "%s: b acknowledges %u, wanted %u", what, s.ack, ack);
	XT_WIRE(cap, s.ts && s.tsecr == tsecr, "%s: b's ACK %s %u, wanted %u", what,
		s.ts ? "echoes" : "has no timestamps, echoes", s.tsecr, tsecr);
	return s;
}

static void paws(unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	uint8_t pat[2 * DLEN], got[2 * DLEN];
	uint32_t a_nxt, a_ack, b_nxt, b_ack;
	struct xt_seg last_a, last_b;
	struct xt_hdr h;
	struct xt_pair p;
	char mac[24];
	long paws0;
	int i;

	for (i = 0; i < (int)sizeof(pat); i++)
		pat[i] = 'A' + i % 26;
	set_ts(1, 1);
	p = xt_pair_open(port);
	xt_send_expect(p.cfd, p.sfd, "ping");
	xt_send_expect(p.sfd, p.cfd, "pong");
	/* Let both ACKs cross (even delayed ones) before reading the capture. */
	xt_msleep(300);
	xt_cap_next_seq(cap, p.cport, port, &a_nxt, &a_ack);
	xt_cap_next_seq(cap, port, p.cport, &b_nxt, &b_ack);
	XT_WIRE(cap, a_ack == b_nxt && b_ack == a_nxt,
		"the ends are not in step: a acks %u of %u, b %u of %u", a_ack, b_nxt, b_ack,
		a_nxt);
	XT_WIRE(cap, xt_cap_latest(cap, p.cport, port, &last_a) && last_a.ts &&
		xt_cap_latest(cap, port, p.cport, &last_b) && last_b.ts,
		"no timestamps on the connection");
	/* b's answers must not reach a, which sent none of this. */
	xt_arp_set("b", XT_A, NOBODY);
	paws0 = xt_stat_of("b", "PAWSEstab", "PAWSEstab");

	h = (struct xt_hdr){
		.sport = p.cport, .dport = port, .seq = a_nxt, .ack = b_nxt,
		.flags = XT_ACK | XT_PSH, .data = pat, .len = DLEN,
		.ts = 1, .tsval = last_a.tsval - (1U << 30), .tsecr = last_b.tsval,
	};
	inject(cap, &p, &h, a_nxt, last_a.tsval, "a TSval 2^30 old");
	XT_CHECK(recv(p.sfd, got, sizeof(got), MSG_DONTWAIT) < 0 && errno == EAGAIN,
		 "b took a segment whose TSval is 2^30 older than TS.Recent");
	XT_CHECK(xt_stat_of("b", "PAWSEstab", "PAWSEstab") == paws0 + 1,
		 "PAWSEstab rose by %ld, wanted 1", xt_stat_of("b", "PAWSEstab", "PAWSEstab") -
		 paws0);

	h.tsval = last_a.tsval;
	inject(cap, &p, &h, a_nxt + DLEN, last_a.tsval, "the TSval of TS.Recent");
	xt_recv_all(p.sfd, got, DLEN, 2000);

	h = (struct xt_hdr){
		.sport = p.cport, .dport = port, .seq = a_nxt + DLEN, .ack = b_nxt,
		.flags = XT_ACK | XT_PSH, .data = pat + DLEN, .len = DLEN,
	};
	inject(cap, &p, &h, a_nxt + 2 * DLEN, last_a.tsval, "no timestamps");
	xt_recv_all(p.sfd, got + DLEN, DLEN, 2000);
	XT_CHECK(!memcmp(got, pat, sizeof(pat)), "b read other bytes than were injected");
	XT_CHECK(recv(p.sfd, got, sizeof(got), MSG_DONTWAIT) < 0 && errno == EAGAIN,
		 "b has more to read than was injected");
	XT_CHECK(xt_stat_of("b", "PAWSEstab", "PAWSEstab") == paws0 + 1,
		 "PAWSEstab rose by %ld for one segment dropped",
		 xt_stat_of("b", "PAWSEstab", "PAWSEstab") - paws0);
	fprintf(stderr, "PAWS: a TSval 2^30 old dropped, TS.Recent's and none taken\n");

	xt_hwaddr("a", mac, sizeof(mac));
	xt_arp_set("b", XT_A, mac);
	xt_cap_stop(cap);
	pair_abort(&p);
}

/*
 * Inject h from a's four-tuple to b's TIME-WAIT entry or listener; b must
 * answer with flags (of SYN, ACK, FIN, RST), acknowledging ack and
 * echoing tsecr.
 */
static void tw_answer(struct xt_cap *cap, const struct xt_pair *p, const struct xt_hdr *h,
		      uint8_t flags, uint32_t ack, uint32_t tsecr, const char *what)
{
	int pos = xt_cap_mark(cap);
	struct xt_seg s;

	xt_inject("a", XT_B, h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p->port, p->cport, XT_ANY, 0, 2000, &s),
		"%s: b did not answer", what);
	XT_WIRE(cap, (s.flags & (XT_SYN | XT_ACK | XT_FIN | XT_RST)) == flags,
		"%s: b answered with flags 0x%x, wanted 0x%x", what, s.flags, flags);
	XT_WIRE(cap, s.ack == ack, "%s: b acknowledges %u, wanted %u", what, s.ack, ack);
	XT_WIRE(cap, s.ts && s.tsecr == tsecr, "%s: b's answer %s %u, wanted %u", what,
		s.ts ? "echoes" : "has no timestamps, echoes", s.tsecr, tsecr);
}

static void timewait(unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_seg fin, last;
	struct xt_pair p;
	struct xt_hdr h;
	char mac[24], c;
	long paws0;
	int pos;

	set_ts(1, 1);
	p = xt_pair_open(port);
	xt_send_expect(p.cfd, p.sfd, "ping");
	xt_send_expect(p.sfd, p.cfd, "pong");
	close(p.sfd);
	XT_CHECK(xt_wait_readable(p.cfd, 2000) && recv(p.cfd, &c, 1, 0) == 0,
		 "a did not read EOF after b's close");
	pos = xt_cap_mark(cap);
	close(p.cfd);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_FIN, XT_FIN, 2000, &fin),
		"no FIN from a");
	do
		XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_ACK, XT_ACK, 2000, &last),
			"b did not ACK a's FIN");
	while (last.ack != fin.seq + 1);
	XT_WIRE(cap, fin.ts && last.ts, "no timestamps on the close");
	/* a has no connection left, and would reset the entry. */
	xt_arp_set("b", XT_A, NOBODY);
	paws0 = xt_stat_of("b", "PAWSEstab", "PAWSEstab");

	h = (struct xt_hdr){
		.sport = p.cport, .dport = port, .seq = fin.seq + 1, .ack = last.seq,
		.flags = XT_ACK, .ts = 1, .tsval = fin.tsval - (1U << 30), .tsecr = last.tsval,
	};
	tw_answer(cap, &p, &h, XT_ACK, fin.seq + 1, fin.tsval, "TIME-WAIT, a TSval 2^30 old");
	XT_CHECK(xt_stat_of("b", "PAWSEstab", "PAWSEstab") == paws0 + 1,
		 "PAWSEstab rose by %ld in TIME-WAIT, wanted 1",
		 xt_stat_of("b", "PAWSEstab", "PAWSEstab") - paws0);

	/* An old RST ends nothing (the SYN below finds the entry). */
	h.flags = XT_RST;
	h.ack = 0;
	xt_inject("a", XT_B, &h);
	xt_msleep(100);
	XT_CHECK(xt_stat_of("b", "PAWSEstab", "PAWSEstab") == paws0 + 2,
		 "PAWSEstab rose by %ld in TIME-WAIT after an old RST, wanted 2",
		 xt_stat_of("b", "PAWSEstab", "PAWSEstab") - paws0);

	h = (struct xt_hdr){
		.sport = p.cport, .dport = port, .seq = fin.seq - 100000, .flags = XT_SYN,
		.mss = XT_MSS, .ts = 1, .tsval = fin.tsval,
	};
	tw_answer(cap, &p, &h, XT_ACK, fin.seq + 1, fin.tsval, "TIME-WAIT, an old SYN");
	h.tsval = fin.tsval + 1000;
	tw_answer(cap, &p, &h, XT_SYN | XT_ACK, h.seq + 1, h.tsval,
		  "TIME-WAIT, a SYN with a newer TSval");
	fprintf(stderr, "TIME-WAIT: an old TSval ACKed, a newer one's SYN taken\n");

	xt_hwaddr("a", mac, sizeof(mac));
	xt_arp_set("b", XT_A, mac);
	xt_cap_stop(cap);
	close(p.lfd);
}

int main(void)
{
	XT_CHECK(get_ts("a") == 1 && get_ts("b") == 1,
		 "timestamps are %ld in a and %ld in b, wanted 1 by default", get_ts("a"),
		 get_ts("b"));
	xt_no_ack_ratelimit();
	negotiation(XT_PORT, 1, 1);
	negotiation(XT_PORT + 1, 0, 1);
	negotiation(XT_PORT + 2, 1, 0);
	paws(XT_PORT + 3);
	timewait(XT_PORT + 4);
	return 0;
}
