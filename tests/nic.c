// SPDX-License-Identifier: GPL-2.0
/*
 * Over a real NIC's driver that finishes TCP's and UDP's checksums and
 * no other protocol's (NETIF_F_IP_CSUM without NETIF_F_HW_CSUM): the
 * guest's two RTL8139C+ NICs, wired to each other (scripts/vm), driven
 * by 8139cp, which warns and drops a segment of any other protocol left
 * for it to finish. The stack hands it one all the same if its checksum
 * is at TCP's offset, as xtcp's is. Namespace b gets one NIC
 * (198.51.100.1), namespace c the other (198.51.100.2), and b forwards
 * between a's veth and its NIC:
 *  - from b straight to c, and from a through b to c (a sends on veth,
 *    whose device finishes any checksum, and b forwards it to the NIC),
 *    256 KB each way arrive intact;
 *  - every segment that leaves b's NIC, b's own and those it forwards
 *    from a, has its checksum finished before the driver sees it: b's
 *    and a's GSO packets were cut and summed for the NIC (offload.c),
 *    and a's lone segments on veth were finished by a (output.c);
 *  - no checksum error is counted.
 * A splat on the console (the driver's WARN) fails the run as well.
 * Under XT_PROTO=6 the transfers run against Linux TCP, whose segments
 * the NIC finishes itself.
 * Skips where no NIC has the 8139cp driver (the debug kernel).
 */
#include <dirent.h>
#include <limits.h>

#include "wire.h"

#define LEN (256 * 1024)
#define NB "198.51.100.1"
#define NC "198.51.100.2"

/* The names of the first two NICs 8139cp drives, in the root namespace. */
static int find_nics(char names[2][IFNAMSIZ])
{
	char link[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir("/sys/class/net");
	if (!d)
		xt_fail("/sys/class/net");
	while ((e = readdir(d)) && n < 2) {
		ssize_t len;

		if (e->d_name[0] == '.' || strlen(e->d_name) >= IFNAMSIZ)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = 0;
		if (strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link, "8139cp"))
			continue;
		snprintf(names[n++], IFNAMSIZ, "%s", e->d_name);
	}
	closedir(d);
	return n;
}

/* Whether ns's dev has the offload feature named, as ethtool -k says. */
static int feature_on(const char *ns, const char *dev, const char *name)
{
	char cmd[64], line[256];
	int on = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "/sbin/ethtool -k %s", dev);
	f = xt_popen_in(ns, cmd);
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " \t");

		if (!strncmp(p, name, strlen(name)) && p[strlen(name)] == ':')
			on = !strncmp(p + strlen(name) + 1, " on", 3);
	}
	pclose(f);
	XT_CHECK(on >= 0, "ethtool -k %s in %s has no %s", dev, ns, name);
	return on;
}

/* A connection from ns to c's listener lfd, 256 KB each way. */
static void transfer(const char *ns, int lfd, const char *buf)
{
	int cfd = xt_socket_in(ns), sfd;

	if (xt_connect(cfd, NC, XT_PORT) < 0)
		xt_fail("connect from %s to %s", ns, NC);
	sfd = xt_accept_wait(lfd, 10000);
	XT_CHECK(sfd >= 0, "c accepted nothing from %s", ns);
	xt_xfer(cfd, sfd, buf, LEN, 60000);
	xt_xfer(sfd, cfd, buf, LEN, 60000);
	close(cfd);
	close(sfd);
}

int main(void)
{
	long gso_a = 0, gso_b = 0, errs_b, errs_c;
	int lfd, all = 0, bad = 0, pos = 0;
	char nic[2][IFNAMSIZ];
	struct xt_seg s;
	struct xt_cap *cap;
	char *buf;

	if (find_nics(nic) < 2)
		return 77;
	xt_sh("/sbin/ip netns add c");
	xt_sh("/sbin/ip link set %s netns b", nic[0]);
	xt_sh("/sbin/ip link set %s netns c", nic[1]);
	xt_sh("/sbin/ip -n b addr add " NB "/24 dev %s", nic[0]);
	xt_sh("/sbin/ip -n b link set %s up", nic[0]);
	xt_sh("/sbin/ip -n c addr add " NC "/24 dev %s", nic[1]);
	xt_sh("/sbin/ip -n c link set %s up", nic[1]);
	xt_sh("/sbin/ip -n c link set lo up");
	xt_sh("/sbin/ip -n c route add 192.0.2.0/24 via " NB);
	xt_sh("/sbin/ip -n a route add 198.51.100.0/24 via " XT_B);
	xt_sysctl_path("b", "ipv4/ip_forward", 1);
	/* What the test is about: the NIC sums TCP's and UDP's alone. */
	XT_CHECK(feature_on("b", nic[0], "tx-checksum-ipv4") &&
		 !feature_on("b", nic[0], "tx-checksum-ip-generic"),
		 "%s does not checksum TCP alone", nic[0]);

	buf = xt_pattern(LEN);
	errs_b = xt_stat_of("b", "InCsumErrors", "InCsumErrors");
	errs_c = xt_stat_of("c", "InCsumErrors", "InCsumErrors");
	if (!xt_is_tcp()) {
		gso_a = xt_stat("a", "OutGsoPackets");
		gso_b = xt_stat("b", "OutGsoPackets");
	}
	lfd = xt_socket_in("c");
	xt_reuseaddr(lfd);
	xt_bind(lfd, NC, XT_PORT);
	if (listen(lfd, 4) < 0)
		xt_fail("listen");
	cap = xt_cap_start("b", nic[0]);
	transfer("b", lfd, buf);
	transfer("a", lfd, buf);
	xt_msleep(200);

	if (!xt_is_tcp()) {
		while (xt_cap_next(cap, &pos, XT_ANY, XT_ANY, XT_ANY, 0, 0, &s)) {
			if (!s.outgoing)
				continue;
			all++;
			if (s.csum != XT_CSUM_OK) {
				bad++;
				xt_seg_print(&s);
			}
		}
		XT_CHECK(all > 100, "only %d segments left b's NIC", all);
		XT_CHECK(!bad, "%d of the %d segments that left b's NIC not finished", bad, all);
		XT_CHECK(xt_stat("b", "OutGsoPackets") > gso_b, "b sent no GSO packet");
		XT_CHECK(xt_stat("a", "OutGsoPackets") > gso_a, "a sent no GSO packet");
	}
	XT_CHECK(xt_stat_of("b", "InCsumErrors", "InCsumErrors") == errs_b &&
		 xt_stat_of("c", "InCsumErrors", "InCsumErrors") == errs_c,
		 "segments counted as checksum errors");
	xt_cap_stop(cap);
	close(lfd);
	free(buf);
	return 0;
}
