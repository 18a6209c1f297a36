// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-ss: list xtcp's sockets over sock_diag, as ss -t lists TCP's.
 *
 *   xtcp-ss [-l | -a] [-n] [-e] [-o] [-i] [-H] [-p PROTO] [-s STATE]...
 *           [state STATE | exclude STATE]... [EXPR]...
 *
 * Speaks NETLINK_SOCK_DIAG itself (inet_diag requests with the family
 * AF_INET and the protocol IPPROTO_XTCP, answered by xtcp_diag.ko) and
 * prints one line per socket, in ss's columns:
 *
 *   State      Recv-Q Send-Q Local Address:Port    Peer Address:Port
 *
 * States are named as ss names them: ESTAB, SYN-SENT, SYN-RECV,
 * FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, UNCONN, CLOSE-WAIT, LAST-ACK,
 * LISTEN, CLOSING.
 *
 * Options:
 *   -l        listeners only
 *   -a        every state (default: all but LISTEN, SYN-RECV, TIME-WAIT
 *             and CLOSE, as ss)
 *   -n        numeric (addresses are always numeric; accepted for ss's sake)
 *   -e        add uid:N ino:N sk:COOKIE to each line
 *   -o        add timer:(NAME,MSms,RETRANS) when a timer runs
 *   -i        a second line of what the connection knows: cong, rto, rtt
 *             and rttvar (ms), mss, cwnd, ssthresh, retrans
 *             (current/total), unacked, lost, sacked, bytes_acked,
 *             bytes_received, segs_out, segs_in, the window scales
 *   -H        then its last state changes, oldest first, one a line:
 *             "OLD -> NEW by CAUSE, N.NNNs ago"
 *   -p PROTO  list protocol PROTO's sockets instead (-p 6: TCP's, through
 *             tcp_diag; -i then prints struct tcp_info's fields)
 *   -s STATE  as "state STATE"
 *
 * Filters, all of which must hold (ss's "and"), each may be preceded by
 * "not":
 *   state STATE      list this state (the first replaces the default set);
 *                    STATE is a name below, or all, connected (all but
 *                    LISTEN and CLOSE), synchronized (connected but
 *                    SYN-SENT)
 *   exclude STATE    do not list it
 *   sport OP [:]PORT the local port; OP is = == != < <= > >= (or eq ne lt
 *                    le gt ge)
 *   dport OP [:]PORT the remote port
 *   src ADDR[/LEN][:PORT], dst ADDR[/LEN][:PORT]   the local or remote
 *                    address, and port; ADDR may be * for any
 * State names: established, syn-sent, syn-recv, fin-wait-1, fin-wait-2,
 * time-wait, closed, close-wait, last-ack, listening (or listen), closing.
 *
 * The states go to the kernel as the request's state mask and the rest
 * as inet_diag bytecode, as ss sends them, so the kernel filters.
 * Exit: 0, 1 on an error (the kernel's errno printed), 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/xtcp.h>

#define ALL_STATES	0xfff
#define DEFAULT_STATES	(ALL_STATES & ~((1 << XTCP_LISTEN) | (1 << XTCP_CLOSE) | \
					(1 << XTCP_TIME_WAIT) | (1 << XTCP_SYN_RECV)))

static const char *const state_ss[] = {
	[XTCP_ESTABLISHED] = "ESTAB", [XTCP_SYN_SENT] = "SYN-SENT",
	[XTCP_SYN_RECV] = "SYN-RECV", [XTCP_FIN_WAIT1] = "FIN-WAIT-1",
	[XTCP_FIN_WAIT2] = "FIN-WAIT-2", [XTCP_TIME_WAIT] = "TIME-WAIT",
	[XTCP_CLOSE] = "UNCONN", [XTCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[XTCP_LAST_ACK] = "LAST-ACK", [XTCP_LISTEN] = "LISTEN",
	[XTCP_CLOSING] = "CLOSING",
};

static const char *const state_arg[] = {
	[XTCP_ESTABLISHED] = "established", [XTCP_SYN_SENT] = "syn-sent",
	[XTCP_SYN_RECV] = "syn-recv", [XTCP_FIN_WAIT1] = "fin-wait-1",
	[XTCP_FIN_WAIT2] = "fin-wait-2", [XTCP_TIME_WAIT] = "time-wait",
	[XTCP_CLOSE] = "closed", [XTCP_CLOSE_WAIT] = "close-wait",
	[XTCP_LAST_ACK] = "last-ack", [XTCP_LISTEN] = "listening",
	[XTCP_CLOSING] = "closing",
};

static const char *const timer_name[] = {
	"off", "on", "keepalive", "timewait", "persist",
};

static struct {
	int proto;
	int ext, info, history, timers;
} opt = { .proto = IPPROTO_XTCP };

static const char *state_name(unsigned int st)
{
	return st < sizeof(state_ss) / sizeof(state_ss[0]) && state_ss[st] ? state_ss[st] : "UNKNOWN";
}

static int usage(void)
{
	fprintf(stderr,
		"usage: xtcp-ss [-l | -a] [-n] [-e] [-o] [-i] [-H] [-p PROTO] [-s STATE]...\n"
		"               [[not] state STATE | exclude STATE | sport OP PORT | dport OP PORT |\n"
		"                src ADDR[/LEN][:PORT] | dst ADDR[/LEN][:PORT]]...\n");
	return 2;
}

/* A state name's bits; 0 if it is none. */
static unsigned int parse_state(const char *s)
{
	unsigned int i;

	if (!strcmp(s, "all"))
		return ALL_STATES;
	if (!strcmp(s, "connected"))
		return ALL_STATES & ~((1 << XTCP_LISTEN) | (1 << XTCP_CLOSE));
	if (!strcmp(s, "synchronized"))
		return ALL_STATES & ~((1 << XTCP_LISTEN) | (1 << XTCP_CLOSE) |
				      (1 << XTCP_SYN_SENT));
	if (!strcmp(s, "listen"))
		return 1 << XTCP_LISTEN;
	if (!strcmp(s, "bucket"))	/* ss: SYN-RECV and TIME-WAIT */
		return (1 << XTCP_SYN_RECV) | (1 << XTCP_TIME_WAIT);
	for (i = 0; i < sizeof(state_arg) / sizeof(state_arg[0]); i++)
		if (state_arg[i] && !strcmp(s, state_arg[i]))
			return 1 << i;
	return 0;
}

/* The bytecode, built as ss builds it: see the end of this file's header. */
static unsigned char bc[4096];
static int bc_len;

/*
 * Append one test of @len bytes (its first op, then its operands), whose
 * "no" leaves the program: every op's no that points just past the end
 * (the end plus 4, which rejects) is moved past the new end.
 */
static int bc_add(const void *test, int len, int negate)
{
	struct inet_diag_bc_op *op;
	int off, end;

	if (bc_len + len + 4 > (int)sizeof(bc))
		return -1;
	end = bc_len + len + (negate ? 4 : 0);
	/* Earlier tests' rejecting no's point past the old end: move them. */
	for (off = 0; off < bc_len; off += op->yes) {
		op = (struct inet_diag_bc_op *)(bc + off);
		if (op->code != INET_DIAG_BC_NOP && off + op->no == bc_len + 4)
			op->no += end - bc_len;
	}
	memcpy(bc + bc_len, test, len);
	op = (struct inet_diag_bc_op *)(bc + bc_len);
	op->yes = len;
	op->no = len + 4;
	if (negate) {
		/* Held: on to a JMP that rejects. Failed: past the JMP. */
		struct inet_diag_bc_op *jmp = (struct inet_diag_bc_op *)(bc + bc_len + len);

		jmp->code = INET_DIAG_BC_JMP;
		jmp->yes = 4;
		jmp->no = 8;
	}
	bc_len = end;
	return 0;
}

static int parse_port(const char *s)
{
	char *end;
	long v;

	if (*s == ':')
		s++;
	v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 65535)
		return -1;
	return v;
}

/* sport/dport OP PORT: as ss, < and > are the negations of >= and <=. */
static int add_port_test(int dst, const char *opname, const char *port, int negate)
{
	struct inet_diag_bc_op t[2] = {};
	int p = parse_port(port);

	if (p < 0)
		return -1;
	t[1].no = p;
	if (!strcmp(opname, "=") || !strcmp(opname, "==") || !strcmp(opname, "eq")) {
		t[0].code = dst ? INET_DIAG_BC_D_EQ : INET_DIAG_BC_S_EQ;
	} else if (!strcmp(opname, "!=") || !strcmp(opname, "ne") || !strcmp(opname, "neq")) {
		t[0].code = dst ? INET_DIAG_BC_D_EQ : INET_DIAG_BC_S_EQ;
		negate = !negate;
	} else if (!strcmp(opname, ">=") || !strcmp(opname, "ge")) {
		t[0].code = dst ? INET_DIAG_BC_D_GE : INET_DIAG_BC_S_GE;
	} else if (!strcmp(opname, "<=") || !strcmp(opname, "le")) {
		t[0].code = dst ? INET_DIAG_BC_D_LE : INET_DIAG_BC_S_LE;
	} else if (!strcmp(opname, "<") || !strcmp(opname, "lt")) {
		t[0].code = dst ? INET_DIAG_BC_D_GE : INET_DIAG_BC_S_GE;
		negate = !negate;
	} else if (!strcmp(opname, ">") || !strcmp(opname, "gt")) {
		t[0].code = dst ? INET_DIAG_BC_D_LE : INET_DIAG_BC_S_LE;
		negate = !negate;
	} else {
		return -1;
	}
	return bc_add(t, sizeof(t), negate);
}

/* src/dst ADDR[/LEN][:PORT], ADDR possibly *. */
static int add_host_test(int dst, const char *arg, int negate)
{
	struct {
		struct inet_diag_bc_op op;
		struct inet_diag_hostcond cond;
		uint32_t addr;
	} t = {};
	char buf[64], *colon, *slash;

	if (strlen(arg) >= sizeof(buf))
		return -1;
	strcpy(buf, arg);
	t.op.code = dst ? INET_DIAG_BC_D_COND : INET_DIAG_BC_S_COND;
	t.cond.family = AF_INET;
	t.cond.port = -1;
	colon = strrchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (strcmp(colon + 1, "*")) {
			t.cond.port = parse_port(colon + 1);
			if (t.cond.port < 0)
				return -1;
		}
	}
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	if (!strcmp(buf, "*") || !*buf) {
		t.cond.prefix_len = 0;
	} else {
		if (inet_pton(AF_INET, buf, &t.addr) != 1)
			return -1;
		t.cond.prefix_len = 32;
		if (slash) {
			int len = atoi(slash + 1);

			if (len < 0 || len > 32)
				return -1;
			t.cond.prefix_len = len;
		}
	}
	return bc_add(&t, sizeof(t), negate);
}

static const char *cause_name(unsigned int ev)
{
	/* enum xtcp_cause, named as the xtcp_set_state tracepoint names them */
	static const char *const names[] = {
		[XTCP_CAUSE_CONNECT] = "connect", [XTCP_CAUSE_LISTEN] = "listen",
		[XTCP_CAUSE_CLOSE] = "close", [XTCP_CAUSE_ABORT] = "abort",
		[XTCP_CAUSE_DISCONNECT] = "disconnect", [XTCP_CAUSE_RCV_SYN] = "rcv-syn",
		[XTCP_CAUSE_RCV_SYNACK] = "rcv-synack", [XTCP_CAUSE_RCV_ACK] = "rcv-ack",
		[XTCP_CAUSE_RCV_FIN_ACK] = "rcv-fin-ack", [XTCP_CAUSE_RCV_FIN] = "rcv-fin",
		[XTCP_CAUSE_RCV_RST] = "rcv-rst", [XTCP_CAUSE_RCV_DATA] = "rcv-data",
		[XTCP_CAUSE_TIMEOUT] = "timeout", [XTCP_CAUSE_ICMP] = "icmp",
		[XTCP_CAUSE_TIME_WAIT] = "time-wait",
	};
	static char buf[16];

	if (ev < sizeof(names) / sizeof(names[0]) && names[ev])
		return names[ev];
	snprintf(buf, sizeof(buf), "event-%u", ev);
	return buf;
}

/* In a history, CLOSE is a state left or entered, not an unconnected socket. */
static const char *history_state(unsigned int st)
{
	return st == XTCP_CLOSE ? "CLOSED" : state_name(st);
}

static void print_history(const struct xtcp_transition *t, int n)
{
	struct timespec now;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (i = 0; i < n; i++) {
		int64_t age = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec -
			(int64_t)t[i].xtcpt_time_ns;

		printf("\t %s -> %s by %s, %lld.%03llds ago\n", history_state(t[i].xtcpt_old),
		       history_state(t[i].xtcpt_new), cause_name(t[i].xtcpt_cause),
		       (long long)(age / 1000000000), (long long)(age % 1000000000 / 1000000));
	}
}

static void print_xtcp_info(const struct xtcp_info *x, size_t len)
{
	struct xtcp_info i = {};

	memcpy(&i, x, len < sizeof(i) ? len : sizeof(i));
	printf(" rto:%g rtt:%g/%g mss:%u rcvmss:%u cwnd:%u ssthresh:%u retrans:%u/%u"
	       " unacked:%u lost:%u sacked:%u bytes_acked:%llu bytes_received:%llu"
	       " segs_out:%u segs_in:%u wscale:%u,%u\n",
	       i.xtcpi_rto / 1000.0, i.xtcpi_rtt / 1000.0, i.xtcpi_rttvar / 1000.0,
	       i.xtcpi_snd_mss, i.xtcpi_rcv_mss, i.xtcpi_snd_cwnd, i.xtcpi_snd_ssthresh,
	       i.xtcpi_retransmits, i.xtcpi_total_retrans, i.xtcpi_unacked, i.xtcpi_lost,
	       i.xtcpi_sacked, (unsigned long long)i.xtcpi_bytes_acked,
	       (unsigned long long)i.xtcpi_bytes_received, i.xtcpi_segs_out, i.xtcpi_segs_in, i.xtcpi_snd_wscale, i.xtcpi_rcv_wscale);
}

static void print_tcp_info(const struct tcp_info *t, size_t len)
{
	struct tcp_info i = {};

	memcpy(&i, t, len < sizeof(i) ? len : sizeof(i));
	printf(" rto:%g rtt:%g/%g mss:%u rcvmss:%u cwnd:%u ssthresh:%u retrans:%u/%u"
	       " unacked:%u lost:%u sacked:%u bytes_acked:%llu bytes_received:%llu"
	       " segs_out:%u segs_in:%u wscale:%u,%u\n",
	       i.tcpi_rto / 1000.0, i.tcpi_rtt / 1000.0, i.tcpi_rttvar / 1000.0,
	       i.tcpi_snd_mss, i.tcpi_rcv_mss, i.tcpi_snd_cwnd, i.tcpi_snd_ssthresh,
	       i.tcpi_retransmits, i.tcpi_total_retrans, i.tcpi_unacked, i.tcpi_lost,
	       i.tcpi_sacked, (unsigned long long)i.tcpi_bytes_acked,
	       (unsigned long long)i.tcpi_bytes_received, i.tcpi_segs_out, i.tcpi_segs_in,
	       i.tcpi_snd_wscale, i.tcpi_rcv_wscale);
}

static void print_msg(const struct nlmsghdr *h)
{
	const struct inet_diag_msg *r = NLMSG_DATA(h);
	int len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*r));
	const struct rtattr *a = (const void *)(r + 1);
	const struct rtattr *info = NULL, *hist = NULL, *cong = NULL;
	char local[64], peer[64], addr[INET_ADDRSTRLEN];

	if (len < 0)
		return;
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == INET_DIAG_INFO)
			info = a;
		else if (a->rta_type == XTCP_DIAG_HISTORY)
			hist = a;
		else if (a->rta_type == INET_DIAG_CONG)
			cong = a;
	}

	inet_ntop(AF_INET, &r->id.idiag_src[0], addr, sizeof(addr));
	snprintf(local, sizeof(local), "%s:%u", r->id.idiag_src[0] ? addr : "0.0.0.0",
		 ntohs(r->id.idiag_sport));
	inet_ntop(AF_INET, &r->id.idiag_dst[0], addr, sizeof(addr));
	if (r->id.idiag_dport)
		snprintf(peer, sizeof(peer), "%s:%u", addr, ntohs(r->id.idiag_dport));
	else
		snprintf(peer, sizeof(peer), "%s:*", addr);
	printf("%-10s %-6u %-6u %-22s %-22s", state_name(r->idiag_state), r->idiag_rqueue,
	       r->idiag_wqueue, local, peer);
	if (opt.timers && r->idiag_timer && r->idiag_timer < 5)
		printf(" timer:(%s,%ums,%u)", timer_name[r->idiag_timer], r->idiag_expires,
		       r->idiag_retrans);
	if (opt.ext)
		printf(" uid:%u ino:%u sk:%x%08x", r->idiag_uid, r->idiag_inode,
		       r->id.idiag_cookie[1], r->id.idiag_cookie[0]);
	printf("\n");
	if (opt.info && (info || cong)) {
		printf("\t");
		if (cong)
			printf(" cong:%s", (const char *)RTA_DATA(cong));
		if (info && opt.proto == IPPROTO_TCP)
			print_tcp_info(RTA_DATA(info), RTA_PAYLOAD(info));
		else if (info)
			print_xtcp_info(RTA_DATA(info), RTA_PAYLOAD(info));
		else
			printf("\n");
	}
	if (opt.history && hist)
		print_history(RTA_DATA(hist), RTA_PAYLOAD(hist) / sizeof(struct xtcp_transition));
}

static int dump(unsigned int states)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
		struct rtattr bc;
	} req = {
		.nlh = {
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.r = {
			.sdiag_family = AF_INET,
			.sdiag_protocol = opt.proto,
			.idiag_states = states,
		},
	};
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec iov[2] = { { &req, sizeof(req) }, { bc, bc_len } };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = iov };
	static char buf[65536];
	int fd, done = 0;

	if (opt.info || opt.history)
		req.r.idiag_ext |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1);
	if (bc_len) {
		req.bc.rta_type = INET_DIAG_REQ_BYTECODE;
		req.bc.rta_len = RTA_LENGTH(bc_len);
		req.nlh.nlmsg_len = sizeof(req) + bc_len;
		msg.msg_iovlen = 2;
	} else {
		req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(req.r));
		iov[0].iov_len = req.nlh.nlmsg_len;
		msg.msg_iovlen = 1;
	}

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		perror("xtcp-ss: socket(NETLINK_SOCK_DIAG)");
		return 1;
	}
	if (sendmsg(fd, &msg, 0) < 0) {
		perror("xtcp-ss: sendmsg");
		close(fd);
		return 1;
	}
	printf("%-10s %-6s %-6s %-22s %-22s\n", "State", "Recv-Q", "Send-Q",
	       "Local Address:Port", "Peer Address:Port");
	while (!done) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("xtcp-ss: recv");
			close(fd);
			return 1;
		}
		if (n == 0)
			break;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				/* A dump that failed says why after NLMSG_DONE. */
				int err = 0;

				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
					memcpy(&err, NLMSG_DATA(h), sizeof(err));
				done = 1;
				if (err >= 0)
					break;
			}
			if (h->nlmsg_type == NLMSG_ERROR || done) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				errno = -e->error;
				fprintf(stderr, "xtcp-ss: sock_diag for protocol %d: %s\n",
					opt.proto, strerror(errno));
				close(fd);
				return 1;
			}
			print_msg(h);
		}
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int states = DEFAULT_STATES, bits;
	int c, stated = 0, negate = 0;

	while ((c = getopt(argc, argv, "lanp:s:eoiHh")) != -1) {
		switch (c) {
		case 'l':
			states = 1 << XTCP_LISTEN;
			stated = 1;
			break;
		case 'a':
			states = ALL_STATES;
			stated = 1;
			break;
		case 'n':
			break;
		case 'e':
			opt.ext = 1;
			break;
		case 'o':
			opt.timers = 1;
			break;
		case 'i':
			opt.info = 1;
			break;
		case 'H':
			opt.history = 1;
			break;
		case 'p':
			opt.proto = atoi(optarg);
			if (opt.proto <= 0 || opt.proto > 255)
				return usage();
			break;
		case 's':
			bits = parse_state(optarg);
			if (!bits)
				return usage();
			states = (stated == 2 ? states : 0) | bits;
			stated = 2;
			break;
		default:
			return usage();
		}
	}
	for (c = optind; c < argc; c++) {
		const char *w = argv[c];

		if (!strcmp(w, "and") || !strcmp(w, "&&"))
			continue;
		if (!strcmp(w, "not") || !strcmp(w, "!")) {
			negate = !negate;
			continue;
		}
		if (c + 1 >= argc)
			return usage();
		if (!strcmp(w, "state") || !strcmp(w, "exclude")) {
			bits = parse_state(argv[++c]);
			if (!bits || negate)
				return usage();
			if (w[0] == 's')
				states = (stated == 2 ? states : 0) | bits;
			else
				states &= ~bits;
			if (w[0] == 's')
				stated = 2;
			continue;
		}
		if (!strcmp(w, "sport") || !strcmp(w, "dport")) {
			if (c + 2 >= argc || add_port_test(w[0] == 'd', argv[c + 1], argv[c + 2], negate))
				return usage();
			c += 2;
		} else if (!strcmp(w, "src") || !strcmp(w, "dst")) {
			if (add_host_test(w[0] == 'd', argv[++c], negate))
				return usage();
		} else {
			return usage();
		}
		negate = 0;
	}
	if (negate)
		return usage();
	return dump(states);
}
