// SPDX-License-Identifier: GPL-2.0
/*
 * Keepalive, as Linux TCP's (the contract is silent; TCP is the
 * reference, and XT_PROTO=6 runs the same checks on it, its options at
 * IPPROTO_TCP with the same numbers):
 *
 *  - XTCP_KEEPIDLE, XTCP_KEEPINTVL and XTCP_KEEPCNT read the namespace's
 *    net.xtcp.keepalive_time, keepalive_intvl and keepalive_probes until
 *    set; they take 1 to 32767 seconds, 1 to 127 probes, and anything
 *    else is EINVAL.
 *  - Without SO_KEEPALIVE an idle connection is silent, whatever
 *    XTCP_KEEPIDLE says.
 *  - With it (idle 1 s, probes every 1 s, 2 of them), the first probe
 *    goes about a second after SO_KEEPALIVE was set: an ACK with the
 *    sequence number before SND.UNA and no data, which b answers with an
 *    ACK of SND.UNA. Answered, the next probe waits for the connection
 *    to be idle a second again; the connection stays ESTABLISHED.
 *  - Once b's answers are lost (netem loss 100% on b's side) and the
 *    interval is 3 s, a sends its 2 probes, the first a second after
 *    b's last answer, the second 3 s later, then a RST 3 s later, and
 *    its socket fails with ETIMEDOUT; b, reset, with ECONNRESET.
 *    Between the second probe and the RST, a's line in /proc/net/xtcp
 *    (tcp) shows the keepalive timer (tr 2) and 2 probes unanswered
 *    (its timeout column).
 *
 * Times come from the capture thread's clock as it reads each segment,
 * which a slow guest may wake late: the lower bounds leave 0.4 s.
 *  - Each probe counts in KeepAliveProbes (TCP: TCPKeepAlive).
 */
#include "wire.h"
#include "xtapi.h"

#define CPORT 7201

static int level(void)
{
	return xt_is_tcp() ? IPPROTO_TCP : SOL_XTCP;
}

static void options(void)
{
	int fd = xt_socket_in("a"), bad[] = { 0, -1, 32768 }, i;

	xt_sysctl("a", "keepalive_time", 5);
	xt_sysctl("a", "keepalive_intvl", 6);
	xt_sysctl("a", "keepalive_probes", 7);
	XT_CHECK(xt_getint(fd, level(), XTCP_KEEPIDLE) == 5, "KEEPIDLE %d, not the sysctl's 5",
		 xt_getint(fd, level(), XTCP_KEEPIDLE));
	XT_CHECK(xt_getint(fd, level(), XTCP_KEEPINTVL) == 6, "KEEPINTVL %d, not the sysctl's 6",
		 xt_getint(fd, level(), XTCP_KEEPINTVL));
	XT_CHECK(xt_getint(fd, level(), XTCP_KEEPCNT) == 7, "KEEPCNT %d, not the sysctl's 7",
		 xt_getint(fd, level(), XTCP_KEEPCNT));
	for (i = 0; i < 3; i++) {
		XT_ERRNO(setsockopt(fd, level(), XTCP_KEEPIDLE, &bad[i], sizeof(int)), EINVAL);
		XT_ERRNO(setsockopt(fd, level(), XTCP_KEEPINTVL, &bad[i], sizeof(int)), EINVAL);
	}
	bad[2] = 128;
	for (i = 0; i < 3; i++)
		XT_ERRNO(setsockopt(fd, level(), XTCP_KEEPCNT, &bad[i], sizeof(int)), EINVAL);
	xt_setint(fd, level(), XTCP_KEEPIDLE, 32767);
	xt_setint(fd, level(), XTCP_KEEPINTVL, 1);
	xt_setint(fd, level(), XTCP_KEEPCNT, 127);
	XT_CHECK(xt_getint(fd, level(), XTCP_KEEPIDLE) == 32767 &&
		 xt_getint(fd, level(), XTCP_KEEPINTVL) == 1 &&
		 xt_getint(fd, level(), XTCP_KEEPCNT) == 127, "set values do not read back");
	close(fd);
}

/* a's connection's tr and timeout columns in /proc/net/xtcp (tcp); 0 if none. */
static int proc_timer(unsigned int *tr, unsigned int *probes)
{
	int old = xt_push_ns("a"), found = 0;
	FILE *f = fopen(xt_is_tcp() ? "/proc/thread-self/net/tcp" :
			"/proc/thread-self/net/xtcp", "r");
	unsigned int lport, st;
	char line[256];

	xt_pop_ns(old);
	if (!f)
		xt_fail("no socket table");
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, " %*u: %*X:%X %*X:%*X %X %*X:%*X %X:%*X %*X %*u %u",
			       &lport, &st, tr, probes) == 4 && lport == CPORT && st == 1;
	fclose(f);
	return found;
}

/* The next keepalive probe from a, within ms: an ACK of no data below SND.UNA. */
static int next_probe(struct xt_cap *cap, int *pos, uint32_t una, int ms, struct xt_seg *s)
{
	while (xt_cap_next(cap, pos, CPORT, XT_PORT, XT_ANY, 0, ms, s))
		if (s->flags == XT_ACK && !s->len && s->seq == una - 1)
			return 1;
	return 0;
}

int main(void)
{
	struct xt_cap *cap;
	struct xt_seg last, probe, answer, prev, rst, s;
	struct xt_pair p;
	unsigned int probes = 0;
	long counted;
	uint32_t una;
	unsigned int tr = 0;
	double t_on;
	int pos, i;
	char c;

	options();

	/* netem now, its loss later: so the loss begins at once (xt_netem_change()). */
	xt_netem("b", "loss 0%");
	cap = xt_cap_start("a", "veth-a");
	p = xt_pair_from(CPORT, 0, XT_PORT);
	xt_setint(p.cfd, level(), XTCP_KEEPIDLE, 1);
	xt_setint(p.cfd, level(), XTCP_KEEPINTVL, 1);
	xt_setint(p.cfd, level(), XTCP_KEEPCNT, 2);
	xt_send_expect(p.cfd, p.sfd, "x");
	xt_send_expect(p.sfd, p.cfd, "y");
	xt_msleep(200);
	XT_WIRE(cap, xt_cap_latest(cap, XT_PORT, CPORT, &last), "nothing from b");
	una = last.ack;
	pos = xt_cap_mark(cap);

	/* Idle, keepidle 1 s, but no SO_KEEPALIVE: silence. */
	xt_msleep(1500);
	XT_WIRE(cap, !xt_cap_next(cap, &pos, CPORT, XT_PORT, XT_ANY, 0, 0, &s),
		"a sent flags 0x%x seq=%u without SO_KEEPALIVE", s.flags, s.seq);

	counted = xt_stat_of("a", "KeepAliveProbes", "TCPKeepAlive");
	t_on = xt_now();
	xt_setint(p.cfd, SOL_SOCKET, SO_KEEPALIVE, 1);
	XT_WIRE(cap, next_probe(cap, &pos, una, 3000, &probe), "no keepalive probe");
	XT_WIRE(cap, cap->t0 + probe.t - t_on > 0.6,
		"the first probe went %.3f s after SO_KEEPALIVE, wanted 1",
		cap->t0 + probe.t - t_on);
	for (i = 0; i < 2; i++) {
		XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, CPORT, XT_ANY, 0, 1000, &answer) &&
			answer.flags == XT_ACK && answer.ack == una,
			"b did not answer probe %d with ACK %u", i + 1, una);
		if (i)
			break;
		prev = probe;
		XT_WIRE(cap, next_probe(cap, &pos, una, 3000, &probe), "no second probe");
		XT_WIRE(cap, probe.t - answer.t > 0.6 && probe.t - prev.t < 2.5,
			"the second probe went %.3f s after the first's answer, wanted 1",
			probe.t - answer.t);
	}
	XT_STATE(p.cfd, XTCP_ESTABLISHED);
	XT_CHECK(xt_so_error(p.cfd) == 0, "an answered keepalive left an error");

	/* b's answers lost: two probes, then a RST, and ETIMEDOUT. */
	xt_setint(p.cfd, level(), XTCP_KEEPINTVL, 3);
	xt_netem_change("b", "loss 100%");
	for (i = 0; i < 2; i++) {
		int want = i ? 3 : 1;	/* the first waits for keepidle */

		prev = probe;
		XT_WIRE(cap, next_probe(cap, &pos, una, 5000, &probe), "no unanswered probe %d",
			i + 1);
		XT_WIRE(cap, probe.t - prev.t > want - 0.4 && probe.t - prev.t < want + 1.5,
			"probe %.3f s after the one before, wanted %d", probe.t - prev.t, want);
	}
	XT_CHECK(proc_timer(&tr, &probes) && tr == 2 && probes == 2,
		 "a's line shows timer %u, %u probes: wanted the keepalive's (2), 2", tr, probes);
	XT_WIRE(cap, xt_cap_next(cap, &pos, CPORT, XT_PORT, XT_RST, XT_RST, 5000, &rst),
		"no RST after 2 unanswered probes");
	XT_WIRE(cap, rst.t - probe.t > 2.6 && rst.t - probe.t < 4.5,
		"the RST went %.3f s after the last probe, wanted 3", rst.t - probe.t);
	XT_CHECK(xt_wait_state(p.cfd, XTCP_CLOSE, 1000), "a's socket is %s, not CLOSED",
		 xt_state_name(xt_state(p.cfd)));
	XT_ERRNO(recv(p.cfd, &c, 1, MSG_DONTWAIT), ETIMEDOUT);
	XT_CHECK(xt_stat_of("a", "KeepAliveProbes", "TCPKeepAlive") - counted == 4,
		 "%ld keepalive probes counted, 4 sent",
		 xt_stat_of("a", "KeepAliveProbes", "TCPKeepAlive") - counted);
	XT_CHECK(xt_wait_state(p.sfd, XTCP_CLOSE, 1000), "b's socket is %s after the RST",
		 xt_state_name(xt_state(p.sfd)));
	XT_ERRNO(recv(p.sfd, &c, 1, MSG_DONTWAIT), ECONNRESET);

	xt_netem_off("b");
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	xt_cap_stop(cap);
	return 0;
}
