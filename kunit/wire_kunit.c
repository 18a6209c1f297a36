// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the header codec (module/wire.c). xtcp_write_header() writes the
 * RFC 9293 3.1 layout byte for byte, xtcp_parse_header() reads real
 * segments and rejects a data offset under 5 or past the segment's end,
 * end_seq counts SYN and FIN, the options parser skips what it does not
 * know and refuses malformed lists, and the checksum covers a pseudo
 * header carrying protocol 253, checked against a vector computed by hand.
 *
 * SACK (RFC 2018): SACK-permitted and SACK options are read (the blocks'
 * number and place, then each block, big-endian, with xtcp_sack_block()),
 * one of the wrong length is refused, and xtcp_write_header() writes both
 * in Linux's layout (NOP, NOP before each), byte for byte; what it writes
 * reads back as the same blocks.
 *
 * Buffers under test are allocated at their exact length, so that KASAN
 * in the debug kernel reports any read past the segment or option list.
 */
#include <kunit/test.h>
#include <net/checksum.h>

#include "xtcp.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* A copy of @len bytes in a buffer of exactly that size. */
static u8 *wire_buf(struct kunit *test, const u8 *bytes, size_t len)
{
	u8 *buf = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, bytes, len);
	return buf;
}

static void wire_expect_bytes(struct kunit *test, const u8 *got,
			      const u8 *want, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %zu", i);
}

/*
 * A SYN as Linux sends it, 50000 -> 7777: data offset 10, options MSS
 * 1460, SACK permitted, timestamps, NOP, window scale 7.
 */
static const u8 linux_syn[40] = {
	0xc3, 0x50, 0x1e, 0x61,		/* ports 50000, 7777 */
	0x5c, 0x3a, 0x9e, 0x01,		/* seq */
	0x00, 0x00, 0x00, 0x00,		/* ack */
	0xa0, 0x02,			/* doff 10, SYN */
	0xfa, 0xf0,			/* window 64240 */
	0x12, 0x34,			/* checksum (not parsed) */
	0x00, 0x00,			/* urgent pointer */
	0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
	0x04, 0x02,			/* SACK permitted */
	0x08, 0x0a, 0x00, 0x2b, 0x8c, 0x1f, 0x00, 0x00, 0x00, 0x00, /* TS */
	0x01,				/* NOP */
	0x03, 0x03, 0x07,		/* window scale 7 */
};

static void wire_parse_linux_syn(struct kunit *test)
{
	const struct tcphdr *th = (void *)wire_buf(test, linux_syn, sizeof(linux_syn));
	struct xtcp_seg seg;

	KUNIT_ASSERT_EQ(test, xtcp_parse_header(th, sizeof(linux_syn), &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.seq, 0x5c3a9e01);
	KUNIT_EXPECT_EQ(test, seg.ack, 0);
	KUNIT_EXPECT_EQ(test, seg.doff, 40);
	KUNIT_EXPECT_EQ(test, seg.len, 0);
	KUNIT_EXPECT_EQ(test, seg.wnd, 64240);
	KUNIT_EXPECT_EQ(test, seg.flags, XTCP_FLAG_SYN);
	KUNIT_EXPECT_EQ(test, seg.mss, 1460);
	KUNIT_EXPECT_EQ(test, seg.sack_ok, 1);
	KUNIT_EXPECT_EQ(test, seg.nr_sacks, 0);
	KUNIT_EXPECT_EQ(test, seg.saw_ts, 1);
	KUNIT_EXPECT_EQ(test, seg.tsval, 0x002b8c1f);
	KUNIT_EXPECT_EQ(test, seg.tsecr, 0);
	KUNIT_EXPECT_EQ(test, seg.end_seq, 0x5c3a9e02);	/* the SYN counts */
}

/* The same SYN, written: byte for byte Linux's, but for the checksum. */
static void wire_write_linux_syn(struct kunit *test)
{
	struct xtcp_opts opts = {
		.mss = 1460, .sack_ok = true, .wscale = 7,
		.ts = true, .tsval = 0x002b8c1f, .tsecr = 0,
	};
	u8 *buf = kunit_kzalloc(test, sizeof(linux_syn), GFP_KERNEL);
	u8 want[sizeof(linux_syn)];

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(want, linux_syn, sizeof(want));
	want[16] = 0;
	want[17] = 0;
	KUNIT_EXPECT_EQ(test, xtcp_header_len(&opts), sizeof(linux_syn));
	KUNIT_EXPECT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(50000), htons(7777),
						0x5c3a9e01, 0, XTCP_FLAG_SYN, 64240, &opts),
			sizeof(linux_syn));
	wire_expect_bytes(test, buf, want, sizeof(want));
}

/*
 * Timestamps without SACK-permitted go after two NOPs, on a SYN as on
 * any segment; beside SACK blocks, three of them fill the header.
 */
static void wire_write_ts_bytes(struct kunit *test)
{
	static const u8 syn[20] = {
		0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
		0x01, 0x01, 0x08, 0x0a,		/* NOP, NOP, timestamps */
		0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x03, 0x03, 0x07,		/* NOP, window scale 7 */
	};
	static const u8 ack[40] = {
		0x01, 0x01, 0x08, 0x0a,		/* NOP, NOP, timestamps */
		0xff, 0xff, 0xff, 0xfe, 0x80, 0x00, 0x00, 0x01,
		0x01, 0x01, 0x05, 0x1a,		/* NOP, NOP, SACK, 2 + 3 * 8 */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,
	};
	struct xtcp_opts opts = {
		.mss = 1460, .wscale = 7, .ts = true, .tsval = 0x01020304,
	};
	u8 *buf = kunit_kzalloc(test, XTCP_HDR_LEN + XTCP_OPT_MAX_LEN, GFP_KERNEL);
	struct xtcp_seg seg;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(1), htons(2), 1, 0,
						XTCP_FLAG_SYN, 100, &opts), 40);
	wire_expect_bytes(test, buf + XTCP_HDR_LEN, syn, sizeof(syn));

	opts = (struct xtcp_opts){
		.wscale = -1, .ts = true, .tsval = 0xfffffffe, .tsecr = 0x80000001,
		.nr_sacks = XTCP_MAX_SACKS_TS, .sacks = { { 1, 2 }, { 3, 4 }, { 5, 6 } },
	};
	KUNIT_EXPECT_EQ(test, xtcp_header_len(&opts), XTCP_HDR_LEN + XTCP_OPT_MAX_LEN);
	KUNIT_EXPECT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(1), htons(2), 1, 2,
						XTCP_FLAG_ACK, 100, &opts),
			XTCP_HDR_LEN + XTCP_OPT_MAX_LEN);
	KUNIT_EXPECT_EQ(test, buf[12], 0xf0);	/* doff 15 */
	wire_expect_bytes(test, buf + XTCP_HDR_LEN, ack, sizeof(ack));

	KUNIT_ASSERT_EQ(test, xtcp_parse_header((struct tcphdr *)buf, 60, &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.saw_ts, 1);
	KUNIT_EXPECT_EQ(test, seg.tsval, 0xfffffffe);
	KUNIT_EXPECT_EQ(test, seg.tsecr, 0x80000001);
	KUNIT_EXPECT_EQ(test, seg.nr_sacks, 3);
	KUNIT_EXPECT_EQ(test, seg.sack_off, 36);
}

/*
 * An ACK as Linux sends it with a hole: data offset 13, options NOP, NOP,
 * timestamps, NOP, NOP and a SACK option of two blocks, the second across
 * the 2^32 wrap.
 */
static const u8 linux_sack_ack[52] = {
	0x1e, 0x61, 0xc3, 0x50,		/* ports 7777, 50000 */
	0x01, 0x02, 0x03, 0x04,		/* seq */
	0x5c, 0x3a, 0xa0, 0x01,		/* ack */
	0xd0, 0x10,			/* doff 13, ACK */
	0x01, 0xf5,			/* window 501 */
	0x00, 0x00, 0x00, 0x00,
	0x01, 0x01,			/* NOP, NOP */
	0x08, 0x0a, 0x00, 0x2b, 0x8c, 0x1f, 0x00, 0x11, 0x22, 0x33, /* TS */
	0x01, 0x01,			/* NOP, NOP */
	0x05, 0x12,			/* SACK, two blocks */
	0x5c, 0x3a, 0xa5, 0xd1, 0x5c, 0x3a, 0xab, 0x79,
	0xff, 0xff, 0xfc, 0x18, 0x00, 0x00, 0x03, 0xe8,
};

static void wire_parse_linux_sack(struct kunit *test)
{
	const struct tcphdr *th = (void *)wire_buf(test, linux_sack_ack, sizeof(linux_sack_ack));
	struct xtcp_sack_block b;
	struct xtcp_seg seg;

	KUNIT_ASSERT_EQ(test, xtcp_parse_header(th, sizeof(linux_sack_ack), &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.doff, 52);
	KUNIT_EXPECT_EQ(test, seg.len, 0);
	KUNIT_EXPECT_EQ(test, seg.ack, 0x5c3aa001);
	KUNIT_EXPECT_EQ(test, seg.sack_ok, 0);
	KUNIT_ASSERT_EQ(test, seg.nr_sacks, 2);
	KUNIT_EXPECT_EQ(test, seg.sack_off, 36);	/* 20 + NOP NOP TS NOP NOP 5 18 */
	KUNIT_EXPECT_EQ(test, seg.saw_ts, 1);
	KUNIT_EXPECT_EQ(test, seg.tsval, 0x002b8c1f);
	KUNIT_EXPECT_EQ(test, seg.tsecr, 0x00112233);
	b = xtcp_sack_block(th, &seg, 0);
	KUNIT_EXPECT_EQ(test, b.start, 0x5c3aa5d1);
	KUNIT_EXPECT_EQ(test, b.end, 0x5c3aab79);
	b = xtcp_sack_block(th, &seg, 1);
	KUNIT_EXPECT_EQ(test, b.start, 0xfffffc18);
	KUNIT_EXPECT_EQ(test, b.end, 0x000003e8);
}

/* FIN, PSH, ACK with "bye\n": no options, four bytes of data. */
static const u8 fin_with_data[24] = {
	0xc3, 0x50, 0x1e, 0x61,
	0x5c, 0x3a, 0x9e, 0x10,		/* seq */
	0x12, 0x34, 0x56, 0x78,		/* ack */
	0x50, 0x19,			/* doff 5, ACK PSH FIN */
	0x01, 0xf5,			/* window 501 */
	0x00, 0x00, 0x00, 0x00,
	'b', 'y', 'e', '\n',
};

static void wire_parse_fin_with_data(struct kunit *test)
{
	const struct tcphdr *th = (void *)wire_buf(test, fin_with_data,
						   sizeof(fin_with_data));
	struct xtcp_seg seg;

	seg.mss = 1234;	/* stale: parsing must clear it */
	KUNIT_ASSERT_EQ(test, xtcp_parse_header(th, sizeof(fin_with_data), &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.seq, 0x5c3a9e10);
	KUNIT_EXPECT_EQ(test, seg.ack, 0x12345678);
	KUNIT_EXPECT_EQ(test, seg.doff, 20);
	KUNIT_EXPECT_EQ(test, seg.len, 4);
	KUNIT_EXPECT_EQ(test, seg.wnd, 501);
	KUNIT_EXPECT_EQ(test, seg.flags, XTCP_FLAG_ACK | XTCP_FLAG_PSH | XTCP_FLAG_FIN);
	KUNIT_EXPECT_EQ(test, seg.mss, 0);
	KUNIT_EXPECT_EQ(test, seg.end_seq, 0x5c3a9e10 + 4 + 1);	/* data, FIN */
}

static void wire_write_syn_ack_bytes(struct kunit *test)
{
	static const u8 want[28] = {
		0x1e, 0x61, 0xc3, 0x50,		/* ports 7777, 50000 */
		0x01, 0x02, 0x03, 0x04,		/* seq */
		0xa0, 0xb0, 0xc0, 0xd0,		/* ack */
		0x70, 0x12,			/* doff 7, SYN ACK */
		0x72, 0x10,			/* window 29200 */
		0x00, 0x00,			/* checksum, filled in later */
		0x00, 0x00,			/* urgent pointer */
		0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
		0x01, 0x03, 0x03, 0x07,		/* NOP, window scale 7 */
	};
	struct xtcp_opts opts = { .mss = 1460, .wscale = 7 };
	u8 *buf = kunit_kmalloc(test, 32, GFP_KERNEL);
	unsigned int len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 32);
	len = xtcp_write_header((struct tcphdr *)buf, htons(7777), htons(50000),
				0x01020304, 0xa0b0c0d0,
				XTCP_FLAG_SYN | XTCP_FLAG_ACK, 29200, &opts);
	KUNIT_EXPECT_EQ(test, len, 28);
	KUNIT_EXPECT_EQ(test, xtcp_header_len(&opts), 28);
	wire_expect_bytes(test, buf, want, sizeof(want));
	for (i = 28; i < 32; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5, "byte %d written", i);
}

/* A SYN-ACK answering a SYN without window scale: MSS only. */
static void wire_write_mss_only_bytes(struct kunit *test)
{
	static const u8 want[4] = { 0x02, 0x04, 0x02, 0x18 };	/* MSS 536 */
	struct xtcp_opts opts = { .mss = 536, .wscale = -1 };
	u8 *buf = kunit_kmalloc(test, 32, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 32);
	KUNIT_EXPECT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(1), htons(2), 1, 2,
						XTCP_FLAG_SYN | XTCP_FLAG_ACK, 100, &opts), 24);
	KUNIT_EXPECT_EQ(test, buf[12], 0x60);	/* doff 6 */
	wire_expect_bytes(test, buf + 20, want, sizeof(want));
	KUNIT_EXPECT_EQ(test, buf[24], 0xa5);
}

/*
 * A SYN offering everything, as Linux lays it out without timestamps:
 * MSS, NOP, NOP, SACK-permitted, NOP, window scale.
 */
static void wire_write_syn_sack_ok_bytes(struct kunit *test)
{
	static const u8 want[32] = {
		0xc3, 0x50, 0x1e, 0x61,		/* ports 50000, 7777 */
		0x5c, 0x3a, 0x9e, 0x01,		/* seq */
		0x00, 0x00, 0x00, 0x00,		/* ack: not written without ACK */
		0x80, 0x02,			/* doff 8, SYN */
		0xfa, 0xf0,			/* window 64240 */
		0x00, 0x00,
		0x00, 0x00,
		0x02, 0x04, 0x05, 0xb4,		/* MSS 1460 */
		0x01, 0x01, 0x04, 0x02,		/* NOP, NOP, SACK permitted */
		0x01, 0x03, 0x03, 0x07,		/* NOP, window scale 7 */
	};
	struct xtcp_opts opts = { .mss = 1460, .sack_ok = true, .wscale = 7 };
	u8 *buf = kunit_kmalloc(test, 36, GFP_KERNEL);
	struct xtcp_seg seg;
	unsigned int len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 36);
	len = xtcp_write_header((struct tcphdr *)buf, htons(50000), htons(7777),
				0x5c3a9e01, 0, XTCP_FLAG_SYN, 64240, &opts);
	KUNIT_EXPECT_EQ(test, len, 32);
	KUNIT_EXPECT_EQ(test, xtcp_header_len(&opts), 32);
	wire_expect_bytes(test, buf, want, sizeof(want));
	for (i = 32; i < 36; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5, "byte %d written", i);

	KUNIT_ASSERT_EQ(test, xtcp_parse_header((struct tcphdr *)buf, 32, &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.mss, 1460);
	KUNIT_EXPECT_EQ(test, seg.sack_ok, 1);
	KUNIT_EXPECT_EQ(test, seg.wscale, 7);
	KUNIT_EXPECT_EQ(test, seg.nr_sacks, 0);
}

/* An ACK with two SACK blocks: NOP, NOP, kind 5, length 18, the edges. */
static void wire_write_sack_bytes(struct kunit *test)
{
	static const u8 want[40] = {
		0x1e, 0x61, 0xc3, 0x50,
		0x01, 0x02, 0x03, 0x04,		/* seq */
		0xa0, 0xb0, 0xc0, 0xd0,		/* ack */
		0xa0, 0x10,			/* doff 10, ACK */
		0x01, 0xf5,			/* window 501 */
		0x00, 0x00,
		0x00, 0x00,
		0x01, 0x01, 0x05, 0x12,		/* NOP, NOP, SACK, 2 + 2 * 8 */
		0xa0, 0xb0, 0xc8, 0xa0,		/* first block */
		0xa0, 0xb0, 0xd0, 0x70,
		0xff, 0xff, 0xff, 0xf0,		/* second, across the wrap */
		0x00, 0x00, 0x00, 0x10,
	};
	struct xtcp_opts opts = {
		.wscale = -1,
		.nr_sacks = 2,
		.sacks = { { 0xa0b0c8a0, 0xa0b0d070 }, { 0xfffffff0, 0x10 } },
	};
	u8 *buf = kunit_kmalloc(test, 44, GFP_KERNEL);
	unsigned int len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 44);
	len = xtcp_write_header((struct tcphdr *)buf, htons(7777), htons(50000),
				0x01020304, 0xa0b0c0d0, XTCP_FLAG_ACK, 501, &opts);
	KUNIT_EXPECT_EQ(test, len, 40);
	KUNIT_EXPECT_EQ(test, xtcp_header_len(&opts), 40);
	wire_expect_bytes(test, buf, want, sizeof(want));
	for (i = 40; i < 44; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5, "byte %d written", i);
}

/*
 * One to four SACK blocks: the header grows by 4 + 8 per block (56 bytes
 * for four, all a header without timestamps has room for), and parsing
 * it gives back the blocks written, in their order.
 */
static void wire_sack_round_trip(struct kunit *test)
{
	static const struct xtcp_sack_block sacks[XTCP_MAX_SACKS] = {
		{ 0x00010000, 0x00010400 }, { 0xfffffe00, 0x00000200 },
		{ 0x80000000, 0x80000001 }, { 0x12345678, 0x9abcdef0 },
	};
	struct xtcp_opts opts = { .wscale = -1 };
	unsigned int n, i, hlen;
	struct xtcp_seg seg;
	u8 *buf;

	memcpy(opts.sacks, sacks, sizeof(sacks));
	for (n = 1; n <= XTCP_MAX_SACKS; n++) {
		hlen = XTCP_HDR_LEN + 4 + n * 8;
		opts.nr_sacks = n;
		KUNIT_EXPECT_EQ_MSG(test, xtcp_header_len(&opts), hlen, "%u blocks", n);
		buf = kunit_kzalloc(test, hlen, GFP_KERNEL);	/* exactly: KASAN */
		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_ASSERT_EQ_MSG(test, xtcp_write_header((struct tcphdr *)buf, htons(1),
							    htons(2), 100, 200, XTCP_FLAG_ACK,
							    1000, &opts),
				    hlen, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, buf[12], (hlen / 4) << 4, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, buf[20], 1, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, buf[21], 1, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, buf[22], 5, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, buf[23], 2 + n * 8, "%u blocks", n);

		KUNIT_ASSERT_EQ_MSG(test, xtcp_parse_header((struct tcphdr *)buf, hlen, &seg),
				    0, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.doff, hlen, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.ack, 200, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.mss, 0, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.wscale, -1, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.sack_ok, 0, "%u blocks", n);
		KUNIT_ASSERT_EQ_MSG(test, seg.nr_sacks, n, "%u blocks", n);
		KUNIT_EXPECT_EQ_MSG(test, seg.sack_off, 24, "%u blocks", n);
		for (i = 0; i < n; i++) {
			struct xtcp_sack_block b = xtcp_sack_block((struct tcphdr *)buf, &seg, i);

			KUNIT_EXPECT_EQ_MSG(test, b.start, sacks[i].start, "%u blocks, %u", n, i);
			KUNIT_EXPECT_EQ_MSG(test, b.end, sacks[i].end, "%u blocks, %u", n, i);
		}
	}
}

/* Four blocks, byte for byte: length 34, the last edge ends the header. */
static void wire_write_four_sacks_bytes(struct kunit *test)
{
	static const u8 want[36] = {
		0x01, 0x01, 0x05, 0x22,		/* NOP, NOP, SACK, 2 + 4 * 8 */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04,
		0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x06,
		0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,
	};
	struct xtcp_opts opts = {
		.wscale = -1,
		.nr_sacks = 4,
		.sacks = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 0x0708090a, 0x0b0c0d0e } },
	};
	u8 *buf = kunit_kmalloc(test, 60, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 60);
	KUNIT_EXPECT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(1), htons(2), 1, 2,
						XTCP_FLAG_ACK, 100, &opts), 56);
	KUNIT_EXPECT_EQ(test, buf[12], 0xe0);	/* doff 14 */
	wire_expect_bytes(test, buf + 20, want, sizeof(want));
	for (i = 56; i < 60; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5, "byte %d written", i);
}

/* Without ACK the acknowledgment field is zero; without MSS, no option. */
static void wire_write_rst_bytes(struct kunit *test)
{
	static const u8 want[20] = {
		0x1e, 0x61, 0xc3, 0x50,
		0xde, 0xad, 0xbe, 0xef,		/* seq */
		0x00, 0x00, 0x00, 0x00,		/* ack: not written without ACK */
		0x50, 0x04,			/* doff 5, RST */
		0x00, 0x00,			/* window 0 */
		0x00, 0x00, 0x00, 0x00,
	};
	u8 *buf = kunit_kmalloc(test, 24, GFP_KERNEL);
	unsigned int len;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0xa5, 24);
	len = xtcp_write_header((struct tcphdr *)buf, htons(7777), htons(50000),
				0xdeadbeef, 0x11223344, XTCP_FLAG_RST, 0, NULL);
	KUNIT_EXPECT_EQ(test, len, 20);
	wire_expect_bytes(test, buf, want, sizeof(want));
	for (i = 20; i < 24; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0xa5, "byte %d written", i);
}

struct wire_rt_case {
	const char *name;
	u32 seq, ack;
	u8 flags;
	u16 wnd, mss;
	s8 wscale;	/* -1: none */
	u16 datalen;
	u32 end_seq;
};

static const struct wire_rt_case wire_rt_cases[] = {
	{ .name = "syn_mss_wscale", .seq = 0xfffffffe, .flags = XTCP_FLAG_SYN,
	  .wnd = 65535, .mss = 1460, .wscale = 14, .end_seq = 0xffffffff },
	{ .name = "synack_mss", .seq = 0xffffffff, .ack = 0x7fffffff,
	  .flags = XTCP_FLAG_SYN | XTCP_FLAG_ACK, .wnd = 1024, .mss = 536,
	  .wscale = -1, .end_seq = 0 },
	{ .name = "syn_wscale_only", .seq = 5, .flags = XTCP_FLAG_SYN,
	  .wnd = 512, .wscale = 0, .end_seq = 6 },
	{ .name = "ack_data", .seq = 1000, .ack = 2000,
	  .flags = XTCP_FLAG_ACK | XTCP_FLAG_PSH, .wnd = 4096, .wscale = -1,
	  .datalen = 100, .end_seq = 1100 },
	{ .name = "fin_ack", .seq = 0x80000000, .ack = 1,
	  .flags = XTCP_FLAG_FIN | XTCP_FLAG_ACK, .wnd = 1, .wscale = -1,
	  .end_seq = 0x80000001 },
	/* an acknowledgment number given without ACK is not written */
	{ .name = "rst", .seq = 42, .ack = 0x11223344, .flags = XTCP_FLAG_RST,
	  .wscale = -1, .end_seq = 42 },
};

static void wire_rt_desc(const struct wire_rt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire_rt, wire_rt_cases, wire_rt_desc);

/* What xtcp_write_header() writes, xtcp_parse_header() reads back. */
static void wire_round_trip(struct kunit *test)
{
	const struct wire_rt_case *c = test->param_value;
	struct xtcp_opts opts = { .mss = c->mss, .wscale = c->wscale };
	unsigned int hlen = XTCP_HDR_LEN + (c->mss ? XTCP_OPT_MSS_LEN : 0) +
			    (c->wscale >= 0 ? 4 : 0);
	u8 *buf = kunit_kzalloc(test, hlen + c->datalen, GFP_KERNEL);
	struct xtcp_seg seg;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, xtcp_write_header((struct tcphdr *)buf, htons(1),
						htons(2), c->seq, c->ack,
						c->flags, c->wnd, &opts),
			hlen);
	KUNIT_ASSERT_EQ(test, xtcp_parse_header((struct tcphdr *)buf,
						hlen + c->datalen, &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.seq, c->seq);
	KUNIT_EXPECT_EQ(test, seg.ack, c->flags & XTCP_FLAG_ACK ? c->ack : 0);
	KUNIT_EXPECT_EQ(test, seg.flags, c->flags);
	KUNIT_EXPECT_EQ(test, seg.wnd, c->wnd);
	KUNIT_EXPECT_EQ(test, seg.mss, c->mss);
	KUNIT_EXPECT_EQ(test, seg.wscale, c->wscale);
	KUNIT_EXPECT_EQ(test, seg.doff, hlen);
	KUNIT_EXPECT_EQ(test, seg.len, c->datalen);
	KUNIT_EXPECT_EQ(test, seg.end_seq, c->end_seq);
}

struct wire_end_case {
	const char *name;
	u8 flags;
	u32 seq;
	u16 datalen;
	u32 end_seq;
};

static const struct wire_end_case wire_end_cases[] = {
	{ "ack",	XTCP_FLAG_ACK,			1000,	    0,	 1000 },
	{ "data",	XTCP_FLAG_ACK,			1000,	    100, 1100 },
	{ "syn",	XTCP_FLAG_SYN,			1000,	    0,	 1001 },
	{ "syn_data",	XTCP_FLAG_SYN,			1000,	    10,	 1011 },
	{ "fin",	XTCP_FLAG_FIN | XTCP_FLAG_ACK,	1000,	    0,	 1001 },
	{ "fin_data",	XTCP_FLAG_FIN | XTCP_FLAG_ACK,	1000,	    5,	 1006 },
	{ "syn_fin",	XTCP_FLAG_SYN | XTCP_FLAG_FIN,	1000,	    0,	 1002 },
	{ "rst",	XTCP_FLAG_RST,			1000,	    0,	 1000 },
	{ "psh_urg",	XTCP_FLAG_PSH | XTCP_FLAG_URG | XTCP_FLAG_ACK,
							1000,	    3,	 1003 },
	{ "fin_wraps",	XTCP_FLAG_FIN | XTCP_FLAG_ACK,	0xffffffff, 1,	 1 },
};

static void wire_end_desc(const struct wire_end_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire_end, wire_end_cases, wire_end_desc);

/* end_seq is SEG.SEQ + SEG.LEN, and SEG.LEN counts SYN and FIN. */
static void wire_end_seq(struct kunit *test)
{
	const struct wire_end_case *c = test->param_value;
	u8 *buf = kunit_kzalloc(test, XTCP_HDR_LEN + c->datalen, GFP_KERNEL);
	struct tcphdr *th = (struct tcphdr *)buf;
	struct xtcp_seg seg;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	th->seq = htonl(c->seq);
	th->doff = 5;
	buf[13] = c->flags;
	KUNIT_ASSERT_EQ(test, xtcp_parse_header(th, XTCP_HDR_LEN + c->datalen, &seg), 0);
	KUNIT_EXPECT_EQ(test, seg.len, c->datalen);	/* data only */
	KUNIT_EXPECT_EQ(test, seg.end_seq, c->end_seq);
}

struct wire_doff_case {
	const char *name;
	u8 doff;		/* in 32-bit words, as on the wire */
	unsigned int seglen;
	int err;
};

static const struct wire_doff_case wire_doff_cases[] = {
	{ "doff_0",		0,  20, -EINVAL },
	{ "doff_4",		4,  20, -EINVAL },
	{ "doff_4_with_data",	4,  40, -EINVAL },
	{ "doff_5",		5,  20, 0 },
	{ "doff_6_fits",	6,  24, 0 },
	{ "doff_6_past_end",	6,  20, -EINVAL },
	{ "doff_6_one_short",	6,  23, -EINVAL },
	{ "doff_15_fits",	15, 60, 0 },
	{ "doff_15_past_end",	15, 59, -EINVAL },
	{ "seglen_19",		5,  19, -EINVAL },
	{ "seglen_0",		5,  0,	-EINVAL },
};

static void wire_doff_desc(const struct wire_doff_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire_doff, wire_doff_cases, wire_doff_desc);

/*
 * The data offset must cover the fixed header and fit in the segment.
 * The buffer is max(seglen, 20) bytes of header and NOP options: a parser
 * that read options past the segment would trip KASAN.
 */
static void wire_data_offset(struct kunit *test)
{
	const struct wire_doff_case *c = test->param_value;
	size_t size = max_t(size_t, c->seglen, XTCP_HDR_LEN);
	u8 *buf = kunit_kmalloc(test, size, GFP_KERNEL);
	struct xtcp_seg seg;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, 0, XTCP_HDR_LEN);
	memset(buf + XTCP_HDR_LEN, 1, size - XTCP_HDR_LEN);	/* NOPs */
	buf[12] = c->doff << 4;
	buf[13] = XTCP_FLAG_ACK;
	KUNIT_EXPECT_EQ(test, xtcp_parse_header((struct tcphdr *)buf, c->seglen, &seg),
			c->err);
	if (!c->err) {
		KUNIT_EXPECT_EQ(test, seg.doff, c->doff * 4);
		KUNIT_EXPECT_EQ(test, seg.len, c->seglen - c->doff * 4);
	}
}

/* A header whose options are malformed is malformed. */
static void wire_header_bad_options(struct kunit *test)
{
	static const u8 bytes[24] = {
		0x1e, 0x61, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 0,
		0x60, 0x02, 0xff, 0xff, 0, 0, 0, 0,
		0x02, 0x03, 0x05, 0xb4,		/* MSS of length 3 */
	};
	const struct tcphdr *th = (void *)wire_buf(test, bytes, sizeof(bytes));
	struct xtcp_seg seg;

	KUNIT_EXPECT_EQ(test, xtcp_parse_header(th, sizeof(bytes), &seg), -EINVAL);
}

struct wire_opt_case {
	const char *name;
	u8 bytes[40];
	unsigned int len;
	int err;
	u16 mss;	/* checked when err is 0 */
	s8 wscale;	/* checked when err is 0; -1: absent */
	u8 sack_ok;	/* the rest too */
	u8 nr_sacks;
	u8 sack_off;	/* from the start of a 20-byte header */
	u8 saw_ts;
	u32 tsval;
	u32 tsecr;
};

static const struct wire_opt_case wire_opt_cases[] = {
	/* well formed */
	{ "empty",		{ 0 }, 0, 0, 0, -1 },
	{ "mss",		{ 2, 4, 0x05, 0xb4 }, 4, 0, 1460, -1 },
	{ "mss_536",		{ 2, 4, 0x02, 0x18 }, 4, 0, 536, -1 },
	{ "mss_65535",		{ 2, 4, 0xff, 0xff }, 4, 0, 65535, -1 },
	{ "nop_nop_mss",	{ 1, 1, 2, 4, 0x05, 0xb4 }, 6, 0, 1460, -1 },
	{ "nops_only",		{ 1, 1, 1, 1 }, 4, 0, 0, -1 },
	{ "eol_only",		{ 0, 0, 0, 0 }, 4, 0, 0, -1 },
	{ "mss_eol_padding",	{ 2, 4, 0x05, 0xb4, 0, 0, 0, 0 }, 8, 0, 1460, -1 },
	/* after EOL nothing is read: this MSS would be malformed */
	{ "eol_then_garbage",	{ 0, 2, 3, 0xff }, 4, 0, 0, -1 },
	{ "eol_hides_mss",	{ 0, 0, 2, 4, 0x05, 0xb4, 0, 0 }, 8, 0, 0, -1 },
	{ "unknown_skipped",	{ 30, 10, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 0x02, 0x18 },
				14, 0, 536, -1 },
	{ "unknown_len_2",	{ 0xfe, 2, 2, 4, 0x02, 0x18 }, 6, 0, 536, -1 },
	{ "wscale_sackok_mss",	{ 3, 3, 7, 4, 2, 1, 2, 4, 0x05, 0x78 }, 10, 0, 1400, 7, 1 },
	{ "wscale_0",		{ 1, 3, 3, 0 }, 4, 0, 0, 0 },
	{ "wscale_14",		{ 1, 3, 3, 14 }, 4, 0, 0, 14 },
	/* RFC 7323 2.3: a larger shift counts as 14 */
	{ "wscale_15_is_14",	{ 1, 3, 3, 15 }, 4, 0, 0, 14 },
	{ "wscale_255_is_14",	{ 3, 3, 255, 0 }, 4, 0, 0, 14 },
	{ "mss_nop_wscale",	{ 2, 4, 0x05, 0xb4, 1, 3, 3, 2 }, 8, 0, 1460, 2 },
	{ "unknown_fills_list",	{ 0x22, 4, 2, 4 }, 4, 0, 0, -1 },
	/* RFC 2018: SACK-permitted, and SACK with 1 to 4 blocks (of zeros) */
	{ "sackok",		{ 4, 2 }, 2, 0, 0, -1, 1 },
	{ "nop_nop_sackok",	{ 1, 1, 4, 2 }, 4, 0, 0, -1, 1 },
	{ "sack_1",		{ 1, 1, 5, 10 }, 12, 0, 0, -1, 0, 1, 24 },
	{ "sack_2",		{ 1, 1, 5, 18 }, 20, 0, 0, -1, 0, 2, 24 },
	{ "sack_3",		{ 1, 1, 5, 26 }, 28, 0, 0, -1, 0, 3, 24 },
	{ "sack_4",		{ 1, 1, 5, 34 }, 36, 0, 0, -1, 0, 4, 24 },
	{ "sack_no_nops",	{ 5, 10 }, 10, 0, 0, -1, 0, 1, 22 },
	{ "sack_then_mss",	{ 5, 10, [10] = 2, 4, 0x05, 0xb4 }, 14, 0, 1460, -1, 0, 1, 22 },
	{ "mss_wscale_sack",	{ 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 1, 1, 5, 10 }, 20,
				0, 1460, 7, 0, 1, 32 },
	{ "sack_4_then_sackok",	{ 5, 34, [34] = 4, 2, 1, 1 }, 38, 0, 0, -1, 1, 4, 22 },
	/* RFC 7323 3: timestamps, alone, after SACK-permitted, before blocks */
	{ "ts",			{ 1, 1, 8, 10, 0, 0, 0, 1, 0x80, 0, 0, 2 }, 12, 0, 0, -1, 0, 0, 0,
				1, 1, 0x80000002 },
	{ "sackok_ts",		{ 4, 2, 8, 10, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0 }, 12,
				0, 0, -1, 1, 0, 0, 1, 0xffffffff, 0 },
	{ "ts_sack",		{ 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 5, 10 }, 20, 0, 0, -1, 0, 1, 32,
				1, 0x01020304, 0x05060708 },
	/* malformed */
	{ "length_missing",	{ 2 }, 1, -EINVAL },
	{ "nops_then_length_missing", { 1, 1, 1, 8 }, 4, -EINVAL },
	{ "length_0",		{ 8, 0, 1, 1 }, 4, -EINVAL },
	{ "length_1",		{ 8, 1, 1, 1 }, 4, -EINVAL },
	{ "length_past_end",	{ 8, 10, 0, 0, 0, 0 }, 6, -EINVAL },
	{ "length_one_past_end", { 1, 0xfe, 4, 0, 0 }, 4, -EINVAL },
	{ "mss_length_2",	{ 2, 2, 1, 1 }, 4, -EINVAL },
	{ "mss_length_3",	{ 2, 3, 0x05, 1 }, 4, -EINVAL },
	{ "mss_length_6",	{ 2, 6, 0x05, 0xb4, 0, 0 }, 6, -EINVAL },
	{ "mss_truncated",	{ 2, 4, 0x05 }, 3, -EINVAL },
	{ "mss_after_good_truncated", { 1, 3, 3, 7, 2, 4, 0x05 }, 7, -EINVAL },
	{ "wscale_truncated",	{ 3, 3 }, 2, -EINVAL },
	{ "wscale_length_2",	{ 3, 2, 1, 1 }, 4, -EINVAL },
	{ "wscale_length_4",	{ 3, 4, 7, 0 }, 4, -EINVAL },
	{ "sackok_length_3",	{ 4, 3, 0, 1 }, 4, -EINVAL },
	{ "sackok_length_4",	{ 4, 4, 0, 0 }, 4, -EINVAL },
	{ "sackok_truncated",	{ 1, 1, 1, 4 }, 4, -EINVAL },
	{ "sack_length_2",	{ 5, 2, 1, 1 }, 4, -EINVAL },
	{ "sack_length_9",	{ 5, 9, [9] = 1 }, 10, -EINVAL },
	{ "sack_length_11",	{ 5, 11, [11] = 1 }, 12, -EINVAL },
	{ "sack_length_14",	{ 5, 14 }, 14, -EINVAL },
	{ "sack_length_17",	{ 5, 17, [17] = 1 }, 18, -EINVAL },
	{ "sack_length_past_end", { 1, 1, 5, 18 }, 12, -EINVAL },
	{ "mss_after_sack_bad",	{ 5, 10, [10] = 2, 3, 0x05, 1 }, 14, -EINVAL },
	{ "ts_length_8",	{ 8, 8, 0, 0, 0, 0, 0, 0 }, 8, -EINVAL },
	{ "ts_length_12",	{ 8, 12 }, 12, -EINVAL },
	{ "ts_truncated",	{ 1, 1, 8, 10, 0, 0, 0, 0 }, 8, -EINVAL },
};

static void wire_opt_desc(const struct wire_opt_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire_opt, wire_opt_cases, wire_opt_desc);

static void wire_options(struct kunit *test)
{
	const struct wire_opt_case *c = test->param_value;
	/* exactly len bytes; one for an empty list, which must not be read */
	u8 *opt = wire_buf(test, c->bytes, c->len ? c->len : 1);
	struct xtcp_seg seg;

	seg.mss = 1234;	/* stale: parsing must clear them */
	seg.wscale = 5;
	seg.sack_ok = 1;
	seg.nr_sacks = 3;
	seg.sack_off = 99;
	seg.saw_ts = 1;
	KUNIT_EXPECT_EQ(test, xtcp_parse_options(opt, c->len, &seg), c->err);
	if (!c->err) {
		KUNIT_EXPECT_EQ(test, seg.mss, c->mss);
		KUNIT_EXPECT_EQ(test, seg.wscale, c->wscale);
		KUNIT_EXPECT_EQ(test, seg.sack_ok, c->sack_ok);
		KUNIT_EXPECT_EQ(test, seg.nr_sacks, c->nr_sacks);
		KUNIT_EXPECT_EQ(test, seg.sack_off, c->sack_off);
		KUNIT_EXPECT_EQ(test, seg.saw_ts, c->saw_ts);
		if (c->saw_ts) {
			KUNIT_EXPECT_EQ(test, seg.tsval, c->tsval);
			KUNIT_EXPECT_EQ(test, seg.tsecr, c->tsecr);
		}
	}
}

/*
 * The checksum, by hand. 192.0.2.1:1234 -> 192.0.2.2:7777, protocol 253,
 * a SYN with seq 1, window 65535 and the two data bytes "hi": 22 bytes.
 *
 *   pseudo-header  c000 + 0201 + c000 + 0202 + 00fd + 0016    = 0x18516
 *   segment        04d2 + 1e61 + 0000 + 0001 + 0000 + 0000
 *                + 5002 + ffff + 0000 (check) + 0000 + 6869  = 0x1db9e
 *   sum            0x18516 + 0x1db9e = 0x360b4
 *   fold           0x60b4 + 0x3 = 0x60b7
 *   complement     ~0x60b7 = 0x9f48
 */
#define WIRE_SADDR	cpu_to_be32(0xc0000201)	/* 192.0.2.1 */
#define WIRE_DADDR	cpu_to_be32(0xc0000202)	/* 192.0.2.2 */

static const u8 csum_segment[22] = {
	0x04, 0xd2, 0x1e, 0x61,
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0xff, 0xff,
	0x00, 0x00,			/* checksum */
	0x00, 0x00,
	'h', 'i',
};

static u16 wire_csum(const u8 *buf, unsigned int len, __be32 saddr,
		     __be32 daddr, u8 proto)
{
	__sum16 sum = xtcp_checksum(saddr, daddr, proto, len,
				    csum_partial(buf, len, 0));

	return ntohs((__force __be16)sum);
}

static void wire_checksum_by_hand(struct kunit *test)
{
	u8 *buf = wire_buf(test, csum_segment, sizeof(csum_segment));
	__sum16 sum;

	sum = xtcp_checksum(WIRE_SADDR, WIRE_DADDR, 253, sizeof(csum_segment),
			    csum_partial(buf, sizeof(csum_segment), 0));
	memcpy(buf + 16, &sum, 2);	/* as the field is filled in */
	KUNIT_EXPECT_EQ(test, buf[16], 0x9f);
	KUNIT_EXPECT_EQ(test, buf[17], 0x48);
}

/* A received segment with the right checksum in place sums to 0. */
static void wire_checksum_received(struct kunit *test)
{
	u8 *buf = wire_buf(test, csum_segment, sizeof(csum_segment));

	buf[16] = 0x9f;
	buf[17] = 0x48;
	KUNIT_EXPECT_EQ(test, wire_csum(buf, 22, WIRE_SADDR, WIRE_DADDR, 253), 0);
}

/* Any one flipped bit, in the segment or the pseudo-header, is seen. */
static void wire_checksum_bit_flip(struct kunit *test)
{
	u8 *buf = wire_buf(test, csum_segment, sizeof(csum_segment));
	unsigned int i, bit;

	buf[16] = 0x9f;
	buf[17] = 0x48;
	for (i = 0; i < sizeof(csum_segment); i++) {
		for (bit = 0; bit < 8; bit++) {
			buf[i] ^= BIT(bit);
			KUNIT_EXPECT_NE_MSG(test,
					    wire_csum(buf, 22, WIRE_SADDR, WIRE_DADDR, 253),
					    0, "byte %u bit %u", i, bit);
			buf[i] ^= BIT(bit);
		}
	}
	KUNIT_EXPECT_EQ(test, wire_csum(buf, 22, WIRE_SADDR, WIRE_DADDR, 253), 0);

	/* the pseudo-header: protocol, addresses, length */
	KUNIT_EXPECT_NE(test, wire_csum(buf, 22, WIRE_SADDR, WIRE_DADDR, IPPROTO_TCP), 0);
	KUNIT_EXPECT_NE(test, wire_csum(buf, 22, WIRE_SADDR, WIRE_DADDR, 252), 0);
	KUNIT_EXPECT_NE(test, wire_csum(buf, 22, cpu_to_be32(0xc0000203),
					WIRE_DADDR, 253), 0);
	KUNIT_EXPECT_NE(test, wire_csum(buf, 22, WIRE_SADDR,
					cpu_to_be32(0xc0000203), 253), 0);
	KUNIT_EXPECT_NE(test, (__force u16)xtcp_checksum(WIRE_SADDR, WIRE_DADDR, 253, 23,
							 csum_partial(buf, 22, 0)), 0);
}

static struct kunit_case xtcp_wire_cases[] = {
	KUNIT_CASE(wire_parse_linux_syn),
	KUNIT_CASE(wire_write_linux_syn),
	KUNIT_CASE(wire_write_ts_bytes),
	KUNIT_CASE(wire_parse_fin_with_data),
	KUNIT_CASE(wire_parse_linux_sack),
	KUNIT_CASE(wire_write_syn_ack_bytes),
	KUNIT_CASE(wire_write_mss_only_bytes),
	KUNIT_CASE(wire_write_syn_sack_ok_bytes),
	KUNIT_CASE(wire_write_sack_bytes),
	KUNIT_CASE(wire_write_four_sacks_bytes),
	KUNIT_CASE(wire_sack_round_trip),
	KUNIT_CASE(wire_write_rst_bytes),
	KUNIT_CASE_PARAM(wire_round_trip, wire_rt_gen_params),
	KUNIT_CASE_PARAM(wire_end_seq, wire_end_gen_params),
	KUNIT_CASE_PARAM(wire_data_offset, wire_doff_gen_params),
	KUNIT_CASE(wire_header_bad_options),
	KUNIT_CASE_PARAM(wire_options, wire_opt_gen_params),
	KUNIT_CASE(wire_checksum_by_hand),
	KUNIT_CASE(wire_checksum_received),
	KUNIT_CASE(wire_checksum_bit_flip),
	{}
};

static struct kunit_suite xtcp_wire_suite = {
	.name = "xtcp_wire",
	.test_cases = xtcp_wire_cases,
};

kunit_test_suite(xtcp_wire_suite);
