// SPDX-License-Identifier: GPL-2.0
/*
 * The retransmission timeout, RFC 6298: a smoothed round-trip time and
 * its variation from samples of segments sent once (Karn's rule is the
 * caller's: never sample a retransmitted segment), RTO = SRTT + 4 RTTVAR
 * bounded to [200 ms, 120 s], doubled on each timeout.
 */
#include <linux/minmax.h>
#include <kunit/visibility.h>

#include "xtcp.h"

/**
 * xtcp_rtt_sample() - fold one round-trip time sample into the estimate
 * @srtt_us: smoothed RTT; 0 means no sample yet
 * @rttvar_us: RTT variation
 * @rto_us: the timeout computed from them
 * @rtt_us: the sample
 */
void xtcp_rtt_sample(u32 *srtt_us, u32 *rttvar_us, u32 *rto_us, u32 rtt_us)
{
	u32 g = 1000;	/* clock granularity: the kernel's is finer; take 1 ms */

	rtt_us = max(rtt_us, 1U);
	if (!*srtt_us) {
		/* RFC 6298 2.2 */
		*srtt_us = rtt_us;
		*rttvar_us = rtt_us / 2;
	} else {
		/* RFC 6298 2.3, with alpha = 1/8 and beta = 1/4 */
		u32 delta = *srtt_us > rtt_us ? *srtt_us - rtt_us : rtt_us - *srtt_us;

		*rttvar_us = *rttvar_us - *rttvar_us / 4 + delta / 4;
		*srtt_us = *srtt_us - *srtt_us / 8 + rtt_us / 8;
	}
	*rto_us = clamp_t(u64, (u64)*srtt_us + max_t(u64, g, 4ULL * *rttvar_us),
			  XTCP_RTO_MIN_US, XTCP_RTO_MAX_US);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rtt_sample);

/**
 * xtcp_backoff_ns() - the timeout after some number of timeouts
 * @rto_us: the timeout before any
 * @retries: timeouts so far
 *
 * Return: @rto_us doubled @retries times, at most 120 s, in nanoseconds.
 */
u64 xtcp_backoff_ns(u32 rto_us, unsigned int retries)
{
	u64 us = rto_us;

	while (retries-- && us < XTCP_RTO_MAX_US)
		us <<= 1;
	return min_t(u64, us, XTCP_RTO_MAX_US) * NSEC_PER_USEC;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_backoff_ns);
