// SPDX-License-Identifier: GPL-2.0
/*
 * Segments for which no socket exists (RFC 9293 section 3.5.2 (1), the
 * contract's section 4): connect() to a port with no listener fails with
 * ECONNREFUSED, the SYN being answered by RST-ACK seq=0 ack=x+1; a bare
 * ACK to a closed port gets a RST (no ACK flag) whose seq is that ACK's
 * ack number; a segment with data and no ACK gets RST-ACK seq=0
 * ack=seq+len; a RST to a closed port gets nothing.
 */
#include "wire.h"

#define CLOSED_PORT 5999
#define FAKE_PORT 40001

/* connect() to a port nobody listens on. */
static void connect_refused(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_seg syn, rst;
	unsigned short cport;
	int fd, pos = 0;

	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, XT_B, CLOSED_PORT), ECONNREFUSED);
	XT_STATE(fd, XTCP_CLOSE);
	cport = xt_local_port(fd);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_ANY, CLOSED_PORT, 0xff, XT_SYN, 2000, &syn),
		"no SYN");
	XT_WIRE(cap, !cport || syn.sport == cport, "SYN from port %u, socket on %u",
		syn.sport, cport);
	XT_WIRE(cap, xt_cap_next(cap, &pos, CLOSED_PORT, syn.sport, 0xff, XT_RST | XT_ACK, 2000,
				 &rst), "no RST-ACK for the SYN");
	XT_WIRE(cap, rst.seq == 0 && rst.ack == syn.seq + 1 && rst.len == 0,
		"RST-ACK seq=%u ack=%u, wanted seq=0 ack=%u", rst.seq, rst.ack, syn.seq + 1);
	xt_msleep(300);
	XT_WIRE(cap, xt_cap_count(cap, XT_ANY, XT_ANY, XT_ANY, 0, NULL) == 2,
		"more than a SYN and a RST");
	/* The socket can connect again, this time to a listener. */
	close(fd);
	xt_cap_stop(cap);
}

/* An injected bare ACK: RST seq=SEG.ACK, no ACK flag. */
static void ack_to_closed_port(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_hdr h = {
		.sport = FAKE_PORT, .dport = CLOSED_PORT,
		.seq = 1000, .ack = 0x89abcdef, .flags = XT_ACK,
	};
	struct xt_seg rst;
	int pos = 0;

	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, CLOSED_PORT, FAKE_PORT, XT_ANY, 0, 2000, &rst),
		"no answer to an ACK for a closed port");
	XT_WIRE(cap, rst.flags == XT_RST && rst.seq == h.ack && rst.len == 0,
		"answer flags 0x%x seq=%u, wanted RST seq=%u", rst.flags, rst.seq, h.ack);
	xt_cap_stop(cap);
}

/* Data without ACK: RST-ACK seq=0 ack=SEG.SEQ+SEG.LEN. */
static void data_to_closed_port(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_hdr h = {
		.sport = FAKE_PORT + 1, .dport = CLOSED_PORT,
		.seq = 5000, .flags = XT_PSH, .data = "abcdefgh", .len = 8,
	};
	struct xt_seg rst;
	int pos = 0;

	xt_inject("a", XT_B, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, CLOSED_PORT, FAKE_PORT + 1, XT_ANY, 0, 2000, &rst),
		"no answer to data for a closed port");
	XT_WIRE(cap, rst.flags == (XT_RST | XT_ACK) && rst.seq == 0 && rst.ack == 5008,
		"answer flags 0x%x seq=%u ack=%u, wanted RST-ACK seq=0 ack=5008",
		rst.flags, rst.seq, rst.ack);
	xt_cap_stop(cap);
}

/* A RST to a closed port is never answered. */
static void rst_to_closed_port(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_hdr rst = {
		.sport = FAKE_PORT + 2, .dport = CLOSED_PORT,
		.seq = 1234, .flags = XT_RST,
	};
	struct xt_hdr rstack = {
		.sport = FAKE_PORT + 2, .dport = CLOSED_PORT,
		.seq = 1234, .ack = 99, .flags = XT_RST | XT_ACK,
	};
	struct xt_seg s;
	int pos = 0;

	xt_inject("a", XT_B, &rst);
	xt_inject("a", XT_B, &rstack);
	/* Both arrive (the capture sees them leave), and nothing comes back. */
	XT_WIRE(cap, xt_cap_next(cap, &pos, FAKE_PORT + 2, CLOSED_PORT, XT_RST, XT_RST, 1000, &s)
		&& xt_cap_next(cap, &pos, FAKE_PORT + 2, CLOSED_PORT, XT_RST, XT_RST, 1000, &s),
		"the injected RSTs were not seen");
	pos = 0;
	XT_WIRE(cap, !xt_cap_next(cap, &pos, CLOSED_PORT, FAKE_PORT + 2, XT_ANY, 0, 1000, &s),
		"a RST to a closed port was answered");
	xt_cap_stop(cap);
}

int main(void)
{
	connect_refused();
	ack_to_closed_port();
	data_to_closed_port();
	rst_to_closed_port();
	return 0;
}
