// SPDX-License-Identifier: GPL-2.0
/*
 * SYN retransmission and its timeout. With syn_retries=2 and every reply
 * lost (netem loss 100% on b's egress), connect() sends SYNs at about
 * 0, 1 and 3 s (initial RTO 1 s, doubling) and fails with ETIMEDOUT at
 * about 7 s. A non-blocking connect() gives EINPROGRESS, then POLLOUT
 * and SO_ERROR ETIMEDOUT; to a port with no listener and no loss,
 * POLLOUT and SO_ERROR ECONNREFUSED.
 *
 * Timing is checked to -300/+600 ms (see EARLY, LATE): QEMU emulates the
 * CPU, the capture timestamps are taken in userspace, and TCP's timers
 * fire late. Under TCP, net.ipv4.tcp_syn_linear_timeouts is set to 0
 * (see main). SYN-ACK retransmission (synack_retries) is
 * tests/synack_retries.c.
 */
#include "wire.h"

/*
 * Early by at most 300 ms, late by at most 600 ms: in the emulated guest
 * Linux TCP's timers fire 20 to 40 ms late each, and as each is armed
 * when the previous one fired, the lateness adds up.
 */
#define EARLY 0.3
#define LATE 0.6
#define WITHIN(t, want) ((t) > (want) - EARLY && (t) < (want) + LATE)

static void blocking_timeout(void)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	static const double want[] = { 0, 1, 3 };
	struct xt_seg syn[4];
	double t0, took;
	int fd, lfd, pos = 0, i, n;

	lfd = xt_listen_in("b", XT_PORT, 4);
	fd = xt_socket_in("a");
	t0 = xt_now();
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT), ETIMEDOUT);
	took = xt_now() - t0;
	XT_CHECK(WITHIN(took, 7), "connect timed out after %.3f s, wanted 7",
		 took);
	XT_STATE(fd, XTCP_CLOSE);

	for (n = 0; n < 4; n++)
		if (!xt_cap_next(cap, &pos, XT_ANY, XT_PORT, XT_SYN | XT_ACK, XT_SYN, 300, &syn[n]))
			break;
	XT_WIRE(cap, n == 3, "%d SYNs, wanted 3 (syn_retries=2)", n);
	for (i = 0; i < 3; i++) {
		double t = syn[i].t - syn[0].t;

		XT_WIRE(cap, WITHIN(t, want[i]),
			"SYN %d at %.3f s, wanted %.0f s", i, t, want[i]);
		XT_WIRE(cap, syn[i].seq == syn[0].seq && syn[i].sport == syn[0].sport,
			"retransmitted SYN with another seq or port");
	}
	close(fd);
	close(lfd);
	xt_cap_stop(cap);
}

static void nonblocking(const char *what, unsigned short port, int err, double when)
{
	struct pollfd p;
	double t0, took;
	int fd;

	fd = xt_socket_in("a");
	xt_nonblock(fd, 1);
	t0 = xt_now();
	XT_ERRNO(xt_connect(fd, XT_B, port), EINPROGRESS);
	p = (struct pollfd){ .fd = fd, .events = POLLOUT };
	XT_CHECK(poll(&p, 1, 10000) == 1 && (p.revents & POLLOUT), "%s: no POLLOUT: %s",
		 what, xt_pollstr(p.revents));
	took = xt_now() - t0;
	XT_CHECK(WITHIN(took, when), "%s: done after %.3f s, wanted %.1f",
		 what, took, when);
	XT_CHECK(xt_so_error(fd) == err, "%s: SO_ERROR %d, wanted %d", what,
		 xt_so_error(fd), err);
	XT_CHECK(xt_so_error(fd) == 0, "%s: SO_ERROR not cleared by reading it", what);
	close(fd);
}

int main(void)
{
	int lfd;

	xt_sysctl("a", "syn_retries", 2);
	/*
	 * Linux 6.5+ retransmits the first tcp_syn_linear_timeouts (4) SYNs
	 * at a fixed 1 s; the contract (and RFC 6298) doubles from the
	 * first. Under TCP, turn the linear part off where it exists.
	 */
	if (xt_is_tcp())
		xt_sysctl_path("a", "ipv4/tcp_syn_linear_timeouts", 0);
	xt_netem("b", "loss 100%");
	blocking_timeout();

	lfd = xt_listen_in("b", XT_PORT + 1, 4);
	nonblocking("timeout", XT_PORT + 1, ETIMEDOUT, 7);
	close(lfd);
	xt_netem_off("b");

	nonblocking("refused", XT_PORT + 2, ECONNREFUSED, 0);
	return 0;
}
