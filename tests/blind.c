// SPDX-License-Identifier: GPL-2.0
/*
 * Blind attacks (RFC 5961, issue 7): an off-path attacker who knows a
 * connection's four-tuple but not its sequence numbers.
 *
 *   - During a transfer of XT_BLIND_KB (default 1024) KB each way, raw
 *     sockets in a and b send XT_BLIND_N (default 3000) forged segments
 *     into it, as from either end: RSTs, SYNs, and data with or without
 *     ACK, all with random sequence and acknowledgment numbers. Both
 *     streams must arrive intact and end in their writers' FINs, and
 *     neither namespace counts a reset connection.
 *   - The answers are limited per socket, not by a counter the whole
 *     namespace shares (whose state an attacker could read off it, as in
 *     CVE-2016-5696): SYNs with random sequence numbers forged into three
 *     idle connections, 100 each in one burst, draw challenge_ack_limit
 *     (10) challenge ACKs on each for each second the burst touched,
 *     more in all than one such budget could give; the rest are counted
 *     in AckSkipped. All three connections still carry data.
 */
#include "stream.h"
#include "wire.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng >> 16;
}

/* A raw socket of the protocol in ns, bound to ns's address. */
static int raw_in(const char *ns)
{
	struct sockaddr_in src = xt_addr(xt_ip_of(ns), 0);
	int old = xt_push_ns(ns), fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, xt_proto());

	xt_pop_ns(old);
	if (fd < 0 || bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0)
		xt_fail("raw socket in %s", ns);
	return fd;
}

/* h from the raw socket fd (in namespace from) to the other namespace. */
static void forge(int fd, const char *from, const struct xt_hdr *h)
{
	const char *to = from[0] == 'a' ? XT_B : XT_A;
	struct sockaddr_in sto = xt_addr(to, 0);
	uint8_t seg[1600];
	int len = xt_build(seg, xt_addr(xt_ip_of(from), 0).sin_addr, sto.sin_addr, h);

	if (sendto(fd, seg, len, 0, (struct sockaddr *)&sto, sizeof(sto)) != len &&
	    errno != ENOBUFS)
		xt_fail("forged segment from %s", from);
}

struct attack {
	int fd_a, fd_b;
	unsigned short cport, port;
	long n, sent;
};

static void *attack_run(void *arg)
{
	static const uint8_t flags[] = {
		XT_RST, XT_RST | XT_ACK, XT_SYN, XT_ACK, XT_PSH | XT_ACK, 0,
	};
	struct attack *at = arg;
	static char junk[512];
	struct xt_hdr h;
	int from_a;

	memset(junk, 'J', sizeof(junk));
	for (at->sent = 0; at->sent < at->n; at->sent++) {
		from_a = rnd() & 1;
		h = (struct xt_hdr){
			.sport = from_a ? at->cport : at->port,
			.dport = from_a ? at->port : at->cport,
			.seq = rnd() << 16 ^ rnd(),
			.ack = rnd() << 16 ^ rnd(),
			.flags = flags[rnd() % ARRAY_SIZE(flags)],
			.win = 1 + rnd() % 65535,
		};
		if (!(h.flags & (XT_RST | XT_SYN)) && rnd() % 2) {
			h.data = junk;
			h.len = 1 + rnd() % sizeof(junk);
		}
		forge(from_a ? at->fd_a : at->fd_b, from_a ? "a" : "b", &h);
		if (!(at->sent % 50))
			xt_msleep(1);
	}
	return NULL;
}

static void storm_during_transfer(int fd_a, int fd_b)
{
	const char *kb = getenv("XT_BLIND_KB"), *n = getenv("XT_BLIND_N");
	struct xt_pair p = xt_pair_open(XT_PORT);
	long resets_a = xt_stat("a", "EstabResets"), resets_b = xt_stat("b", "EstabResets");
	struct attack at = { .fd_a = fd_a, .fd_b = fd_b, .cport = p.cport, .port = p.port };
	struct xt_flow f[4];
	pthread_t t;

	at.n = n ? atol(n) : 3000;
	xt_duplex(f, p.cfd, p.sfd, (kb ? atol(kb) : 1024) * 1024, 77);
	if (pthread_create(&t, NULL, attack_run, &at))
		xt_fail("pthread_create");
	pthread_join(t, NULL);
	/* Each stream whole, then its writer's FIN: no reset came between. */
	xt_flows_check(f, 4, "transfer under a blind attack");
	XT_CHECK(xt_stat("a", "EstabResets") == resets_a && xt_stat("b", "EstabResets") == resets_b,
		 "a blind attack reset a connection");
	printf("blind: %ld forged segments during the transfer, which came through whole\n",
	       at.sent);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
}

/*
 * CONNS connections, STORM forged SYNs into each, in one burst of secs
 * seconds. A burst that long touches at most floor(secs) + 2 of a
 * budget's one-second periods, each good for challenge_ack_limit (10)
 * answers: that many for each connection with budgets of their own, but
 * that many for all three together with a budget the namespace shares.
 */
#define CONNS	3
#define STORM	100

static void per_socket_budget(int fd_a)
{
	long skipped = xt_stat("b", "AckSkipped");
	struct xt_pair p[CONNS];
	struct xt_cap *cap;
	int i, k, got[CONNS], all = 0, most;
	double t0, secs;

	for (i = 0; i < CONNS; i++) {
		p[i] = xt_pair_open(XT_PORT + 1 + i);
		xt_send_expect(p[i].cfd, p[i].sfd, "idle after this");
	}
	xt_msleep(100);
	cap = xt_cap_start("a", "veth-a");
	t0 = xt_now();
	for (k = 0; k < STORM; k++) {
		for (i = 0; i < CONNS; i++) {
			struct xt_hdr h = { .sport = p[i].cport, .dport = p[i].port,
					    .flags = XT_SYN, .seq = rnd(), .ack = 0 };

			forge(fd_a, "a", &h);
		}
	}
	secs = xt_now() - t0;
	xt_msleep(300);
	for (i = 0; i < CONNS; i++) {
		got[i] = xt_cap_count(cap, p[i].port, p[i].cport, XT_ANY, 0, NULL);
		all += got[i];
	}
	xt_cap_stop(cap);
	skipped = xt_stat("b", "AckSkipped") - skipped;
	printf("blind: %d SYNs into each of %d connections in %.3f s: answers", STORM, CONNS,
	       secs);
	for (i = 0; i < CONNS; i++)
		printf(" %d", got[i]);
	printf("; b's AckSkipped +%ld\n", skipped);
	most = 10 * ((int)secs + 2);
	for (i = 0; i < CONNS; i++) {
		XT_CHECK(got[i] >= 10, "connection %d: %d answers", i, got[i]);
		XT_CHECK(got[i] <= most, "connection %d: %d answers in %.3f s", i, got[i], secs);
	}
	XT_CHECK(all > most, "%d answers in all in %.3f s: a shared budget?", all, secs);
	/* The rest were counted; a capture may miss an answer or two. */
	XT_CHECK(skipped >= CONNS * STORM - all - 2, "AckSkipped +%ld for %d unanswered",
		 skipped, CONNS * STORM - all);
	for (i = 0; i < CONNS; i++) {
		xt_send_expect(p[i].cfd, p[i].sfd, "still there");
		close(p[i].cfd);
		close(p[i].sfd);
		close(p[i].lfd);
	}
}

int main(void)
{
	int fd_a, fd_b;

	if (xt_is_tcp())
		return 77;	/* TCP's limits are others (tcp_invalid_ratelimit) */
	fd_a = raw_in("a");
	fd_b = raw_in("b");
	storm_during_transfer(fd_a, fd_b);
	per_socket_budget(fd_a);
	close(fd_a);
	close(fd_b);
	return 0;
}
