// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace deletion at scale (issue 7). In a namespace of its own, c,
 * over its loopback, the test makes XT_NETNS_N (default 2000)
 * connections of each kind:
 *   - established, both ends held open, every other one with unread
 *     data each way;
 *   - closed client first: a TIME-WAIT entry each;
 * and a tenth as many FIN-WAIT-2 orphans, whose peers are held open.
 * /proc/net/xtcp in c must show them all. Then c is deleted with every
 * fd still open, and the fds are closed: the held connections end (the
 * ones with unread data by RST, the others into more TIME-WAIT), the
 * namespace's last socket goes, and its exit must flush every entry.
 * Within 60 s (and 30 ms a connection more, for the debug kernel's
 * sake) xtcp's module count must be back where it started (every
 * socket gone) and its TIME-WAIT cache empty (the entries are set to
 * last ten minutes: only the namespace's exit frees them so soon). The
 * harness's rmmod afterwards, destroying xtcp's caches, reports any
 * socket or entry left behind.
 */
#include "xtnet.h"

#define PORT	9000

/* xtcp's use count in /proc/modules. */
static long module_refs(void)
{
	char line[256], name[64];
	long refs = -1, n;
	FILE *f = fopen("/proc/modules", "r");

	XT_CHECK(f, "/proc/modules");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %*d %ld", name, &n) == 2 && !strcmp(name, "xtcp"))
			refs = n;
	fclose(f);
	XT_CHECK(refs >= 0, "xtcp not in /proc/modules");
	return refs;
}

/*
 * Objects in use in xtcp's TIME-WAIT cache, by /proc/slabinfo. The cache
 * is shrunk first: its CPUs' slabs go back to the lists, whose free
 * objects are counted, and KASAN lets go of the objects it holds freed
 * (its quarantine), which count as used till then. Then the count is
 * exact, as long as nothing allocates or frees meanwhile.
 */
static long tw_objects(void)
{
	char line[512];
	long objs = -1;
	FILE *f = fopen("/sys/kernel/slab/xtcp_tw/shrink", "w");

	XT_CHECK(f && fputs("1", f) >= 0 && fclose(f) == 0, "shrink xtcp_tw");
	f = fopen("/proc/slabinfo", "r");
	XT_CHECK(f, "/proc/slabinfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "xtcp_tw ", 8))
			sscanf(line, "%*s %ld", &objs);
	fclose(f);
	XT_CHECK(objs >= 0, "no xtcp_tw cache in /proc/slabinfo (merged?)");
	return objs;
}

/* A connection from c to itself: the client's fd, the server's in *srv. */
static int pair(int lfd, int *srv)
{
	int fd = xt_socket();

	XT_CHECK(xt_connect(fd, "127.0.0.1", PORT) == 0, "connect");
	*srv = xt_accept_wait(lfd, 3000);
	XT_CHECK(*srv >= 0, "accept");
	return fd;
}

int main(void)
{
	const char *env = getenv("XT_NETNS_N");
	int n = env ? atoi(env) : 2000, orphans = n / 10, nh = 0, lfd, fd, i, st[16];
	long refs = module_refs(), now, objs;
	char buf[16];
	double t0, limit;
	int *held;

	if (xt_is_tcp())
		return 77;	/* TCP's orphans and TIME-WAIT would hold no module */
	XT_CHECK(n > 0, "XT_NETNS_N %d", n);
	held = calloc(2 * n + orphans + 1, sizeof(*held));
	XT_CHECK(held, "calloc");
	xt_raise_nofile(2 * n + orphans + 64);
	xt_sh("/sbin/ip netns add c");
	xt_sh("/sbin/ip -n c link set lo up");
	xt_sysctl("c", "tw_timeout_ms", 600000);
	xt_enter("c");
	t0 = xt_now();

	lfd = xt_socket();
	xt_bind(lfd, "127.0.0.1", PORT);
	XT_CHECK(listen(lfd, 128) == 0, "listen");
	held[nh++] = lfd;
	for (i = 0; i < n; i++) {
		int srv;

		fd = pair(lfd, &srv);
		if (i % 2) {
			xt_send_all(fd, "unread", 6);
			xt_send_all(srv, "unread", 6);
		}
		held[nh++] = fd;
		held[nh++] = srv;
	}
	for (i = 0; i < n; i++) {
		int srv;

		fd = pair(lfd, &srv);
		close(fd);
		XT_CHECK(xt_wait_readable(srv, 3000) && recv(srv, buf, sizeof(buf), 0) == 0,
			 "no EOF");
		close(srv);
	}
	for (i = 0; i < orphans; i++) {
		fd = pair(lfd, &held[nh++]);
		close(fd);
	}
	/* The last FIN's ACK in flight: let it land. */
	for (i = 0; i < 20; i++) {
		xt_proc_entries(NULL, st, NULL);
		if (st[TCP_ESTABLISHED] >= 2 * n && st[TCP_TIME_WAIT] >= n &&
		    st[TCP_FIN_WAIT2] >= orphans)
			break;
		xt_msleep(200);
	}
	objs = tw_objects();
	printf("netns_many: %d connections in %.1f s: %d ESTABLISHED, %d TIME-WAIT,"
	       " %d FIN-WAIT-2 in c; xtcp_tw %ld objects\n", 2 * n + orphans, xt_now() - t0,
	       st[TCP_ESTABLISHED], st[TCP_TIME_WAIT], st[TCP_FIN_WAIT2], objs);
	XT_CHECK(st[TCP_ESTABLISHED] >= 2 * n && st[TCP_TIME_WAIT] >= n &&
		 st[TCP_FIN_WAIT2] >= orphans, "not all made");
	XT_CHECK(objs >= st[TCP_TIME_WAIT], "xtcp_tw: %ld objects for %d entries", objs,
		 st[TCP_TIME_WAIT]);

	/*
	 * Delete c from outside it, every fd open; then close them. Stock
	 * 6.12 is done in a second; the debug kernel closes some 70 sockets
	 * a second.
	 */
	limit = 60 + 0.03 * n;
	xt_enter(NULL);
	t0 = xt_now();
	xt_sh("/sbin/ip netns del c");
	for (i = 0; i < nh; i++)
		close(held[i]);
	while ((now = module_refs()) != refs || (objs = tw_objects()) > 0) {
		XT_CHECK(xt_now() - t0 < limit,
			 "after %.0f s: xtcp held %ld times (%ld before), xtcp_tw %ld objects",
			 limit, now, refs, objs);
		xt_msleep(100);
	}
	printf("netns_many: c deleted, %d fds closed; after %.1f s xtcp let go, xtcp_tw %ld\n",
	       nh, xt_now() - t0, objs);
	XT_CHECK(access("/run/netns/c", F_OK) < 0, "namespace c still named");
	free(held);
	return 0;
}
