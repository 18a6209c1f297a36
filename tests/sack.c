// SPDX-License-Identifier: GPL-2.0
/*
 * Selective acknowledgements (RFC 2018, RFC 6675), checked on the wire:
 *
 *   negotiation  a's SYN offers SACK-permitted when net.xtcp.sack is 1
 *                in a; b's SYN-ACK carries it only in answer to an
 *                offer and when the sysctl is 1 in b. Tried with both
 *                on, with a off, and with b off.
 *   blocks       on each of those connections, data injected from the
 *                client's four-tuple leaves holes after b's RCV.NXT
 *                (bytes 1000-2000, then 3000-4000, then 2000-3000):
 *                b answers each with a pure ACK that keeps the
 *                cumulative ACK and carries exactly the blocks it holds,
 *                the one with the latest arrival first, merged once a
 *                hole between them is filled; the last fill (0-1000)
 *                moves the ACK to 4000 and drops the option. Where
 *                either side did not agree, no ACK carries blocks.
 *   holes        a's segments go to a MAC address nobody has, so b's
 *                stack never sees them; ACKs injected for ten segments
 *                of which the 1st, 4th and 7th are missing SACK the
 *                other seven. a must retransmit all three holes though
 *                nothing is ever cumulatively acknowledged (NewReno
 *                repairs one hole per partial ACK, and without one
 *                only the first), and none of the SACKed segments.
 *                b's SYN-ACK is held 600 ms, so that a's RTO outlasts
 *                the injection on a slow guest.
 *   loss         256 KB through netem loss 5% on a's egress, one
 *                segment to a packet (no GSO, whose packets netem would
 *                drop whole): no segment
 *                reaches b inside a block b had SACKed 50 ms before,
 *                no block covers data at or below its ACK, and a
 *                entered SACK recovery (SackRecovery). With sack=0 on
 *                both sides, 128 KB cross without an option of either
 *                kind, and SackRecovery stays.
 *
 * SACK lets a sender repair several losses of a window in one round
 * trip instead of one per round trip; a scoreboard that resent what the
 * receiver holds would waste the window it was meant to save.
 *
 * Under TCP (XT_PROTO=6) the same checks, with timestamps off (the
 * injected segments carry none, and four blocks then fit; xtcp keeps
 * its timestamps, and three blocks, which is all any check here needs),
 * D-SACK off in b (a duplicate would be reported as a block below the
 * ACK), autocorking off in a and veth-a's GSO at one segment (so that
 * the segments on the wire are those TCP keeps on its scoreboard).
 */
#include "wire.h"

#define NOBODY		"02:00:00:00:00:01"	/* a MAC address nobody has */
#define NSEG		10			/* segments of the holes flight */
#define SEGLEN		1000
#define GRACE		0.05	/* s for a SACK to reach a before it counts */

static int seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static int seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static void set_sack(int a_on, int b_on)
{
	xt_sysctl("a", "sack", a_on);
	xt_sysctl("b", "sack", b_on);
}

/* Point ns's neighbour entry for its peer back at the peer's veth. */
static void unsteer(const char *ns, const char *peer)
{
	char mac[24];

	xt_hwaddr(peer, mac, sizeof(mac));
	xt_arp_set(ns, xt_ip_of(peer), mac);
}

/* Close with a RST: the tests leave the two ends out of step. */
static void abort_fd(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) < 0)
		xt_fail("SO_LINGER");
	close(fd);
}

static void pair_abort(struct xt_pair *p)
{
	abort_fd(p->cfd);
	abort_fd(p->sfd);
	close(p->lfd);
}

static void pattern(uint8_t *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (i * 131 + seed + (i >> 9)) & 0xff;
}

/*
 * Connect a to b with sack a_on in a and b_on in b, checking the SYN and
 * SYN-ACK that cap (on veth-b) saw.
 */
static struct xt_pair negotiate(struct xt_cap *cap, unsigned short port, int a_on,
				int b_on)
{
	int pos = xt_cap_mark(cap);
	struct xt_seg syn, synack;
	struct xt_pair p;

	set_sack(a_on, b_on);
	p = xt_pair_open(port);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_SYN | XT_ACK, XT_SYN, 2000, &syn),
		"sack a=%d b=%d: no SYN", a_on, b_on);
	XT_WIRE(cap, xt_cap_next(cap, &pos, port, p.cport, XT_SYN | XT_ACK, XT_SYN | XT_ACK,
				 2000, &synack), "sack a=%d b=%d: no SYN-ACK", a_on, b_on);
	XT_WIRE(cap, syn.sackok == a_on, "sack=%d in a, and the SYN %s SACK-permitted", a_on,
		syn.sackok ? "offers" : "does not offer");
	XT_WIRE(cap, synack.sackok == (a_on && b_on),
		"sack=%d in b, the SYN %s it, and the SYN-ACK %s SACK-permitted", b_on,
		a_on ? "offered" : "did not offer", synack.sackok ? "carries" : "does not carry");
	return p;
}

struct blk {
	uint32_t l, r;
};

/*
 * Inject bytes off..off + len of pat, relative to base, from the client's
 * four-tuple to b; return b's answer, which must be a pure ACK.
 */
static struct xt_seg inject_data(struct xt_cap *cap, const struct xt_pair *p, uint32_t base,
				 uint32_t ack, const uint8_t *pat, int off, int len)
{
	struct xt_hdr h = {
		.sport = p->cport, .dport = p->port, .seq = base + off, .ack = ack,
		.flags = XT_ACK | XT_PSH, .data = pat + off, .len = len,
	};
	int pos = xt_cap_mark(cap);
	struct xt_seg s;

	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p->port, p->cport, XT_ANY, 0, 1000, &s),
		"b did not answer bytes %d-%d", off, off + len);
	XT_WIRE(cap, (s.flags & ~XT_PSH) == XT_ACK && !s.len,
		"b answered bytes %d-%d with flags 0x%x and %d bytes, not a pure ACK", off,
		off + len, s.flags, s.len);
	return s;
}

/* s acknowledges base + ack and carries exactly the n blocks of want. */
static void expect_blocks(struct xt_cap *cap, const struct xt_seg *s, uint32_t base,
			  uint32_t ack, const struct blk *want, int n, const char *what)
{
	int i;

	XT_WIRE(cap, s->ack == base + ack, "after %s: b acknowledges +%u, wanted +%u", what,
		s->ack - base, ack);
	XT_WIRE(cap, s->nsack == n, "after %s: b's ACK carries %d SACK blocks, wanted %d", what,
		s->nsack, n);
	for (i = 0; i < n; i++)
		XT_WIRE(cap, s->sack[i][0] == base + want[i].l && s->sack[i][1] == base + want[i].r,
			"after %s: block %d is +%u..+%u, wanted +%u..+%u", what, i,
			s->sack[i][0] - base, s->sack[i][1] - base, want[i].l, want[i].r);
}

/*
 * Negotiate with sack a_on in a and b_on in b, then leave holes in b's
 * receive queue and check the blocks of its ACKs: none unless both agreed.
 */
static void blocks(unsigned short port, int a_on, int b_on)
{
	static const struct blk one[] = { { 1000, 2000 } };
	static const struct blk two[] = { { 3000, 4000 }, { 1000, 2000 } };
	static const struct blk merged[] = { { 1000, 4000 } };
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_pair p = negotiate(cap, port, a_on, b_on);
	uint8_t pat[4000], got[4000];
	int on = a_on && b_on;
	uint32_t base, ack;
	struct xt_seg s;

	pattern(pat, sizeof(pat), port);
	xt_cap_next_seq(cap, p.cport, port, &base, NULL);
	xt_cap_next_seq(cap, port, p.cport, &ack, NULL);
	/* b's answers must not reach the client, which sent none of this. */
	xt_arp_set("b", XT_A, NOBODY);

	s = inject_data(cap, &p, base, ack, pat, 1000, 1000);
	expect_blocks(cap, &s, base, 0, one, on ? 1 : 0, "+1000..+2000");
	s = inject_data(cap, &p, base, ack, pat, 3000, 1000);
	expect_blocks(cap, &s, base, 0, two, on ? 2 : 0, "+3000..+4000");
	s = inject_data(cap, &p, base, ack, pat, 2000, 1000);
	expect_blocks(cap, &s, base, 0, merged, on ? 1 : 0, "+2000..+3000");
	s = inject_data(cap, &p, base, ack, pat, 0, 1000);
	expect_blocks(cap, &s, base, 4000, NULL, 0, "+0..+1000");

	xt_recv_all(p.sfd, got, sizeof(got), 2000);
	XT_CHECK(!memcmp(got, pat, sizeof(got)), "b read other bytes than were injected");
	fprintf(stderr, "sack a=%d b=%d: SACK %s\n", a_on, b_on, on ? "used" : "not used");
	unsteer("b", "a");
	xt_cap_stop(cap);
	pair_abort(&p);
}

/*
 * Add [l, r) to the blocks of h the way a receiver does: merged with the
 * blocks it touches, first in the list, the others after it in order.
 */
static void sack_add(struct xt_hdr *h, uint32_t l, uint32_t r)
{
	uint32_t keep[4][2];
	int i, n = 0;

	for (i = 0; i < h->nsack; i++) {
		if (seq_le(h->sack[i][0], r) && seq_le(l, h->sack[i][1])) {
			l = seq_lt(h->sack[i][0], l) ? h->sack[i][0] : l;
			r = seq_lt(r, h->sack[i][1]) ? h->sack[i][1] : r;
		} else if (n < 3) {
			keep[n][0] = h->sack[i][0];
			keep[n][1] = h->sack[i][1];
			n++;
		}
	}
	h->sack[0][0] = l;
	h->sack[0][1] = r;
	memcpy(h->sack + 1, keep, sizeof(keep[0]) * n);
	h->nsack = n + 1;
}

static int is_hole(int i)
{
	return i == 0 || i == 3 || i == 6;
}

static void holes(unsigned short port)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	uint32_t seg[NSEG][2], a_nxt, end;
	struct xt_hdr h = { 0 };
	int i, n, pos, one = 1, got = 0, resent[NSEG] = { 0 };
	struct xt_seg s;
	struct xt_pair p;
	uint8_t buf[SEGLEN];
	long rec0;
	double t0;

	set_sack(1, 1);
	/*
	 * A slow handshake: a's first RTT sample, and so its RTO (about
	 * three of them), outlasts the ACKs injected below even on a slow
	 * guest. After a timeout, cwnd is one segment, and without a
	 * cumulative ACK only the first hole could go again.
	 */
	xt_netem_change("b", "delay 600ms");
	p = xt_pair_open(port);
	xt_netem_off("b");
	xt_cap_next_seq(cap, p.cport, port, &a_nxt, NULL);
	xt_cap_next_seq(cap, port, p.cport, &h.seq, NULL);
	if (setsockopt(p.cfd, xt_proto(), XTCP_NODELAY, &one, sizeof(one)) < 0)
		xt_fail("setsockopt NODELAY");
	rec0 = xt_stat_of("a", "SackRecovery", "TCPSackRecovery");
	xt_arp_set("a", XT_B, NOBODY);

	/* The flight: NSEG segments of new data, one per write. */
	pos = xt_cap_mark(cap);
	pattern(buf, sizeof(buf), port);
	for (i = 0; i < NSEG; i++)
		xt_send_all(p.cfd, buf, sizeof(buf));
	for (n = 0, end = a_nxt; n < NSEG && end != a_nxt + NSEG * SEGLEN;) {
		XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, port, XT_ANY, 0, 2000, &s),
			"a sent %d segments of %d writes within 2 s", n, NSEG);
		if (!s.len || seq_lt(s.seq, end))
			continue;
		XT_WIRE(cap, s.seq == end, "a's segment %d starts at %u, not at %u", n, s.seq, end);
		seg[n][0] = s.seq;
		end = s.seq + s.len;
		seg[n++][1] = end;
	}
	XT_WIRE(cap, n == NSEG && end == a_nxt + NSEG * SEGLEN,
		"a sent %d writes of %d bytes as %d segments", NSEG, SEGLEN, n);

	/* b's ACKs as if the holes were lost: one per segment that came. */
	t0 = xt_now();
	h.sport = port;
	h.dport = p.cport;
	h.ack = a_nxt;
	h.flags = XT_ACK;
	for (i = 0; i < NSEG; i++) {
		if (is_hole(i))
			continue;
		sack_add(&h, seg[i][0], seg[i][1]);
		xt_inject("b", XT_A, &h);
	}

	/* All three holes come again; nothing SACKed does. */
	while (got < 3 && xt_now() - t0 < 5) {
		if (!xt_cap_next(cap, &pos, p.cport, port, XT_ANY, 0, 100, &s) || !s.len)
			continue;
		for (i = 0; i < NSEG; i++) {
			if (!seq_le(s.seq, seg[i][0]) || !seq_lt(seg[i][0], s.seq + s.len))
				continue;
			XT_WIRE(cap, is_hole(i),
				"a resent segment %d (%u..%u), which b had SACKed", i,
				seg[i][0], seg[i][1]);
			got += !resent[i]++;
		}
	}
	fprintf(stderr, "segments 1, 4, 7 lost: resent %d, %d, %d times within %.3f s\n",
		resent[0], resent[3], resent[6], xt_now() - t0);
	XT_WIRE(cap, got == 3, "of segments 1, 4 and 7 a resent [ %s%s%s] only, in 5 s",
		resent[0] ? "1 " : "", resent[3] ? "4 " : "", resent[6] ? "7 " : "");
	/* Whatever a sends a little longer may not be SACKed data either. */
	xt_msleep(300);
	while (xt_cap_next(cap, &pos, p.cport, port, XT_ANY, 0, 0, &s))
		for (i = 0; s.len && i < NSEG; i++)
			XT_WIRE(cap, is_hole(i) || !seq_le(s.seq, seg[i][0]) ||
				!seq_lt(seg[i][0], s.seq + s.len),
				"a resent segment %d (%u..%u), which b had SACKed", i,
				seg[i][0], seg[i][1]);
	XT_CHECK(xt_stat_of("a", "SackRecovery", "TCPSackRecovery") > rec0,
		 "a resent segments 1, 4 and 7 without entering SACK recovery");
	unsteer("a", "b");
	xt_cap_stop(cap);
	pair_abort(&p);
}

/* A block b sent, and when. */
struct sacked {
	uint32_t l, r;
	double t;
};

/*
 * total bytes from a to b through netem loss on a's egress (put there
 * unless netem_on), sack on or off in both: check what crossed veth-b.
 */
static void loss(unsigned short port, int on, size_t total, int netem_on)
{
	static struct sacked blk[4 * XT_CAP_MAX];
	uint8_t *buf = malloc(total);
	int i, pos = 0, nblk = 0, sacks = 0, resent = 0;
	struct xt_cap *cap;
	struct xt_pair p;
	uint32_t end = 0;
	struct xt_seg s;
	long rec0;
	double t0;

	XT_CHECK(buf, "no memory for %zu bytes", total);
	pattern(buf, total, port);
	set_sack(on, on);
	xt_gso_max_segs("a", 1);
	cap = xt_cap_start("b", "veth-b");
	p = xt_pair_open(port);
	rec0 = xt_stat_of("a", "SackRecovery", "TCPSackRecovery");
	if (!netem_on)
		xt_netem("a", "loss 5%");

	t0 = xt_now();
	xt_xfer(p.cfd, p.sfd, buf, total, 40000);
	t0 = xt_now() - t0;
	xt_msleep(100);
	XT_WIRE(cap, xt_cap_mark(cap) < XT_CAP_MAX, "the capture overflowed");
	/* Blocks b dropped for memory (reneged) are a's to send again. */
	fprintf(stderr, "b dropped %ld segments held after a gap\n",
		xt_stat_of("b", "OfoDrops", "TCPOFODrop"));

	while (xt_cap_next(cap, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
		XT_WIRE(cap, on || (!s.sackok && !s.nsack),
			"sack=0 on both sides, and a segment carries a SACK option");
		if (s.sport == port && s.dport == p.cport) {
			sacks += s.nsack > 0;
			for (i = 0; i < s.nsack; i++) {
				XT_WIRE(cap, seq_lt(s.ack, s.sack[i][0]) &&
					seq_lt(s.sack[i][0], s.sack[i][1]),
					"b's ACK %u carries the block %u..%u", s.ack,
					s.sack[i][0], s.sack[i][1]);
				blk[nblk++] = (struct sacked){ s.sack[i][0], s.sack[i][1], s.t };
			}
		}
		if (s.sport != p.cport || s.dport != port || !s.len)
			continue;
		if (end && seq_lt(s.seq, end))
			resent++;
		else
			end = s.seq + s.len;
		for (i = 0; i < nblk && blk[i].t <= s.t - GRACE; i++)
			XT_WIRE(cap, !seq_le(blk[i].l, s.seq) || !seq_le(s.seq + s.len, blk[i].r),
				"a resent %u..%u at %.3f s, inside the block %u..%u b SACKed at %.3f s",
				s.seq, s.seq + s.len, s.t, blk[i].l, blk[i].r, blk[i].t);
	}
	fprintf(stderr, "sack=%d, 5%% dropped: %zu bytes in %.1f s, %d resent, %d SACKs\n", on,
		total, t0, resent, sacks);
	if (on) {
		XT_WIRE(cap, resent > 0 && sacks > 0,
			"nothing was lost, or b sent no blocks: %d resent, %d ACKs with blocks",
			resent, sacks);
		XT_CHECK(xt_stat_of("a", "SackRecovery", "TCPSackRecovery") > rec0,
			 "a never entered SACK recovery in %d retransmissions", resent);
	} else {
		XT_CHECK(xt_stat_of("a", "SackRecovery", "TCPSackRecovery") == rec0,
			 "SACK recovery without SACK");
	}
	xt_cap_stop(cap);
	pair_abort(&p);
	free(buf);
}

int main(void)
{
	if (xt_is_tcp()) {
		xt_sysctl_path("a", "ipv4/tcp_timestamps", 0);
		xt_sysctl_path("b", "ipv4/tcp_timestamps", 0);
		xt_sysctl_path("b", "ipv4/tcp_dsack", 0);
		xt_sysctl_path("a", "ipv4/tcp_autocorking", 0);
		xt_sh("/sbin/ip -n a link set veth-a gso_max_segs 1");
	}
	blocks(XT_PORT, 1, 1);
	blocks(XT_PORT + 1, 0, 1);
	blocks(XT_PORT + 2, 1, 0);
	holes(XT_PORT + 3);
	loss(XT_PORT + 4, 1, 256 << 10, 0);
	loss(XT_PORT + 5, 0, 128 << 10, 1);
	return 0;
}
