// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag for xtcp (issue 5): xtcp_diag.ko answers NETLINK_SOCK_DIAG
 * requests for protocol 253 as tcp_diag answers TCP's, and xtcp-ss shows
 * what it says. Under XT_PROTO=6 the same requests go to tcp_diag, the
 * reference, and what xtcp alone has (the module, its history attribute,
 * exact byte counts) is not checked.
 *
 * Every check compares with sockets this test made, in fresh namespaces
 * a (listener on XT_A:PORT, backlog 8) and b (clients):
 *
 *   - (xtcp) the module: guest-init loaded xtcp_diag after xtcp; xtcp
 *     cannot be unloaded under it (EWOULDBLOCK); xtcp_diag unloads, and a
 *     request for protocol 253 loads it again by its alias;
 *   - a dump of every state in a lists exactly the listener (Recv-Q 1:
 *     one connection not accepted; Send-Q 8, the backlog; its inode),
 *     two accepted connections (their inodes; one with 1000 bytes unread:
 *     Recv-Q 1000) and the one not accepted (inode 0); all uid 0; in b
 *     exactly the three clients, their Send-Q 0 once ACKed;
 *   - the state mask: LISTEN alone, ESTABLISHED alone, the default of
 *     ss (no LISTEN) each list exactly the matching ones;
 *   - bytecode: sport = PORT, dport = a client's port, dst ADDR:PORT, and
 *     a negation each list exactly the matching ones, in a and in b;
 *   - dump_one: by four-tuple and cookie, the socket with its inode; a
 *     wrong cookie is ENOENT (as tcp_diag's), and so is a tuple nobody has;
 *   - INET_DIAG_INFO: (xtcp) bytes received 1000 on the reader, bytes
 *     acknowledged 1000 on the writer; with a's egress lost (netem), a
 *     write is retransmitted: the timer is the retransmission's, the
 *     retransmits and total retransmits at least 1; once the loss ends
 *     and the data is acknowledged, retransmits 0, the total still >= 1;
 *   - (xtcp) XTCP_DIAG_HISTORY equals getsockopt(XTCP_HISTORY), for a
 *     listener, a client and an accepted connection;
 *   - a request (a SYN injected from b whose SYN-ACKs go nowhere): SYN-RECV,
 *     the retransmission timer, inode 0; found by a dport bytecode, not
 *     by another; gone after an exact RST;
 *   - a TIME-WAIT entry (b closes first): TIME-WAIT, timer 3, inode 0;
 *     found by dport and src bytecode, not by another port;
 *   - MANY more connections, with INET_DIAG_INFO, read with a small
 *     buffer so the dump takes several messages: each listed once;
 *   - while a thread dumps both namespaces in a loop, connections come
 *     and go, and (xtcp) xtcp_diag is unloaded again and again under it,
 *     its dumps then ending in ENOENT or loading it back (the debug
 *     kernel's lockdep and KASAN watch);
 *   - xtcp-ss -a -e in a prints exactly the dump's lines (state name,
 *     queues, addresses, inode); -l, "state established sport = :PORT",
 *     "dport = :N", "dst ADDR:PORT" and "state established not dport =
 *     :N" exactly the matching ones; -i the byte counts
 *     (xtcp); -H a client's history "CLOSED -> SYN-SENT by connect",
 *     "SYN-SENT -> ESTAB by rcv-synack" (xtcp).
 */
#include <pthread.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>

#include "xt.h"
#include "xtnet.h"
#include "xtapi.h"
#include "wire.h"

#define PORT 7001
#define MANY 40
#define FAKE_PORT 40011
#define ISN 5000
#define NOBODY_MAC "02:00:00:00:00:01"
#define ALL 0xfff

struct ent {
	struct inet_diag_msg m;
	int info_len;
	unsigned char info[512];
	int has_hist;
	int nhist;
	struct xtcp_transition hist[XTCP_HISTORY_LEN];
};

static struct ent ents[512];

static int diag_socket_in(const char *ns)
{
	int old = xt_push_ns(ns);
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		xt_fail("socket(NETLINK_SOCK_DIAG)");
	xt_pop_ns(old);
	return fd;
}

static void parse(const struct nlmsghdr *h, struct ent *e)
{
	const struct inet_diag_msg *r = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*r));
	const struct rtattr *a = (const void *)(r + 1);

	memset(e, 0, sizeof(*e));
	e->m = *r;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		int n = RTA_PAYLOAD(a);

		if (a->rta_type == INET_DIAG_INFO) {
			e->info_len = n < (int)sizeof(e->info) ? n : (int)sizeof(e->info);
			memcpy(e->info, RTA_DATA(a), e->info_len);
		} else if (a->rta_type == XTCP_DIAG_HISTORY) {
			XT_CHECK(n % sizeof(struct xtcp_transition) == 0 &&
				 n <= (int)sizeof(e->hist), "history attribute of %d bytes", n);
			e->has_hist = 1;
			e->nhist = n / sizeof(struct xtcp_transition);
			memcpy(e->hist, RTA_DATA(a), n);
		}
	}
}

/*
 * Send a request (dump or one) for the protocol under test and read the
 * answer into out[] (at most max; or only count them if out is NULL);
 * recvbuf bytes at a time. Returns how
 * many, or -errno from the kernel's answer.
 */
static int request(int fd, int dump, unsigned int states, int ext,
		   const struct inet_diag_sockid *id, const void *bc, int bclen,
		   struct ent *out, int max, int recvbuf)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
		struct rtattr bca;
		unsigned char bc[256];
	} req = {
		.nlh = {
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0),
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = AF_INET,
			.sdiag_protocol = xt_proto(),
			.idiag_states = states,
			.idiag_ext = ext,
		},
	};
	static char buf[65536];
	int n = 0, done = 0;

	if (id)
		req.r.id = *id;
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.r));
	if (bclen) {
		XT_CHECK(bclen <= (int)sizeof(req.bc), "bytecode too long");
		req.bca.rta_type = INET_DIAG_REQ_BYTECODE;
		req.bca.rta_len = RTA_LENGTH(bclen);
		memcpy(req.bc, bc, bclen);
		req.nlh.nlmsg_len += RTA_LENGTH(bclen);
	}
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0)
		xt_fail("send sock_diag request");
	if (recvbuf > (int)sizeof(buf))
		recvbuf = sizeof(buf);
	while (!done) {
		int len = recv(fd, buf, recvbuf, 0);
		struct nlmsghdr *h;

		if (len < 0)
			xt_fail("recv sock_diag");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				/* A dump that failed says why after NLMSG_DONE. */
				int err = 0;

				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
					memcpy(&err, NLMSG_DATA(h), sizeof(err));
				if (err < 0)
					return err;
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = NLMSG_DATA(h);

				if (!err->error && !dump)
					continue;	/* an ACK */
				return err->error;
			}
			if (!out) {	/* only counted */
				n++;
				continue;
			}
			XT_CHECK(n < max, "more than %d sockets", max);
			parse(h, &out[n++]);
			if (!dump)
				done = 1;
		}
	}
	return n;
}

static int dump_in(const char *ns, unsigned int states, int ext, const void *bc, int bclen,
		   struct ent *out, int max)
{
	int fd = diag_socket_in(ns);
	int n = request(fd, 1, states, ext, NULL, bc, bclen, out, max, 65536);

	close(fd);
	XT_CHECK(n >= 0, "dump in %s: %s", ns, strerror(-n));
	return n;
}

static int get_one(const char *ns, const struct inet_diag_sockid *id, struct ent *out)
{
	int fd = diag_socket_in(ns);
	int n = request(fd, 0, ALL, 0, id, NULL, 0, out, 1, 65536);

	close(fd);
	return n;
}

/* What one socket is expected to be. */
struct want {
	const char *name;
	const char *laddr;
	unsigned short lport;
	const char *raddr;	/* NULL: 0.0.0.0 */
	unsigned short rport;
	int state;
	long ino;		/* -1: not checked */
	long rq, wq;		/* -1: not checked */
	int timer;		/* -1: not checked */
};

static int matches(const struct ent *e, const struct want *w)
{
	struct sockaddr_in l = xt_addr(w->laddr, w->lport);
	struct sockaddr_in r = xt_addr(w->raddr ? w->raddr : "0.0.0.0", w->rport);

	return e->m.id.idiag_src[0] == l.sin_addr.s_addr && e->m.id.idiag_sport == l.sin_port &&
	       e->m.id.idiag_dst[0] == r.sin_addr.s_addr && e->m.id.idiag_dport == r.sin_port;
}

static const struct ent *find(const struct ent *e, int n, const struct want *w)
{
	int i;

	for (i = 0; i < n; i++)
		if (matches(&e[i], w))
			return &e[i];
	return NULL;
}

static void show(const char *what, const struct ent *e, int n)
{
	char l[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN];
	int i;

	fprintf(stderr, "%s: %d sockets\n", what, n);
	for (i = 0; i < n; i++) {
		inet_ntop(AF_INET, &e[i].m.id.idiag_src[0], l, sizeof(l));
		inet_ntop(AF_INET, &e[i].m.id.idiag_dst[0], r, sizeof(r));
		fprintf(stderr, "  %s:%u %s:%u st %u rq %u wq %u timer %u retr %u ino %u uid %u\n",
			l, ntohs(e[i].m.id.idiag_sport), r, ntohs(e[i].m.id.idiag_dport),
			e[i].m.idiag_state, e[i].m.idiag_rqueue, e[i].m.idiag_wqueue,
			e[i].m.idiag_timer, e[i].m.idiag_retrans, e[i].m.idiag_inode,
			e[i].m.idiag_uid);
	}
}

/* The dump lists exactly the wanted sockets, each as wanted. */
static void expect(const char *what, const char *ns, unsigned int states, const void *bc,
		   int bclen, const struct want *w, int nw)
{
	int n = dump_in(ns, states, 0, bc, bclen, ents, 512), i;

	if (n != nw)
		show(what, ents, n);
	XT_CHECK(n == nw, "%s: %d sockets listed in %s, wanted %d", what, n, ns, nw);
	for (i = 0; i < nw; i++) {
		const struct ent *e = find(ents, n, &w[i]);

		if (!e)
			show(what, ents, n);
		XT_CHECK(e, "%s: %s not listed in %s", what, w[i].name, ns);
		XT_CHECK(e->m.idiag_family == AF_INET, "%s: family %u", w[i].name,
			 e->m.idiag_family);
		XT_CHECK(e->m.idiag_state == w[i].state, "%s: %s in state %u, wanted %d", what,
			 w[i].name, e->m.idiag_state, w[i].state);
		XT_CHECK(e->m.idiag_uid == getuid(), "%s: uid %u", w[i].name, e->m.idiag_uid);
		XT_CHECK(w[i].ino < 0 || e->m.idiag_inode == w[i].ino, "%s: %s inode %u, wanted %ld",
			 what, w[i].name, e->m.idiag_inode, w[i].ino);
		XT_CHECK(w[i].rq < 0 || e->m.idiag_rqueue == w[i].rq, "%s: %s Recv-Q %u, wanted %ld",
			 what, w[i].name, e->m.idiag_rqueue, w[i].rq);
		XT_CHECK(w[i].wq < 0 || e->m.idiag_wqueue == w[i].wq, "%s: %s Send-Q %u, wanted %ld",
			 what, w[i].name, e->m.idiag_wqueue, w[i].wq);
		XT_CHECK(w[i].timer < 0 || e->m.idiag_timer == w[i].timer,
			 "%s: %s timer %u, wanted %d", what, w[i].name, e->m.idiag_timer,
			 w[i].timer);
	}
}

/* Bytecode, as ss builds it: each test's "no" rejects (jumps past the end). */
struct bc {
	unsigned char b[256];
	int len;
};

static void bc_add(struct bc *p, const void *test, int len, int negate)
{
	struct inet_diag_bc_op *op;
	int off, end = p->len + len + (negate ? 4 : 0);

	XT_CHECK(end <= (int)sizeof(p->b), "bytecode too long");
	for (off = 0; off < p->len; off += op->yes) {
		op = (struct inet_diag_bc_op *)(p->b + off);
		if (off + op->no == p->len + 4)
			op->no += end - p->len;
	}
	memcpy(p->b + p->len, test, len);
	op = (struct inet_diag_bc_op *)(p->b + p->len);
	op->yes = len;
	op->no = len + 4;
	if (negate) {
		op = (struct inet_diag_bc_op *)(p->b + p->len + len);
		op->code = INET_DIAG_BC_JMP;
		op->yes = 4;
		op->no = 8;
	}
	p->len = end;
}

static void bc_port(struct bc *p, int code, unsigned short port, int negate)
{
	struct inet_diag_bc_op t[2] = { { .code = code }, { .no = port } };

	bc_add(p, t, sizeof(t), negate);
}

static void bc_host(struct bc *p, int code, const char *ip, int port)
{
	struct {
		struct inet_diag_bc_op op;
		struct inet_diag_hostcond c;
		uint32_t addr;
	} t = { .op.code = code, .c = { .family = AF_INET, .prefix_len = 32, .port = port } };
	struct sockaddr_in sin = xt_addr(ip, 0);

	t.addr = sin.sin_addr.s_addr;
	bc_add(p, &t, sizeof(t), 0);
}

static long ino(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		xt_fail("fstat");
	return st.st_ino;
}

static int module_loaded(const char *name)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[256];
	size_t n = strlen(name);
	int found = 0;

	if (!f)
		xt_fail("open /proc/modules");
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, n) && line[n] == ' ';
	fclose(f);
	return found;
}

/* What both protocols' info structures say, the fields this test reads. */
struct inf {
	unsigned int state, retransmits, total_retrans;
	unsigned long long bytes_acked, bytes_received;
};

static struct inf info_of(const struct ent *e)
{
	struct inf i = { 0 };

	if (xt_is_tcp()) {
		/*
		 * glibc's struct tcp_info ends at tcpi_total_retrans; the
		 * kernel's goes on with four __u64, aligned: pacing_rate,
		 * max_pacing_rate, bytes_acked, bytes_received.
		 */
		const struct tcp_info *t = (const void *)e->info;
		size_t tail = (offsetof(struct tcp_info, tcpi_total_retrans) + 4 + 7) & ~7UL;
		uint64_t more[4];

		XT_CHECK(e->info_len >= (int)(tail + sizeof(more)), "tcp_info of %d bytes",
			 e->info_len);
		memcpy(more, e->info + tail, sizeof(more));
		i.state = t->tcpi_state;
		i.retransmits = t->tcpi_retransmits;
		i.total_retrans = t->tcpi_total_retrans;
		i.bytes_acked = more[2];
		i.bytes_received = more[3];
	} else {
		const struct xtcp_info *x = (const void *)e->info;

		XT_CHECK(e->info_len == sizeof(struct xtcp_info), "xtcp_info of %d bytes",
			 e->info_len);
		i.state = x->xtcpi_state;
		i.retransmits = x->xtcpi_retransmits;
		i.total_retrans = x->xtcpi_total_retrans;
		i.bytes_acked = x->xtcpi_bytes_acked;
		i.bytes_received = x->xtcpi_bytes_received;
	}
	return i;
}

/* The one entry of ns matching w, with INET_DIAG_INFO. */
static struct ent one_with_info(const char *ns, const struct want *w)
{
	int n = dump_in(ns, ALL, 1 << (INET_DIAG_INFO - 1), NULL, 0, ents, 512);
	const struct ent *e = find(ents, n, w);

	XT_CHECK(e, "%s not listed in %s", w->name, ns);
	XT_CHECK(e->info_len > 0, "%s: no INET_DIAG_INFO", w->name);
	return *e;
}

static void check_history(const char *ns, const struct want *w, int fd)
{
	struct xtcp_transition h[XTCP_HISTORY_LEN];
	socklen_t len = sizeof(h);
	struct ent e = one_with_info(ns, w);

	if (getsockopt(fd, SOL_XTCP, XTCP_HISTORY, h, &len) < 0)
		xt_fail("XTCP_HISTORY");
	XT_CHECK(e.has_hist, "%s: no XTCP_DIAG_HISTORY", w->name);
	XT_CHECK(e.nhist * sizeof(struct xtcp_transition) == len,
		 "%s: %d changes in the dump, %zu from getsockopt", w->name, e.nhist,
		 len / sizeof(struct xtcp_transition));
	XT_CHECK(len > 0 && !memcmp(e.hist, h, len), "%s: the histories differ", w->name);
}

/* Run xtcp-ss in ns; its lines (header left out) into out, up to max. */
static int ss(const char *ns, const char *args, char out[][256], int max)
{
	char cmd[512], line[256];
	int n = 0, header = 1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "xtcp-ss -p %d %s", xt_proto(), args);
	p = xt_popen_in(ns, cmd);
	while (fgets(line, sizeof(line), p)) {
		if (header) {
			XT_CHECK(!strncmp(line, "State", 5), "%s: header %s", cmd, line);
			header = 0;
			continue;
		}
		XT_CHECK(n < max, "%s: too many lines", cmd);
		line[strcspn(line, "\n")] = 0;
		strcpy(out[n++], line);
	}
	XT_CHECK(pclose(p) == 0, "%s failed", cmd);
	return n;
}

static const char *ss_state(int st)
{
	static const char *const names[] = {
		"", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};

	return names[st];
}

/* xtcp-ss prints exactly the lines of what the dump lists, in its order. */
static void check_ss(const char *ns, const char *args, unsigned int states,
		     const struct bc *p)
{
	static char lines[512][256];
	int n = dump_in(ns, states, 0, p ? p->b : NULL, p ? p->len : 0, ents, 512);
	int m = ss(ns, args, lines, 512), i;

	XT_CHECK(m == n, "xtcp-ss %s in %s: %d lines, the dump %d sockets", args, ns, m, n);
	for (i = 0; i < n; i++) {
		const struct inet_diag_msg *r = &ents[i].m;
		char l[INET_ADDRSTRLEN], rm[INET_ADDRSTRLEN], want[256], peer[40];
		char st[32], local[64], remote[64];
		unsigned int rq, wq;
		unsigned long in;
		const char *e;

		inet_ntop(AF_INET, &r->id.idiag_src[0], l, sizeof(l));
		inet_ntop(AF_INET, &r->id.idiag_dst[0], rm, sizeof(rm));
		if (r->id.idiag_dport)
			snprintf(peer, sizeof(peer), "%s:%u", rm, ntohs(r->id.idiag_dport));
		else
			snprintf(peer, sizeof(peer), "%s:*", rm);
		snprintf(want, sizeof(want), "%s %u %u %s:%u %s", ss_state(r->idiag_state),
			 r->idiag_rqueue, r->idiag_wqueue, l, ntohs(r->id.idiag_sport), peer);
		XT_CHECK(sscanf(lines[i], "%31s %u %u %63s %63s", st, &rq, &wq, local, remote) == 5,
			 "xtcp-ss line %s", lines[i]);
		{
			char got[256];

			snprintf(got, sizeof(got), "%s %u %u %s %s", st, rq, wq, local, remote);
			XT_CHECK(!strcmp(got, want), "xtcp-ss %s line %d: \"%s\", wanted \"%s\"",
				 args, i, got, want);
		}
		e = strstr(lines[i], " ino:");
		if (strstr(args, "-e")) {
			XT_CHECK(e && sscanf(e, " ino:%lu", &in) == 1 && in == r->idiag_inode,
				 "xtcp-ss line %s: inode, wanted %u", lines[i], r->idiag_inode);
		}
	}
}

static volatile int stop;
static volatile long dumps, dump_errors;

/* Dump both namespaces, with info, until told to stop. */
static void *dumper(void *arg)
{
	int fa = diag_socket_in("a"), fb = diag_socket_in("b");

	(void)arg;
	while (!stop) {
		int n = request(dumps & 1 ? fa : fb, 1, ALL, 1 << (INET_DIAG_INFO - 1), NULL,
				NULL, 0, NULL, 0, 8192);

		if (n < 0) {
			XT_CHECK(n == -ENOENT, "dump while unloading: %s", strerror(-n));
			dump_errors++;
		}
		dumps++;
	}
	close(fa);
	close(fb);
	return NULL;
}

/* Unload xtcp_diag whenever it is loaded, until told to stop. */
static void *unloader(void *arg)
{
	long *unloads = arg;

	while (!stop) {
		if (syscall(SYS_delete_module, "xtcp_diag", O_NONBLOCK) == 0) {
			(*unloads)++;
			/* Let dumps through: a load takes a while. */
			xt_msleep(500);
		} else {
			XT_CHECK(errno == EWOULDBLOCK || errno == ENOENT || errno == EBUSY,
				 "delete_module(xtcp_diag)");
		}
		xt_msleep(20);
	}
	return NULL;
}

static void churn(void)
{
	long unloads = 0;
	pthread_t d, u;
	double start;
	int lfd = xt_listen_in("a", PORT + 1, 64);

	stop = 0;
	if (pthread_create(&d, NULL, dumper, NULL))
		xt_fail("pthread_create");
	if (!xt_is_tcp() && pthread_create(&u, NULL, unloader, &unloads))
		xt_fail("pthread_create");
	/* 3 s and 50 whole dumps; on a slow kernel no more than 60 s. */
	start = xt_now();
	while ((xt_now() < start + 3 || dumps - dump_errors < 50) && xt_now() < start + 60) {
		int c[8], s[8], i;

		for (i = 0; i < 8; i++) {
			c[i] = xt_socket_in("b");
			XT_CHECK(xt_connect(c[i], XT_A, PORT + 1) == 0, "connect");
			s[i] = xt_accept_wait(lfd, 2000);
			XT_CHECK(s[i] >= 0, "accept");
		}
		for (i = 0; i < 8; i++) {
			if (i & 1) {
				struct linger lg = { 1, 0 };

				setsockopt(c[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
			}
			close(c[i]);
			close(s[i]);
		}
	}
	stop = 1;
	pthread_join(d, NULL);
	if (!xt_is_tcp())
		pthread_join(u, NULL);
	close(lfd);
	fprintf(stderr, "churn: %ld dumps (%ld ENOENT), xtcp_diag unloaded %ld times\n",
		dumps, dump_errors, unloads);
	XT_CHECK(dumps - dump_errors >= 50, "only %ld whole dumps", dumps - dump_errors);
	XT_CHECK(xt_is_tcp() || unloads > 0, "xtcp_diag never unloaded");
	/* Loaded again by a request, for what follows. */
	dump_in("a", ALL, 0, NULL, 0, ents, 512);
}

static void check_module(void)
{
	XT_CHECK(module_loaded("xtcp_diag"), "guest-init did not load xtcp_diag");
	XT_ERRNO(syscall(SYS_delete_module, "xtcp", O_NONBLOCK), EWOULDBLOCK);
	XT_CHECK(module_loaded("xtcp"), "xtcp unloaded under xtcp_diag");
	XT_CHECK(syscall(SYS_delete_module, "xtcp_diag", O_NONBLOCK) == 0, "rmmod xtcp_diag");
	XT_CHECK(!module_loaded("xtcp_diag"), "xtcp_diag still loaded");
	dump_in("a", ALL, 0, NULL, 0, ents, 512);
	XT_CHECK(module_loaded("xtcp_diag"), "a request did not load xtcp_diag");
}

int main(void)
{
	int lfd, c[3], s[2], many_c[MANY], many_s[MANY], i, n, nf;
	unsigned short cp[3];
	struct want wa[4], wb[3], w;
	struct inet_diag_sockid id;
	struct ent e;
	struct inf inf;
	struct bc p;
	char buf[1000] = { 0 }, mac[24];
	static char lines[64][256];
	struct xt_hdr syn = {
		.sport = FAKE_PORT, .dport = PORT, .seq = ISN, .flags = XT_SYN, .mss = 1460,
	};
	struct xt_hdr rst = {
		.sport = FAKE_PORT, .dport = PORT, .seq = ISN + 1, .flags = XT_RST,
	};

	if (!xt_is_tcp())
		check_module();
	expect("empty a", "a", ALL, NULL, 0, NULL, 0);
	expect("empty b", "b", ALL, NULL, 0, NULL, 0);

	/* The listener, two accepted connections and one waiting. */
	lfd = xt_listen_in("a", PORT, 8);
	for (i = 0; i < 3; i++) {
		c[i] = xt_socket_in("b");
		XT_CHECK(xt_connect(c[i], XT_A, PORT) == 0, "connect");
		cp[i] = xt_local_port(c[i]);
		if (i < 2) {
			s[i] = xt_accept_wait(lfd, 2000);
			XT_CHECK(s[i] >= 0, "accept");
		}
	}
	xt_send_all(c[0], buf, sizeof(buf));
	XT_CHECK(xt_wait_inq(s[0], sizeof(buf), 2000) == sizeof(buf), "1000 bytes at s0");
	for (i = 0; i < 200 && xt_ioctl_int(c[0], SIOCOUTQ); i++)
		xt_msleep(10);
	XT_CHECK(xt_ioctl_int(c[0], SIOCOUTQ) == 0, "c0's data not acknowledged");
	xt_send_all(s[1], buf, 300);
	xt_recv_all(c[1], buf, 300, 2000);
	for (i = 0; i < 200 && xt_ioctl_int(s[1], SIOCOUTQ); i++)
		xt_msleep(10);

	wa[0] = (struct want){ "listener", XT_A, PORT, NULL, 0, XTCP_LISTEN, ino(lfd), 1, 8, 0 };
	wa[1] = (struct want){ "s0", XT_A, PORT, XT_B, cp[0], XTCP_ESTABLISHED, ino(s[0]),
			       1000, 0, 0 };
	wa[2] = (struct want){ "s1", XT_A, PORT, XT_B, cp[1], XTCP_ESTABLISHED, ino(s[1]),
			       0, 0, 0 };
	wa[3] = (struct want){ "child", XT_A, PORT, XT_B, cp[2], XTCP_ESTABLISHED, 0, 0, 0, 0 };
	for (i = 0; i < 3; i++)
		wb[i] = (struct want){ "client", XT_B, cp[i], XT_A, PORT, XTCP_ESTABLISHED,
				       ino(c[i]), 0, 0, 0 };
	expect("all of a", "a", ALL, NULL, 0, wa, 4);
	expect("all of b", "b", ALL, NULL, 0, wb, 3);

	/* State masks. */
	expect("listeners", "a", 1 << XTCP_LISTEN, NULL, 0, wa, 1);
	expect("established", "a", 1 << XTCP_ESTABLISHED, NULL, 0, wa + 1, 3);
	expect("ss's default", "a", ALL & ~(1 << XTCP_LISTEN | 1 << XTCP_CLOSE |
		1 << XTCP_TIME_WAIT | 1 << XTCP_SYN_RECV), NULL, 0, wa + 1, 3);
	expect("time-wait", "a", 1 << XTCP_TIME_WAIT, NULL, 0, NULL, 0);

	/* Bytecode. */
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_S_EQ, PORT, 0);
	expect("sport = PORT", "a", ALL, p.b, p.len, wa, 4);
	expect("sport = PORT", "b", ALL, p.b, p.len, NULL, 0);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, PORT, 0);
	expect("dport = PORT", "b", ALL, p.b, p.len, wb, 3);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, cp[0], 0);
	expect("dport = c0", "a", ALL, p.b, p.len, wa + 1, 1);
	memset(&p, 0, sizeof(p));
	bc_host(&p, INET_DIAG_BC_D_COND, XT_B, cp[1]);
	expect("dst b:c1", "a", ALL, p.b, p.len, wa + 2, 1);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_S_EQ, PORT, 0);
	bc_port(&p, INET_DIAG_BC_D_EQ, cp[0], 1);
	expect("sport = PORT and not dport = c0", "a", 1 << XTCP_ESTABLISHED, p.b, p.len,
	       wa + 2, 2);

	/* dump_one. */
	n = dump_in("a", ALL, 0, NULL, 0, ents, 512);
	id = find(ents, n, &wa[1])->m.id;
	XT_CHECK(get_one("a", &id, &e) == 1, "dump_one of s0");
	XT_CHECK(e.m.idiag_inode == wa[1].ino && e.m.idiag_state == XTCP_ESTABLISHED &&
		 e.m.idiag_rqueue == 1000, "dump_one of s0: inode %u state %u",
		 e.m.idiag_inode, e.m.idiag_state);
	id = find(ents, n, &wa[0])->m.id;
	XT_CHECK(get_one("a", &id, &e) == 1 && e.m.idiag_inode == wa[0].ino,
		 "dump_one of the listener");
	id = find(ents, n, &wa[1])->m.id;
	id.idiag_cookie[0] ^= 1;
	XT_CHECK(get_one("a", &id, &e) == -ENOENT, "dump_one with a wrong cookie");
	id = find(ents, n, &wa[1])->m.id;
	id.idiag_sport = htons(PORT + 998);
	id.idiag_cookie[0] = id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	XT_CHECK(get_one("a", &id, &e) == -ENOENT, "dump_one of nobody's tuple");

	/* Info: bytes, then a retransmission. */
	e = one_with_info("a", &wa[1]);
	inf = info_of(&e);
	XT_CHECK(inf.state == XTCP_ESTABLISHED, "s0's info: state %u", inf.state);
	XT_CHECK(xt_is_tcp() || inf.bytes_received == 1000, "s0 received %llu",
		 inf.bytes_received);
	e = one_with_info("b", &wb[0]);
	inf = info_of(&e);
	XT_CHECK(inf.bytes_acked == 1000 || (xt_is_tcp() && inf.bytes_acked == 1001),
		 "c0's bytes acknowledged %llu", inf.bytes_acked);
	XT_CHECK(inf.retransmits == 0 && inf.total_retrans == 0, "c0 retransmitted");

	xt_netem("a", "loss 100%");
	xt_send_all(s[1], buf, 100);
	for (i = 0; i < 300; i++) {
		e = one_with_info("a", &wa[2]);
		if (e.m.idiag_retrans >= 1)
			break;
		xt_msleep(10);
	}
	inf = info_of(&e);
	XT_CHECK(e.m.idiag_timer == 1 && e.m.idiag_retrans >= 1 && e.m.idiag_wqueue == 100,
		 "s1 under loss: timer %u retrans %u Send-Q %u", e.m.idiag_timer,
		 e.m.idiag_retrans, e.m.idiag_wqueue);
	XT_CHECK(inf.retransmits >= 1 && inf.total_retrans >= 1,
		 "s1's info under loss: retransmits %u total %u", inf.retransmits,
		 inf.total_retrans);
	xt_netem_off("a");
	xt_recv_all(c[1], buf, 100, 10000);
	for (i = 0; i < 300; i++) {
		e = one_with_info("a", &wa[2]);
		if (!e.m.idiag_wqueue)
			break;
		xt_msleep(10);
	}
	inf = info_of(&e);
	XT_CHECK(e.m.idiag_wqueue == 0 && inf.retransmits == 0 && inf.total_retrans >= 1,
		 "s1 after the loss: Send-Q %u retransmits %u total %u", e.m.idiag_wqueue,
		 inf.retransmits, inf.total_retrans);
	XT_CHECK(xt_is_tcp() || inf.bytes_acked == 400, "s1's bytes acknowledged %llu",
		 inf.bytes_acked);

	/* History, as getsockopt tells it. */
	if (!xt_is_tcp()) {
		check_history("a", &wa[0], lfd);
		check_history("a", &wa[1], s[0]);
		check_history("b", &wb[0], c[0]);
	}

	/* xtcp-ss. */
	check_ss("a", "-a -n -e", ALL, NULL);
	check_ss("b", "-e", ALL & ~(1 << XTCP_LISTEN | 1 << XTCP_CLOSE | 1 << XTCP_TIME_WAIT |
		 1 << XTCP_SYN_RECV), NULL);
	check_ss("a", "-l", 1 << XTCP_LISTEN, NULL);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_S_EQ, PORT, 0);
	check_ss("a", "state established sport = :7001", 1 << XTCP_ESTABLISHED, &p);
	XT_CHECK(ss("a", "state established sport = :7001", lines, 64) == 3, "3 lines");
	{
		char args[64];

		memset(&p, 0, sizeof(p));
		bc_port(&p, INET_DIAG_BC_D_EQ, cp[0], 0);
		snprintf(args, sizeof(args), "-a dport = :%u", cp[0]);
		check_ss("a", args, ALL, &p);
		XT_CHECK(ss("a", args, lines, 64) == 1, "dport = :%u: 1 line", cp[0]);
		memset(&p, 0, sizeof(p));
		bc_host(&p, INET_DIAG_BC_D_COND, XT_B, cp[1]);
		snprintf(args, sizeof(args), "dst %s:%u", XT_B, cp[1]);
		check_ss("a", args, 1 << XTCP_ESTABLISHED | 1 << XTCP_SYN_SENT |
			 1 << XTCP_FIN_WAIT1 | 1 << XTCP_FIN_WAIT2 | 1 << XTCP_CLOSE_WAIT |
			 1 << XTCP_LAST_ACK | 1 << XTCP_CLOSING, &p);
		XT_CHECK(ss("a", args, lines, 64) == 1, "%s: 1 line", args);
		snprintf(args, sizeof(args), "state established not dport = :%u", cp[0]);
		XT_CHECK(ss("a", args, lines, 64) == 2, "%s: 2 lines", args);
		{
			char peer0[32];

			snprintf(peer0, sizeof(peer0), "%s:%u ", XT_B, cp[0]);
			XT_CHECK(!strstr(lines[0], peer0) && !strstr(lines[1], peer0),
				 "%s: %s listed", args, peer0);
		}
		if (!xt_is_tcp()) {
			snprintf(args, sizeof(args), "-i sport = :%u", cp[0]);
			XT_CHECK(ss("b", args, lines, 64) == 2, "-i: 2 lines");
			XT_CHECK(strstr(lines[1], " bytes_acked:1000 ") &&
				 strstr(lines[1], " retrans:0/0 "), "-i: %s", lines[1]);
			snprintf(args, sizeof(args), "-H sport = :%u", cp[0]);
			n = ss("b", args, lines, 64);
			XT_CHECK(n == 3, "-H: %d lines", n);
			XT_CHECK(strstr(lines[1], "CLOSED -> SYN-SENT by connect, "),
				 "-H: %s", lines[1]);
			XT_CHECK(strstr(lines[2], "SYN-SENT -> ESTAB by rcv-synack, "),
				 "-H: %s", lines[2]);
		}
	}

	/* A request whose SYN-ACKs nobody hears. */
	xt_static_neigh();
	xt_arp_set("a", XT_B, NOBODY_MAC);
	xt_inject("b", XT_A, &syn);
	w = (struct want){ "request", XT_A, PORT, XT_B, FAKE_PORT, XTCP_SYN_RECV, 0, -1, -1, 1 };
	for (i = 0; i < 200; i++) {
		if (dump_in("a", 1 << XTCP_SYN_RECV, 0, NULL, 0, ents, 512) == 1)
			break;
		xt_msleep(10);
	}
	expect("request", "a", 1 << XTCP_SYN_RECV, NULL, 0, &w, 1);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, FAKE_PORT, 0);
	expect("request by dport", "a", ALL, p.b, p.len, &w, 1);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, FAKE_PORT + 1, 0);
	expect("request by another dport", "a", ALL, p.b, p.len, NULL, 0);
	check_ss("a", "state syn-recv", 1 << XTCP_SYN_RECV, NULL);
	xt_inject("b", XT_A, &rst);
	for (i = 0; i < 200; i++) {
		if (dump_in("a", 1 << XTCP_SYN_RECV, 0, NULL, 0, ents, 512) == 0)
			break;
		xt_msleep(10);
	}
	expect("request reset", "a", 1 << XTCP_SYN_RECV, NULL, 0, NULL, 0);
	xt_hwaddr("b", mac, sizeof(mac));
	xt_arp_set("a", XT_B, mac);

	/* TIME-WAIT: b closes first. */
	close(c[1]);
	xt_msleep(50);
	close(s[1]);
	w = (struct want){ "time-wait", XT_B, cp[1], XT_A, PORT, XTCP_TIME_WAIT, 0, 0, 0, 3 };
	for (i = 0; i < 200; i++) {
		if (dump_in("b", 1 << XTCP_TIME_WAIT, 0, NULL, 0, ents, 512) == 1)
			break;
		xt_msleep(10);
	}
	expect("time-wait", "b", 1 << XTCP_TIME_WAIT, NULL, 0, &w, 1);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, PORT, 0);
	bc_host(&p, INET_DIAG_BC_S_COND, XT_B, -1);
	expect("time-wait by dport and src", "b", 1 << XTCP_TIME_WAIT, p.b, p.len, &w, 1);
	memset(&p, 0, sizeof(p));
	bc_port(&p, INET_DIAG_BC_D_EQ, PORT + 5, 0);
	expect("time-wait by another dport", "b", 1 << XTCP_TIME_WAIT, p.b, p.len, NULL, 0);
	check_ss("b", "state time-wait", 1 << XTCP_TIME_WAIT, NULL);

	/* Many: a dump in several messages. */
	for (i = 0; i < MANY; i++) {
		many_c[i] = xt_socket_in("b");
		XT_CHECK(xt_connect(many_c[i], XT_A, PORT) == 0, "connect");
		many_s[i] = xt_accept_wait(lfd, 2000);
		XT_CHECK(many_s[i] >= 0, "accept");
	}
	{
		int fd = diag_socket_in("a");

		n = request(fd, 1, 1 << XTCP_ESTABLISHED, 1 << (INET_DIAG_INFO - 1), NULL, NULL,
			    0, ents, 512, 4096);
		close(fd);
	}
	XT_CHECK(n == MANY + 2, "%d established in a, wanted %d", n, MANY + 2);
	for (i = 0; i < MANY; i++) {
		w = (struct want){ "many", XT_A, PORT, XT_B, xt_local_port(many_c[i]),
				   XTCP_ESTABLISHED, -1, -1, -1, -1 };
		nf = 0;
		for (int j = 0; j < n; j++)
			nf += matches(&ents[j], &w);
		XT_CHECK(nf == 1, "connection %d listed %d times", i, nf);
	}
	for (i = 0; i < MANY; i++) {
		close(many_c[i]);
		close(many_s[i]);
	}

	churn();

	close(c[0]);
	close(c[2]);
	close(s[0]);
	close(lfd);
	return 0;
}
