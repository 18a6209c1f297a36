// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp header on the wire: RFC 9293 section 3.1's TCP header, byte
 * for byte, under its own IP protocol number. Parsing, writing and the
 * checksum, kept free of sk_buffs so KUnit can test them on bytes.
 */
#include "xtcp.h"

#include <net/checksum.h>

#define XTCP_OPT_EOL	0
#define XTCP_OPT_NOP	1
#define XTCP_OPT_MSS	2
#define XTCP_OPT_WSCALE	3
#define XTCP_OPT_SACK_OK	4
#define XTCP_OPT_SACK	5
#define XTCP_OPT_TS	8

#define XTCP_OPT_WSCALE_LEN	3
#define XTCP_OPT_SACK_OK_LEN	2
#define XTCP_OPT_SACK_BASE	2	/* kind and length, before the blocks */
#define XTCP_OPT_SACK_BLOCK	8
#define XTCP_OPT_TS_LEN		10

/**
 * xtcp_parse_options() - read the options of a header
 * @opt: the first option byte
 * @len: bytes of options (data offset * 4 - 20)
 * @seg: where the MSS option's value goes (0 if absent), the window
 *	scale's shift (-1 if absent; a shift over 14 counts as 14, RFC 7323
 *	2.3), SACK-permitted, where the SACK blocks are (their number, and
 *	their offset from the header's start: @opt is taken to follow a
 *	20-byte header), and the timestamps (RFC 7323 3)
 *
 * Options we do not know are skipped by their length. An option whose
 * length byte is missing, under 2 or past the end, or an MSS, window
 * scale, SACK-permitted, SACK or timestamps option of the wrong length,
 * makes the whole list malformed.
 *
 * Return: 0, or -EINVAL for a malformed list.
 */
int xtcp_parse_options(const u8 *opt, unsigned int len, struct xtcp_seg *seg)
{
	unsigned int i = 0;

	seg->mss = 0;
	seg->wscale = -1;
	seg->sack_ok = 0;
	seg->nr_sacks = 0;
	seg->sack_off = 0;
	seg->saw_ts = 0;
	while (i < len) {
		u8 kind = opt[i], olen;

		if (kind == XTCP_OPT_EOL)
			break;
		if (kind == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		if (kind == XTCP_OPT_MSS) {
			if (olen != XTCP_OPT_MSS_LEN)
				return -EINVAL;
			seg->mss = get_unaligned_be16(&opt[i + 2]);
		} else if (kind == XTCP_OPT_WSCALE) {
			if (olen != XTCP_OPT_WSCALE_LEN)
				return -EINVAL;
			seg->wscale = min_t(u8, opt[i + 2], XTCP_MAX_WSCALE);
		} else if (kind == XTCP_OPT_SACK_OK) {
			if (olen != XTCP_OPT_SACK_OK_LEN)
				return -EINVAL;
			seg->sack_ok = 1;
		} else if (kind == XTCP_OPT_SACK) {
			if (olen < XTCP_OPT_SACK_BASE + XTCP_OPT_SACK_BLOCK ||
			    (olen - XTCP_OPT_SACK_BASE) % XTCP_OPT_SACK_BLOCK)
				return -EINVAL;
			seg->nr_sacks = (olen - XTCP_OPT_SACK_BASE) / XTCP_OPT_SACK_BLOCK;
			seg->sack_off = XTCP_HDR_LEN + i + XTCP_OPT_SACK_BASE;
		} else if (kind == XTCP_OPT_TS) {
			if (olen != XTCP_OPT_TS_LEN)
				return -EINVAL;
			seg->saw_ts = 1;
			seg->tsval = get_unaligned_be32(&opt[i + 2]);
			seg->tsecr = get_unaligned_be32(&opt[i + 6]);
		}
		i += olen;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_options);

/**
 * xtcp_parse_header() - read a segment's header
 * @th: the header, with all of its options readable
 * @seglen: header plus data, in bytes
 * @seg: the parsed result
 *
 * The caller has checked that @seglen is at least 20 and that the data
 * offset fits in it (see xtcp_v4_rcv()); this checks it again, so that it
 * can be trusted on its own.
 *
 * Return: 0, or -EINVAL for a malformed header.
 */
int xtcp_parse_header(const struct tcphdr *th, unsigned int seglen,
		      struct xtcp_seg *seg)
{
	unsigned int doff = th->doff * 4;
	int err;

	if (seglen < XTCP_HDR_LEN || doff < XTCP_HDR_LEN || doff > seglen)
		return -EINVAL;
	err = xtcp_parse_options((const u8 *)(th + 1), doff - XTCP_HDR_LEN, seg);
	if (err)
		return err;

	seg->seq = ntohl(th->seq);
	seg->ack = ntohl(th->ack_seq);
	seg->doff = doff;
	seg->len = seglen - doff;
	seg->wnd = ntohs(th->window);
	seg->flags = ((const u8 *)th)[13];
	seg->end_seq = seg->seq + seg->len + th->syn + th->fin;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_parse_header);

/**
 * xtcp_sack_block() - read one of a segment's SACK blocks
 * @th: the header the segment was parsed from
 * @seg: what xtcp_parse_header() made of it
 * @i: which block, below @seg->nr_sacks
 *
 * Return: the block, as it was sent (the caller judges whether it makes
 * sense).
 */
struct xtcp_sack_block xtcp_sack_block(const struct tcphdr *th, const struct xtcp_seg *seg,
				       unsigned int i)
{
	const u8 *p = (const u8 *)th + seg->sack_off + i * XTCP_OPT_SACK_BLOCK;

	return (struct xtcp_sack_block){
		.start = get_unaligned_be32(p),
		.end = get_unaligned_be32(p + 4),
	};
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_sack_block);

/**
 * xtcp_header_len() - the length of a header with these options
 * @opts: the options, or NULL for none
 *
 * Return: bytes, a multiple of four.
 */
unsigned int xtcp_header_len(const struct xtcp_opts *opts)
{
	unsigned int len = XTCP_HDR_LEN;

	if (opts && opts->mss)
		len += XTCP_OPT_MSS_LEN;
	if (opts && opts->wscale >= 0)
		len += 4;
	/* SACK-permitted takes the place of the timestamps' NOPs. */
	if (opts && opts->sack_ok && !opts->ts)
		len += 4;
	if (opts && opts->ts)
		len += XTCP_OPT_TS_ALIGNED;
	if (opts && opts->nr_sacks)
		len += 2 + XTCP_OPT_SACK_BASE + opts->nr_sacks * XTCP_OPT_SACK_BLOCK;
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_header_len);

/**
 * xtcp_write_header() - write a header, without its checksum
 * @th: where it goes; XTCP_HDR_LEN + XTCP_OPT_MAX_LEN bytes must fit
 * @sport: source port
 * @dport: destination port
 * @seq: sequence number
 * @ack: acknowledgment number (written only with XTCP_FLAG_ACK)
 * @flags: XTCP_FLAG_*
 * @wnd: window
 * @opts: the options, or NULL for none
 *
 * The options go in Linux's order and padding: MSS; then timestamps after
 * SACK-permitted, or after two NOPs, or SACK-permitted alone after two
 * NOPs; then NOP and window scale; SACK blocks after two NOPs.
 *
 * Return: the header's length in bytes.
 */
unsigned int xtcp_write_header(struct tcphdr *th, __be16 sport, __be16 dport,
			       u32 seq, u32 ack, u8 flags, u16 wnd,
			       const struct xtcp_opts *opts)
{
	u8 *opt = (u8 *)(th + 1);

	memset(th, 0, XTCP_HDR_LEN);
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(flags & XTCP_FLAG_ACK ? ack : 0);
	((u8 *)th)[13] = flags;
	th->window = htons(wnd);
	if (opts && opts->mss) {
		opt[0] = XTCP_OPT_MSS;
		opt[1] = XTCP_OPT_MSS_LEN;
		put_unaligned_be16(opts->mss, &opt[2]);
		opt += XTCP_OPT_MSS_LEN;
	}
	if (opts && (opts->sack_ok || opts->ts)) {
		opt[0] = opts->sack_ok && opts->ts ? XTCP_OPT_SACK_OK : XTCP_OPT_NOP;
		opt[1] = opts->sack_ok && opts->ts ? XTCP_OPT_SACK_OK_LEN : XTCP_OPT_NOP;
		opt[2] = opts->ts ? XTCP_OPT_TS : XTCP_OPT_SACK_OK;
		opt[3] = opts->ts ? XTCP_OPT_TS_LEN : XTCP_OPT_SACK_OK_LEN;
		opt += 4;
	}
	if (opts && opts->ts) {
		put_unaligned_be32(opts->tsval, opt);
		put_unaligned_be32(opts->tsecr, opt + 4);
		opt += 8;
	}
	if (opts && opts->wscale >= 0) {
		/* A NOP first keeps the list a multiple of four, as Linux's. */
		opt[0] = XTCP_OPT_NOP;
		opt[1] = XTCP_OPT_WSCALE;
		opt[2] = XTCP_OPT_WSCALE_LEN;
		opt[3] = opts->wscale;
		opt += 4;
	}
	if (opts && opts->nr_sacks) {
		int i;

		opt[0] = XTCP_OPT_NOP;
		opt[1] = XTCP_OPT_NOP;
		opt[2] = XTCP_OPT_SACK;
		opt[3] = XTCP_OPT_SACK_BASE + opts->nr_sacks * XTCP_OPT_SACK_BLOCK;
		opt += 4;
		for (i = 0; i < opts->nr_sacks; i++) {
			put_unaligned_be32(opts->sacks[i].start, opt);
			put_unaligned_be32(opts->sacks[i].end, opt + 4);
			opt += XTCP_OPT_SACK_BLOCK;
		}
	}
	th->doff = xtcp_header_len(opts) / 4;
	return th->doff * 4;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_write_header);

/**
 * xtcp_checksum() - the checksum of a segment
 * @saddr: IPv4 source
 * @daddr: IPv4 destination
 * @proto: the IP protocol number on the wire
 * @len: header plus data, in bytes
 * @sum: the one's complement sum of header and data
 *
 * Return: the value for the checksum field; for a received segment whose
 * @sum includes the field, 0 when the checksum is right.
 */
__sum16 xtcp_checksum(__be32 saddr, __be32 daddr, u8 proto,
		      unsigned int len, __wsum sum)
{
	return csum_tcpudp_magic(saddr, daddr, len, proto, sum);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_checksum);
