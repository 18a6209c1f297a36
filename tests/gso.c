// SPDX-License-Identifier: GPL-2.0
/*
 * GSO (module/offload.c): new full segments leave together, as one
 * packet of up to 64 KiB, and the stack cuts it up where the device
 * cannot carry it whole. Each part moves 2 MB a to b (the reader checks
 * every byte) while b's veth is captured:
 *
 *   whole  veth takes GSO packets whole: b sees data segments longer
 *          than the MSS (1460), and a's OutGsoPackets grows;
 *   off    with net.xtcp.gso 0 in a, no data segment is longer than
 *          the MSS and OutGsoPackets stays;
 *   cut    with veth-a's tx-gso-list and tx checksumming off (ethtool),
 *          a still builds GSO packets (OutGsoPackets grows), but the
 *          stack cuts each before the device with xtcp's callback: b
 *          sees no data segment longer than the MSS, every one with a
 *          whole, right checksum (the callback's, since the device
 *          finishes none), none counted in InCsumErrors, and their
 *          sequence numbers follow on, since the stream arrives intact;
 *   small  b announces an MSS of 200 (its route to a says advmss 200):
 *          GSO packets still go (b sees data segments longer than 200),
 *          but none holds more than 64 segments (XTCP_GSO_MAX_SEGS), as
 *          without the cap a 64 KiB packet would hold over 300;
 *   ipv4   veth-a's GSO size limit for IPv4 alone (gso_ipv4_max_size,
 *          6.3 on; set by rtnetlink, as Debian 12's ip cannot) lowered
 *          to IPV4_MAX, its gso_max_size (64 KiB) left as it was: GSO
 *          packets still go whole, none longer than that limit, most
 *          data segments at b longer than the MSS. Packets built to the
 *          64 KiB limit would pass only while slow start kept them
 *          small, and be cut up in software, to the MSS, after it.
 *
 * xtcp only: Linux TCP has no net.xtcp.gso, and cuts its own packets.
 */
#include <linux/rtnetlink.h>
#include <sys/utsname.h>

#include "wire.h"

#define MB	(1 << 20)
#define SMALL_MSS	200	/* the small part's MSS */
#define MAX_SEGS	64	/* XTCP_GSO_MAX_SEGS */
#define IPV4_MAX	16000	/* the ipv4 part's gso_ipv4_max_size */
#define GSO_IPV4_MAX_SIZE	63	/* IFLA_GSO_IPV4_MAX_SIZE, 6.3's uapi */

struct seen {
	int data;	/* data segments a to b */
	int longest;	/* the longest one's length */
	int longer;	/* of those, longer than the MSS */
	int bad_csum;	/* of those, with a checksum not whole and right */
};

/* Move @len bytes of @buf a to b over a fresh connection, b's veth captured. */
static struct seen run(unsigned short port, const char *buf, size_t len)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_pair p = xt_pair_open(port);
	struct seen seen = { 0 };
	int i;

	xt_xfer(p.cfd, p.sfd, buf, len, 120000);
	xt_msleep(100);
	pthread_mutex_lock(&cap->lock);
	for (i = 0; i < cap->n; i++) {
		const struct xt_seg *s = &cap->seg[i];

		if (s->dport != port || !s->len)
			continue;
		seen.data++;
		if (s->len > seen.longest)
			seen.longest = s->len;
		if (s->len > XT_MSS)
			seen.longer++;
		if (s->csum != XT_CSUM_OK)
			seen.bad_csum++;
	}
	pthread_mutex_unlock(&cap->lock);
	xt_cap_stop(cap);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	return seen;
}

/* Does the running kernel have gso_ipv4_max_size (6.3 and later)? */
static int has_gso_ipv4_max(void)
{
	struct utsname u;
	int major, minor;

	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		xt_fail("uname");
	return major > 6 || (major == 6 && minor >= 3);
}

/* Set @ifname's gso_ipv4_max_size in namespace @ns to @size, by rtnetlink. */
static void set_gso_ipv4_max(const char *ns, const char *ifname, unsigned int size)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
		struct rtattr rta;
		unsigned int size;
	} req = {
		.nh.nlmsg_len = sizeof(req),
		.nh.nlmsg_type = RTM_NEWLINK,
		.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.ifi.ifi_family = AF_UNSPEC,
		.rta.rta_type = GSO_IPV4_MAX_SIZE,
		.rta.rta_len = RTA_LENGTH(sizeof(unsigned int)),
		.size = size,
	};
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	int old, fd;

	old = xt_push_ns(ns);
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	req.ifi.ifi_index = if_nametoindex(ifname);
	xt_pop_ns(old);
	if (fd < 0 || !req.ifi.ifi_index)
		xt_fail("rtnetlink socket, or %s, in %s", ifname, ns);
	if (send(fd, &req, sizeof(req), 0) != sizeof(req) ||
	    recv(fd, &ack, sizeof(ack), 0) < (ssize_t)sizeof(ack))
		xt_fail("rtnetlink");
	if (ack.nh.nlmsg_type != NLMSG_ERROR)
		xt_fail("gso_ipv4_max_size %u on %s: no answer from rtnetlink", size, ifname);
	if (ack.err.error)
		xt_fail("gso_ipv4_max_size %u on %s: error %d", size, ifname, ack.err.error);
	close(fd);
}

int main(void)
{
	size_t len = 2 * MB;
	char *buf = xt_pattern(len);
	long gso, errs;
	struct seen s;

	if (xt_is_tcp()) {
		fprintf(stderr, "gso: xtcp's own GSO; Linux TCP has its own\n");
		return 77;
	}

	gso = xt_stat("a", "OutGsoPackets");
	s = run(XT_PORT, buf, len);
	printf("whole: %d data segments at b, the longest %d bytes; %ld GSO packets\n",
	       s.data, s.longest, xt_stat("a", "OutGsoPackets") - gso);
	XT_CHECK(s.longest > XT_MSS, "whole: no data segment at b longer than %d", XT_MSS);
	XT_CHECK(xt_stat("a", "OutGsoPackets") > gso, "whole: OutGsoPackets did not grow");

	xt_sysctl("a", "gso", 0);
	gso = xt_stat("a", "OutGsoPackets");
	s = run(XT_PORT + 1, buf, len);
	printf("off: %d data segments at b, the longest %d bytes\n", s.data, s.longest);
	XT_CHECK(s.longest <= XT_MSS, "off: a data segment of %d bytes at b", s.longest);
	XT_CHECK(xt_stat("a", "OutGsoPackets") == gso, "off: OutGsoPackets grew");
	xt_sysctl("a", "gso", 1);

	xt_sh("/sbin/ip netns exec a /sbin/ethtool -K veth-a tx-gso-list off tx off");
	gso = xt_stat("a", "OutGsoPackets");
	errs = xt_stat("b", "InCsumErrors");
	s = run(XT_PORT + 2, buf, len);
	printf("cut: %d data segments at b, the longest %d bytes, %d without a right checksum; ",
	       s.data, s.longest, s.bad_csum);
	printf("%ld GSO packets\n", xt_stat("a", "OutGsoPackets") - gso);
	XT_CHECK(xt_stat("a", "OutGsoPackets") > gso, "cut: OutGsoPackets did not grow");
	XT_CHECK(s.data > 0 && s.longest <= XT_MSS, "cut: a data segment of %d bytes at b",
		 s.longest);
	XT_CHECK(!s.bad_csum, "cut: %d data segments at b without a right checksum", s.bad_csum);
	XT_CHECK(xt_stat("b", "InCsumErrors") == errs, "cut: InCsumErrors grew");
	xt_sh("/sbin/ip netns exec a /sbin/ethtool -K veth-a tx-gso-list on tx on");

	xt_sh("/sbin/ip -n b route add " XT_A "/32 dev veth-b advmss %d", SMALL_MSS);
	s = run(XT_PORT + 3, buf, len / 8);
	printf("small: %d data segments at b, the longest %d bytes\n", s.data, s.longest);
	XT_CHECK(s.longest > SMALL_MSS, "small: no data segment at b longer than the MSS");
	XT_CHECK(s.longest <= MAX_SEGS * SMALL_MSS,
		 "small: a packet of %d bytes, more than %d segments", s.longest, MAX_SEGS);
	xt_sh("/sbin/ip -n b route del " XT_A "/32 dev veth-b");

	if (!has_gso_ipv4_max()) {
		printf("ipv4: no gso_ipv4_max_size before 6.3\n");
	} else {
		set_gso_ipv4_max("a", "veth-a", IPV4_MAX);
		gso = xt_stat("a", "OutGsoPackets");
		s = run(XT_PORT + 4, buf, len);
		printf("ipv4: %d data segments at b, %d longer than the MSS, ", s.data, s.longer);
		printf("the longest %d bytes; %ld GSO packets\n", s.longest,
		       xt_stat("a", "OutGsoPackets") - gso);
		XT_CHECK(s.longer * 2 > s.data && xt_stat("a", "OutGsoPackets") > gso,
			 "ipv4: %d of %d data segments at b longer than the MSS: packets cut up",
			 s.longer, s.data);
		XT_CHECK(s.longest <= IPV4_MAX,
			 "ipv4: a packet of %d bytes, past gso_ipv4_max_size %d", s.longest,
			 IPV4_MAX);
		set_gso_ipv4_max("a", "veth-a", 65536);
	}
	free(buf);
	return 0;
}
