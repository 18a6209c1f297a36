// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp, the socket table (issue 5), read in each namespace and
 * held to exactly the lines expected, field by field, in the format of
 * /proc/net/tcp (under XT_PROTO=6 this test reads /proc/net/tcp itself,
 * the reference). Addresses are the raw __be32 in hex, ports in host
 * order; the time left on a timer is in clock ticks (USER_HZ, 100).
 * The timeout column counts zero-window and keepalive probes
 * unanswered, for either protocol; here it is not checked (keepalive.c
 * checks it). What TCP prints after the inode is not read.
 *
 *   - with nothing open, both namespaces show the header alone;
 *   - MANY listeners in b, more lines than fit the first buffer: all of
 *     them, numbered in order;
 *   - a listener in b, made by uid OWNER: state 0A, its owner, its inode;
 *     a sees nothing of it;
 *   - a SYN injected from a whose SYN-ACKs go nowhere (b's neighbour
 *     entry for a points at a MAC address nobody has): a request, state
 *     03, timer 1 due within 1 s, no retransmission, the listener's
 *     owner, inode 0; after the first SYN-ACK again, 1 retransmission
 *     and due within 2 s. An exact RST ends it and its line;
 *   - a connection from a: before accept() the listener's rx_queue is 1
 *     (its accept queue, as TCP prints it) and the child has inode 0;
 *     after, the child has its socket's inode and the listener 0;
 *   - 1000 bytes a->b not read: b's rx_queue 1000, a's tx_queue 0 once
 *     ACKed, no timer either side;
 *   - b not reading at all (64 KB buffers, a writing until it blocks):
 *     a's line shows the zero-window probe timer (4), its tx_queue is
 *     SIOCOUTQ and b's rx_queue SIOCINQ (read either side of the table,
 *     which must agree); drained, both go back to 0;
 *   - a closes first: a's line becomes a TIME-WAIT entry, state 06, timer
 *     3 due within the TIME-WAIT's length (tw_timeout_ms=TW_MS; under TCP
 *     a fixed 60 s), uid 0, inode 0; b's connection line goes;
 *   - the listener closed, b's table is empty again; and (xtcp only: TCP's
 *     TIME-WAIT lasts 60 s) a's once its TIME-WAIT is over.
 *
 * All the while after the listener is made, a second thread reads both tables in a loop,
 * so that reads meet sockets, requests and TIME-WAIT entries coming and
 * going (the debug kernel's lockdep and KASAN watch).
 */
#include <sys/stat.h>

#include "xtapi.h"
#include "wire.h"

#define FAKE_PORT 40003
#define ISN 1000
#define NOBODY_MAC "02:00:00:00:00:01"
#define OWNER 1234		/* the listener's uid */
#define TW_MS 4000
#define BUF 65536
#define ANY -1L
#define MAX_LINES 128
#define MANY 80			/* listeners: more lines than a page holds */
#define MANY_PORT 6000

#define HEADER "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when " \
	"retrnsmt   uid  timeout inode"

struct line {
	unsigned int sl, laddr, lport, raddr, rport, st, tx, rx, tr, retr, uid;
	unsigned long when, inode;
	int timeout;
};

/*
 * A line wanted: its four-tuple (rip NULL: 0.0.0.0:0) and state, and the
 * rest, 0 unless given; ANY matches anything, when lies in [when_min,
 * when_max].
 */
struct want {
	const char *what;
	const char *lip;
	long lport;
	const char *rip;
	long rport;
	long st, tx, rx, tr, when_min, when_max, retr, uid, inode;
};

static const char *table_file(void)
{
	return xt_is_tcp() ? "/proc/thread-self/net/tcp" : "/proc/thread-self/net/xtcp";
}

static unsigned int hexaddr(const char *ip)
{
	struct sockaddr_in sin = xt_addr(ip ? ip : "0.0.0.0", 0);

	return sin.sin_addr.s_addr;
}

/* The table as namespace ns reads it; the header checked. Return: lines. */
static int table_read(const char *ns, struct line *l, int max)
{
	int old = xt_push_ns(ns), n = 0;
	FILE *f = fopen(table_file(), "r");
	char buf[512];
	size_t len;

	xt_pop_ns(old);
	if (!f)
		xt_fail("open %s in %s", table_file(), ns);
	if (!fgets(buf, sizeof(buf), f))
		xt_fail("%s in %s is empty", table_file(), ns);
	len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	XT_CHECK(!strcmp(buf, HEADER), "header \"%s\"", buf);
	while (fgets(buf, sizeof(buf), f)) {
		struct line *p = &l[n];

		XT_CHECK(n < max, "more than %d lines", max);
		if (sscanf(buf, " %u: %X:%X %X:%X %X %X:%X %X:%lX %X %u %d %lu", &p->sl,
			   &p->laddr, &p->lport, &p->raddr, &p->rport, &p->st, &p->tx, &p->rx,
			   &p->tr, &p->when, &p->retr, &p->uid, &p->timeout, &p->inode) != 14)
			xt_fail("cannot parse \"%s\" in %s", buf, ns);
		n++;
	}
	fclose(f);
	return n;
}

static void table_print(const char *ns, const struct line *l, int n)
{
	int i;

	fprintf(stderr, "%s's table, %d lines:\n", ns, n);
	for (i = 0; i < n; i++)
		fprintf(stderr, "  %u: %08X:%04X %08X:%04X st %02X tx %u rx %u tr %u when %lu "
			"retr %u uid %u timeout %d inode %lu\n", l[i].sl, l[i].laddr, l[i].lport, l[i].raddr, l[i].rport, l[i].st,
			l[i].tx, l[i].rx, l[i].tr, l[i].when, l[i].retr, l[i].uid,
			l[i].timeout, l[i].inode);
}

static int field_ok(long want, unsigned long got)
{
	return want == ANY || (unsigned long)want == got;
}

/*
 * Does the table hold exactly the lines wanted? If not, why into why.
 * found[i] gets the line that matched w[i].
 */
static int table_match(const struct line *l, int n, const struct want *w, int nw,
		       const struct line **found, char *why, size_t len)
{
	int i, j, hits;

	for (i = 0; i < n; i++) {
		if (l[i].sl != (unsigned int)i) {
			snprintf(why, len, "line %d is numbered %u", i, l[i].sl);
			return 0;
		}
	}
	for (i = 0; i < nw; i++) {
		const struct want *x = &w[i];
		const struct line *p = NULL;

		for (j = 0, hits = 0; j < n; j++) {
			if (l[j].laddr == hexaddr(x->lip) && l[j].lport == x->lport &&
			    l[j].raddr == hexaddr(x->rip) && l[j].rport == x->rport &&
			    l[j].st == x->st) {
				p = &l[j];
				hits++;
			}
		}
		if (hits != 1) {
			snprintf(why, len, "%d lines for the %s", hits, x->what);
			return 0;
		}
		if (!field_ok(x->tx, p->tx) || !field_ok(x->rx, p->rx) ||
		    !field_ok(x->tr, p->tr) || !field_ok(x->retr, p->retr) ||
		    !field_ok(x->uid, p->uid) || !field_ok(x->inode, p->inode) ||
		    p->when < (unsigned long)x->when_min ||
		    (x->when_max != ANY && p->when > (unsigned long)x->when_max)) {
			snprintf(why, len, "the %s's line (sl %u) is not as wanted: tx %ld rx %ld "
				 "tr %ld when %ld..%ld retr %ld uid %ld inode %ld", x->what, p->sl, x->tx, x->rx, x->tr, x->when_min, x->when_max,
				 x->retr, x->uid, x->inode);
			return 0;
		}
		found[i] = p;
	}
	if (n != nw) {
		snprintf(why, len, "%d lines, wanted %d", n, nw);
		return 0;
	}
	return 1;
}

/*
 * Wait up to ms for namespace ns's table to be exactly w (a change on
 * the wire may still be on its way); fail with the table if it is not.
 * out, if given, gets the lines that matched, in w's order.
 */
static void expect(const char *ns, const struct want *w, int nw, int ms, struct line *out)
{
	double end = xt_now() + ms / 1000.0;
	const struct line *found[MAX_LINES];
	struct line l[MAX_LINES];
	char why[512];
	int n, i;

	for (;;) {
		n = table_read(ns, l, MAX_LINES);
		if (table_match(l, n, w, nw, found, why, sizeof(why)))
			break;
		if (xt_now() > end) {
			table_print(ns, l, n);
			xt_fail("%s in %s: %s", table_file(), ns, why);
		}
		xt_msleep(20);
	}
	for (i = 0; out && i < nw; i++)
		out[i] = *found[i];
}

static long inode_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		xt_fail("fstat");
	return st.st_ino;
}

/* The listener in b, its socket made by uid OWNER. */
static int owned_listener(void)
{
	int old = xt_push_ns("b"), fd, v = BUF;

	if (seteuid(OWNER) < 0)
		xt_fail("seteuid %d", OWNER);
	fd = socket(AF_INET, SOCK_STREAM, xt_proto());
	if (seteuid(0) < 0)
		xt_fail("seteuid 0");
	xt_pop_ns(old);
	if (fd < 0)
		xt_fail("socket as uid %d", OWNER);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)) < 0)
		xt_fail("SO_RCVBUF");
	xt_reuseaddr(fd);
	xt_bind(fd, XT_B, XT_PORT);
	if (listen(fd, 16) < 0)
		xt_fail("listen");
	return fd;
}

/*
 * Read ioctl req on fd either side of a table read in ns until both agree
 * (a probe may move a byte meanwhile); the line of w (the only one
 * wanted) must show it in its tx_queue (tx) or rx_queue.
 */
static void queue_is_ioctl(const char *ns, int fd, unsigned long req, int tx,
			   const struct want *w, int nw, int idx)
{
	struct line got[MAX_LINES];
	int i, before, after, shown;

	for (i = 0; i < 50; i++) {
		before = xt_ioctl_int(fd, req);
		expect(ns, w, nw, 3000, got);
		after = xt_ioctl_int(fd, req);
		if (before != after)
			continue;
		shown = tx ? (int)got[idx].tx : (int)got[idx].rx;
		XT_CHECK(shown == before, "%s of the %s is %d, the ioctl says %d",
			 tx ? "tx_queue" : "rx_queue", w[idx].what, shown, before);
		XT_CHECK(before > 1000, "%d bytes queued: no zero window", before);
		return;
	}
	xt_fail("the %s's queue never stood still", w[idx].what);
}

/*
 * MANY listeners in b at once: the table outgrows the first buffer
 * seq_file gives it, and must still list every one.
 */
static void many(void)
{
	static struct want w[MANY];
	int fd[MANY], i;

	for (i = 0; i < MANY; i++) {
		fd[i] = xt_listen_in("b", MANY_PORT + i, 4);
		w[i] = (struct want){ "listener", XT_B, MANY_PORT + i, NULL, 0,
				      .st = XTCP_LISTEN, .inode = inode_of(fd[i]) };
	}
	expect("b", w, MANY, 0, NULL);
	expect("a", NULL, 0, 0, NULL);
	for (i = 0; i < MANY; i++)
		close(fd[i]);
	expect("b", NULL, 0, 0, NULL);
}

/*
 * Another thread reads both tables over and over while the rest of the
 * test opens and closes what they list, until stop is set.
 */
static volatile int stop;

static void *reader(void *arg)
{
	struct line l[MAX_LINES];
	long *reads = arg;

	while (!stop) {
		table_read("a", l, MAX_LINES);
		table_read("b", l, MAX_LINES);
		(*reads)++;
	}
	return NULL;
}

int main(void)
{
	int has_knob, lfd, cfd, sfd, v = BUF;
	long tw_ticks, lino;
	unsigned short cport;
	struct xt_hdr syn = {
		.sport = FAKE_PORT, .dport = XT_PORT, .seq = ISN, .flags = XT_SYN, .mss = 1460,
	};
	struct xt_hdr rst = {
		.sport = FAKE_PORT, .dport = XT_PORT, .seq = ISN + 1, .flags = XT_RST,
	};
	struct want lst, req, child, cli, tw;
	struct want wb[3];
	char mac[24], buf[1000] = { 0 };
	long reads = 0;
	pthread_t rt;
	size_t sent;

	XT_CHECK(sysconf(_SC_CLK_TCK) == 100, "USER_HZ is %ld", sysconf(_SC_CLK_TCK));
	has_knob = xt_sysctl("a", "tw_timeout_ms", TW_MS) == 0;
	tw_ticks = has_knob ? TW_MS / 10 : 6000;
	xt_static_neigh();

	expect("a", NULL, 0, 0, NULL);
	expect("b", NULL, 0, 0, NULL);
	many();

	/* The listener: b sees it, a does not. */
	lfd = owned_listener();
	/* Not before: seteuid() is every thread's, and setns() fails as OWNER. */
	if (pthread_create(&rt, NULL, reader, &reads))
		xt_fail("pthread_create");
	lino = inode_of(lfd);
	lst = (struct want){ "listener", XT_B, XT_PORT, NULL, 0, .st = XTCP_LISTEN,
			     .uid = OWNER, .inode = lino };
	expect("b", &lst, 1, 0, NULL);
	expect("a", NULL, 0, 0, NULL);

	/* A request whose SYN-ACKs nobody hears. */
	xt_arp_set("b", XT_A, NOBODY_MAC);
	xt_inject("a", XT_B, &syn);
	req = (struct want){ "request", XT_B, XT_PORT, XT_A, FAKE_PORT, .st = XTCP_SYN_RECV,
			     .tr = 1, .when_min = 1, .when_max = 100, .uid = OWNER };
	wb[0] = lst;
	wb[1] = req;
	expect("b", wb, 2, 2000, NULL);
	expect("a", NULL, 0, 0, NULL);
	wb[1].retr = 1;
	wb[1].when_max = 200;
	expect("b", wb, 2, 3000, NULL);
	xt_inject("a", XT_B, &rst);
	expect("b", &lst, 1, 2000, NULL);
	xt_hwaddr("a", mac, sizeof(mac));
	xt_arp_set("b", XT_A, mac);

	/* A connection, on the accept queue, then accepted. */
	cfd = xt_socket_in("a");
	if (setsockopt(cfd, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0)
		xt_fail("SO_SNDBUF");
	XT_CHECK(xt_connect(cfd, XT_B, XT_PORT) == 0, "connect");
	cport = xt_local_port(cfd);
	cli = (struct want){ "client", XT_A, cport, XT_B, XT_PORT, .st = XTCP_ESTABLISHED,
			     .inode = inode_of(cfd) };
	child = (struct want){ "accepted connection", XT_B, XT_PORT, XT_A, cport,
			       .st = XTCP_ESTABLISHED };
	wb[0] = lst;
	wb[0].rx = 1;
	wb[1] = child;
	expect("b", wb, 2, 2000, NULL);
	expect("a", &cli, 1, 2000, NULL);
	sfd = xt_accept_wait(lfd, 2000);
	XT_CHECK(sfd >= 0, "accept");
	child.inode = inode_of(sfd);
	wb[0] = lst;
	wb[1] = child;
	expect("b", wb, 2, 0, NULL);

	/* Data received, not read. */
	xt_send_all(cfd, buf, sizeof(buf));
	wb[1].rx = sizeof(buf);
	expect("b", wb, 2, 2000, NULL);
	expect("a", &cli, 1, 2000, NULL);

	/* A zero window: a probes, with data waiting. */
	sent = xt_fill(cfd);
	cli.tx = ANY;
	cli.tr = 4;
	cli.when_max = ANY;
	cli.retr = ANY;
	expect("a", &cli, 1, 5000, NULL);
	queue_is_ioctl("a", cfd, SIOCOUTQ, 1, &cli, 1, 0);
	wb[1].rx = ANY;
	queue_is_ioctl("b", sfd, SIOCINQ, 0, wb, 2, 1);
	xt_drain(sfd, sizeof(buf) + sent, 20000);
	cli.tx = 0;
	cli.tr = 0;
	cli.when_max = 0;
	cli.retr = 0;
	wb[1].rx = 0;
	expect("a", &cli, 1, 5000, NULL);
	expect("b", wb, 2, 5000, NULL);

	/* a closes first: its TIME-WAIT entry. */
	close(cfd);
	XT_CHECK(xt_wait_readable(sfd, 2000) && recv(sfd, buf, sizeof(buf), 0) == 0, "no EOF");
	close(sfd);
	tw = (struct want){ "TIME-WAIT entry", XT_A, cport, XT_B, XT_PORT, .st = XTCP_TIME_WAIT,
			    .tr = 3, .when_min = tw_ticks - 300, .when_max = tw_ticks };
	expect("a", &tw, 1, 2000, NULL);
	expect("b", &lst, 1, 2000, NULL);

	/* Closed, gone. */
	close(lfd);
	expect("b", NULL, 0, 0, NULL);
	if (has_knob)
		expect("a", NULL, 0, TW_MS + 2000, NULL);
	else
		fprintf(stderr, "skipped under TCP: the TIME-WAIT entry's end (60 s)\n");
	stop = 1;
	pthread_join(rt, NULL);
	XT_CHECK(reads > 0, "the second reader never finished a read");
	return 0;
}
