// SPDX-License-Identifier: GPL-2.0
/*
 * The protocol's memory limits: with the limits (xtcp's "mem" module
 * parameter, TCP's net.ipv4.tcp_mem) set to a few pages, eight
 * connections whose readers read nothing are written to until their
 * writers would block. The memory the protocol holds, as
 * /proc/net/protocols tells it, must stay near the hard limit instead of
 * growing to eight full buffers (each socket keeps a minimum, so "near"
 * allows them that: see below), the protocol must have been under pressure, and
 * once the readers read, every stream arrives whole.
 */
#include "xtnet.h"

#define CONNS		8
#define HARD_PAGES	64	/* 256 KiB; eight buffers would take ~3 MiB */

static const char *mem_file(void)
{
	return xt_is_tcp() ? "/proc/sys/net/ipv4/tcp_mem" : "/sys/module/xtcp/parameters/mem";
}

static void mem_read(char *buf, size_t len)
{
	FILE *f = fopen(mem_file(), "r");

	XT_CHECK(f && fgets(buf, len, f), "read %s", mem_file());
	fclose(f);
}

static void mem_write(const char *val)
{
	FILE *f = fopen(mem_file(), "w");

	XT_CHECK(f && fputs(val, f) >= 0 && fclose(f) == 0, "write %s", mem_file());
}

/* The protocol's memory in pages and its pressure flag. */
static long proto_pages(int *pressure)
{
	const char *want = xt_is_tcp() ? "TCP " : "XTCP ";
	char line[512], press[8];
	long pages = -1;
	FILE *f = fopen("/proc/net/protocols", "r");

	XT_CHECK(f, "/proc/net/protocols");
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, want, strlen(want)))
			continue;
		/* protocol size sockets memory press ... */
		if (sscanf(line, "%*s %*d %*d %ld %7s", &pages, press) == 2)
			*pressure = !strcmp(press, "yes");
	}
	fclose(f);
	XT_CHECK(pages >= 0, "no %sline in /proc/net/protocols", want);
	return pages;
}

int main(void)
{
	static unsigned char buf[1 << 20], got[1 << 20];
	struct xt_pair p[CONNS];
	size_t sent[CONNS];
	char old[128], lim[64];
	long pages, most = 0;
	int i, pressure = 0, seen_pressure = 0;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = i * 13 + (i >> 10);
	mem_read(old, sizeof(old));
	/* A module parameter array is written with commas, a sysctl with spaces. */
	snprintf(lim, sizeof(lim), xt_is_tcp() ? "%d %d %d\n" : "%d,%d,%d\n", HARD_PAGES / 4,
		 HARD_PAGES / 2, HARD_PAGES);
	for (i = 0; i < CONNS; i++) {
		p[i] = xt_pair_open(XT_PORT + i);
		xt_nonblock(p[i].cfd, 1);
		sent[i] = 0;
	}
	mem_write(lim);

	/* Fill: write each until it would block, twice over. */
	for (int round = 0; round < 2; round++) {
		for (i = 0; i < CONNS; i++) {
			for (;;) {
				ssize_t n = send(p[i].cfd, buf + sent[i], sizeof(buf) - sent[i],
						 MSG_NOSIGNAL);

				if (n < 0 && errno == EAGAIN)
					break;
				XT_CHECK(n > 0, "send on connection %d", i);
				sent[i] += n;
				XT_CHECK(sent[i] < sizeof(buf), "1 MiB went into a reader that reads nothing");
			}
			pages = proto_pages(&pressure);
			most = pages > most ? pages : most;
			seen_pressure |= pressure;
		}
		xt_msleep(500);
	}
	pages = proto_pages(&pressure);
	most = pages > most ? pages : most;
	seen_pressure |= pressure;
	fprintf(stderr, "memory: at most %ld pages held (hard limit %d), pressure %s\n",
		most, HARD_PAGES, seen_pressure ? "seen" : "never");
	XT_CHECK(seen_pressure, "never under memory pressure");
	/*
	 * Each socket may go on past the limit while it holds less than
	 * its minimum (4 KiB each way), and an skb of a veth costs up to a
	 * few pages: Linux TCP holds about 260 pages here, where eight full
	 * buffers each way would be over 800.
	 */
	XT_CHECK(most <= HARD_PAGES + 40 * CONNS, "%ld pages held", most);

	/* The readers come back: everything arrives, the limits back as they were. */
	mem_write(old);
	for (i = 0; i < CONNS; i++) {
		xt_nonblock(p[i].cfd, 0);
		XT_CHECK(shutdown(p[i].cfd, SHUT_WR) == 0, "shutdown");
		xt_recv_all(p[i].sfd, got, sent[i], 30000);
		XT_CHECK(!memcmp(got, buf, sent[i]), "connection %d: the data differs", i);
		XT_CHECK(recv(p[i].sfd, got, 1, 0) == 0, "connection %d: no EOF", i);
		close(p[i].cfd);
		close(p[i].sfd);
		close(p[i].lfd);
	}
	return 0;
}
