// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-trace: each xtcp connection as a ladder diagram, from the
 * module's tracepoints (system xtcp in tracefs).
 *
 *   xtcp-trace [-a] [-v] [-p PORT] [-A ADDR] [-w SECS] [-n COUNT] [-s FILE]
 *   xtcp-trace [-a] [-v] [-p PORT] [-A ADDR] -f FILE
 *
 * Without -f it enables the xtcp events (and disables them again at the
 * end if they were off), reads trace_pipe from /sys/kernel/tracing (or
 * /sys/kernel/debug/tracing) and prints each connection once it has
 * ended: every side that had a state is CLOSED again, a TIME-WAIT when
 * its timer expired. It stops after -w SECS, after -n COUNT ladders, or
 * on SIGINT/SIGTERM, and then prints what has not ended yet. -s FILE
 * keeps the raw trace lines read, for -f later. With -f it reads the
 * text of a saved trace (a copy of tracefs's "trace"; "-" is stdin) and
 * prints every connection in it.
 *
 *   -a       absolute sequence numbers (default: relative to each side's
 *            initial sequence number, so the first SYN is seq=0)
 *   -v       also the cause of each state change (when the kernel's
 *            tracepoint gives one), each segment's window, TIME-WAIT's
 *            start and the RTO of a retransmission
 *   -p PORT  only connections with PORT at one end
 *   -A ADDR  only connections with ADDR at one end
 *
 * The ladder, 80 columns (this format is stable: tests/trace.c checks it
 * line by line):
 *
 *      time  client 192.0.2.1:7001                        server 192.0.2.2:7777
 *     0.000  CLOSED                                                       LISTEN
 *     0.000  SYN-SENT
 *     0.000  --- SYN seq=0 ------------------------------------------------------>
 *     0.001                                                         SYN-RECEIVED
 *     0.001  <------------------------------------------- SYN-ACK seq=0 ack=1 ---
 *     0.002  ESTABLISHED
 *     ...
 *     0.300                                            * TIME-WAIT timer expires
 *     0.300                                                               CLOSED
 *
 * The header names both ends, the client (the side that sent the first
 * SYN) on the left. Each line after it is one event, at its time in
 * seconds since the connection's first event:
 *   - a state (RFC 9293's names) on the side whose state it is; the
 *     first line shows the state each side started from;
 *   - a segment as an arrow from its sender's side to its receiver's,
 *     labelled with its flags (as xtcp-dump writes them: SYN-ACK,
 *     FIN-ACK, PSH-ACK), seq, ack (when ACK is set) and len (when not
 *     0), at the time it was sent. A segment sent but never received by
 *     a traced receiver was lost: its arrow stops short, "--x lost";
 *   - a timer or other event, starting with "* ", on its side:
 *     "* retransmit #N seq=S (timeout)" (N: which retry; a listener's
 *     SYN-ACK sent again by its timer too, on the server's side), "* TIME-WAIT
 *     timer expires", "* TIME-WAIT re-ACKs a FIN", "* TIME-WAIT gives way
 *     to a new SYN".
 * The TIME-WAIT socket itself reports CLOSED as soon as TIME-WAIT
 * begins (a small entry takes over its four-tuple); the ladder shows
 * CLOSED when the entry's timer expires instead.
 *
 * Both ends are usually traced in the same kernel (two namespaces): each
 * segment is then seen twice, sent ("out") and received ("in"), and makes
 * one arrow. With one end traced (the peer on another machine) the arrows
 * come from that end's out and in events alone, and no segment is called
 * lost.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BODY		71	/* columns after the time */
#define LOST_LEN	46	/* a lost segment's arrow */
#define F_FIN		0x01
#define F_SYN		0x02
#define F_RST		0x04
#define F_PSH		0x08
#define F_ACK		0x10
#define F_URG		0x20

struct ep {
	uint32_t addr;		/* network order */
	uint16_t port;
};

enum kind { EV_STATE, EV_REQUEST, EV_SEG, EV_RETX, EV_TW };

/*
 * One trace event. a is where it happens (STATE, REQUEST, RETX, TW: the
 * local end) or who sent it (SEG); b is the other end.
 */
struct event {
	double t;
	enum kind kind;
	struct ep a, b;
	bool out;
	char old[16], new[16];
	char why[40];		/* state change's cause, retransmission's reason */
	char what[16];		/* TIME-WAIT: enter, expire, re-ack, reuse */
	uint32_t seq, ack, win, len;
	unsigned int retries, rto_us;
	uint8_t flags;
	int match;		/* SEG: the index of its other half, or -1 */
};

struct conn {
	struct ep e[2];
	struct event *ev;
	int n, cap;
	double last;
	bool stateful[2];	/* it had a state event at this end */
	bool closed[2];		/* ... and is CLOSED there */
	bool tw[2];		/* in TIME-WAIT there (an entry exists) */
	bool client_syn;	/* a first SYN was seen */
	uint32_t client_isn;
	bool printed;
	struct conn *next;
};

static struct conn *conns, **conns_tail = &conns;
static bool opt_abs, opt_verbose;
static long opt_port = -1;
static bool opt_have_addr;
static uint32_t opt_addr;
static long printed_count;

/* sk pointer to four-tuple, for an older xtcp_retransmit without one */
struct sk_map {
	unsigned long long sk;
	struct ep l, r;
	struct sk_map *next;
};

static struct sk_map *sk_maps;

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p) {
		fprintf(stderr, "xtcp-trace: out of memory\n");
		exit(1);
	}
	return p;
}

static bool ep_eq(struct ep x, struct ep y)
{
	return x.addr == y.addr && x.port == y.port;
}

static int side_of(const struct conn *c, struct ep x)
{
	return ep_eq(x, c->e[0]) ? 0 : 1;
}

static bool parse_ep(const char *s, struct ep *e)
{
	char addr[32];
	const char *colon = strrchr(s, ':');
	struct in_addr in;
	size_t n;

	if (!colon)
		return false;
	n = colon - s;
	if (n >= sizeof(addr))
		return false;
	memcpy(addr, s, n);
	addr[n] = 0;
	if (inet_pton(AF_INET, addr, &in) != 1)
		return false;
	e->addr = in.s_addr;
	e->port = (uint16_t)strtoul(colon + 1, NULL, 10);
	return true;
}

static void ep_str(struct ep e, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];
	struct in_addr in = { .s_addr = e.addr };

	inet_ntop(AF_INET, &in, a, sizeof(a));
	snprintf(buf, len, "%s:%u", a, e.port);
}

static uint8_t parse_flags(const char *s)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };
	uint8_t f = 0;
	int i;

	for (i = 0; i < 6; i++) {
		const char *p = strstr(s, names[i]);

		if (p)
			f |= 1 << i;
	}
	return f;
}

/* Split s in place at spaces; return the number of tokens (at most max). */
static int tokenize(char *s, char **tok, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		tok[n++] = s;
		while (*s && *s != ' ')
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

/* The value of key=... among tok[from..n), or NULL. */
static const char *kv(char **tok, int n, int from, const char *key)
{
	size_t k = strlen(key);
	int i;

	for (i = from; i < n; i++)
		if (!strncmp(tok[i], key, k) && tok[i][k] == '=')
			return tok[i] + k + 1;
	return NULL;
}

/*
 * why=... runs to the next key=value token: its value may have spaces
 * ("partial ack", "rcv SYN-ACK").
 */
static void kv_why(char **tok, int n, char *out, size_t len)
{
	int i, j;

	out[0] = 0;
	for (i = 0; i < n; i++) {
		if (strncmp(tok[i], "why=", 4))
			continue;
		snprintf(out, len, "%s", tok[i] + 4);
		for (j = i + 1; j < n && !strchr(tok[j], '='); j++) {
			size_t l = strlen(out);

			snprintf(out + l, len - l, " %s", tok[j]);
		}
		return;
	}
}

/*
 * A retransmission's seq=, retries=, rto= and why=, from token @from on:
 * xtcp_retransmit and xtcp_request_retransmit print them alike.
 */
static void parse_retx(char **tok, int n, int from, struct event *ev)
{
	const char *v;

	ev->kind = EV_RETX;
	v = kv(tok, n, from, "seq");
	ev->seq = v ? strtoul(v, NULL, 10) : 0;
	v = kv(tok, n, from, "retries");
	ev->retries = v ? strtoul(v, NULL, 10) : 0;
	v = kv(tok, n, from, "rto");
	ev->rto_us = v ? strtoul(v, NULL, 10) : 0;
	kv_why(tok, n, ev->why, sizeof(ev->why));
}

static struct sk_map *sk_find(unsigned long long sk)
{
	struct sk_map *m;

	for (m = sk_maps; m; m = m->next)
		if (m->sk == sk)
			return m;
	return NULL;
}

static void sk_note(unsigned long long sk, struct ep l, struct ep r)
{
	struct sk_map *m = sk_find(sk);

	if (!m) {
		m = xmalloc(sizeof(*m));
		m->sk = sk;
		m->next = sk_maps;
		sk_maps = m;
	}
	m->l = l;
	m->r = r;
}

/*
 * Parse one line of trace text into *ev. Return false for a line that is
 * no xtcp event a ladder uses (headers, listeners, other systems).
 */
static bool parse_line(const char *line, struct event *ev)
{
	char buf[512], *tok[40], *p, *body;
	const char *name, *v;
	int n;

	memset(ev, 0, sizeof(*ev));
	ev->match = -1;
	if (line[0] == '#' || strlen(line) >= sizeof(buf))
		return false;
	memcpy(buf, line, strlen(line) + 1);
	buf[strcspn(buf, "\r\n")] = 0;
	p = strstr(buf, ": xtcp_");
	if (!p)
		return false;
	name = p + 2;
	body = strstr(name, ": ");
	if (!body)
		return false;
	*body = 0;
	body += 2;
	/* the timestamp ends just before ": xtcp_" */
	*p = 0;
	while (p > buf && (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
		p--;
	ev->t = atof(p);
	n = tokenize(body, tok, 40);

	if (!strcmp(name, "xtcp_set_state")) {
		unsigned long long sk;

		if (n < 6 || strncmp(tok[0], "sk=", 3) || strcmp(tok[4], "->"))
			return false;
		sk = strtoull(tok[0] + 3, NULL, 16);
		if (!parse_ep(tok[1], &ev->a) || !parse_ep(tok[2], &ev->b))
			return false;
		if (!ev->b.addr && !ev->b.port)
			return false;	/* a listener */
		sk_note(sk, ev->a, ev->b);
		ev->kind = EV_STATE;
		snprintf(ev->old, sizeof(ev->old), "%s", tok[3]);
		snprintf(ev->new, sizeof(ev->new), "%s", tok[5]);
		kv_why(tok, n, ev->why, sizeof(ev->why));
		return true;
	}
	if (!strcmp(name, "xtcp_request")) {
		/* listener :PORT request from ADDR:PORT OLD -> NEW */
		if (n < 7 || strcmp(tok[0], "listener") || tok[1][0] != ':' ||
		    !parse_ep(tok[4], &ev->b) || strcmp(tok[6], "->"))
			return false;
		ev->kind = EV_REQUEST;
		ev->a.addr = 0;		/* filled in from the connection */
		ev->a.port = (uint16_t)atoi(tok[1] + 1);
		snprintf(ev->old, sizeof(ev->old), "%s", tok[5]);
		snprintf(ev->new, sizeof(ev->new), "%s", n > 7 ? tok[7] : "?");
		return true;
	}
	if (!strcmp(name, "xtcp_segment")) {
		/* out|in SRC > DST flags=F seq= ack= win= len= */
		if (n < 4 || strcmp(tok[2], ">") || !parse_ep(tok[1], &ev->a) ||
		    !parse_ep(tok[3], &ev->b))
			return false;
		ev->kind = EV_SEG;
		ev->out = !strcmp(tok[0], "out");
		v = kv(tok, n, 4, "flags");
		ev->flags = v ? parse_flags(v) : 0;
		v = kv(tok, n, 4, "seq");
		ev->seq = v ? strtoul(v, NULL, 10) : 0;
		v = kv(tok, n, 4, "ack");
		ev->ack = v ? strtoul(v, NULL, 10) : 0;
		v = kv(tok, n, 4, "win");
		ev->win = v ? strtoul(v, NULL, 10) : 0;
		v = kv(tok, n, 4, "len");
		ev->len = v ? strtoul(v, NULL, 10) : 0;
		return true;
	}
	if (!strcmp(name, "xtcp_retransmit")) {
		/* sk=P [LOCAL REMOTE] STATE seq= why= retries= rto=Nus cwnd= */
		struct sk_map *m;

		if (n < 2 || strncmp(tok[0], "sk=", 3))
			return false;
		if (n > 3 && parse_ep(tok[1], &ev->a) && parse_ep(tok[2], &ev->b)) {
			/* the four-tuple is there */
		} else {
			m = sk_find(strtoull(tok[0] + 3, NULL, 16));
			if (!m)
				return false;
			ev->a = m->l;
			ev->b = m->r;
		}
		parse_retx(tok, n, 1, ev);
		return true;
	}
	if (!strcmp(name, "xtcp_request_retransmit")) {
		/* LOCAL REMOTE SYN-RECEIVED seq= why= retries= rto=Nus */
		if (n < 4 || !parse_ep(tok[0], &ev->a) || !parse_ep(tok[1], &ev->b))
			return false;
		parse_retx(tok, n, 2, ev);
		return true;
	}
	if (!strcmp(name, "xtcp_tw")) {
		/* LOCAL REMOTE TIME-WAIT what */
		if (n < 4 || !parse_ep(tok[0], &ev->a) || !parse_ep(tok[1], &ev->b))
			return false;
		ev->kind = EV_TW;
		snprintf(ev->what, sizeof(ev->what), "%s", tok[3]);
		return true;
	}
	return false;
}

static bool conn_has(const struct conn *c, struct ep x, struct ep y)
{
	return (ep_eq(c->e[0], x) && ep_eq(c->e[1], y)) ||
	       (ep_eq(c->e[0], y) && ep_eq(c->e[1], x));
}

/* A request knows only its listener's port: match the local address loosely. */
static bool conn_has_req(const struct conn *c, const struct event *ev)
{
	int i;

	for (i = 0; i < 2; i++)
		if (ep_eq(c->e[i], ev->b) && c->e[!i].port == ev->a.port)
			return true;
	return false;
}

static bool conn_done(const struct conn *c)
{
	int i;

	if (!c->stateful[0] && !c->stateful[1])
		return false;
	for (i = 0; i < 2; i++)
		if (c->stateful[i] && !c->closed[i])
			return false;
	return true;
}

static bool is_first_syn(const struct event *ev)
{
	return ev->kind == EV_SEG && (ev->flags & (F_SYN | F_ACK)) == F_SYN;
}

/* Does ev begin a new connection on a four-tuple that had one? */
static bool starts_new(const struct conn *c, const struct event *ev)
{
	if (ev->kind == EV_STATE && !strcmp(ev->old, "CLOSED") && !strcmp(ev->new, "SYN-SENT"))
		return c->n > 0;
	if (is_first_syn(ev))
		return c->client_syn && ev->seq != c->client_isn;
	return false;
}

static struct conn *conn_for(struct event *ev)
{
	struct conn *c, *found = NULL;

	for (c = conns; c; c = c->next) {
		if (ev->kind == EV_REQUEST ? conn_has_req(c, ev) : conn_has(c, ev->a, ev->b)) {
			/* TIME-WAIT's events belong to the connection in TIME-WAIT */
			if (ev->kind == EV_TW && strcmp(ev->what, "enter") &&
			    !c->tw[side_of(c, ev->a)])
				continue;
			found = c;
		}
	}
	if (found && ev->kind == EV_REQUEST)
		ev->a = found->e[ep_eq(found->e[0], ev->b) ? 1 : 0];
	if (found && !starts_new(found, ev))
		return found->printed ? NULL : found;
	if (ev->kind == EV_REQUEST) {
		/* the SYN it answers was not seen: the local address is unknown */
		return NULL;
	}
	c = xmalloc(sizeof(*c));
	c->e[0] = ev->a;
	c->e[1] = ev->b;
	*conns_tail = c;
	conns_tail = &c->next;
	return c;
}

/* Keep track of where each end stands, to know when it has ended. */
static void conn_note(struct conn *c, const struct event *ev)
{
	int s = side_of(c, ev->a);

	switch (ev->kind) {
	case EV_STATE:
	case EV_REQUEST:
		c->stateful[s] = true;
		if (!strcmp(ev->new, "CLOSED") && !c->tw[s])
			c->closed[s] = true;
		else if (strcmp(ev->new, "CLOSED"))
			c->closed[s] = false;
		break;
	case EV_TW:
		if (!strcmp(ev->what, "enter")) {
			c->tw[s] = true;
			c->stateful[s] = true;
		} else if (!strcmp(ev->what, "expire") || !strcmp(ev->what, "reuse")) {
			c->tw[s] = false;
			c->closed[s] = true;
		}
		break;
	case EV_SEG:
		if (is_first_syn(ev) && !c->client_syn) {
			c->client_syn = true;
			c->client_isn = ev->seq;
		}
		break;
	default:
		break;
	}
}

static bool wanted(const struct conn *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		if (opt_port >= 0 && c->e[i].port == opt_port &&
		    (!opt_have_addr || c->e[0].addr == opt_addr || c->e[1].addr == opt_addr))
			return true;
		if (opt_port < 0 && opt_have_addr && c->e[i].addr == opt_addr)
			return true;
	}
	return opt_port < 0 && !opt_have_addr;
}

/* One line: the time, then body (already laid out), trailing spaces cut. */
static void out_line(double t, const char *body)
{
	char buf[256];
	size_t n;

	snprintf(buf, sizeof(buf), "%7.3f  %s", t, body);
	n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = 0;
	puts(buf);
}

/* Text at a side: left-aligned on the left, right-aligned on the right. */
static void side_line(double t, int right, const char *fmt, ...)
{
	char text[160], body[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (right)
		snprintf(body, sizeof(body), "%*s", BODY, text);
	else
		snprintf(body, sizeof(body), "%s", text);
	out_line(t, body);
}

static void dashes(char *p, int n)
{
	while (n-- > 0)
		*p++ = '-';
	*p = 0;
}

/* An arrow with label, from left to right or back; a lost one stops short. */
static void arrow_line(double t, const char *label, bool ltr, bool lost)
{
	int len = lost ? LOST_LEN : BODY;
	int fill = len - (int)strlen(label) - 6;	/* "--- " label " " ... head */
	char body[256], d[200], a[240];

	if (fill < 3)
		fill = 3;
	dashes(d, fill);
	if (ltr) {
		snprintf(body, sizeof(body), "--- %s %s%c%s", label, d, lost ? 'x' : '>',
			 lost ? "  lost" : "");
	} else {
		snprintf(a, sizeof(a), "%s%c%s %s ---", lost ? "lost  " : "", lost ? 'x' : '<',
			 d, label);
		snprintf(body, sizeof(body), "%*s", BODY, a);
	}
	out_line(t, body);
}

static void flags_str(uint8_t f, char *buf, size_t len)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < 6; i++)
		if (f & (1 << i))
			n += snprintf(buf + n, len - n, "%s%s", n ? "-" : "", names[i]);
	if (!n)
		snprintf(buf, len, "none");
}

/* Pair each segment received with the send it is: the latest one before it. */
static void match_segments(struct conn *c)
{
	int i, j, best;

	for (i = 0; i < c->n; i++) {
		struct event *in = &c->ev[i];

		if (in->kind != EV_SEG || in->out)
			continue;
		best = -1;
		for (j = 0; j < c->n; j++) {
			struct event *o = &c->ev[j];

			if (o->kind != EV_SEG || !o->out || o->match >= 0 ||
			    !ep_eq(o->a, in->a) || !ep_eq(o->b, in->b) || o->seq != in->seq ||
			    o->ack != in->ack || o->flags != in->flags || o->len != in->len ||
			    o->win != in->win)
				continue;
			if (j < i)
				best = j;	/* the latest before */
			else if (best < 0) {
				best = j;	/* clocks apart: the first after */
				break;
			}
		}
		if (best >= 0) {
			in->match = best;
			c->ev[best].match = i;
		}
	}
}

static void print_conn(struct conn *c)
{
	bool traced[2] = { false, false }, tw_entered[2] = { false, false };
	bool isn_known[2] = { false, false }, isn_syn[2] = { false, false };
	uint32_t isn[2] = { 0, 0 };
	const char *initial[2] = { NULL, NULL };
	char l[64], r[64], hdr[200];
	int left = 0, i, s;
	double t0;

	if (!c->n)
		return;
	c->printed = true;
	if (!wanted(c))
		goto done;
	printed_count++;
	t0 = c->ev[0].t;
	match_segments(c);

	/* The client: who sent the first SYN, or who was SYN-SENT. */
	for (i = 0; i < c->n; i++) {
		const struct event *ev = &c->ev[i];

		if (is_first_syn(ev) ||
		    (ev->kind == EV_STATE && !strcmp(ev->new, "SYN-SENT"))) {
			left = side_of(c, ev->a);
			break;
		}
	}
	/* Each side's ISN: its SYN's seq, or the first seq it sent. */
	for (i = 0; i < c->n; i++) {
		const struct event *ev = &c->ev[i];

		if (ev->kind != EV_SEG)
			continue;
		s = side_of(c, ev->a);
		if (ev->flags & F_SYN && !isn_syn[s]) {
			isn[s] = ev->seq;
			isn_syn[s] = true;
			isn_known[s] = true;
		} else if (!isn_known[s]) {
			isn[s] = ev->seq;
			isn_known[s] = true;
		}
	}
	/* One that sent nothing: as if its SYN came just before the first ack. */
	for (i = 0; i < c->n; i++) {
		const struct event *ev = &c->ev[i];

		if (ev->kind != EV_SEG || !(ev->flags & F_ACK))
			continue;
		s = side_of(c, ev->a);
		if (!isn_known[!s]) {
			isn[!s] = ev->ack - 1;
			isn_known[!s] = true;
		}
	}
	/* Which ends were traced, and where each began. */
	for (i = 0; i < c->n; i++) {
		const struct event *ev = &c->ev[i];

		s = side_of(c, ev->a);
		if (ev->kind == EV_SEG && !ev->out)
			s = !s;		/* received at the other end */
		traced[s] = true;
		if ((ev->kind == EV_STATE || ev->kind == EV_REQUEST) && !initial[s])
			initial[s] = ev->old;
	}

	ep_str(c->e[left], l, sizeof(l));
	ep_str(c->e[!left], r, sizeof(r));
	if (c->client_syn) {
		char rr[80];

		snprintf(rr, sizeof(rr), "server %s", r);
		snprintf(hdr, sizeof(hdr), "   time  client %-*s%s", BODY - 7 - (int)strlen(rr),
			 l, rr);
	} else {
		snprintf(hdr, sizeof(hdr), "   time  %-*s%s", BODY - (int)strlen(r), l, r);
	}
	puts(hdr);
	if (initial[left] || initial[!left]) {
		const char *a = initial[left] ? initial[left] : "";
		const char *b = initial[!left] ? initial[!left] : "";
		char body[160];

		snprintf(body, sizeof(body), "%-*s%s", BODY - (int)strlen(b), a, b);
		out_line(0, body);
	}

	for (i = 0; i < c->n; i++) {
		const struct event *ev = &c->ev[i];
		double t = ev->t - t0;
		char label[160], f[32];
		size_t n;
		int right;

		s = side_of(c, ev->a);
		right = s != left;
		switch (ev->kind) {
		case EV_STATE:
		case EV_REQUEST:
			/* The TIME-WAIT socket goes, its entry stays */
			if (!strcmp(ev->new, "CLOSED") && !strcmp(ev->old, "TIME-WAIT") &&
			    tw_entered[s])
				break;
			if (opt_verbose && ev->why[0])
				side_line(t, right, right ? "(%s)  %s" : "%s  (%s)",
					  right ? ev->why : ev->new, right ? ev->new : ev->why);
			else
				side_line(t, right, "%s", ev->new);
			break;
		case EV_SEG:
			if (!ev->out && ev->match >= 0)
				break;		/* drawn when it was sent */
			flags_str(ev->flags, f, sizeof(f));
			n = snprintf(label, sizeof(label), "%s seq=%u", f,
				     opt_abs ? ev->seq : ev->seq - isn[s]);
			if (ev->flags & F_ACK)
				n += snprintf(label + n, sizeof(label) - n, " ack=%u",
					      opt_abs ? ev->ack : ev->ack - isn[!s]);
			if (ev->len)
				n += snprintf(label + n, sizeof(label) - n, " len=%u", ev->len);
			if (opt_verbose)
				snprintf(label + n, sizeof(label) - n, " win=%u", ev->win);
			arrow_line(t, label, !right,
				   ev->out && ev->match < 0 && traced[!s]);
			break;
		case EV_RETX:
			if (opt_verbose)
				side_line(t, right, "* retransmit #%u seq=%u (%s, rto=%ums)",
					  ev->retries, opt_abs ? ev->seq : ev->seq - isn[s],
					  ev->why, ev->rto_us / 1000);
			else
				side_line(t, right, "* retransmit #%u seq=%u (%s)", ev->retries,
					  opt_abs ? ev->seq : ev->seq - isn[s], ev->why);
			break;
		case EV_TW:
			if (!strcmp(ev->what, "enter")) {
				tw_entered[s] = true;
				if (opt_verbose)
					side_line(t, right, "* TIME-WAIT entry takes over");
			} else if (!strcmp(ev->what, "expire")) {
				side_line(t, right, "* TIME-WAIT timer expires");
				side_line(t, right, "CLOSED");
			} else if (!strcmp(ev->what, "reuse")) {
				side_line(t, right, "* TIME-WAIT gives way to a new SYN");
				side_line(t, right, "CLOSED");
			} else if (!strcmp(ev->what, "re-ack")) {
				side_line(t, right, "* TIME-WAIT re-ACKs a FIN, restarts");
			} else {
				side_line(t, right, "* TIME-WAIT %s", ev->what);
			}
			break;
		}
	}
	putchar('\n');
	fflush(stdout);
done:
	free(c->ev);
	c->ev = NULL;
	c->n = 0;
	c->cap = 0;
}

static void add_event(struct event *ev)
{
	struct conn *c = conn_for(ev);

	if (!c || c->printed)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		c->ev = realloc(c->ev, c->cap * sizeof(*c->ev));
		if (!c->ev) {
			fprintf(stderr, "xtcp-trace: out of memory\n");
			exit(1);
		}
	}
	c->ev[c->n++] = *ev;
	c->last = ev->t;
	conn_note(c, ev);
}

/* Feed one line; return true once a connection has ended and was printed. */
static bool feed(const char *line, bool live)
{
	struct event ev;
	struct conn *c;

	if (!parse_line(line, &ev))
		return false;
	add_event(&ev);
	if (!live)
		return false;
	for (c = conns; c; c = c->next)
		if (!c->printed && conn_done(c)) {
			print_conn(c);
			return true;
		}
	return false;
}

static void print_rest(void)
{
	struct conn *c;

	for (c = conns; c; c = c->next)
		if (!c->printed)
			print_conn(c);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int live(double wait_s, long count, const char *save)
{
	static const char *const roots[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[256], enable[256], was[8] = "", buf[8192], line[1024];
	size_t ll = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	double deadline = wait_s > 0 ? now() + wait_s : 0;
	const char *root = NULL;
	FILE *sf = NULL;
	unsigned int i;
	int fd, efd;

	for (i = 0; i < 2 && !root; i++) {
		snprintf(path, sizeof(path), "%s/events/xtcp/enable", roots[i]);
		if (access(path, W_OK) == 0)
			root = roots[i];
	}
	if (!root) {
		fprintf(stderr, "xtcp-trace: no xtcp events in tracefs: is xtcp loaded, %s mounted?\n",
			roots[0]);
		return 1;
	}
	snprintf(enable, sizeof(enable), "%s/events/xtcp/enable", root);
	efd = open(enable, O_RDONLY);
	if (efd >= 0) {
		ssize_t n = read(efd, was, sizeof(was) - 1);

		was[n > 0 ? n : 0] = 0;
		close(efd);
	}
	if (write_file(enable, "1")) {
		perror("xtcp-trace: enable");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/trace_pipe", root);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (save) {
		sf = fopen(save, "w");
		if (!sf) {
			perror(save);
			return 1;
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && (count <= 0 || printed_count < count)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = 250;
		ssize_t n;

		if (deadline) {
			double left = deadline - now();

			if (left <= 0)
				break;
			if (left * 1000 < ms)
				ms = (int)(left * 1000) + 1;
		}
		if (poll(&p, 1, ms) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			continue;
		for (i = 0; i < (unsigned int)n; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (sf)
				fprintf(sf, "%s\n", line);
			feed(line, true);
		}
	}
	if (count <= 0 || printed_count < count)
		print_rest();
	if (sf)
		fclose(sf);
	close(fd);
	if (was[0] != '1')
		write_file(enable, "0");
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: xtcp-trace [-a] [-v] [-p PORT] [-A ADDR] [-w SECS] [-n COUNT] [-s FILE]\n"
		"       xtcp-trace [-a] [-v] [-p PORT] [-A ADDR] -f FILE\n"
		"Each xtcp connection as a ladder: client left, server right, one line an\n"
		"event (time since its first, in s): states where they change, segments\n"
		"as arrows (\"--x lost\" if never received), \"* \" timer events.\n"
		"  -f FILE  read a saved trace (tracefs's \"trace\" text; - for stdin)\n"
		"           instead of enabling the xtcp events and reading trace_pipe\n"
		"  -a       absolute sequence numbers (default: relative to each ISN)\n"
		"  -v       causes of state changes, windows, RTOs, TIME-WAIT's start\n"
		"  -p PORT  only connections with PORT at one end\n"
		"  -A ADDR  only connections with ADDR at one end\n"
		"  -w SECS  stop after SECS seconds (live)\n"
		"  -n COUNT stop after COUNT connections have ended (live)\n"
		"  -s FILE  save the raw trace lines read to FILE (live)\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *save = NULL;
	double wait_s = 0;
	long count = 0;
	struct in_addr in;
	char line[1024];
	FILE *f;
	int opt;

	while ((opt = getopt(argc, argv, "f:avp:A:w:n:s:h")) != -1) {
		switch (opt) {
		case 'f': file = optarg; break;
		case 'a': opt_abs = true; break;
		case 'v': opt_verbose = true; break;
		case 'p':
			opt_port = strtol(optarg, NULL, 10);
			if (opt_port < 0 || opt_port > 65535)
				return usage();
			break;
		case 'A':
			if (inet_pton(AF_INET, optarg, &in) != 1)
				return usage();
			opt_addr = in.s_addr;
			opt_have_addr = true;
			break;
		case 'w': wait_s = atof(optarg); break;
		case 'n': count = atol(optarg); break;
		case 's': save = optarg; break;
		default: return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (!file)
		return live(wait_s, count, save);
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		perror(file);
		return 1;
	}
	while (fgets(line, sizeof(line), f))
		feed(line, false);
	print_rest();
	return 0;
}
