// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about our segments, taken as Linux TCP takes them
 * (tcp_v4_err()):
 *  - connect() to an address on the link that nobody has: ARP gives up
 *    after about 3 s, the stack reports host unreachable, and connect()
 *    fails with EHOSTUNREACH then, not with ETIMEDOUT two minutes later;
 *  - a destination unreachable quoting our SYN ends connect() at once
 *    with its code's errno: protocol unreachable gives ENOPROTOOPT (what
 *    a host without xtcp answers), port unreachable ECONNREFUSED;
 *  - one quoting a sequence number we have not sent changes nothing;
 *  - on an open connection the error is soft: the connection goes on
 *    retransmitting, and when retries2 is spent it fails with the ICMP's
 *    EHOSTUNREACH instead of ETIMEDOUT. (Meanwhile SO_ERROR would return
 *    the soft error once and clear it, as it does for TCP.)
 *  - fragmentation needed, quoting a segment in flight: the MSS falls
 *    to what the reported MTU allows, what is in flight goes again at
 *    once in segments that fit, and the stream arrives whole.
 * The crafted errors are sent by a to itself from a raw ICMP socket, and
 * netem drops b's answers, so that only the ICMP decides. Under xtcp the
 * counters IcmpErrors and OutOfWindowIcmps count them.
 */
#include <netinet/ip_icmp.h>

#include "wire.h"

#define NOBODY "192.0.2.3"
#define MTU_MSS 948	/* the MSS under a path MTU of 1000, with timestamps */

/*
 * Destination unreachable CODE about a's segment sport->dport with seq;
 * mtu is the next-hop MTU of a "fragmentation needed".
 */
static void icmp_unreach_mtu(int code, uint16_t sport, uint16_t dport, uint32_t seq, int mtu)
{
	struct sockaddr_in to = xt_addr(XT_A, 0), src = xt_addr(XT_A, 0), dst = xt_addr(XT_B, 0);
	uint8_t pkt[8 + 20 + 8] = { 0 };
	uint8_t *ip = pkt + 8, *th = ip + 20;
	uint16_t ck;
	int fd, old, i;

	pkt[0] = ICMP_DEST_UNREACH;
	pkt[1] = code;
	pkt[6] = mtu >> 8;
	pkt[7] = mtu;
	ip[0] = 0x45;
	ip[3] = 40;		/* the quoted datagram's length: headers only */
	ip[6] = 0x40;		/* DF */
	ip[8] = 64;
	ip[9] = xt_proto();
	memcpy(ip + 12, &src.sin_addr, 4);
	memcpy(ip + 16, &dst.sin_addr, 4);
	ck = xt_csum(ip, 20, 0);
	ip[10] = ck >> 8;
	ip[11] = ck;
	th[0] = sport >> 8;
	th[1] = sport;
	th[2] = dport >> 8;
	th[3] = dport;
	for (i = 0; i < 4; i++)
		th[4 + i] = seq >> (24 - 8 * i);
	ck = xt_csum(pkt, sizeof(pkt), 0);
	pkt[2] = ck >> 8;
	pkt[3] = ck;

	old = xt_push_ns("a");
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	xt_pop_ns(old);
	if (fd < 0)
		xt_fail("raw ICMP socket");
	if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) != sizeof(pkt))
		xt_fail("send ICMP");
	close(fd);
}

static void icmp_unreach(int code, uint16_t sport, uint16_t dport, uint32_t seq)
{
	icmp_unreach_mtu(code, sport, dport, seq, 0);
}

static void nobody_there(void)
{
	int fd = xt_socket_in("a");
	double t0 = xt_now(), took;

	XT_ERRNO(xt_connect(fd, NOBODY, XT_PORT), EHOSTUNREACH);
	took = xt_now() - t0;
	XT_CHECK(took > 2 && took < 8, "EHOSTUNREACH after %.1f s, wanted about 3", took);
	close(fd);
}

/* connect() in SYN-SENT meets destination unreachable CODE: errno WANT. */
static void syn_unreachable(int code, int want)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct pollfd p;
	struct xt_seg syn;
	long icmp = xt_is_tcp() ? 0 : xt_stat("a", "IcmpErrors");
	long stray = xt_is_tcp() ? 0 : xt_stat("a", "OutOfWindowIcmps");
	int fd = xt_socket_in("a"), pos = 0;
	uint16_t cport;
	double t0;

	xt_nonblock(fd, 1);
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT), EINPROGRESS);
	t0 = xt_now();
	cport = xt_local_port(fd);
	XT_WIRE(cap, xt_cap_next(cap, &pos, cport, XT_PORT, XT_SYN, XT_SYN, 1000, &syn),
		"no SYN");

	icmp_unreach(code, cport, XT_PORT, syn.seq + 1000);
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	XT_CHECK(poll(&p, 1, 200) == 0, "an ICMP quoting seq %u, never sent, ended connect()",
		 syn.seq + 1000);
	XT_STATE(fd, XTCP_SYN_SENT);

	icmp_unreach(code, cport, XT_PORT, syn.seq);
	XT_CHECK(poll(&p, 1, 500) == 1, "ICMP code %d did not end connect()", code);
	XT_CHECK(xt_now() - t0 < 0.9, "connect() ended only after %.1f s", xt_now() - t0);
	XT_CHECK(xt_so_error(fd) == want, "SO_ERROR %s after ICMP code %d, wanted %s",
		 strerror(xt_so_error(fd)), code, strerror(want));
	XT_STATE(fd, XTCP_CLOSE);
	if (!xt_is_tcp()) {
		XT_CHECK(xt_stat("a", "IcmpErrors") == icmp + 1, "IcmpErrors did not count it");
		XT_CHECK(xt_stat("a", "OutOfWindowIcmps") == stray + 1,
			 "OutOfWindowIcmps did not count the stray one");
	}
	close(fd);
	xt_cap_stop(cap);
}

/* Established, data unacknowledged, host unreachable: soft, then the reason. */
static void soft_error(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	struct xt_pair p;
	struct xt_seg data;
	struct pollfd pf;
	int pos;

	xt_netem_off("b");
	p = xt_pair_open(XT_PORT + 1);
	xt_netem("b", "loss 100%");
	pos = xt_cap_mark(cap);
	xt_send_all(p.cfd, "0123456789", 10);
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, p.port, XT_ANY, 0, 1000, &data) &&
		data.len == 10, "no data segment");
	icmp_unreach(ICMP_HOST_UNREACH, p.cport, p.port, data.seq);
	/* Not SO_ERROR: it would hand out the soft error, and clear it. */
	pf = (struct pollfd){ .fd = p.cfd, .events = POLLIN };
	XT_CHECK(poll(&pf, 1, 100) == 0, "a soft error ended the connection (revents %s)",
		 xt_pollstr(pf.revents));
	XT_STATE(p.cfd, XTCP_ESTABLISHED);

	XT_CHECK(poll(&pf, 1, 15000) == 1 && (pf.revents & POLLERR), "no timeout (retries2=3)");
	XT_CHECK(xt_so_error(p.cfd) == EHOSTUNREACH, "timed out with %s, wanted EHOSTUNREACH",
		 strerror(xt_so_error(p.cfd)));
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	xt_cap_stop(cap);
}

static void frag_needed(void)
{
	struct xt_cap *cap = xt_cap_start("a", "veth-a");
	static char buf[8000], got[8000];
	struct xt_pair p;
	struct xt_seg data, next;
	int pos, again = 0;
	uint32_t first, end;
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % 251;
	xt_netem_off("b");
	p = xt_pair_open(XT_PORT + 2);
	xt_netem("b", "loss 100%");
	pos = xt_cap_mark(cap);
	xt_send_all(p.cfd, buf, sizeof(buf));
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.cport, p.port, XT_ANY, 0, 1000, &data) &&
		data.len > MTU_MSS, "no full-sized data segment");
	/*
	 * The whole first flight is captured before the ICMP, so that no
	 * segment sent before it is counted after it.
	 */
	first = data.seq;
	end = data.seq + data.len;
	while (end - first < sizeof(buf) &&
	       xt_cap_next(cap, &pos, p.cport, p.port, XT_ANY, 0, 1000, &next))
		if (next.seq + next.len - first > end - first)
			end = next.seq + next.len;
	XT_WIRE(cap, end - first == sizeof(buf), "the first flight held %u of %zu bytes",
		end - first, sizeof(buf));
	pos = xt_cap_mark(cap);
	icmp_unreach_mtu(ICMP_FRAG_NEEDED, p.cport, p.port, data.seq, 1000);
	/* Well before the retransmission timeout (1 s, no RTT sample yet). */
	xt_msleep(300);
	while (xt_cap_next(cap, &pos, p.cport, p.port, XT_ANY, 0, 0, &data))
		again += data.len > 0;
	/*
	 * Sent again at once, as GSO packets, for either protocol, which
	 * are captured before they are cut up; XTCP_INFO says into what.
	 */
	XT_WIRE(cap, again > 0, "nothing sent again after the ICMP");
	if (!xt_is_tcp()) {
		struct xtcp_info info;
		socklen_t len = sizeof(info);

		XT_CHECK(getsockopt(p.cfd, SOL_XTCP, XTCP_INFO, &info, &len) == 0, "XTCP_INFO");
		/* 1000 less the IP and xtcp headers, and timestamps' 12 bytes. */
		XT_CHECK(info.xtcpi_snd_mss == MTU_MSS, "snd_mss %u, wanted %d",
			 info.xtcpi_snd_mss, MTU_MSS);
		/* The 8000 bytes went again as nine segments of the new MSS, not six. */
		XT_CHECK(info.xtcpi_total_retrans >= (sizeof(buf) + MTU_MSS - 1) / MTU_MSS,
			 "%u segments sent again, wanted %zu", info.xtcpi_total_retrans,
			 (sizeof(buf) + MTU_MSS - 1) / MTU_MSS);
	}
	xt_netem_off("b");
	xt_recv_all(p.sfd, got, sizeof(got), 10000);
	XT_CHECK(!memcmp(got, buf, sizeof(buf)), "the stream differs");
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	xt_cap_stop(cap);
}

int main(void)
{
	xt_sysctl("a", "retries2", 3);
	xt_netem("b", "loss 100%");
	nobody_there();
	syn_unreachable(ICMP_PROT_UNREACH, ENOPROTOOPT);
	syn_unreachable(ICMP_PORT_UNREACH, ECONNREFUSED);
	soft_error();
	frag_needed();
	return 0;
}
