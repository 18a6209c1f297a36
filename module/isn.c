// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers, RFC 6528: ISN = M + F(4-tuple, secret), where
 * M is a clock ticking every 4 microseconds and F a keyed hash, so that
 * each connection's numbers start somewhere an off-path host cannot
 * guess, yet a new incarnation of a four-tuple starts ahead of the old.
 * A listener under a SYN flood chooses its ISNs otherwise: see SYN
 * cookies below.
 */
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <kunit/visibility.h>

#include "xtcp.h"

static siphash_aligned_key_t xtcp_isn_key;
static siphash_aligned_key_t xtcp_cookie_key;
static siphash_aligned_key_t xtcp_ts_key;

/**
 * xtcp_isn_init() - make the secrets of ISNs, SYN cookies and TSvals
 *
 * At module load, before any socket: made on first use instead
 * (net_get_random_once()), a secret would switch a static key, patching
 * the module's code from a softirq while another CPU may be running it.
 * Under QEMU's software emulation that patching has ended in "Oops:
 * int3" (the breakpoint it places for a moment was executed after it
 * was gone).
 */
void __init xtcp_isn_init(void)
{
	get_random_bytes(&xtcp_isn_key, sizeof(xtcp_isn_key));
	get_random_bytes(&xtcp_cookie_key, sizeof(xtcp_cookie_key));
	get_random_bytes(&xtcp_ts_key, sizeof(xtcp_ts_key));
}

/**
 * xtcp_isn_at() - the ISN of a four-tuple at a given time
 * @key: the secret
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @ns: the clock, in nanoseconds
 *
 * Return: the initial sequence number.
 */
VISIBLE_IF_KUNIT u32 xtcp_isn_at(const siphash_key_t *key, __be32 saddr,
				 __be32 daddr, __be16 sport, __be16 dport, u64 ns)
{
	u32 f = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			     (__force u32)sport << 16 | (__force u32)dport, key);

	return f + (u32)(ns >> 12);	/* 4.096 us ticks */
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_isn_at);

/**
 * xtcp_isn() - a fresh initial sequence number for a connection
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 *
 * Return: the initial sequence number.
 */
u32 xtcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	return xtcp_isn_at(&xtcp_isn_key, saddr, daddr, sport, dport, ktime_get_ns());
}

/**
 * xtcp_ts_offset() - what a connection's TSvals add to the clock
 * @laddr: local address
 * @raddr: remote address
 *
 * A keyed hash of the addresses, as Linux's: TSvals then tell an observer
 * nothing of the uptime, or of how many hosts share one address, yet stay
 * on one clock towards one peer, on which PAWS relies across
 * connections.
 *
 * Return: the offset.
 */
u32 xtcp_ts_offset(__be32 laddr, __be32 raddr)
{
	return siphash_2u32((__force u32)laddr, (__force u32)raddr, &xtcp_ts_key);
}

/*
 * SYN cookies: when a listener's SYN queue is full, the SYN-ACK's
 * sequence number carries the request instead of memory. The peer's ACK
 * returns it plus one, and the request is rebuilt from it:
 *
 *   cookie = (H(4-tuple, peer's ISN, epoch, i) & ~7) | i
 *
 * i indexes xtcp_cookie_mss[], the largest entry not above the peer's
 * MSS; the epoch counts 64-second periods, and a cookie is good in the
 * period it was made in and the next. H is keyed: an off-path host
 * making an ACK that opens a connection must guess 29 bits of hash
 * with two good values (this epoch's and the last's), 28 bits' worth.
 * The table steps through 256, so that a peer announcing less than 536
 * is not cut to the smallest MSS. What the cookie cannot carry, window
 * scaling and SACK, its SYN-ACK does not offer.
 */
static const u16 xtcp_cookie_mss[8] = {
	XTCP_MIN_MSS, 256, 536, 1220, 1400, 1440, 1460, 8960
};

#define XTCP_COOKIE_EPOCH_SHIFT	6	/* 64 s */

/**
 * xtcp_cookie_at() - the cookie for a SYN in a given epoch
 * @key: the secret
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @irs: the peer's initial sequence number
 * @epoch: the 64-second period
 * @mss: the peer's MSS; the cookie carries the largest table entry not
 *	above it
 *
 * Return: the cookie, our initial sequence number.
 */
VISIBLE_IF_KUNIT u32 xtcp_cookie_at(const siphash_key_t *key, __be32 saddr,
				    __be32 daddr, __be16 sport, __be16 dport,
				    u32 irs, u32 epoch, u16 mss)
{
	u32 i = ARRAY_SIZE(xtcp_cookie_mss) - 1;
	u64 h;

	while (i > 0 && xtcp_cookie_mss[i] > mss)
		i--;
	h = siphash_3u64((u64)(__force u32)saddr << 32 | (__force u32)daddr,
			 (u64)((__force u32)sport << 16 | (__force u32)dport) << 32 | irs,
			 (u64)epoch << 3 | i, key);
	return ((u32)h & ~7U) | i;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_at);

/**
 * xtcp_cookie_check_at() - is a cookie ours, of this epoch or the last?
 * @key: the secret
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @irs: the peer's initial sequence number (its ACK's sequence minus one)
 * @cookie: the cookie (its ACK's acknowledgment minus one)
 * @epoch: the 64-second period now
 *
 * Return: the MSS the cookie carries, or 0 if it is not a good cookie.
 */
VISIBLE_IF_KUNIT u16 xtcp_cookie_check_at(const siphash_key_t *key, __be32 saddr,
					  __be32 daddr, __be16 sport, __be16 dport,
					  u32 irs, u32 cookie, u32 epoch)
{
	u16 mss = xtcp_cookie_mss[cookie & 7];
	u32 age;

	for (age = 0; age < 2; age++)
		if (xtcp_cookie_at(key, saddr, daddr, sport, dport, irs, epoch - age,
				   mss) == cookie)
			return mss;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_cookie_check_at);

/**
 * xtcp_cookie_epoch() - the 64-second period now
 *
 * Return: the seconds since boot, over 64.
 */
u32 xtcp_cookie_epoch(void)
{
	return ktime_get_seconds() >> XTCP_COOKIE_EPOCH_SHIFT;
}

/**
 * xtcp_cookie() - a SYN cookie for a SYN
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @irs: the SYN's sequence number
 * @mss: the MSS the SYN offered (XTCP_MSS_DEFAULT if none)
 *
 * Return: the cookie, to be the SYN-ACK's sequence number.
 */
u32 xtcp_cookie(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 irs, u16 mss)
{
	return xtcp_cookie_at(&xtcp_cookie_key, saddr, daddr, sport, dport, irs,
			      xtcp_cookie_epoch(), mss);
}

/**
 * xtcp_cookie_check() - the MSS of a good cookie
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @irs: the peer's initial sequence number
 * @cookie: what the peer acknowledged, minus one
 *
 * Return: the MSS the cookie carries, or 0 if it is not a good one.
 */
u16 xtcp_cookie_check(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 irs,
		      u32 cookie)
{
	return xtcp_cookie_check_at(&xtcp_cookie_key, saddr, daddr, sport, dport, irs,
				    cookie, xtcp_cookie_epoch());
}
