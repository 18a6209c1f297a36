/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic (RFC 9293 section 3.4): 32-bit numbers
 * compared modulo 2^32, so "before" means "less than half the space
 * behind". Every comparison of two sequence numbers in xtcp goes through
 * these helpers; a plain '<' on sequence numbers is a bug.
 */
#ifndef _XTCP_SEQ_H
#define _XTCP_SEQ_H

#include <linux/types.h>

/* a comes strictly before b */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a comes strictly after b */
static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* lo <= x <= hi, with the range taken from lo going forward */
static inline bool xtcp_seq_between(u32 x, u32 lo, u32 hi)
{
	return x - lo <= hi - lo;
}

/* lo <= x < lo + len: x falls inside a window of len bytes starting at lo */
static inline bool xtcp_seq_in_window(u32 x, u32 lo, u32 len)
{
	return x - lo < len;
}

#endif /* _XTCP_SEQ_H */
