// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers, RFC 6528: ISN = M + F(4-tuple, secret), where
 * M is a clock ticking every 4 microseconds and F a keyed hash, so that
 * each connection's numbers start somewhere an off-path host cannot
 * guess, yet a new incarnation of a four-tuple starts ahead of the old.
 */
#include <linux/ktime.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <kunit/visibility.h>

#include "xtcp.h"

static siphash_aligned_key_t xtcp_isn_key;

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
	net_get_random_once(&xtcp_isn_key, sizeof(xtcp_isn_key));
	return xtcp_isn_at(&xtcp_isn_key, saddr, daddr, sport, dport, ktime_get_ns());
}
