// SPDX-License-Identifier: GPL-2.0
/*
 * GSO: a run of full segments leaves as one packet.
 *
 * Sending a stream one segment at a time costs a trip down the IP
 * layer, through the qdisc and the device, per MTU's worth of data. Like
 * Linux TCP, xtcp hands the layers below one large packet instead
 * (output.c builds it): one header, the data of up to 64 KiB of queued
 * segments behind it (each a clone in the packet's frag_list, so none
 * is copied), gso_size the MSS. A device that takes such packets whole,
 * as veth and lo do, carries it so to the receiver, which takes it as
 * one segment; for any other, the stack cuts it up before the device by
 * the callback here, which gives each piece its own sequence number,
 * flags and checksum, as TCP's tcp_gso_segment() does. Every run starts
 * at a full segment and only its last segment may be shorter, so the
 * pieces are the segments that were queued.
 *
 * The packet's gso_type is SKB_GSO_TCPV4 (its header is laid out as
 * TCP's, so the stack measures it as one) together with
 * SKB_GSO_FRAGLIST, which no TCP segmentation offload claims: a NIC
 * that cuts TCP packets up in hardware never sees an xtcp one, whose
 * protocol it would not know. Only software devices (veth, lo, bridges)
 * take these packets whole; before any other, this callback cuts them.
 *
 * The callback runs in the transmit path under rcu_read_lock(), with
 * no socket: what it needs is in the packet. Module exit removes it,
 * and waits for callers, before the module goes.
 */
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/protocol.h>

#include "xtcp.h"

/*
 * The checksum of one piece: for the device to finish if it finishes
 * any protocol's (NETIF_F_HW_CSUM), else here in full. skb_segment()
 * would leave it unfinished for a NIC that sums only TCP's and UDP's
 * (NETIF_F_IP_CSUM) as well, and the NIC, going by the checksum's
 * offset, would take the piece for TCP's.
 */
static void xtcp_gso_checksum(struct sk_buff *seg, struct tcphdr *th,
			      netdev_features_t features)
{
	const struct iphdr *iph = ip_hdr(seg);
	unsigned int off = skb_transport_offset(seg);
	unsigned int len = seg->len - off;

	if (seg->ip_summed == CHECKSUM_PARTIAL && features & NETIF_F_HW_CSUM) {
		th->check = ~xtcp_checksum(iph->saddr, iph->daddr, xtcp_wire_proto, len, 0);
		return;
	}
	th->check = 0;
	th->check = xtcp_checksum(iph->saddr, iph->daddr, xtcp_wire_proto, len,
				  skb_checksum(seg, off, len, 0));
	seg->ip_summed = CHECKSUM_NONE;
}

/**
 * xtcp_gso_segment() - cut a GSO packet into its segments
 * @skb: the packet, skb->data at its xtcp header (the IP layer pulled its
 *	own), skb_shinfo(skb)->gso_size the MSS
 * @features: what the device can do
 *
 * Return: the list of segments, or an ERR_PTR() for a malformed packet.
 */
static struct sk_buff *xtcp_gso_segment(struct sk_buff *skb, netdev_features_t features)
{
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *segs, *seg;
	struct tcphdr *th;
	unsigned int thlen;
	u32 seq;

	if (!mss || !pskb_may_pull(skb, sizeof(*th)))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, thlen))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	seq = ntohl(th->seq);
	__skb_pull(skb, thlen);

	segs = skb_segment(skb, features);
	if (IS_ERR_OR_NULL(segs))
		return segs;
	for (seg = segs; seg; seg = seg->next) {
		th = tcp_hdr(seg);
		th->seq = htonl(seq);
		seq += seg->len - skb_transport_offset(seg) - thlen;
		/* FIN and PSH end the run; CWR goes on its first segment. */
		if (seg->next) {
			th->fin = 0;
			th->psh = 0;
		}
		if (seg != segs)
			th->cwr = 0;
		xtcp_gso_checksum(seg, th, features);
	}
	return segs;
}

static const struct net_offload xtcp_offload = {
	.callbacks = {
		.gso_segment = xtcp_gso_segment,
	},
};

/**
 * xtcp_offload_init() - register the GSO callback for xtcp_wire_proto
 *
 * Return: 0, or -EBUSY if the protocol number has an offload already.
 */
int xtcp_offload_init(void)
{
	return inet_add_offload(&xtcp_offload, xtcp_wire_proto) ? -EBUSY : 0;
}

/**
 * xtcp_offload_exit() - undo xtcp_offload_init(), once callbacks already
 *	running have returned (inet_del_offload() waits for them)
 */
void xtcp_offload_exit(void)
{
	inet_del_offload(&xtcp_offload, xtcp_wire_proto);
}
