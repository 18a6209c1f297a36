// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-dump: print the xtcp segments crossing an interface, one a line:
 *
 *   0.000000 192.0.2.1:40000 > 192.0.2.2:7 SYN seq=123 ack=0 win=64240 len=0 <mss 1460>
 *
 * Usage: xtcp-dump [-i IFACE] [-c COUNT] [-w SECONDS] [-p PROTO] [-o FILE [-q]]
 *
 * Reads every packet on IFACE (default: all) through an AF_PACKET
 * socket, in both directions, and decodes those of protocol PROTO
 * (default 253) as the TCP-layout header they carry. Stops after COUNT
 * segments or SECONDS without one, whichever comes first.
 *
 * -o FILE also writes those packets, whole, to FILE as a classic pcap
 * file that tcpdump, tshark and Wireshark read (link type RAW: the
 * packet socket gives IP packets without their link header); "-" is
 * stdout. -q leaves out the text lines.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xtcp.h>

static const char *const flag_names[] = {
	"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
};

static void print_flags(uint8_t flags)
{
	const char *sep = "";
	int i;

	/* The RFC's way of writing them: SYN-ACK, FIN-ACK, ... */
	for (i = 0; i < 8; i++) {
		if (flags & (1 << i)) {
			printf("%s%s", sep, flag_names[i]);
			sep = "-";
		}
	}
	if (!flags)
		printf("none");
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* SACK blocks as tcpdump prints them: <sack 2 {1000:2000}{3000:4000}> */
static void print_sack(const uint8_t *p, int n)
{
	int i;

	printf(" <sack %d ", n);
	for (i = 0; i < n; i++, p += 8)
		printf("{%u:%u}", be32(p), be32(p + 4));
	printf(">");
}

static void print_options(const uint8_t *p, int len)
{
	int i = 0;

	while (i < len) {
		uint8_t kind = p[i];
		uint8_t olen;

		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || p[i + 1] < 2 || i + p[i + 1] > len) {
			printf(" <bad options>");
			return;
		}
		olen = p[i + 1];
		if (kind == 2 && olen == 4)
			printf(" <mss %u>", p[i + 2] << 8 | p[i + 3]);
		else if (kind == 3 && olen == 3)
			printf(" <wscale %u>", p[i + 2]);
		else if (kind == 4 && olen == 2)
			printf(" <sackOK>");
		else if (kind == 5 && olen >= 10 && (olen - 2) % 8 == 0)
			print_sack(p + i + 2, (olen - 2) / 8);
		else if (kind == 8 && olen == 10)
			printf(" <ts val %u ecr %u>", be32(p + i + 2), be32(p + i + 6));
		else
			printf(" <opt %u len %u>", kind, olen);
		i += olen;
	}
}

/*
 * A classic pcap file: a 24-byte header, then each packet behind a
 * 16-byte record header, all in the writer's byte order (the magic
 * number tells the reader which). Microsecond timestamps, wall clock.
 */
#define PCAP_MAGIC		0xa1b2c3d4
#define PCAP_SNAPLEN		65535
#define LINKTYPE_RAW		101

struct pcap_file_header {
	uint32_t magic;
	uint16_t version_major;
	uint16_t version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_record_header {
	uint32_t ts_sec;
	uint32_t ts_usec;
	uint32_t incl_len;
	uint32_t orig_len;
};

static int pcap_open(FILE *f)
{
	struct pcap_file_header h = {
		.magic = PCAP_MAGIC,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = PCAP_SNAPLEN,
		.linktype = LINKTYPE_RAW,
	};

	if (fwrite(&h, sizeof(h), 1, f) != 1 || fflush(f))
		return -1;
	return 0;
}

/* Flushed at once: a dump killed midway still leaves a readable file. */
static int pcap_write(FILE *f, const uint8_t *pkt, int len)
{
	struct pcap_record_header r;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	r.ts_sec = ts.tv_sec;
	r.ts_usec = ts.tv_nsec / 1000;
	r.orig_len = len;
	r.incl_len = len < PCAP_SNAPLEN ? len : PCAP_SNAPLEN;
	if (fwrite(&r, sizeof(r), 1, f) != 1 ||
	    fwrite(pkt, r.incl_len, 1, f) != 1 || fflush(f))
		return -1;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One line for the segment behind the IP header @ip, of @len bytes. */
static void print_segment(const uint8_t *ip, int ihl, int len, double *start)
{
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	const uint8_t *th = ip + ihl;
	int doff = (th[12] >> 4) * 4;

	if (*start < 0)
		*start = now();
	inet_ntop(AF_INET, ip + 12, src, sizeof(src));
	inet_ntop(AF_INET, ip + 16, dst, sizeof(dst));
	printf("%.6f %s:%u > %s:%u ", now() - *start,
	       src, th[0] << 8 | th[1], dst, th[2] << 8 | th[3]);
	print_flags(th[13]);
	printf(" seq=%u ack=%u win=%u len=%d",
	       (uint32_t)th[4] << 24 | th[5] << 16 | th[6] << 8 | th[7],
	       (uint32_t)th[8] << 24 | th[9] << 16 | th[10] << 8 | th[11],
	       th[14] << 8 | th[15], len - doff);
	if (doff > 20 && doff <= len)
		print_options(th + 20, doff - 20);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *iface = NULL;
	long count = -1, wait_s = 10;
	unsigned int proto = XTCP_WIRE_PROTO;
	double start = -1;
	const char *out = NULL;
	bool quiet = false;
	FILE *pcap = NULL;
	uint8_t buf[65536];
	int fd, opt;

	while ((opt = getopt(argc, argv, "i:c:w:p:o:q")) != -1) {
		switch (opt) {
		case 'i': iface = optarg; break;
		case 'c': count = atol(optarg); break;
		case 'w': wait_s = atol(optarg); break;
		case 'p': proto = atoi(optarg); break;
		case 'o': out = optarg; break;
		case 'q': quiet = true; break;
		default:
			fprintf(stderr,
				"usage: %s [-i IFACE] [-c COUNT] [-w SECONDS] [-p PROTO] [-o FILE [-q]]\n",
				argv[0]);
			return 2;
		}
	}

	/* ETH_P_ALL: only such taps see outgoing packets too. */
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));
	if (fd < 0) {
		perror("socket(AF_PACKET)");
		return 1;
	}
	if (iface) {
		struct sockaddr_ll sll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_ALL),
			.sll_ifindex = if_nametoindex(iface),
		};

		if (!sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
			perror(iface);
			return 1;
		}
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Last: a test may take the pcap header for "capturing now". */
	if (out) {
		pcap = strcmp(out, "-") ? fopen(out, "w") : stdout;
		if (!pcap || pcap_open(pcap)) {
			perror(out);
			return 1;
		}
		/* The text lines must not mix into a pcap on stdout. */
		if (pcap == stdout)
			quiet = true;
	}

	while (count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		const uint8_t *ip = buf;
		int n, ihl, len;

		if (poll(&pfd, 1, wait_s * 1000) <= 0)
			break;
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);

		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (n < 20 || from.sll_protocol != htons(ETH_P_IP) ||
		    (ip[0] >> 4) != 4 || ip[9] != proto)
			continue;
		if (pcap && pcap_write(pcap, buf, n)) {
			perror(out);
			return 1;
		}
		ihl = (ip[0] & 15) * 4;
		len = (ip[2] << 8 | ip[3]) - ihl;
		if (len < 20 || ihl + len > n) {
			if (!quiet)
				printf("short segment (%d bytes)\n", len);
			continue;
		}
		if (!quiet)
			print_segment(ip, ihl, len, &start);
		if (count > 0)
			count--;
	}
	if (pcap && pcap != stdout && fclose(pcap)) {
		perror(out);
		return 1;
	}
	return 0;
}
