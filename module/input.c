// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path of xtcp: segments arrive here from IPv4.
 */
#include <linux/skbuff.h>

#include "xtcp.h"

/**
 * xtcp_v4_rcv() - receive one xtcp segment from IPv4
 * @skb: the segment, with skb->data at the xtcp header
 *
 * Consumes @skb. Return: 0, as IPv4 expects of a protocol that took it.
 */
int xtcp_v4_rcv(struct sk_buff *skb)
{
	kfree_skb(skb);
	return 0;
}

/**
 * xtcp_v4_err() - an ICMP error arrived for an xtcp segment we sent
 * @skb: the ICMP message, with skb->data at the quoted IPv4 header's payload
 * @info: ICMP type-specific information
 *
 * Return: 0.
 */
int xtcp_v4_err(struct sk_buff *skb, u32 info)
{
	return 0;
}
