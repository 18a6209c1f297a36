// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: how a queued segment becomes a packet (module/output.c). A
 * segment of the write queue (xtcp_alloc_seg()) has XTCP_HEADROOM in
 * front of its data and no claim on it; xtcp_seg_packet() sends a clone
 * that shares the data and may write its headers in that room (the
 * fast clone allocated beside it), or a copy while an earlier clone
 * still holds it. And the size of the largest MSS, a jumbo frame's
 * among them, in 16 KiB with the headroom.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define DATA_LEN	1000

static void free_skb_action(void *skb)
{
	kfree_skb(skb);
}

/* Register @skb to be freed when @test ends; fail the test if it is NULL. */
static struct sk_buff *owned(struct kunit *test, struct sk_buff *skb)
{
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, free_skb_action, skb), 0);
	return skb;
}

/* A queued segment of DATA_LEN bytes, 0, 1, 2, ... */
static struct sk_buff *segment(struct kunit *test)
{
	struct sk_buff *seg = owned(test, xtcp_alloc_seg(DATA_LEN, GFP_KERNEL));
	u8 *p = skb_put(seg, DATA_LEN);
	int i;

	for (i = 0; i < DATA_LEN; i++)
		p[i] = i;
	XTCP_SKB_CB(seg)->seq = 12345;
	return seg;
}

static bool data_intact(const struct sk_buff *skb)
{
	int i;

	if (skb->len != DATA_LEN)
		return false;
	for (i = 0; i < DATA_LEN; i++)
		if (skb->data[i] != (u8)i)
			return false;
	return true;
}

static void segment_has_headroom(struct kunit *test)
{
	struct sk_buff *seg = segment(test);

	KUNIT_EXPECT_GE(test, skb_headroom(seg), XTCP_HEADROOM);
	KUNIT_EXPECT_GE(test, skb_tailroom(seg) + seg->len, DATA_LEN);
	KUNIT_EXPECT_FALSE(test, skb_cloned(seg));
}

/* The first packet is a clone: same data, its own headers, no copy. */
static void packet_is_a_clone(struct kunit *test)
{
	struct sk_buff *seg = segment(test);
	struct sk_buff *pkt = owned(test, xtcp_seg_packet(seg));

	KUNIT_EXPECT_PTR_EQ(test, pkt->data, seg->data);
	KUNIT_EXPECT_EQ(test, pkt->len, DATA_LEN);
	KUNIT_EXPECT_TRUE(test, skb_cloned(seg));
	/* The sk_buff allocated with the segment: sending allocates none. */
	KUNIT_EXPECT_TRUE(test, pkt->fclone == SKB_FCLONE_CLONE);
	/* The lower layers may write the clone's headers in place. */
	KUNIT_EXPECT_FALSE(test, skb_header_cloned(pkt));
	KUNIT_EXPECT_GE(test, skb_headroom(pkt), XTCP_HEADROOM);
	/* The segment's control block is not IP's: cleared. */
	KUNIT_EXPECT_TRUE(test, !memchr_inv(pkt->cb, 0, sizeof(pkt->cb)));
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(seg)->seq, 12345);

	memset(skb_push(pkt, XTCP_HEADROOM), 0xff, XTCP_HEADROOM);
	KUNIT_EXPECT_TRUE(test, data_intact(seg));
}

/*
 * A second transmission while the first packet is out gets a copy: its
 * headers would otherwise overwrite those of the first. Once the first
 * is gone, clones again.
 */
static void copy_while_clone_out(struct kunit *test)
{
	struct sk_buff *seg = segment(test);
	struct sk_buff *first = xtcp_seg_packet(seg);
	struct sk_buff *second = owned(test, xtcp_seg_packet(seg));
	struct sk_buff *third;

	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_EXPECT_PTR_NE(test, second->head, seg->head);
	KUNIT_EXPECT_TRUE(test, data_intact(second));
	KUNIT_EXPECT_GE(test, skb_headroom(second), XTCP_HEADROOM);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(second->cb, 0, sizeof(second->cb)));

	memset(skb_push(second, XTCP_HEADROOM), 0xff, XTCP_HEADROOM);
	KUNIT_EXPECT_TRUE(test, data_intact(first));

	kfree_skb(first);
	KUNIT_EXPECT_FALSE(test, skb_cloned(seg));
	third = owned(test, xtcp_seg_packet(seg));
	KUNIT_EXPECT_PTR_EQ(test, third->head, seg->head);
	KUNIT_EXPECT_TRUE(test, third->fclone == SKB_FCLONE_CLONE);
}

/* The segment outlives its packet and the packet its segment. */
static void either_freed_first(struct kunit *test)
{
	struct sk_buff *seg = xtcp_alloc_seg(DATA_LEN, GFP_KERNEL);
	struct sk_buff *pkt;

	KUNIT_ASSERT_NOT_NULL(test, seg);
	memset(skb_put(seg, DATA_LEN), 0x5a, DATA_LEN);
	pkt = xtcp_seg_packet(seg);
	if (!pkt)
		kfree_skb(seg);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	kfree_skb(seg);
	KUNIT_EXPECT_FALSE(test, memchr_inv(pkt->data, 0x5a, DATA_LEN));
	kfree_skb(pkt);
}

/* The largest MSS, with the headroom, in 16 KiB. */
static void sizes(struct kunit *test)
{
	unsigned int shinfo = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	KUNIT_EXPECT_LE(test, SKB_DATA_ALIGN(XTCP_HEADROOM + XTCP_MAX_SEG) + shinfo, 16384);
	KUNIT_EXPECT_GE(test, XTCP_MAX_SEG, 9000 - 40);	/* a jumbo frame's MSS */
}

static struct kunit_case xtcp_output_cases[] = {
	KUNIT_CASE(segment_has_headroom),
	KUNIT_CASE(packet_is_a_clone),
	KUNIT_CASE(copy_while_clone_out),
	KUNIT_CASE(either_freed_first),
	KUNIT_CASE(sizes),
	{}
};

static struct kunit_suite xtcp_output_suite = {
	.name = "xtcp_output",
	.test_cases = xtcp_output_cases,
};

kunit_test_suite(xtcp_output_suite);
