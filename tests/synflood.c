// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies and SYN floods (issue 7). Spoofed segments come from
 * addresses whose answers go nowhere (xt_spoof_setup()).
 *
 *   - always (syncookies 2): a connects and the connection carries 64 KB
 *     each way; b's SYN-ACK offered an MSS, and no window scale and no
 *     SACK-permitted, which a cookie cannot carry; b counted one cookie
 *     sent and one received;
 *   - returned: a spoofed SYN draws a cookie SYN-ACK; an ACK with one
 *     bit of the cookie flipped, or with the wrong sequence number (not
 *     under TCP, see below), is answered with a RST and counted in
 *     SyncookiesFailed, and the listener accepts nothing; the right ACK,
 *     carrying data, makes a connection that accept() returns with the
 *     data in it;
 *   - flood (syncookies 1, the default): spoofed SYNs, a few thousand a
 *     second, at a listener of backlog 8: its SYN queue stays at its
 *     limit (16) while cookies answer the rest, and a genuine connect()
 *     from a succeeds during the flood, within 3 s, and carries data;
 *   - the same flood with syncookies 0: the genuine connect() gets no
 *     connection in 3 s, its SYNs counted in SynQueueDrops.
 * Under XT_PROTO=6 the same runs against Linux TCP (tcp_syncookies; its
 * SYN queue limit is the backlog, its SYN-ACK offers what its timestamps
 * carry), without the counters and the option checks.
 */
#include "wire.h"
#include "xtapi.h"

#define SYN_QUEUE	16		/* backlog 8: twice that, at least 16 */

static int raw_fd;

/*
 * h from the spoofed address src (host order) to b. A full device queue
 * (ENOBUFS) loses it, as a flood would lose it on the wire.
 */
static void spoof(uint32_t src, const struct xt_hdr *h)
{
	struct in_addr from = { htonl(src) }, to = xt_addr(XT_B, 0).sin_addr;
	uint8_t seg[1600];
	int len = xt_build(seg, from, to, h);

	if (xt_spoof_send(raw_fd, from, to, seg, len) != len && errno != ENOBUFS)
		xt_fail("spoofed segment");
}

static long stat_b(const char *name)
{
	return xt_is_tcp() ? 0 : xt_stat("b", name);
}

static void expect_moved(const char *name, long before, long want)
{
	long d = stat_b(name) - before;

	if (!xt_is_tcp())
		XT_CHECK(d == want, "b's %s moved by %ld, wanted %ld", name, d, want);
}

static void always(void)
{
	int lfd = xt_listen_in("b", XT_PORT, 8), cfd, sfd;
	long sent = stat_b("SyncookiesSent"), recv = stat_b("SyncookiesRecv");
	long failed = stat_b("SyncookiesFailed");
	static char buf[65536];
	struct xt_cap *cap;
	struct xt_seg s;
	int pos = 0;

	xt_sysctl("b", "syncookies", 2);
	cap = xt_cap_start("b", "veth-b");
	cfd = xt_socket_in("a");
	if (xt_connect(cfd, XT_B, XT_PORT) < 0)
		xt_fail("connect with syncookies 2");
	sfd = xt_accept_wait(lfd, 5000);
	XT_CHECK(sfd >= 0, "no connection to accept");
	memset(buf, 'c', sizeof(buf));
	xt_xfer(cfd, sfd, buf, sizeof(buf), 20000);
	xt_xfer(sfd, cfd, buf, sizeof(buf), 20000);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, xt_local_port(cfd), XT_SYN | XT_ACK,
				 XT_SYN | XT_ACK, 2000, &s), "no SYN-ACK");
	XT_WIRE(cap, s.mss > 0, "the cookie SYN-ACK offers no MSS");
	if (!xt_is_tcp())
		XT_WIRE(cap, s.wscale < 0 && !s.sackok,
			"the cookie SYN-ACK offers window scale %d, SACK %d", s.wscale, s.sackok);
	xt_cap_stop(cap);
	/* One cookie per SYN: two, should a slow guest retransmit the SYN. */
	sent = stat_b("SyncookiesSent") - sent;
	if (!xt_is_tcp())
		XT_CHECK(sent >= 1 && sent <= 2, "b's SyncookiesSent moved by %ld", sent);
	expect_moved("SyncookiesRecv", recv, 1);
	expect_moved("SyncookiesFailed", failed, 0);
	close(cfd);
	close(sfd);
	close(lfd);
}

/* The cookie ACKs: wrong ones refused, the right one a connection. */
static void returned(void)
{
	const uint32_t src = XT_VOID_NET | 7, irs = 1000000;
	int lfd = xt_listen_in("b", XT_PORT + 1, 8), pos = 0, sfd;
	struct xt_hdr h = { .sport = 41000, .dport = XT_PORT + 1, .flags = XT_SYN,
			    .seq = irs, .mss = 1460 };
	long failed = stat_b("SyncookiesFailed");
	struct xt_cap *cap;
	struct xt_seg s;
	char got[6] = "";

	xt_sysctl("b", "syncookies", 2);
	xt_nonblock(lfd, 1);
	cap = xt_cap_start("b", "veth-b");
	spoof(src, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT + 1, 41000, XT_SYN | XT_ACK,
				 XT_SYN | XT_ACK, 3000, &s), "no SYN-ACK to a spoofed SYN");

	h.flags = XT_ACK;
	h.mss = 0;
	h.seq = irs + 1;
	h.ack = (s.seq + 1) ^ 0x100;
	spoof(src, &h);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT + 1, 41000, XT_RST, XT_RST, 3000, &s),
		"no RST to an ACK of a forged cookie");
	h.ack ^= 0x100;
	/*
	 * Linux TCP's cookie adds the peer's ISN to the hash, so one off it
	 * can read as a cookie for another MSS; xtcp's hashes it.
	 */
	if (!xt_is_tcp()) {
		h.seq = irs + 2;
		spoof(src, &h);
		XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT + 1, 41000, XT_RST, XT_RST, 3000,
					 &s), "no RST to a cookie ACK with a wrong seq");
	}
	XT_CHECK(accept(lfd, NULL, NULL) < 0 && errno == EAGAIN,
		 "a forged cookie made a connection");
	expect_moved("SyncookiesFailed", failed, 2);

	h.seq = irs + 1;
	h.data = "hello";
	h.len = 5;
	spoof(src, &h);
	xt_cap_stop(cap);
	sfd = xt_accept_wait(lfd, 3000);
	XT_CHECK(sfd >= 0, "the cookie's ACK made no connection");
	xt_recv_all(sfd, got, 5, 3000);
	XT_CHECK(!memcmp(got, "hello", 5), "the cookie ACK's data came as \"%.5s\"", got);
	/* Its peer is nowhere: a RST, not a FIN retransmitted for minutes. */
	xt_abort(sfd);
	close(sfd);
	close(lfd);
}

struct flood {
	_Atomic int stop;
	unsigned short port;
	long sent;
};

/* Spoofed SYNs, in bursts of 20 every 10 ms, until told to stop. */
static void *flood_run(void *arg)
{
	struct flood *f = arg;
	struct xt_hdr h = { .dport = f->port, .flags = XT_SYN, .mss = 1460 };
	uint32_t x = 12345;
	int i;

	while (!f->stop) {
		for (i = 0; i < 20; i++) {
			x = x * 1103515245 + 12345;
			h.sport = 1024 + (x >> 16) % 60000;
			h.seq = x;
			spoof(XT_VOID_NET | (1 + (x >> 8) % 254), &h);
			f->sent++;
		}
		xt_msleep(10);
	}
	return NULL;
}

/* SYN-RECEIVED entries of b on port (/proc/net/xtcp or tcp). */
static int syn_recv(unsigned short port)
{
	char line[256], want[16];
	int old = xt_push_ns("b"), n = 0;
	FILE *f = fopen(xt_is_tcp() ? "/proc/thread-self/net/tcp" :
			"/proc/thread-self/net/xtcp", "r");

	xt_pop_ns(old);
	if (!f)
		xt_fail("/proc/net/xtcp");
	snprintf(want, sizeof(want), ":%04X", port);
	while (fgets(line, sizeof(line), f)) {
		char local[32], state[8];

		if (sscanf(line, "%*s %31s %*s %7s", local, state) == 2 &&
		    strstr(local, want) && !strcmp(state, "03"))
			n++;
	}
	fclose(f);
	return n;
}

/*
 * A genuine connect() during a flood: whether it made a connection in
 * 3 s; if so, it carries data.
 */
static int genuine(unsigned short port, int cookies)
{
	struct flood f = { .port = port };
	int lfd = xt_listen_in("b", port, 8), cfd, sfd = -1, i, n, most = 0;
	long sent = stat_b("SyncookiesSent"), drops = stat_b("SynQueueDrops");
	struct pollfd p;
	pthread_t t;

	xt_sysctl("b", "syncookies", cookies);
	if (pthread_create(&t, NULL, flood_run, &f))
		xt_fail("pthread_create");
	for (i = 0; i < 50 && syn_recv(port) < (xt_is_tcp() ? 8 : SYN_QUEUE); i++)
		xt_msleep(100);
	XT_CHECK(i < 50, "the flood never filled the SYN queue: %d entries", syn_recv(port));

	cfd = xt_socket_in("a");
	xt_nonblock(cfd, 1);
	XT_ERRNO(xt_connect(cfd, XT_B, port), EINPROGRESS);
	p = (struct pollfd){ .fd = cfd, .events = POLLOUT };
	if (poll(&p, 1, 3000) == 1 && !xt_getint(cfd, SOL_SOCKET, SO_ERROR)) {
		sfd = xt_accept_wait(lfd, 3000);
		XT_CHECK(sfd >= 0, "connected during the flood, but nothing to accept");
		xt_nonblock(cfd, 0);
		xt_send_expect(cfd, sfd, "through the flood");
		xt_send_expect(sfd, cfd, "and back");
	}
	for (i = 0; i < 5; i++) {
		n = syn_recv(port);
		most = n > most ? n : most;
		xt_msleep(100);
	}
	f.stop = 1;
	pthread_join(t, NULL);
	printf("flood with syncookies %d: %ld SYNs, SYN queue at most %d, connected: %s\n",
	       cookies, f.sent, most, sfd >= 0 ? "yes" : "no");
	XT_CHECK(most <= SYN_QUEUE, "%d requests, over the SYN queue's limit", most);
	if (!xt_is_tcp()) {
		if (cookies)
			XT_CHECK(stat_b("SyncookiesSent") - sent > 0, "no cookie sent");
		else
			XT_CHECK(stat_b("SynQueueDrops") - drops > 0, "no SYN dropped");
	}
	close(cfd);
	if (sfd >= 0)
		close(sfd);
	close(lfd);
	return sfd >= 0;
}

int main(void)
{
	raw_fd = xt_spoof_setup();
	always();
	returned();
	XT_CHECK(genuine(XT_PORT + 2, 1), "no connection through the flood with syncookies 1");
	XT_CHECK(!genuine(XT_PORT + 3, 0), "a connection through a full SYN queue, syncookies 0");
	xt_sysctl("b", "syncookies", 1);
	return 0;
}
