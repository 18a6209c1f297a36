/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire, for tests that assert what crossed it: a capture of the
 * segments of protocol xt_proto() on one interface of a namespace (both
 * directions, decoded as the TCP-layout header, timestamped; timestamps
 * are taken when the capture thread reads the packet), and
 * injection of crafted segments from a raw socket of protocol
 * xt_proto(), checksummed over the pseudo-header with that number.
 * xt_arp_set() steers where a namespace's segments to an address go.
 *
 *	struct xt_cap *cap = xt_cap_start("b", "veth-b");
 *	...
 *	struct xt_seg s;
 *	int pos = 0;
 *	XT_WIRE(cap, xt_cap_next(cap, &pos, cport, XT_PORT, XT_SYN, XT_SYN, 1000, &s),
 *		"no SYN");
 */
#ifndef _XT_WIRE_H
#define _XT_WIRE_H

#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/ip.h>
#include <pthread.h>

#include "xtnet.h"

#define XT_FIN	0x01
#define XT_SYN	0x02
#define XT_RST	0x04
#define XT_PSH	0x08
#define XT_ACK	0x10
#define XT_ANY	0		/* as a port or a flag mask: anything */

#define XT_CAP_MAX 4096
#define XT_MSS	1460		/* the test veth's MSS: its MTU is 1500 */

struct xt_seg {
	double t;		/* seconds since the capture started */
	struct in_addr saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;
	int len;		/* payload bytes */
	int mss;		/* MSS option, or -1 */
	int wscale;		/* window scale option, or -1 */
	int ts;			/* timestamps option present */
	uint32_t tsval, tsecr;	/* its values (RFC 7323), if ts */
	int sackok;		/* SACK-permitted option present */
	int nsack;		/* SACK blocks (RFC 2018), 0 to 4 */
	uint32_t sack[4][2];	/* their left and right edges */
	int outgoing;		/* sent by this namespace */
	int csum;		/* XT_CSUM_*, of a segment captured whole */
};

/*
 * The checksum field of a captured segment: right, or holding only the
 * pseudo-header's sum, for the device to finish (a sender's offload, as
 * seen before the device), or neither.
 */
enum { XT_CSUM_UNKNOWN, XT_CSUM_OK, XT_CSUM_PARTIAL, XT_CSUM_BAD };

struct xt_cap {
	int fd;
	_Atomic int stop;	/* set by xt_cap_stop(), read by the thread */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	double t0;
	int n;
	int ring;		/* keep the latest XT_CAP_MAX, headers only */
	long seen;		/* segments seen, in ring mode */
	struct xt_seg seg[XT_CAP_MAX];
};

static inline uint32_t xt_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* n SACK blocks: pairs of 32-bit left and right edges. */
static inline void xt_seg_sack(struct xt_seg *s, const uint8_t *p, int n)
{
	for (s->nsack = 0; s->nsack < n; s->nsack++) {
		s->sack[s->nsack][0] = xt_get32(p + 8 * s->nsack);
		s->sack[s->nsack][1] = xt_get32(p + 8 * s->nsack + 4);
	}
}

/* The timestamps option's TSval and TSecr. */
static inline void xt_seg_ts(struct xt_seg *s, const uint8_t *p)
{
	s->ts = 1;
	s->tsval = xt_get32(p);
	s->tsecr = xt_get32(p + 4);
}

static inline void xt_seg_options(struct xt_seg *s, const uint8_t *p, int len)
{
	int i = 0;

	while (i < len) {
		if (p[i] == 0)
			break;
		if (p[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || p[i + 1] < 2 || i + p[i + 1] > len)
			break;
		if (p[i] == 2 && p[i + 1] == 4)
			s->mss = p[i + 2] << 8 | p[i + 3];
		else if (p[i] == 3 && p[i + 1] == 3)
			s->wscale = p[i + 2];
		else if (p[i] == 8 && p[i + 1] == 10)
			xt_seg_ts(s, p + i + 2);
		else if (p[i] == 4 && p[i + 1] == 2)
			s->sackok = 1;
		else if (p[i] == 5 && p[i + 1] >= 10 && p[i + 1] <= 34 &&
			 (p[i + 1] - 2) % 8 == 0)
			xt_seg_sack(s, p + i + 2, (p[i + 1] - 2) / 8);
		i += p[i + 1];
	}
}

/* One's complement sum of buf, folded, not complemented. */
static inline uint16_t xt_sum16(const uint8_t *p, int len, uint32_t sum)
{
	for (; len > 1; p += 2, len -= 2)
		sum += p[0] << 8 | p[1];
	if (len)
		sum += p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/* ip: an IPv4 header; th: its segment, len bytes, all captured. */
static inline int xt_csum_state(const uint8_t *ip, const uint8_t *th, int len)
{
	uint16_t pseudo = xt_sum16(ip + 12, 8, ip[9] + len);

	if (xt_sum16(th, len, pseudo) == 0xffff)
		return XT_CSUM_OK;
	if ((th[16] << 8 | th[17]) == pseudo)
		return XT_CSUM_PARTIAL;
	return XT_CSUM_BAD;
}

static inline void *xt_cap_thread(void *arg)
{
	struct xt_cap *c = arg;
	uint8_t buf[65536];

	while (!c->stop) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		const uint8_t *ip = buf, *th;
		struct xt_seg s = { .mss = -1, .wscale = -1 };
		int n, ihl, len, doff;

		if (poll(&p, 1, 50) != 1)
			continue;
		/* A ring needs headers only: 128 bytes hold IP's and ours. */
		n = recvfrom(c->fd, buf, c->ring ? 128 : sizeof(buf), 0,
			     (struct sockaddr *)&sll, &sl);
		s.t = xt_now() - c->t0;
		if (n < 20 || sll.sll_protocol != htons(ETH_P_IP) ||
		    (ip[0] >> 4) != 4 || ip[9] != xt_proto())
			continue;
		ihl = (ip[0] & 15) * 4;
		len = (ip[2] << 8 | ip[3]) - ihl;
		th = ip + ihl;
		if (len < 20 || (!c->ring && ihl + len > n) || ihl + 20 > n)
			continue;
		doff = (th[12] >> 4) * 4;
		memcpy(&s.saddr, ip + 12, 4);
		memcpy(&s.daddr, ip + 16, 4);
		s.sport = th[0] << 8 | th[1];
		s.dport = th[2] << 8 | th[3];
		s.seq = xt_get32(th + 4);
		s.ack = xt_get32(th + 8);
		s.flags = th[13];
		s.win = th[14] << 8 | th[15];
		s.len = len - doff;
		s.outgoing = sll.sll_pkttype == PACKET_OUTGOING;
		if (doff > 20 && doff <= len && ihl + doff <= n)
			xt_seg_options(&s, th + 20, doff - 20);
		if (ihl + len <= n)
			s.csum = xt_csum_state(ip, th, len);
		pthread_mutex_lock(&c->lock);
		if (c->ring) {
			c->seg[c->seen++ % XT_CAP_MAX] = s;
			c->n = c->seen < XT_CAP_MAX ? c->seen : XT_CAP_MAX;
		} else if (c->n < XT_CAP_MAX) {
			c->seg[c->n++] = s;
		}
		pthread_cond_broadcast(&c->cond);
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}

/*
 * Capture on ifname in namespace ns. The socket is bound before this
 * returns, so nothing sent afterwards is missed.
 */
static inline struct xt_cap *xt_cap_start(const char *ns, const char *ifname)
{
	struct xt_cap *c = calloc(1, sizeof(*c));
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int old;

	if (!c)
		xt_fail("calloc");
	old = xt_push_ns(ns);
	/* ETH_P_ALL: a socket bound to ETH_P_IP never sees outgoing packets. */
	c->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = if_nametoindex(ifname);
	xt_pop_ns(old);
	if (c->fd < 0 || !sll.sll_ifindex ||
	    bind(c->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		xt_fail("capture on %s in %s", ifname, ns);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->t0 = xt_now();
	if (pthread_create(&c->thread, NULL, xt_cap_thread, c))
		xt_fail("pthread_create");
	return c;
}

static inline void xt_cap_stop(struct xt_cap *c)
{
	c->stop = 1;
	pthread_join(c->thread, NULL);
	close(c->fd);
	free(c);
}

static inline void xt_seg_print(const struct xt_seg *s)
{
	static const char *const fl[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN], flags[40] = "";
	int i;

	for (i = 0; i < 8; i++)
		if (s->flags & (1 << i))
			snprintf(flags + strlen(flags), sizeof(flags) - strlen(flags), "%s%s",
				 flags[0] ? "-" : "", fl[i]);
	inet_ntop(AF_INET, &s->saddr, src, sizeof(src));
	inet_ntop(AF_INET, &s->daddr, dst, sizeof(dst));
	fprintf(stderr, "  %9.6f %s:%u > %s:%u %s seq=%u ack=%u win=%u len=%d",
		s->t, src, s->sport, dst, s->dport, flags[0] ? flags : "none",
		s->seq, s->ack, s->win, s->len);
	if (s->mss >= 0)
		fprintf(stderr, " <mss %d>", s->mss);
	if (s->wscale >= 0)
		fprintf(stderr, " <wscale %d>", s->wscale);
	if (s->ts)
		fprintf(stderr, " <ts val %u ecr %u>", s->tsval, s->tsecr);
	if (s->sackok)
		fprintf(stderr, " <sackOK>");
	if (s->nsack) {
		fprintf(stderr, " <sack");
		for (i = 0; i < s->nsack; i++)
			fprintf(stderr, " %u-%u", s->sack[i][0], s->sack[i][1]);
		fprintf(stderr, ">");
	}
	fprintf(stderr, "\n");
}

/* Print what was captured, for a failure message. */
static inline void xt_cap_dump(struct xt_cap *c)
{
	int i;

	pthread_mutex_lock(&c->lock);
	fprintf(stderr, "captured %d segments:\n", c->n);
	for (i = 0; i < c->n; i++)
		xt_seg_print(&c->seg[i]);
	pthread_mutex_unlock(&c->lock);
}

/*
 * A capture that keeps the latest XT_CAP_MAX segments (headers only) of
 * a long run, to show how it ended. Once it wraps, slot order is not
 * time order: read it with xt_cap_tail() and xt_cap_latest() only.
 */
static inline struct xt_cap *xt_cap_start_ring(const char *ns, const char *ifname)
{
	struct xt_cap *c = xt_cap_start(ns, ifname);

	pthread_mutex_lock(&c->lock);
	c->ring = 1;
	c->n = 0;
	pthread_mutex_unlock(&c->lock);
	return c;
}

/* Print the latest n segments of a ring capture, oldest first. */
static inline void xt_cap_tail(struct xt_cap *c, const char *name, int n)
{
	long i;

	pthread_mutex_lock(&c->lock);
	if (n > c->n)
		n = c->n;
	fprintf(stderr, "%s: the last %d of %ld segments on the wire:\n", name, n, c->seen);
	for (i = c->seen - n; i < c->seen; i++)
		xt_seg_print(&c->seg[i % XT_CAP_MAX]);
	pthread_mutex_unlock(&c->lock);
}

/* Like XT_CHECK, printing the capture when the check fails. */
#define XT_WIRE(cap, cond, fmt, ...) do {				\
	if (!(cond)) {							\
		xt_cap_dump(cap);					\
		xt_fail("check failed: %s: " fmt, #cond, ##__VA_ARGS__);\
	}								\
} while (0)

/*
 * The segments a captured packet holds: a GSO packet, which the veth
 * carries whole, as many full ones (and a last) as its length takes.
 */
static inline int xt_seg_count(const struct xt_seg *s)
{
	return s->len > XT_MSS ? (s->len + XT_MSS - 1) / XT_MSS : 1;
}

static inline int xt_seg_match(const struct xt_seg *s, uint16_t sport, uint16_t dport,
			       uint8_t mask, uint8_t want)
{
	return (!sport || s->sport == sport) && (!dport || s->dport == dport) &&
	       (s->flags & mask) == want;
}

/*
 * Wait up to ms for a segment at index *pos or later from sport to dport
 * (XT_ANY: any) whose flags under mask are want; copy it to *out and move
 * *pos past it. Returns 1 if one came, 0 if not.
 */
static inline int xt_cap_next(struct xt_cap *c, int *pos, uint16_t sport, uint16_t dport,
			      uint8_t mask, uint8_t want, int ms, struct xt_seg *out)
{
	double end = xt_now() + ms / 1000.0;
	int found = 0;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		struct timespec ts;
		double left;

		for (; *pos < c->n; (*pos)++) {
			if (xt_seg_match(&c->seg[*pos], sport, dport, mask, want)) {
				*out = c->seg[(*pos)++];
				found = 1;
				goto out;
			}
		}
		left = end - xt_now();
		if (left <= 0)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)left;
		ts.tv_nsec += (long)((left - (time_t)left) * 1e9);
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	}
out:
	pthread_mutex_unlock(&c->lock);
	return found;
}

/*
 * The latest segment held from sport to dport, in either kind of
 * capture; 0 if none. Newest first, so a long ring costs little.
 */
static inline int xt_cap_latest(struct xt_cap *c, uint16_t sport, uint16_t dport,
				struct xt_seg *out)
{
	long i, end;
	int found = 0;

	pthread_mutex_lock(&c->lock);
	end = c->ring ? c->seen : c->n;
	for (i = end - 1; i >= end - c->n; i--) {
		const struct xt_seg *s = &c->seg[i % XT_CAP_MAX];

		if (xt_seg_match(s, sport, dport, XT_ANY, 0)) {
			*out = *s;
			found = 1;
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

/* How many segments so far match; *last gets the latest, if any. */
static inline int xt_cap_count(struct xt_cap *c, uint16_t sport, uint16_t dport,
			       uint8_t mask, uint8_t want, struct xt_seg *last)
{
	int i, n = 0;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->n; i++) {
		if (xt_seg_match(&c->seg[i], sport, dport, mask, want)) {
			n++;
			if (last)
				*last = c->seg[i];
		}
	}
	pthread_mutex_unlock(&c->lock);
	return n;
}

/* The index the next segment will get: a mark for "from now on". */
static inline int xt_cap_mark(struct xt_cap *c)
{
	int n;

	pthread_mutex_lock(&c->lock);
	n = c->n;
	pthread_mutex_unlock(&c->lock);
	return n;
}

/*
 * The sequence space of one direction as seen so far: the next sequence
 * number after the latest segment from sport to dport (seq + len, + 1
 * for SYN and FIN), and that segment's ack. Fails if there is none.
 */
static inline void xt_cap_next_seq(struct xt_cap *c, uint16_t sport, uint16_t dport,
				   uint32_t *nxt, uint32_t *ack)
{
	struct xt_seg s;
	int pos = 0;

	/*
	 * The capture thread may lag behind the connection (a busy host):
	 * wait until it has seen this direction past its SYN at least.
	 */
	if (!xt_cap_next(c, &pos, sport, dport, XT_ACK, XT_ACK, 2000, &s) ||
	    !xt_cap_count(c, sport, dport, XT_ANY, 0, &s)) {
		xt_cap_dump(c);
		xt_fail("no segment from port %u to %u", sport, dport);
	}
	*nxt = s.seq + s.len + !!(s.flags & XT_SYN) + !!(s.flags & XT_FIN);
	if (ack)
		*ack = s.ack;
}

/* A segment to inject. */
struct xt_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win;		/* 0 means 65535 */
	int mss;		/* add an MSS option when > 0 */
	int ts;			/* add NOP, NOP and a timestamps option */
	uint32_t tsval, tsecr;	/* its values, if ts */
	int nsack;		/* add this many SACK blocks (0 to 4; 3 with ts) */
	uint32_t sack[4][2];	/* their left and right edges */
	const void *data;
	int len;
};

static inline uint16_t xt_csum(const void *buf, int len, uint32_t sum)
{
	return ~xt_sum16(buf, len, sum) & 0xffff;
}

/*
 * The segment h from address from to address to, of protocol xt_proto()
 * with a correct checksum, into pkt (room for 1600 bytes); returns its
 * length.
 */
static inline int xt_build(uint8_t *pkt, struct in_addr from, struct in_addr to,
			   const struct xt_hdr *h)
{
	int hl = 20 + (h->mss > 0 ? 4 : 0) + (h->ts ? 12 : 0) +
		 (h->nsack > 0 ? 4 + 8 * h->nsack : 0);
	int len = hl + h->len, o = 20;
	uint8_t pseudo[12];
	uint32_t sum = 0;
	uint16_t ck;
	int i;

	if (len > 1600 || hl > 60 || h->nsack > 4)
		xt_fail("segment too long");
	memset(pkt, 0, hl);
	pkt[0] = h->sport >> 8;
	pkt[1] = h->sport;
	pkt[2] = h->dport >> 8;
	pkt[3] = h->dport;
	for (i = 0; i < 4; i++) {
		pkt[4 + i] = h->seq >> (24 - 8 * i);
		pkt[8 + i] = h->ack >> (24 - 8 * i);
	}
	pkt[12] = (hl / 4) << 4;
	pkt[13] = h->flags;
	pkt[14] = (h->win ? h->win : 65535) >> 8;
	pkt[15] = (h->win ? h->win : 65535) & 0xff;
	if (h->mss > 0) {
		pkt[o++] = 2;
		pkt[o++] = 4;
		pkt[o++] = h->mss >> 8;
		pkt[o++] = h->mss;
	}
	if (h->ts) {
		pkt[o++] = 1;
		pkt[o++] = 1;
		pkt[o++] = 8;
		pkt[o++] = 10;
		for (i = 0; i < 4; i++)
			pkt[o++] = h->tsval >> (24 - 8 * i);
		for (i = 0; i < 4; i++)
			pkt[o++] = h->tsecr >> (24 - 8 * i);
	}
	if (h->nsack > 0) {
		pkt[o++] = 1;
		pkt[o++] = 1;
		pkt[o++] = 5;
		pkt[o++] = 2 + 8 * h->nsack;
		for (i = 0; i < 8 * h->nsack; i++)
			pkt[o++] = h->sack[i / 8][i % 8 / 4] >> (24 - 8 * (i % 4));
	}
	if (h->len)
		memcpy(pkt + hl, h->data, h->len);

	memcpy(pseudo, &from, 4);
	memcpy(pseudo + 4, &to, 4);
	pseudo[8] = 0;
	pseudo[9] = xt_proto();
	pseudo[10] = len >> 8;
	pseudo[11] = len;
	for (i = 0; i < 12; i += 2)
		sum += pseudo[i] << 8 | pseudo[i + 1];
	ck = xt_csum(pkt, len, sum);
	pkt[16] = ck >> 8;
	pkt[17] = ck;
	return len;
}

/* Send h from namespace ns (from its address) to dst: see xt_build(). */
static inline void xt_inject(const char *ns, const char *dst, const struct xt_hdr *h)
{
	struct sockaddr_in from = xt_addr(xt_ip_of(ns), 0), to = xt_addr(dst, 0);
	uint8_t pkt[1600];
	int len = xt_build(pkt, from.sin_addr, to.sin_addr, h), old, fd;

	old = xt_push_ns(ns);
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, xt_proto());
	xt_pop_ns(old);
	if (fd < 0)
		xt_fail("raw socket of protocol %d in %s", xt_proto(), ns);
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0 ||
	    sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) != len)
		xt_fail("inject from %s to %s", ns, dst);
	close(fd);
}

/*
 * Spoofed peers: segments from addresses in XT_VOID_NET (203.0.113.0/24,
 * TEST-NET-3) go through a raw socket with IP_HDRINCL in a. The network
 * is routed from b towards a, which does not forward: b's answers to a
 * spoofed peer go nowhere, as its answers to a flood would. Returns the
 * socket for xt_spoof_send().
 */
#define XT_VOID_NET	0xcb007100

static inline int xt_spoof_setup(void)
{
	int old = xt_push_ns("a"), on = 1, fd;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, xt_proto());
	xt_pop_ns(old);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) < 0)
		xt_fail("raw socket with IP_HDRINCL");
	xt_sh("/sbin/ip -n b route add 203.0.113.0/24 via " XT_A);
	return fd;
}

/*
 * The segment seg (len bytes, at most 1600, not fragmented) from src to
 * dst through fd, a socket of xt_spoof_setup(); returns sendto()'s
 * result, errno kept.
 */
static inline int xt_spoof_send(int fd, struct in_addr src, struct in_addr dst,
				const uint8_t *seg, int len)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
	uint8_t pkt[20 + 1600];
	struct iphdr *ip = (struct iphdr *)pkt;

	if (len > 1600)
		xt_fail("spoofed segment too long");
	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = xt_proto();
	ip->tot_len = htons(20 + len);
	ip->saddr = src.s_addr;
	ip->daddr = dst.s_addr;
	memcpy(pkt + 20, seg, len);
	return sendto(fd, pkt, 20 + len, 0, (struct sockaddr *)&to, sizeof(to)) - 20;
}

/*
 * A permanent neighbour entry in ns: frames for ip go out of ns's veth
 * to the MAC address mac (text, as xt_hwaddr() gives it). One ioctl, no
 * process: quick enough to set in the middle of a timed sequence. Given
 * a MAC address the peer does not have, segments still reach the peer's
 * veth, whose stack drops them unseen (PACKET_OTHERHOST) and answers
 * nothing.
 */
static inline void xt_arp_set(const char *ns, const char *ip, const char *mac)
{
	struct arpreq req = { .arp_flags = ATF_PERM | ATF_COM };
	struct sockaddr_in pa = xt_addr(ip, 0);
	unsigned char *ha = (unsigned char *)req.arp_ha.sa_data;
	int old = xt_push_ns(ns), fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	xt_pop_ns(old);
	memcpy(&req.arp_pa, &pa, sizeof(pa));
	req.arp_ha.sa_family = ARPHRD_ETHER;
	if (sscanf(mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
		   &ha[0], &ha[1], &ha[2], &ha[3], &ha[4], &ha[5]) != 6)
		xt_fail("bad MAC address %s", mac);
	snprintf(req.arp_dev, sizeof(req.arp_dev), "veth-%s", ns);
	if (fd < 0 || ioctl(fd, SIOCSARP, &req) < 0)
		xt_fail("SIOCSARP %s at %s in %s", ip, mac, ns);
	close(fd);
}

#endif /* _XT_WIRE_H */
