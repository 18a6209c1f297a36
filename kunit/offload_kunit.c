// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the GSO callback (module/offload.c), through the stack's own
 * skb_gso_segment() as a device that cannot take the packet calls it. A
 * GSO packet as output.c builds one (an IPv4 and an xtcp header, the
 * data in frag_list members of one MSS each, the last maybe shorter)
 * comes back as that many segments, each with its own IPv4 length, the
 * sequence number of its first byte, PSH and FIN on the last alone, CWR
 * on the first alone, and its data in order; with the device unable to
 * checksum, a whole, right checksum in each; with a device that can,
 * the pseudo-header's sum for it to finish.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/gso.h>
#include <net/ip.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define MSS	1000
#define SEQ	0xfffff000u	/* the segments wrap past 2^32 */
#define SADDR	htonl(0xc0000201)
#define DADDR	htonl(0xc0000202)
#define CWR	0x80		/* the flags byte's CWR bit */

/* The flags byte of a header laid out as TCP's: byte 13. */
static u8 *flags_of(const struct tcphdr *th)
{
	return (u8 *)th + 13;
}

static void free_skb_list(void *skb)
{
	kfree_skb_list(skb);
}

static u8 byte_at(unsigned int i)
{
	return i * 7 + i / 251;
}

/* A GSO packet of @len data bytes, cut at MSS; its flags @flags. */
static struct sk_buff *gso_packet(struct kunit *test, unsigned int len, u8 flags)
{
	struct sk_buff *skb = alloc_skb(MAX_HEADER + 40, GFP_KERNEL), *last = NULL;
	unsigned int off, i;
	struct tcphdr *th;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, MAX_HEADER + 40);
	for (off = 0; off < len; off += MSS) {
		unsigned int n = min(len - off, MSS);
		struct sk_buff *part = alloc_skb(n, GFP_KERNEL);
		u8 *p;

		KUNIT_ASSERT_NOT_NULL(test, part);
		p = skb_put(part, n);
		for (i = 0; i < n; i++)
			p[i] = byte_at(off + i);
		if (last)
			last->next = part;
		else
			skb_shinfo(skb)->frag_list = part;
		last = part;
		skb->len += n;
		skb->data_len += n;
		skb->truesize += part->truesize;
	}

	th = skb_push(skb, sizeof(*th));
	memset(th, 0, sizeof(*th));
	th->source = htons(40000);
	th->dest = htons(7777);
	th->seq = htonl(SEQ);
	th->ack_seq = htonl(1);
	th->doff = 5;
	th->window = htons(1000);
	*flags_of(th) = flags;
	skb_reset_transport_header(skb);
	th->check = ~xtcp_checksum(SADDR, DADDR, xtcp_wire_proto, skb->len, 0);
	skb_partial_csum_set(skb, 0, offsetof(struct tcphdr, check));

	iph = skb_push(skb, sizeof(*iph));
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = xtcp_wire_proto;
	iph->frag_off = htons(IP_DF);
	iph->saddr = SADDR;
	iph->daddr = DADDR;
	iph->tot_len = htons(skb->len);
	ip_send_check(iph);
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	skb->protocol = htons(ETH_P_IP);

	skb_shinfo(skb)->gso_size = MSS;
	skb_shinfo(skb)->gso_segs = DIV_ROUND_UP(len, MSS);
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4 | SKB_GSO_FRAGLIST;
	return skb;
}

/* Cut @skb as for a device with @features; the list is freed with the test. */
static struct sk_buff *cut(struct kunit *test, struct sk_buff *skb, netdev_features_t features)
{
	struct sk_buff *segs = skb_gso_segment(skb, features);

	consume_skb(skb);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(segs));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_skb_list, segs), 0);
	return segs;
}

/* Check the segments of a packet of @len bytes with @flags. */
static void check_segments(struct kunit *test, struct sk_buff *segs, unsigned int len, u8 flags,
			   bool whole)
{
	unsigned int off = 0, n = 0, i;
	struct sk_buff *seg;

	for (seg = segs; seg; seg = seg->next, n++) {
		const struct iphdr *iph = ip_hdr(seg);
		const struct tcphdr *th = tcp_hdr(seg);
		unsigned int tlen = seg->len - skb_transport_offset(seg);
		unsigned int dlen = tlen - sizeof(*th);
		u8 want = flags;
		u8 buf[MSS];

		KUNIT_EXPECT_EQ(test, dlen, min(len - off, MSS));
		KUNIT_EXPECT_EQ(test, ntohs(iph->tot_len), sizeof(*iph) + tlen);
		KUNIT_EXPECT_EQ(test, (unsigned int)iph->ihl, 5);
		KUNIT_EXPECT_EQ(test, (__force u16)ip_fast_csum(iph, 5), 0);
		KUNIT_EXPECT_EQ(test, ntohl(th->seq), SEQ + off);
		if (seg->next)
			want &= ~(XTCP_FLAG_PSH | XTCP_FLAG_FIN);
		if (seg != segs)
			want &= ~CWR;
		KUNIT_EXPECT_EQ(test, *flags_of(th), want);
		KUNIT_ASSERT_EQ(test, skb_copy_bits(seg, skb_transport_offset(seg) + sizeof(*th),
						    buf, dlen), 0);
		for (i = 0; i < dlen; i++)
			if (buf[i] != byte_at(off + i))
				break;
		KUNIT_EXPECT_EQ(test, i, dlen);
		if (whole) {
			__wsum sum = skb_checksum(seg, skb_transport_offset(seg), tlen, 0);

			KUNIT_EXPECT_NE(test, (int)seg->ip_summed, CHECKSUM_PARTIAL);
			KUNIT_EXPECT_EQ(test, (__force u16)xtcp_checksum(iph->saddr, iph->daddr,
									 xtcp_wire_proto, tlen,
									 sum), 0);
		} else {
			KUNIT_EXPECT_EQ(test, (int)seg->ip_summed, CHECKSUM_PARTIAL);
			KUNIT_EXPECT_EQ(test, (__force u16)th->check,
					(__force u16)~xtcp_checksum(iph->saddr, iph->daddr,
								    xtcp_wire_proto, tlen, 0));
		}
		off += dlen;
	}
	KUNIT_EXPECT_EQ(test, n, DIV_ROUND_UP(len, MSS));
	KUNIT_EXPECT_EQ(test, off, len);
}

/* A device that can neither checksum nor gather: whole checksums. */
static void cut_and_summed(struct kunit *test)
{
	u8 flags = XTCP_FLAG_ACK | XTCP_FLAG_PSH;
	struct sk_buff *segs = cut(test, gso_packet(test, 5 * MSS, flags), 0);

	check_segments(test, segs, 5 * MSS, flags, true);
}

/* A short last segment, and FIN and CWR kept where they belong. */
static void short_last_and_flags(struct kunit *test)
{
	u8 flags = XTCP_FLAG_ACK | XTCP_FLAG_PSH | XTCP_FLAG_FIN | CWR;
	unsigned int len = 3 * MSS + 123;
	struct sk_buff *segs = cut(test, gso_packet(test, len, flags), 0);

	check_segments(test, segs, len, flags, true);
}

/* A device that checksums: each segment left with its pseudo-header's sum. */
static void cut_for_the_device(struct kunit *test)
{
	u8 flags = XTCP_FLAG_ACK | XTCP_FLAG_PSH;
	struct sk_buff *segs = cut(test, gso_packet(test, 4 * MSS, flags),
				   NETIF_F_SG | NETIF_F_HW_CSUM);

	check_segments(test, segs, 4 * MSS, flags, false);
}

/* A header shorter than 20 bytes is refused, not cut. */
static void bad_header_refused(struct kunit *test)
{
	struct sk_buff *skb = gso_packet(test, 2 * MSS, XTCP_FLAG_ACK);
	struct sk_buff *segs;

	tcp_hdr(skb)->doff = 4;
	segs = skb_gso_segment(skb, 0);
	KUNIT_EXPECT_TRUE(test, IS_ERR(segs));
	if (!IS_ERR_OR_NULL(segs))
		kfree_skb_list(segs);
	kfree_skb(skb);
}

static struct kunit_case xtcp_offload_cases[] = {
	KUNIT_CASE(cut_and_summed),
	KUNIT_CASE(short_last_and_flags),
	KUNIT_CASE(cut_for_the_device),
	KUNIT_CASE(bad_header_refused),
	{}
};

static struct kunit_suite xtcp_offload_suite = {
	.name = "xtcp_offload",
	.test_cases = xtcp_offload_cases,
};

kunit_test_suite(xtcp_offload_suite);
