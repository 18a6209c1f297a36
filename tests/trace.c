// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-trace, the ladder of a connection (issue 5), checked line by line
 * against connections this test scripts itself. Times are masked but
 * must not go backwards; the rest of each line is exact.
 *
 *   - plain: the tool runs live (it enables the xtcp events, reads
 *     trace_pipe, and -s keeps the raw lines); a connects from port
 *     PLAIN_CPORT, sends "hello", closes; b reads to EOF and closes; a's
 *     TIME-WAIT (tw_timeout_ms=TW_MS) expires. With -n 1 the tool stops
 *     once that connection has ended, its ladder the one in plain[]: the
 *     three-way handshake, the data and its ACK, the two FINs, the
 *     states at the side where they change, TIME-WAIT's expiry TW_MS
 *     later (0.8 to 5 times that: the emulated guest is slow). After
 *     it, the events are off again as they were. -f on the saved lines
 *     prints the same ladder, and -p with another port prints nothing.
 *   - lost: netem drops everything a sends while a connects from
 *     LOST_CPORT (non-blocking), then stops dropping. The first SYN's
 *     arrow stops short ("lost"), a's retransmission timer line follows
 *     (0.8 to 2.5 s in), and the second SYN gets through; then the same
 *     close. (On the debug kernel tc may clear the path only after the
 *     first retransmission: each SYN lost after the first must then be
 *     its own "* retransmit #k" line and lost arrow; see one_loss().) Read with -f from a copy of tracefs's trace. With -a, the
 *     SYN's and SYN-ACK's seq are the ISNs seen on b's wire. Without the
 *     state changes in the trace, the retransmission is still placed in
 *     its connection (the tracepoint gives the four-tuple).
 *
 *   - synack: a SYN injected from a whose SYN-ACKs go nowhere (b's
 *     neighbour entry for a points at a MAC address nobody has): the
 *     listener's timer sends the SYN-ACK again, and the ladder, drawn
 *     from b's events alone, shows both SYN-ACKs and the timer line
 *     "* retransmit #1 seq=0 (timeout)" on b's side, 0.8 to 2.5 s in.
 *     A RST from a ends the request.
 *
 * xtcp only: the tracepoints are xtcp's (under XT_PROTO=6, skipped).
 */
#include <signal.h>
#include <sys/wait.h>

#include "wire.h"

#define PLAIN_CPORT 7101
#define LOST_CPORT 7102
#define SYNACK_CPORT 7103
#define NOBODY_MAC "02:00:00:00:00:01"
#define TW_MS 300
#define TRACING "/sys/kernel/tracing"
#define MAX_LINES 64
#define LOST_SYN "--- SYN seq=0 -------------------------------x  lost"

static const char *const plain[] = {
	"   time  client 192.0.2.1:7101                             server 192.0.2.2:5001",
	"  0.000  CLOSED                                                           LISTEN",
	"      T  SYN-SENT",
	"      T  --- SYN seq=0 -------------------------------------------------------->",
	"      T                                                             SYN-RECEIVED",
	"      T  <---------------------------------------------- SYN-ACK seq=0 ack=1 ---",
	"      T  ESTABLISHED",
	"      T  --- ACK seq=1 ack=1 -------------------------------------------------->",
	"      T                                                              ESTABLISHED",
	"      T  --- PSH-ACK seq=1 ack=1 len=5 ---------------------------------------->",
	"      T  <-------------------------------------------------- ACK seq=1 ack=6 ---",
	"      T  FIN-WAIT-1",
	"      T  --- FIN-ACK seq=6 ack=1 ---------------------------------------------->",
	"      T                                                               CLOSE-WAIT",
	"      T  <-------------------------------------------------- ACK seq=1 ack=7 ---",
	"      T  FIN-WAIT-2",
	"      T                                                                 LAST-ACK",
	"      T  <---------------------------------------------- FIN-ACK seq=1 ack=7 ---",
	"      T  TIME-WAIT",
	"      T  --- ACK seq=7 ack=2 -------------------------------------------------->",
	"      T                                                                   CLOSED",
	"      T  * TIME-WAIT timer expires",
	"      T  CLOSED",
	"",
	NULL
};

static const char *const lost[] = {
	"   time  client 192.0.2.1:7102                             server 192.0.2.2:5002",
	"  0.000  CLOSED                                                           LISTEN",
	"      T  SYN-SENT",
	"      T  " LOST_SYN,
	"      T  * retransmit #1 seq=0 (timeout)",
	"      T  --- SYN seq=0 -------------------------------------------------------->",
	"      T                                                             SYN-RECEIVED",
	"      T  <---------------------------------------------- SYN-ACK seq=0 ack=1 ---",
	"      T  ESTABLISHED",
	"      T  --- ACK seq=1 ack=1 -------------------------------------------------->",
	"      T                                                              ESTABLISHED",
	"      T  --- PSH-ACK seq=1 ack=1 len=5 ---------------------------------------->",
	"      T  <-------------------------------------------------- ACK seq=1 ack=6 ---",
	"      T  FIN-WAIT-1",
	"      T  --- FIN-ACK seq=6 ack=1 ---------------------------------------------->",
	"      T                                                               CLOSE-WAIT",
	"      T  <-------------------------------------------------- ACK seq=1 ack=7 ---",
	"      T  FIN-WAIT-2",
	"      T                                                                 LAST-ACK",
	"      T  <---------------------------------------------- FIN-ACK seq=1 ack=7 ---",
	"      T  TIME-WAIT",
	"      T  --- ACK seq=7 ack=2 -------------------------------------------------->",
	"      T                                                                   CLOSED",
	"      T  * TIME-WAIT timer expires",
	"      T  CLOSED",
	"",
	NULL
};

struct ladder {
	int n;
	char *line[MAX_LINES];
	double t[MAX_LINES];	/* -1 where there is none */
};

static void read_ladder(const char *path, struct ladder *l)
{
	FILE *f = fopen(path, "r");
	char buf[256];

	XT_CHECK(f, "open %s", path);
	l->n = 0;
	while (fgets(buf, sizeof(buf), f) && l->n < MAX_LINES) {
		buf[strcspn(buf, "\n")] = 0;
		l->t[l->n] = -1;
		if (strlen(buf) >= 9 && buf[3] == '.' && buf[7] == ' ')
			l->t[l->n] = atof(buf);
		l->line[l->n++] = strdup(buf);
	}
	fclose(f);
}

static void dump(const char *what, const struct ladder *l, const char *const *want)
{
	int i;

	fprintf(stderr, "--- %s: got\n", what);
	for (i = 0; i < l->n; i++)
		fprintf(stderr, "%s\n", l->line[i]);
	fprintf(stderr, "--- wanted\n");
	for (i = 0; want[i]; i++)
		fprintf(stderr, "%s\n", want[i]);
}

/* Line i of l after its time, or "" for a line with none. */
static const char *body(const struct ladder *l, int i)
{
	return strlen(l->line[i]) > 9 ? l->line[i] + 9 : "";
}

/* The line of l that starts with "T" followed by text, or -1. */
static int find(const struct ladder *l, const char *text)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(body(l, i), text))
			return i;
	return -1;
}

/* l must be want, "      T" standing for any time; times never go back. */
static void check_ladder(const char *what, const struct ladder *l, const char *const *want)
{
	double last = 0;
	int i;

	for (i = 0; want[i] && i < l->n; i++) {
		const char *g = l->line[i], *w = want[i];
		int ok;

		if (!strncmp(w, "      T  ", 9))
			ok = l->t[i] >= 0 && !strcmp(g + 9, w + 9);
		else
			ok = !strcmp(g, w);
		if (!ok) {
			dump(what, l, want);
			xt_fail("%s: line %d is\n%s\nwanted\n%s", what, i + 1, g, w);
		}
		if (l->t[i] >= 0) {
			if (l->t[i] < last) {
				dump(what, l, want);
				xt_fail("%s: line %d goes back in time", what, i + 1);
			}
			last = l->t[i];
		}
	}
	if (want[i] || i != l->n) {
		dump(what, l, want);
		xt_fail("%s: %d lines, wanted %d", what, l->n, i);
	}
}

static void check_same(const char *a, const char *b)
{
	struct ladder x, y;
	int i;

	read_ladder(a, &x);
	read_ladder(b, &y);
	XT_CHECK(x.n == y.n, "%s has %d lines, %s %d", a, x.n, b, y.n);
	for (i = 0; i < x.n; i++)
		XT_CHECK(!strcmp(x.line[i], y.line[i]), "%s and %s differ at line %d:\n%s\n%s",
			 a, b, i + 1, x.line[i], y.line[i]);
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	XT_CHECK(fd >= 0 && write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write %s", path);
	close(fd);
}

static char read_enable(void)
{
	char c = '?';
	int fd = open(TRACING "/events/xtcp/enable", O_RDONLY);

	XT_CHECK(fd >= 0 && read(fd, &c, 1) == 1, "read events/xtcp/enable");
	close(fd);
	return c;
}

/* hello from a, then a closes, b reads EOF and closes, a's TIME-WAIT ends. */
static void converse(struct xt_pair *p)
{
	char buf[8];

	xt_send_all(p->cfd, "hello", 5);
	xt_recv_all(p->sfd, buf, 5, 3000);
	xt_msleep(200);			/* its ACK back, delayed or not */
	close(p->cfd);
	XT_CHECK(xt_wait_readable(p->sfd, 3000) && recv(p->sfd, buf, sizeof(buf), 0) == 0,
		 "no EOF at b");
	xt_msleep(100);			/* a in FIN-WAIT-2 */
	close(p->sfd);
	close(p->lfd);
	XT_CHECK(xt_until_free("a", p->cport, 5) >= 0, "a's TIME-WAIT did not end");
}

static void plain_case(void)
{
	struct xt_pair p;
	struct ladder l;
	double t0;
	int status, tw, end;
	pid_t pid;

	XT_CHECK(read_enable() == '0', "xtcp events on before the test");
	pid = fork();
	XT_CHECK(pid >= 0, "fork");
	if (!pid) {
		int fd = open("/tmp/trace-plain.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		execlp("xtcp-trace", "xtcp-trace", "-p", "7101", "-n", "1", "-w", "30",
		       "-s", "/tmp/trace-plain.raw", (char *)NULL);
		_exit(127);
	}
	t0 = xt_now();
	while (read_enable() != '1') {
		XT_CHECK(xt_now() - t0 < 10, "xtcp-trace did not enable the events");
		xt_msleep(10);
	}
	p = xt_pair_from(PLAIN_CPORT, 0, XT_PORT);
	converse(&p);
	XT_CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	XT_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "xtcp-trace: status 0x%x",
		 status);
	XT_CHECK(xt_now() - t0 < 25, "xtcp-trace did not stop when the connection ended");
	XT_CHECK(read_enable() == '0', "xtcp-trace left the events on");

	read_ladder("/tmp/trace-plain.out", &l);
	check_ladder("plain (live)", &l, plain);
	tw = find(&l, "TIME-WAIT");
	end = l.n - 2;
	XT_CHECK(l.t[end] - l.t[tw] > 0.8 * TW_MS / 1000 && l.t[end] - l.t[tw] < 5.0 * TW_MS / 1000,
		 "TIME-WAIT from %.3f to %.3f, wanted %d ms", l.t[tw], l.t[end], TW_MS);

	xt_sh("xtcp-trace -p 7101 -f /tmp/trace-plain.raw >/tmp/trace-plain.f");
	check_same("/tmp/trace-plain.out", "/tmp/trace-plain.f");
	xt_sh("xtcp-trace -p 7102 -f /tmp/trace-plain.raw >/tmp/trace-none.f");
	read_ladder("/tmp/trace-none.f", &l);
	XT_CHECK(l.n == 0, "-p 7102 printed %d lines", l.n);
}

/*
 * netem goes on dropping until tc has taken it away, which on the debug
 * kernel may be after the first retransmission: each SYN dropped after
 * the first is a "* retransmit #k" line and a lost arrow, k counting
 * up. Check those and take them out of l, leaving the ladder of a single
 * loss. Return: how many SYNs were lost.
 */
static int one_loss(struct ladder *l)
{
	char rt[64];
	int i, k = 1;

	for (i = 0; i < l->n && strcmp(body(l, i), LOST_SYN); i++)
		;
	for (;;) {
		snprintf(rt, sizeof(rt), "* retransmit #%d seq=0 (timeout)", k);
		if (i + 2 >= l->n || strcmp(body(l, i + 1), rt) ||
		    strcmp(body(l, i + 2), LOST_SYN))
			break;
		memmove(&l->line[i + 1], &l->line[i + 3], (l->n - i - 3) * sizeof(l->line[0]));
		memmove(&l->t[i + 1], &l->t[i + 3], (l->n - i - 3) * sizeof(l->t[0]));
		l->n -= 2;
		k++;
	}
	if (k > 1 && i + 1 < l->n && !strcmp(body(l, i + 1), rt))
		strcpy(l->line[i + 1] + 9, "* retransmit #1 seq=0 (timeout)");
	return k;
}

static void lost_case(void)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_seg syn, synack;
	struct xt_pair p = { .port = XT_PORT + 1, .cport = LOST_CPORT };
	struct pollfd pfd;
	struct ladder l;
	char want[2][128];
	int i, pos = 0, rt;

	write_str(TRACING "/trace", "");
	write_str(TRACING "/events/xtcp/enable", "1");
	p.lfd = xt_listen_in("b", p.port, 4);
	p.cfd = xt_socket_in("a");
	xt_bind(p.cfd, XT_A, LOST_CPORT);
	xt_nonblock(p.cfd, 1);
	xt_netem("a", "loss 100%");
	XT_ERRNO(xt_connect(p.cfd, XT_B, p.port), EINPROGRESS);
	xt_msleep(300);
	xt_netem_off("a");
	pfd = (struct pollfd){ .fd = p.cfd, .events = POLLOUT };
	XT_CHECK(poll(&pfd, 1, 5000) == 1 && (pfd.revents & POLLOUT) && !xt_so_error(p.cfd),
		 "connect did not complete after the path cleared");
	xt_nonblock(p.cfd, 0);
	p.sfd = xt_accept_wait(p.lfd, 3000);
	XT_CHECK(p.sfd >= 0, "accept");
	converse(&p);
	xt_msleep(100);
	write_str(TRACING "/events/xtcp/enable", "0");
	xt_sh("cat " TRACING "/trace >/tmp/trace-lost.raw");

	xt_sh("xtcp-trace -p 7102 -f /tmp/trace-lost.raw >/tmp/trace-lost.out");
	read_ladder("/tmp/trace-lost.out", &l);
	rt = find(&l, "* retransmit #1 seq=0 (timeout)");
	XT_CHECK(rt >= 0, "no retransmission line");
	XT_CHECK(l.t[rt] > 0.8 && l.t[rt] < 2.5, "retransmission at %.3f s, wanted 1", l.t[rt]);
	fprintf(stderr, "%d SYNs lost\n", one_loss(&l));
	check_ladder("lost", &l, lost);
	/* xtcp_retransmit names its connection itself, not only its sk */
	xt_sh("grep -v xtcp_set_state /tmp/trace-lost.raw | xtcp-trace -p 7102 -f - "
	      ">/tmp/trace-lost.nostate");
	read_ladder("/tmp/trace-lost.nostate", &l);
	XT_CHECK(find(&l, "* retransmit #1 seq=0 (timeout)") >= 0,
		 "without the state changes, no retransmission line");

	/* -a: the ISNs as on the wire */
	XT_WIRE(cap, xt_cap_next(cap, &pos, LOST_CPORT, p.port, XT_SYN | XT_ACK, XT_SYN, 2000,
				 &syn), "no SYN on b's wire");
	XT_WIRE(cap, xt_cap_next(cap, &pos, p.port, LOST_CPORT, XT_SYN | XT_ACK,
				 XT_SYN | XT_ACK, 2000, &synack), "no SYN-ACK on b's wire");
	xt_sh("xtcp-trace -a -p 7102 -f /tmp/trace-lost.raw >/tmp/trace-lost.a");
	read_ladder("/tmp/trace-lost.a", &l);
	snprintf(want[0], sizeof(want[0]), "--- SYN seq=%u -", syn.seq);
	snprintf(want[1], sizeof(want[1]), "SYN-ACK seq=%u ack=%u ---", synack.seq, syn.seq + 1);
	for (i = 0; i < 2; i++) {
		int j, found = 0;

		for (j = 0; j < l.n; j++)
			found |= !!strstr(l.line[j], want[i]);
		XT_CHECK(found, "-a: no line with \"%s\"", want[i]);
	}
	xt_cap_stop(cap);
}

static void synack_case(void)
{
	static const char rt[] = "* retransmit #1 seq=0 (timeout)";
	struct xt_hdr h = {
		.sport = SYNACK_CPORT, .dport = XT_PORT + 2, .seq = 1000,
		.flags = XT_SYN, .mss = 1460,
	};
	int lfd = xt_listen_in("b", XT_PORT + 2, 4), i, at = -1, synacks = 0;
	struct ladder l;
	char mac[32];

	xt_arp_set("b", XT_A, NOBODY_MAC);
	write_str(TRACING "/trace", "");
	write_str(TRACING "/events/xtcp/enable", "1");
	xt_inject("a", XT_B, &h);
	xt_msleep(1600);
	h.flags = XT_RST;
	h.seq = 1001;
	xt_inject("a", XT_B, &h);
	xt_msleep(100);
	write_str(TRACING "/events/xtcp/enable", "0");
	xt_sh("cat " TRACING "/trace >/tmp/trace-synack.raw");
	xt_hwaddr("a", mac, sizeof(mac));
	xt_arp_set("b", XT_A, mac);
	close(lfd);

	xt_sh("xtcp-trace -p 7103 -f /tmp/trace-synack.raw >/tmp/trace-synack.out");
	read_ladder("/tmp/trace-synack.out", &l);
	for (i = 0; i < l.n; i++) {
		size_t len = strlen(l.line[i]);

		synacks += !!strstr(l.line[i], "SYN-ACK seq=0 ack=1 ---");
		/* On b's side: right-aligned, at the line's end. */
		if (len > 40 && !strcmp(l.line[i] + len - strlen(rt), rt) &&
		    l.line[i][9] == ' ')
			at = i;
	}
	if (at < 0 || synacks != 2) {
		dump("synack", &l, (const char *const[]){ NULL });
		xt_fail("no SYN-ACK timer line on b's side, or %d SYN-ACKs, not 2", synacks);
	}
	XT_CHECK(l.t[at] > 0.8 && l.t[at] < 2.5, "SYN-ACK again at %.3f s, wanted 1", l.t[at]);
}

int main(void)
{
	if (xt_is_tcp()) {
		fprintf(stderr, "skipped under TCP: the tracepoints are xtcp's\n");
		return 77;
	}
	if (access(TRACING "/events/xtcp/enable", W_OK)) {
		fprintf(stderr, "no tracefs with xtcp events\n");
		return 77;
	}
	xt_sysctl("a", "tw_timeout_ms", TW_MS);
	xt_sysctl("b", "tw_timeout_ms", TW_MS);
	plain_case();
	lost_case();
	synack_case();
	return 0;
}
