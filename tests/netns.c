// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespaces. Two namespaces behave as two hosts: the same port
 * is bound and listened on in a and in b at once, and each connects to
 * the other's. Then namespace a is deleted under live connections:
 *   - sockets whose fds are still open when `ip netns del a` runs (a
 *     listener, established connections with unread data, one in
 *     SYN-SENT), closed only afterwards;
 *   - connections whose fds were closed before (TIME-WAIT, FIN-WAIT-2
 *     orphans, a LAST-ACK whose ACK is lost), which hold no reference to
 *     the namespace and must be purged when it goes.
 * Nothing may crash (the harness fails on any splat), the peers in b see
 * their connections fail or simply stay, b still makes a connection
 * (over loopback: its veth went with a's end), and after the test the
 * harness unloads xtcp, which fails if anything was left behind.
 */
#include "xtnet.h"

#define N 4

static void two_hosts(void)
{
	int la, lb, ca, cb, sa, sb;
	char buf[8];

	la = xt_socket_in("a");
	lb = xt_socket_in("b");
	xt_bind(la, "0.0.0.0", 8000);
	xt_bind(lb, "0.0.0.0", 8000);
	XT_CHECK(listen(la, 4) == 0 && listen(lb, 4) == 0, "listen on 8000 in a and b");

	ca = xt_socket_in("a");
	cb = xt_socket_in("b");
	XT_CHECK(xt_connect(ca, XT_B, 8000) == 0, "a to b:8000");
	XT_CHECK(xt_connect(cb, XT_A, 8000) == 0, "b to a:8000");
	sb = xt_accept_wait(lb, 3000);
	sa = xt_accept_wait(la, 3000);
	XT_CHECK(sa >= 0 && sb >= 0, "accept");
	xt_send_all(ca, "to b", 4);
	xt_recv_all(sb, buf, 4, 2000);
	XT_CHECK(!memcmp(buf, "to b", 4), "b got the wrong data");
	xt_send_all(cb, "to a", 4);
	xt_recv_all(sa, buf, 4, 2000);
	XT_CHECK(!memcmp(buf, "to a", 4), "a got the wrong data");
	close(ca);
	close(cb);
	close(sa);
	close(sb);
	close(la);
	close(lb);
}

int main(void)
{
	int held[N + 2], peer[3 * N], lfd, fd, i, np = 0, nh = 0;
	char buf[8];

	xt_raise_nofile(1024);
	two_hosts();

	/*
	 * Orphans keep their namespace, and xtcp, until they die: give them
	 * short lives so that the harness's unload afterwards can succeed.
	 * (TCP has no short TIME-WAIT; its orphans need not let a module go.)
	 */
	for (i = 0; i < 2; i++) {
		const char *ns = i ? "b" : "a";	/* b's peers outlive a */

		xt_sysctl(ns, "fin_timeout_ms", 500);
		xt_sysctl(ns, "retries2", 2);
		xt_sysctl(ns, "tw_timeout_ms", 500);
	}

	/*
	 * Held open across the deletion: a listener in a, established
	 * connections from a with unread data both ways.
	 */
	held[nh++] = xt_listen_in("a", 8001, 8);
	lfd = xt_listen_in("b", 8002, 32);
	for (i = 0; i < N; i++) {
		fd = xt_socket_in("a");
		XT_CHECK(xt_connect(fd, XT_B, 8002) == 0, "connect");
		peer[np] = xt_accept_wait(lfd, 3000);
		XT_CHECK(peer[np] >= 0, "accept");
		xt_send_all(fd, "unread", 6);
		xt_send_all(peer[np++], "unread", 6);
		held[nh++] = fd;
	}

	/* Closed before the deletion: TIME-WAIT in a (a closes first). */
	for (i = 0; i < N; i++) {
		fd = xt_socket_in("a");
		XT_CHECK(xt_connect(fd, XT_B, 8002) == 0, "connect");
		peer[np] = xt_accept_wait(lfd, 3000);
		XT_CHECK(peer[np] >= 0, "accept");
		close(fd);
		XT_CHECK(xt_wait_readable(peer[np], 2000) && recv(peer[np], buf, 8, 0) == 0,
			 "no EOF");
		close(peer[np]);
	}
	/* Orphans in FIN-WAIT-2 in a: b never closes its side. */
	for (i = 0; i < N; i++) {
		fd = xt_socket_in("a");
		XT_CHECK(xt_connect(fd, XT_B, 8002) == 0, "connect");
		peer[np] = xt_accept_wait(lfd, 3000);
		XT_CHECK(peer[np] >= 0, "accept");
		np++;
		close(fd);
	}
	xt_msleep(300);

	/*
	 * Everything from a is lost from now on: SYN-SENT (held) and
	 * LAST-ACK/FIN retransmission states stay busy in a.
	 */
	xt_netem("a", "loss 100%");
	fd = xt_socket_in("a");
	xt_nonblock(fd, 1);
	XT_ERRNO(xt_connect(fd, XT_B, 8002), EINPROGRESS);
	held[nh++] = fd;
	/*
	 * A connection from a that it closes with data unacked: the data and
	 * the FIN are lost, so a retransmits them as an orphan.
	 */
	fd = xt_socket_in("a");
	xt_netem_off("a");
	XT_CHECK(xt_connect(fd, XT_B, 8002) == 0, "connect");
	peer[np] = xt_accept_wait(lfd, 3000);
	XT_CHECK(peer[np] >= 0, "accept");
	np++;
	xt_netem("a", "loss 100%");
	xt_send_all(fd, "lost data", 9);
	close(fd);

	/* Delete a from outside it, with fds still open. */
	xt_enter(NULL);
	xt_sh("/sbin/ip netns del a");
	xt_msleep(200);
	for (i = 0; i < nh; i++)
		close(held[i]);
	/* The namespace now really goes (its last references were ours). */
	xt_msleep(2000);

	/*
	 * b is still a working host. Its veth went with a's end (how soon
	 * depends on the namespace's last references), so over loopback.
	 */
	for (i = 0; i < np; i++)
		close(peer[i]);
	close(lfd);
	lfd = xt_socket_in("b");
	xt_bind(lfd, "127.0.0.1", 8003);
	XT_CHECK(listen(lfd, 4) == 0, "listen in b after a went");
	fd = xt_socket_in("b");
	XT_CHECK(xt_connect(fd, "127.0.0.1", 8003) == 0, "connect in b after a went");
	peer[0] = xt_accept_wait(lfd, 3000);
	XT_CHECK(peer[0] >= 0, "accept in b after a went");
	xt_send_expect(fd, peer[0], "b still works");
	close(peer[0]);
	close(fd);
	close(lfd);
	XT_CHECK(access("/run/netns/a", F_OK) < 0, "namespace a still named");
	return 0;
}
