// SPDX-License-Identifier: GPL-2.0
/*
 * What a socket tells of itself (issue 5): its last state changes with
 * their causes (getsockopt XTCP_HISTORY) and its numbers (XTCP_INFO),
 * held to what the test made happen.
 *
 *   - a connection: the listener has one change, CLOSED -> LISTEN by
 *     listen; the client CLOSED -> SYN-SENT by connect, then ESTABLISHED
 *     by rcv-synack; the accepted socket LISTEN -> SYN-RECEIVED by
 *     rcv-syn, then ESTABLISHED by rcv-ack. The times are CLOCK_MONOTONIC,
 *     within the test's own, and interleave as the handshake does;
 *   - 100000 bytes a->b and 3000 b->a: bytes_acked and bytes_received
 *     are exactly those on each side, nothing unacknowledged, nothing
 *     sent again, at least as many segments as the data needs, an RTT,
 *     an RTO of at least 200 ms, cwnd at least 10, SACK and window
 *     scaling in use;
 *   - b shuts down writing, then a: b goes FIN-WAIT-1 (close),
 *     FIN-WAIT-2 (rcv-fin-ack), TIME-WAIT (rcv-fin), and CLOSED as it
 *     hands over to a TIME-WAIT entry (time-wait); a CLOSE-WAIT (rcv-fin),
 *     LAST-ACK (close), CLOSED (rcv-fin-ack); xtcpi_transitions counts
 *     every change;
 *   - the peer closes with linger 0: ESTABLISHED -> CLOSED by rcv-rst;
 *   - data to a socket that shut reading down: it resets, FIN-WAIT-2 ->
 *     CLOSED by rcv-data, and the sender goes CLOSED by rcv-rst;
 *   - connect(AF_UNSPEC): ESTABLISHED -> CLOSED by disconnect;
 *   - every SYN lost (syn_retries 1): SYN-SENT -> CLOSED by timeout;
 *   - connect() to an address nobody has (syn_retries 6 again, or the
 *     SYNs run out first): ARP gives up after about 3 s, the stack
 *     reports host unreachable, SYN-SENT -> CLOSED by icmp;
 *   - lengths: a short one gets the newest changes, or the start of
 *     struct xtcp_info; 0 gets nothing; a negative one EINVAL.
 * xtcp only: TCP has neither option.
 */
#include <sys/ioctl.h>
#include <linux/sockios.h>

#include "xtnet.h"

#define NOBODY "192.0.2.3"

static const char *const causes[] = {
	"?", "connect", "listen", "close", "abort", "disconnect", "rcv-syn",
	"rcv-synack", "rcv-ack", "rcv-fin-ack", "rcv-fin", "rcv-rst",
	"rcv-data", "timeout", "icmp", "time-wait",
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The socket's history; returns how many changes. */
static unsigned int history(int fd, struct xtcp_transition *h)
{
	socklen_t len = XTCP_HISTORY_LEN * sizeof(*h);

	memset(h, 0xff, len);
	if (getsockopt(fd, SOL_XTCP, XTCP_HISTORY, h, &len) < 0)
		xt_fail("getsockopt XTCP_HISTORY");
	XT_CHECK(len % sizeof(*h) == 0, "length %u", len);
	return len / sizeof(*h);
}

static struct xtcp_info info(int fd)
{
	struct xtcp_info xi;
	socklen_t len = sizeof(xi);

	if (getsockopt(fd, SOL_XTCP, XTCP_INFO, &xi, &len) < 0)
		xt_fail("getsockopt XTCP_INFO");
	XT_CHECK(len == sizeof(xi), "length %u", len);
	return xi;
}

struct change {
	int old, new, cause;
};

/*
 * fd's whole history is want[0..n), its times ascending within [from,
 * to]; fills when[] with them (may be NULL).
 */
static void expect(const char *who, int fd, const struct change *want, unsigned int n,
		   uint64_t from, uint64_t to, uint64_t *when)
{
	struct xtcp_transition h[XTCP_HISTORY_LEN];
	unsigned int got = history(fd, h), i;

	for (i = 0; i < got; i++)
		fprintf(stderr, "%s %u: %s -> %s by %s\n", who, i, xt_state_name(h[i].xtcpt_old),
			xt_state_name(h[i].xtcpt_new),
			h[i].xtcpt_cause < 16 ? causes[h[i].xtcpt_cause] : "?");
	XT_CHECK(got == n, "%s: %u changes, wanted %u", who, got, n);
	XT_CHECK(info(fd).xtcpi_transitions == n, "%s: xtcpi_transitions", who);
	for (i = 0; i < n; i++) {
		XT_CHECK(h[i].xtcpt_old == want[i].old && h[i].xtcpt_new == want[i].new &&
			 h[i].xtcpt_cause == want[i].cause,
			 "%s: change %u is %s -> %s by %s, wanted %s -> %s by %s", who, i,
			 xt_state_name(h[i].xtcpt_old), xt_state_name(h[i].xtcpt_new),
			 causes[h[i].xtcpt_cause < 16 ? h[i].xtcpt_cause : 0],
			 xt_state_name(want[i].old), xt_state_name(want[i].new),
			 causes[want[i].cause]);
		XT_CHECK(!memcmp(h[i].xtcpt_pad, "\0\0\0\0\0", 5), "%s: padding", who);
		XT_CHECK(h[i].xtcpt_time_ns >= from && h[i].xtcpt_time_ns <= to,
			 "%s: change %u at %llu, outside [%llu, %llu]", who, i,
			 (unsigned long long)h[i].xtcpt_time_ns, (unsigned long long)from,
			 (unsigned long long)to);
		XT_CHECK(!i || h[i].xtcpt_time_ns >= h[i - 1].xtcpt_time_ns, "%s: order", who);
		if (when)
			when[i] = h[i].xtcpt_time_ns;
	}
}

static void wait_acked(int fd)
{
	int out = 1, i;

	for (i = 0; i < 5000 && out; i++) {
		if (ioctl(fd, SIOCOUTQ, &out) < 0)
			xt_fail("SIOCOUTQ");
		if (out)
			xt_msleep(1);
	}
	XT_CHECK(!out, "%d bytes never acknowledged", out);
}

static void wait_state(const char *who, int fd, int want)
{
	XT_CHECK(xt_wait_state(fd, want, 5000), "%s never reached %s", who, xt_state_name(want));
}

static void lifecycle(void)
{
	static char buf[100000], back[3000];
	struct change c_want[5], s_want[6];
	uint64_t t0 = mono_ns(), c_at[2], s_at[2];
	struct xtcp_info ci, si;
	struct xt_pair p;

	p = xt_pair_open(XT_PORT);
	{
		const struct change l[] = { { XTCP_CLOSE, XTCP_LISTEN, XTCP_CAUSE_LISTEN } };
		const struct change c[] = {
			{ XTCP_CLOSE, XTCP_SYN_SENT, XTCP_CAUSE_CONNECT },
			{ XTCP_SYN_SENT, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_SYNACK },
			{ XTCP_ESTABLISHED, XTCP_CLOSE_WAIT, XTCP_CAUSE_RCV_FIN },
			{ XTCP_CLOSE_WAIT, XTCP_LAST_ACK, XTCP_CAUSE_CLOSE },
			{ XTCP_LAST_ACK, XTCP_CLOSE, XTCP_CAUSE_RCV_FIN_ACK },
		};
		const struct change s[] = {
			{ XTCP_LISTEN, XTCP_SYN_RECV, XTCP_CAUSE_RCV_SYN },
			{ XTCP_SYN_RECV, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_ACK },
			{ XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_CAUSE_CLOSE },
			{ XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CAUSE_RCV_FIN_ACK },
			{ XTCP_FIN_WAIT2, XTCP_TIME_WAIT, XTCP_CAUSE_RCV_FIN },
			{ XTCP_TIME_WAIT, XTCP_CLOSE, XTCP_CAUSE_TIME_WAIT },
		};

		memcpy(c_want, c, sizeof(c));
		memcpy(s_want, s, sizeof(s));
		expect("listener", p.lfd, l, 1, t0, mono_ns(), NULL);
	}
	wait_state("server", p.sfd, XTCP_ESTABLISHED);
	expect("client", p.cfd, c_want, 2, t0, mono_ns(), c_at);
	expect("server", p.sfd, s_want, 2, t0, mono_ns(), s_at);
	/* SYN sent, SYN in, SYN-ACK in, ACK in. */
	XT_CHECK(c_at[0] <= s_at[0] && s_at[0] <= c_at[1] && c_at[1] <= s_at[1],
		 "the handshake's changes out of order");

	memset(buf, 'x', sizeof(buf));
	memset(back, 'y', sizeof(back));
	xt_xfer(p.cfd, p.sfd, buf, sizeof(buf), 10000);
	xt_xfer(p.sfd, p.cfd, back, sizeof(back), 10000);
	wait_acked(p.cfd);
	wait_acked(p.sfd);
	ci = info(p.cfd);
	si = info(p.sfd);
	XT_CHECK(ci.xtcpi_bytes_acked == sizeof(buf), "client acked %llu",
		 (unsigned long long)ci.xtcpi_bytes_acked);
	XT_CHECK(si.xtcpi_bytes_received == sizeof(buf), "server received %llu",
		 (unsigned long long)si.xtcpi_bytes_received);
	XT_CHECK(si.xtcpi_bytes_acked == sizeof(back), "server acked %llu",
		 (unsigned long long)si.xtcpi_bytes_acked);
	XT_CHECK(ci.xtcpi_bytes_received == sizeof(back), "client received %llu",
		 (unsigned long long)ci.xtcpi_bytes_received);
	XT_CHECK(ci.xtcpi_segs_out >= sizeof(buf) / ci.xtcpi_snd_mss, "client sent %u segments",
		 ci.xtcpi_segs_out);
	XT_CHECK(si.xtcpi_segs_in >= sizeof(buf) / ci.xtcpi_snd_mss, "server took %u segments",
		 si.xtcpi_segs_in);
	XT_CHECK(ci.xtcpi_unacked == 0 && ci.xtcpi_lost == 0 && ci.xtcpi_sacked == 0,
		 "in flight %u lost %u sacked %u", ci.xtcpi_unacked, ci.xtcpi_lost,
		 ci.xtcpi_sacked);
	XT_CHECK(ci.xtcpi_total_retrans == 0 && si.xtcpi_total_retrans == 0, "retransmissions");
	XT_CHECK(ci.xtcpi_rtt > 0 && ci.xtcpi_rto >= 200000, "rtt %u rto %u",
		 ci.xtcpi_rtt, ci.xtcpi_rto);
	XT_CHECK(ci.xtcpi_snd_cwnd >= 10, "cwnd %u", ci.xtcpi_snd_cwnd);
	XT_CHECK(ci.xtcpi_options == (XTCPI_OPT_TIMESTAMPS | XTCPI_OPT_SACK | XTCPI_OPT_WSCALE),
		 "options %#x", ci.xtcpi_options);
	XT_CHECK(ci.xtcpi_snd_wscale == si.xtcpi_rcv_wscale &&
		 si.xtcpi_snd_wscale == ci.xtcpi_rcv_wscale, "window scales");
	XT_CHECK(ci.xtcpi_snd_wnd > 0 && ci.xtcpi_rcv_wnd > 0, "windows");

	if (shutdown(p.sfd, SHUT_WR) < 0)
		xt_fail("shutdown server");
	wait_state("client", p.cfd, XTCP_CLOSE_WAIT);
	wait_state("server", p.sfd, XTCP_FIN_WAIT2);
	if (shutdown(p.cfd, SHUT_WR) < 0)
		xt_fail("shutdown client");
	wait_state("client", p.cfd, XTCP_CLOSE);
	wait_state("server", p.sfd, XTCP_CLOSE);
	expect("client", p.cfd, c_want, 5, t0, mono_ns(), NULL);
	expect("server", p.sfd, s_want, 6, t0, mono_ns(), NULL);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void reset(void)
{
	const struct change want[] = {
		{ XTCP_CLOSE, XTCP_SYN_SENT, XTCP_CAUSE_CONNECT },
		{ XTCP_SYN_SENT, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_SYNACK },
		{ XTCP_ESTABLISHED, XTCP_CLOSE, XTCP_CAUSE_RCV_RST },
	};
	struct linger lg = { 1, 0 };
	uint64_t t0 = mono_ns();
	struct xt_pair p = xt_pair_open(XT_PORT + 1);

	if (setsockopt(p.sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		xt_fail("SO_LINGER");
	close(p.sfd);
	wait_state("client", p.cfd, XTCP_CLOSE);
	expect("reset client", p.cfd, want, 3, t0, mono_ns(), NULL);
	close(p.cfd);
	close(p.lfd);
}

static void data_after_close(void)
{
	const struct change s[] = {
		{ XTCP_LISTEN, XTCP_SYN_RECV, XTCP_CAUSE_RCV_SYN },
		{ XTCP_SYN_RECV, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_ACK },
		{ XTCP_ESTABLISHED, XTCP_FIN_WAIT1, XTCP_CAUSE_CLOSE },
		{ XTCP_FIN_WAIT1, XTCP_FIN_WAIT2, XTCP_CAUSE_RCV_FIN_ACK },
		{ XTCP_FIN_WAIT2, XTCP_CLOSE, XTCP_CAUSE_RCV_DATA },
	};
	const struct change c[] = {
		{ XTCP_CLOSE, XTCP_SYN_SENT, XTCP_CAUSE_CONNECT },
		{ XTCP_SYN_SENT, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_SYNACK },
		{ XTCP_ESTABLISHED, XTCP_CLOSE_WAIT, XTCP_CAUSE_RCV_FIN },
		{ XTCP_CLOSE_WAIT, XTCP_CLOSE, XTCP_CAUSE_RCV_RST },
	};
	uint64_t t0 = mono_ns();
	struct xt_pair p = xt_pair_open(XT_PORT + 2);

	if (shutdown(p.sfd, SHUT_RDWR) < 0)
		xt_fail("shutdown");
	wait_state("server", p.sfd, XTCP_FIN_WAIT2);
	wait_state("client", p.cfd, XTCP_CLOSE_WAIT);
	if (send(p.cfd, "late", 4, MSG_NOSIGNAL) != 4)
		xt_fail("send");
	wait_state("server", p.sfd, XTCP_CLOSE);
	wait_state("client", p.cfd, XTCP_CLOSE);
	expect("shut server", p.sfd, s, 5, t0, mono_ns(), NULL);
	expect("late client", p.cfd, c, 4, t0, mono_ns(), NULL);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

static void disconnect(void)
{
	const struct change want[] = {
		{ XTCP_CLOSE, XTCP_SYN_SENT, XTCP_CAUSE_CONNECT },
		{ XTCP_SYN_SENT, XTCP_ESTABLISHED, XTCP_CAUSE_RCV_SYNACK },
		{ XTCP_ESTABLISHED, XTCP_CLOSE, XTCP_CAUSE_DISCONNECT },
	};
	struct sockaddr sa = { .sa_family = AF_UNSPEC };
	uint64_t t0 = mono_ns();
	struct xt_pair p = xt_pair_open(XT_PORT + 3);

	if (connect(p.cfd, &sa, sizeof(sa)) < 0)
		xt_fail("connect AF_UNSPEC");
	expect("disconnected", p.cfd, want, 3, t0, mono_ns(), NULL);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

/* connect() to ip:port failing with errno e; fd's history, 2 changes. */
static void failed_open(const char *who, const char *ip, int e, int cause)
{
	const struct change want[] = {
		{ XTCP_CLOSE, XTCP_SYN_SENT, XTCP_CAUSE_CONNECT },
		{ XTCP_SYN_SENT, XTCP_CLOSE, cause },
	};
	uint64_t t0 = mono_ns();
	int fd = xt_socket_in("a");

	XT_ERRNO(xt_connect(fd, ip, XT_PORT), e);
	expect(who, fd, want, 2, t0, mono_ns(), NULL);
	close(fd);
}

static void lengths(void)
{
	struct xtcp_transition h[2];
	struct xtcp_info xi;
	struct xt_pair p = xt_pair_open(XT_PORT + 4);
	socklen_t len;
	int neg = -1;

	len = sizeof(h[0]);
	if (getsockopt(p.cfd, SOL_XTCP, XTCP_HISTORY, h, &len) < 0)
		xt_fail("XTCP_HISTORY");
	XT_CHECK(len == sizeof(h[0]), "one change's room gave %u bytes", len);
	XT_CHECK(h[0].xtcpt_new == XTCP_ESTABLISHED, "not the newest change");
	len = sizeof(h[0]) + 3;
	if (getsockopt(p.cfd, SOL_XTCP, XTCP_HISTORY, h, &len) < 0)
		xt_fail("XTCP_HISTORY");
	XT_CHECK(len == sizeof(h[0]), "a change and a bit gave %u bytes", len);
	len = 0;
	if (getsockopt(p.cfd, SOL_XTCP, XTCP_HISTORY, h, &len) < 0)
		xt_fail("XTCP_HISTORY");
	XT_CHECK(len == 0, "no room gave %u bytes", len);
	XT_ERRNO(getsockopt(p.cfd, SOL_XTCP, XTCP_HISTORY, h, (socklen_t *)&neg), EINVAL);

	/* A program that knows only the first four fields. */
	memset(&xi, 0xff, sizeof(xi));
	len = 16;
	if (getsockopt(p.cfd, SOL_XTCP, XTCP_INFO, &xi, &len) < 0)
		xt_fail("XTCP_INFO");
	XT_CHECK(len == 16 && xi.xtcpi_state == XTCP_ESTABLISHED && xi.xtcpi_rtt == ~0U,
		 "a 16-byte XTCP_INFO gave %u bytes", len);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

int main(void)
{
	if (xt_is_tcp())
		return 77;
	xt_enter("a");
	lifecycle();
	reset();
	data_after_close();
	disconnect();
	lengths();

	xt_netem("b", "loss 100%");
	XT_CHECK(!xt_sysctl("a", "syn_retries", 1), "syn_retries");
	failed_open("timed out", XT_B, ETIMEDOUT, XTCP_CAUSE_TIMEOUT);
	xt_netem_off("b");
	XT_CHECK(!xt_sysctl("a", "syn_retries", 6), "syn_retries");
	failed_open("unreachable", NOBODY, EHOSTUNREACH, XTCP_CAUSE_ICMP);
	return 0;
}
