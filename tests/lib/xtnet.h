/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection helpers for the lifecycle tests: namespace switching that
 * keeps the caller's namespace, sockets made in a namespace, connected
 * pairs between a and b, the connection state (XTCP_INFO, or TCP_INFO
 * under XT_PROTO=6), per-namespace sysctls by their xtcp names, netem,
 * time, and poll masks in words.
 *
 * A socket stays in the namespace it was made in, whatever the thread
 * does afterwards, so one thread can hold a listener in b and a client
 * in a: socket() is the only call that needs the namespace.
 */
#ifndef _XTNET_H
#define _XTNET_H

#include <net/if.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>

#include "xt.h"

#define XT_PORT 5001		/* the listener's port in most tests */

static inline double xt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void xt_msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Enter namespace ns ("a", "b", or NULL for the root namespace). */
static inline void xt_enter(const char *ns)
{
	int fd;

	if (ns) {
		xt_netns(ns);
		return;
	}
	fd = open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		xt_fail("cannot enter the root netns");
	close(fd);
}

/* Enter ns, returning a handle on the namespace the thread was in. */
static inline int xt_push_ns(const char *ns)
{
	int old = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);

	if (old < 0)
		xt_fail("open /proc/thread-self/ns/net");
	xt_enter(ns);
	return old;
}

static inline void xt_pop_ns(int old)
{
	if (setns(old, CLONE_NEWNET) < 0)
		xt_fail("setns back");
	close(old);
}

/*
 * popen(cmd, "r") run in namespace ns: popen() forks this thread, which
 * is in ns for the moment. Fails the test if it cannot.
 */
static inline FILE *xt_popen_in(const char *ns, const char *cmd)
{
	int old = xt_push_ns(ns);
	FILE *f = popen(cmd, "r");

	xt_pop_ns(old);
	if (!f)
		xt_fail("popen %s in %s", cmd, ns);
	return f;
}

/* A socket of the protocol under test, made in namespace ns. */
static inline int xt_socket_in(const char *ns)
{
	int old = xt_push_ns(ns);
	int fd = xt_socket();

	xt_pop_ns(old);
	return fd;
}

static inline int xt_is_tcp(void)
{
	return xt_proto() == IPPROTO_TCP;
}

/*
 * The entries of /proc/net/xtcp (/proc/net/tcp under XT_PROTO=6) in
 * namespace ns, or in the thread's own if ns is NULL: sockets, requests
 * and TIME-WAIT entries. Counted by state (TCP's numbers) into count[16]
 * if count is not NULL; each but the TIME-WAIT entries, which hold
 * nothing, printed after show if show is not NULL. Returns how many.
 */
static inline int xt_proc_entries(const char *ns, int count[16], const char *show)
{
	int old = ns ? xt_push_ns(ns) : -1, n = 0;
	const char *name = xt_is_tcp() ? "tcp" : "xtcp";
	char path[64], line[256];
	unsigned int st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", name);
	f = fopen(path, "r");
	if (ns)
		xt_pop_ns(old);
	XT_CHECK(f, "/proc/net/%s in %s", name, ns ? ns : "this namespace");
	if (count)
		memset(count, 0, 16 * sizeof(*count));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x", &st) != 1)
			continue;	/* the heading */
		if (count && st < 16)
			count[st]++;
		if (show && st != TCP_TIME_WAIT)
			printf("%s%s", show, line);
		n++;
	}
	fclose(f);
	return n;
}

static inline const char *xt_ip_of(const char *ns)
{
	return ns[0] == 'a' ? XT_A : XT_B;
}

static inline void xt_bind(int fd, const char *ip, unsigned short port)
{
	struct sockaddr_in sin = xt_addr(ip, port);

	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		xt_fail("bind %s:%u", ip, port);
}

/* SO_LINGER {1, 0}: close() then aborts the connection with a RST. */
static inline void xt_abort(int fd)
{
	struct linger lg = { 1, 0 };

	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
		xt_fail("SO_LINGER");
}

static inline void xt_reuseaddr(int fd)
{
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		xt_fail("SO_REUSEADDR");
}

static inline void xt_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		xt_fail("fcntl O_NONBLOCK");
}

/* A listener in ns on its address and port. */
static inline int xt_listen_in(const char *ns, unsigned short port, int backlog)
{
	int fd = xt_socket_in(ns);

	xt_reuseaddr(fd);
	xt_bind(fd, xt_ip_of(ns), port);
	if (listen(fd, backlog) < 0)
		xt_fail("listen");
	return fd;
}

static inline int xt_connect(int fd, const char *ip, unsigned short port)
{
	struct sockaddr_in sin = xt_addr(ip, port);

	return connect(fd, (struct sockaddr *)&sin, sizeof(sin));
}

static inline unsigned short xt_local_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		xt_fail("getsockname");
	return ntohs(sin.sin_port);
}

/*
 * bind() a new socket in ns to port on ns's address, with or without
 * SO_REUSEADDR, and close it: whether the port is held. The result of
 * bind(), errno kept.
 */
static inline int xt_try_bind(const char *ns, unsigned short port, int reuse)
{
	struct sockaddr_in sin = xt_addr(xt_ip_of(ns), port);
	int fd = xt_socket_in(ns), r, err;

	if (reuse)
		xt_reuseaddr(fd);
	r = bind(fd, (struct sockaddr *)&sin, sizeof(sin));
	err = errno;
	close(fd);
	errno = err;
	return r;
}

/*
 * Seconds from now until port in ns can be bound without SO_REUSEADDR,
 * polled every 10 ms; -1 if it is still held after max seconds.
 */
static inline double xt_until_free(const char *ns, unsigned short port, double max)
{
	double t0 = xt_now();

	while (xt_try_bind(ns, port, 0) < 0) {
		if (errno != EADDRINUSE)
			xt_fail("bind of port %u in %s", port, ns);
		if (xt_now() - t0 > max)
			return -1;
		xt_msleep(10);
	}
	return xt_now() - t0;
}

/* Accept on lfd, waiting at most ms; -1 when nothing came. */
static inline int xt_accept_wait(int lfd, int ms)
{
	struct pollfd p = { .fd = lfd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return accept(lfd, NULL, NULL);
}

/* A connected pair: client in a, server (accepted) in b, listener kept. */
struct xt_pair {
	int lfd;		/* listener in b on XT_B:port */
	int cfd;		/* client in a */
	int sfd;		/* the accepted socket in b */
	unsigned short cport;	/* the client's port */
	unsigned short port;	/* the listener's port */
};

/*
 * A connected pair whose client is bound first to cport (0: connect()
 * picks one), with SO_REUSEADDR if reuse.
 */
static inline struct xt_pair xt_pair_from(unsigned short cport, int reuse, unsigned short port)
{
	struct xt_pair p = { .port = port };

	p.lfd = xt_listen_in("b", port, 16);
	p.cfd = xt_socket_in("a");
	if (reuse)
		xt_reuseaddr(p.cfd);
	if (cport)
		xt_bind(p.cfd, XT_A, cport);
	if (xt_connect(p.cfd, XT_B, port) < 0)
		xt_fail("connect to %s:%u", XT_B, port);
	p.sfd = xt_accept_wait(p.lfd, 5000);
	if (p.sfd < 0)
		xt_fail("accept");
	p.cport = xt_local_port(p.cfd);
	return p;
}

static inline struct xt_pair xt_pair_open(unsigned short port)
{
	return xt_pair_from(0, 0, port);
}

/*
 * A connected pair between the namespaces of one path (see xt_path()):
 * client in na, listener and server in nb.
 */
static inline struct xt_pair xt_pair_between(const char *na, const char *nb,
					     unsigned short port)
{
	struct xt_pair p = { .port = port };

	p.lfd = xt_listen_in(nb, port, 64);
	p.cfd = xt_socket_in(na);
	if (xt_connect(p.cfd, xt_ip_of(nb), port) < 0)
		xt_fail("connect from %s to %s:%u", na, nb, port);
	p.sfd = xt_accept_wait(p.lfd, 10000);
	if (p.sfd < 0)
		xt_fail("accept in %s", nb);
	p.cport = xt_local_port(p.cfd);
	return p;
}

/* Send all of buf or fail. */
static inline void xt_send_all(int fd, const void *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n <= 0)
			xt_fail("send");
		buf = (const char *)buf + n;
		len -= n;
	}
}

/* Receive exactly len bytes within ms or fail. */
static inline void xt_recv_all(int fd, void *buf, size_t len, int ms)
{
	double end = xt_now() + ms / 1000.0;

	while (len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, (int)((end - xt_now()) * 1000) + 1) != 1)
			xt_fail("recv: nothing within %d ms", ms);
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n <= 0)
			xt_fail("recv returned %zd", n);
		buf = (char *)buf + n;
		len -= n;
	}
}

struct xt_sender {
	int fd;
	const void *buf;
	size_t len;
};

static inline void *xt_sender_run(void *arg)
{
	struct xt_sender *s = arg;

	xt_send_all(s->fd, s->buf, s->len);
	return NULL;
}

/*
 * len bytes of buf from fd to peer, written by a thread while this one
 * reads (so neither side's buffer limits the other), within ms; fails
 * unless peer read buf byte for byte.
 */
static inline void xt_xfer(int fd, int peer, const void *buf, size_t len, int ms)
{
	struct xt_sender s = { fd, buf, len };
	void *got = malloc(len);
	pthread_t t;

	if (!got)
		xt_fail("no memory for %zu bytes", len);
	if (pthread_create(&t, NULL, xt_sender_run, &s))
		xt_fail("pthread_create");
	xt_recv_all(peer, got, len, ms);
	pthread_join(t, NULL);
	if (memcmp(got, buf, len))
		xt_fail("%zu bytes arrived, not the ones sent", len);
	free(got);
}

/* len bytes that do not repeat within a page, to tell a misplaced byte. */
static inline char *xt_pattern(size_t len)
{
	char *buf = malloc(len);
	size_t i;

	if (!buf)
		xt_fail("no memory for %zu bytes", len);
	for (i = 0; i < len; i++)
		buf[i] = (char)(i * 7 + i / 4093);
	return buf;
}

/* Send the string msg on fd and receive it whole on peer, or fail. */
static inline void xt_send_expect(int fd, int peer, const char *msg)
{
	size_t len = strlen(msg);
	char buf[256];

	if (len > sizeof(buf))
		xt_fail("message too long");
	xt_send_all(fd, msg, len);
	xt_recv_all(peer, buf, len, 3000);
	if (memcmp(buf, msg, len))
		xt_fail("sent \"%s\", received \"%.*s\"", msg, (int)len, buf);
}

/* Wait until fd is readable (data, EOF or error), at most ms. */
static inline int xt_wait_readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

/* XTCP_INFO into *xi, or under XT_PROTO=6 TCP_INFO into *ti. */
static inline void xt_info(int fd, struct xtcp_info *xi, struct tcp_info *ti)
{
	socklen_t len;

	if (xt_is_tcp()) {
		len = sizeof(*ti);
		if (getsockopt(fd, SOL_TCP, TCP_INFO, ti, &len) < 0)
			xt_fail("getsockopt TCP_INFO");
		return;
	}
	len = sizeof(*xi);
	if (getsockopt(fd, SOL_XTCP, XTCP_INFO, xi, &len) < 0)
		xt_fail("getsockopt XTCP_INFO");
}

/* The connection state: enum xtcp_state, the same numbers as TCP's. */
static inline int xt_state(int fd)
{
	struct xtcp_info xi;
	struct tcp_info ti;

	xt_info(fd, &xi, &ti);
	return xt_is_tcp() ? ti.tcpi_state : xi.xtcpi_state;
}

/* The window scale the socket offered on its SYN or SYN-ACK. */
static inline int xt_rcv_wscale(int fd)
{
	struct xtcp_info xi;
	struct tcp_info ti;

	xt_info(fd, &xi, &ti);
	return xt_is_tcp() ? ti.tcpi_rcv_wscale : xi.xtcpi_rcv_wscale;
}

static inline const char *xt_state_name(int s)
{
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN-SENT", "SYN-RECEIVED", "FIN-WAIT-1",
		"FIN-WAIT-2", "TIME-WAIT", "CLOSED", "CLOSE-WAIT", "LAST-ACK",
		"LISTEN", "CLOSING",
	};

	return s > 0 && s <= XTCP_CLOSING ? names[s] : "?";
}

#define XT_STATE(fd, want) do {						\
	int __s = xt_state(fd);						\
	if (__s != (want))						\
		xt_fail("state of " #fd " is %s, wanted %s",		\
			xt_state_name(__s), xt_state_name(want));	\
} while (0)

/* Wait up to ms for fd to reach state want; returns 1 if it did. */
static inline int xt_wait_state(int fd, int want, int ms)
{
	double end = xt_now() + ms / 1000.0;

	for (;;) {
		if (xt_state(fd) == want)
			return 1;
		if (xt_now() > end)
			return 0;
		xt_msleep(2);
	}
}

/* Write value to /proc/sys/net/<path> in namespace ns. */
static inline int xt_sysctl_path(const char *ns, const char *path, long value)
{
	char file[128];
	int old = xt_push_ns(ns);
	FILE *f;

	snprintf(file, sizeof(file), "/proc/sys/net/%s", path);
	f = fopen(file, "w");
	xt_pop_ns(old);
	if (!f) {
		if (errno == ENOENT)
			return -1;
		xt_fail("open %s", file);
	}
	if (fprintf(f, "%ld\n", value) < 0 || fclose(f) != 0)
		xt_fail("write %ld to %s", value, file);
	return 0;
}

/*
 * Set an xtcp sysctl (syn_retries, synack_retries, retries2,
 * tw_timeout_ms, fin_timeout_ms) in namespace ns, or under TCP its
 * equivalent. Returns -1 when the protocol under test has no such knob
 * (TCP's TIME-WAIT is a fixed 60 s), 0 when it was set.
 */
static inline int xt_sysctl(const char *ns, const char *name, long value)
{
	char path[96];

	if (!xt_is_tcp()) {
		snprintf(path, sizeof(path), "xtcp/%s", name);
		if (xt_sysctl_path(ns, path, value) < 0)
			xt_fail("no sysctl net/%s", path);
		return 0;
	}
	if (!strcmp(name, "tw_timeout_ms"))
		return -1;
	if (!strcmp(name, "fin_timeout_ms"))
		return xt_sysctl_path(ns, "ipv4/tcp_fin_timeout", (value + 999) / 1000);
	snprintf(path, sizeof(path), "ipv4/tcp_%s", name);
	if (xt_sysctl_path(ns, path, value) < 0)
		xt_fail("no sysctl net/%s", path);
	return 0;
}

/*
 * Linux TCP rate-limits challenge ACKs and ACKs to out-of-window
 * segments (per socket: tcp_invalid_ratelimit, 500 ms; per namespace:
 * tcp_challenge_ack_limit). The contract asks for neither, so under TCP
 * the tests lift both in both namespaces.
 */
static inline void xt_no_ack_ratelimit(void)
{
	static const char *const ns[] = { "a", "b" };
	int i;

	if (!xt_is_tcp())
		return;
	for (i = 0; i < 2; i++) {
		xt_sysctl_path(ns[i], "ipv4/tcp_invalid_ratelimit", 0);
		xt_sysctl_path(ns[i], "ipv4/tcp_challenge_ack_limit", 2147483647);
	}
}

/* Run an iproute2 command line ("tc -n a qdisc ..."); fail if it fails. */
static inline void xt_sh(const char *fmt, ...)
{
	char cmd[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		xt_fail("command failed: %s", cmd);
}

/* The MAC address of ns's veth, as text. */
static inline void xt_hwaddr(const char *ns, char *out, size_t len)
{
	struct ifreq ifr = { 0 };
	int old = xt_push_ns(ns), fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	const unsigned char *m = (const unsigned char *)ifr.ifr_hwaddr.sa_data;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "veth-%.10s", ns);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		xt_fail("SIOCGIFHWADDR veth-%s", ns);
	close(fd);
	xt_pop_ns(old);
	snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/*
 * More paths than a to b: tests/lib/topo path N makes namespaces aN and
 * bN (the same addresses as a and b) joined by veth-aN and veth-bN, so
 * that tests can run side by side, each on a path of its own with its
 * own netem and its own counters. A namespace's name starts with a or b;
 * its peer is the same name with the other letter.
 */
#define XT_TOPO "/tests/lib/topo"

/* Make path n: namespaces an and bn. */
static inline void xt_path(int n)
{
	xt_sh(XT_TOPO " path %d", n);
}

static inline void xt_peer(const char *ns, char *out, size_t len)
{
	snprintf(out, len, "%c%s", ns[0] == 'a' ? 'b' : 'a', ns + 1);
}

/*
 * Permanent neighbour entries both ways between ns and its peer, so that
 * netem loss (which also drops ARP) cannot turn a lost segment into
 * EHOSTUNREACH.
 */
static inline void xt_static_neigh_of(const char *ns)
{
	char peer[32], ma[24], mb[24];

	xt_peer(ns, peer, sizeof(peer));
	xt_hwaddr(ns, ma, sizeof(ma));
	xt_hwaddr(peer, mb, sizeof(mb));
	xt_sh("/sbin/ip -n %s neigh replace %s lladdr %s dev veth-%s nud permanent",
	      ns, xt_ip_of(peer), mb, ns);
	xt_sh("/sbin/ip -n %s neigh replace %s lladdr %s dev veth-%s nud permanent",
	      peer, xt_ip_of(ns), ma, peer);
}

static inline void xt_static_neigh(void)
{
	xt_static_neigh_of("a");
}

/*
 * netem on ns's veth egress, e.g. xt_netem("a", "delay 200ms"), after
 * making ARP unnecessary.
 */
static inline void xt_netem(const char *ns, const char *what)
{
	xt_static_neigh_of(ns);
	xt_sh("/sbin/tc -n %s qdisc replace dev veth-%s root netem %s", ns, ns, what);
}

/*
 * Change the netem that xt_netem() put on ns's veth, without pinning the
 * neighbours again: four processes fewer, seconds on the debug kernel.
 */
static inline void xt_netem_change(const char *ns, const char *what)
{
	xt_sh("/sbin/tc -n %s qdisc replace dev veth-%s root netem %s", ns, ns, what);
}

/*
 * At most n segments to a packet sent on ns's veth, for connections made
 * afterwards (TCP reads it at connect(), xtcp at each send). With 1 no
 * GSO packet leaves, so netem's loss, duplication and reordering act on
 * segments, as a real link's would, not on up to 64 KiB at once.
 */
static inline void xt_gso_max_segs(const char *ns, int n)
{
	xt_sh("/sbin/ip -n %s link set dev veth-%s gso_max_segs %d", ns, ns, n);
}

static inline void xt_netem_off(const char *ns)
{
	xt_sh("/sbin/tc -n %s qdisc del dev veth-%s root", ns, ns);
}

/*
 * Counter name of /proc/net/xtcp_stat in namespace ns; fails if absent.
 * Through /proc/thread-self: /proc/net is the namespace of the process's
 * first thread, not of the caller's.
 */
static inline long xt_stat(const char *ns, const char *name)
{
	char line[128], n[64];
	long v, found = -1;
	int old = xt_push_ns(ns);
	FILE *f = fopen("/proc/thread-self/net/xtcp_stat", "r");

	xt_pop_ns(old);
	if (!f)
		xt_fail("/proc/net/xtcp_stat");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", n, &v) == 2 && !strcmp(n, name))
			found = v;
	fclose(f);
	XT_CHECK(found >= 0, "no counter %s", name);
	return found;
}

/*
 * Linux TCP's counter name in namespace ns, from the Tcp: lines of
 * /proc/net/snmp or the TcpExt: lines of /proc/net/netstat (a line of
 * names, then a line of values); fails if absent.
 */
static inline long xt_tcp_stat(const char *ns, const char *name)
{
	static const char *const files[] = {
		"/proc/thread-self/net/snmp", "/proc/thread-self/net/netstat",
	};
	char names[4096], values[4096], *np, *vp, *n, *v;
	long found = -1;
	unsigned int i;
	int old;
	FILE *f;

	for (i = 0; i < 2 && found < 0; i++) {
		old = xt_push_ns(ns);
		f = fopen(files[i], "r");
		xt_pop_ns(old);
		if (!f)
			xt_fail("open %s", files[i]);
		while (found < 0 && fgets(names, sizeof(names), f) &&
		       fgets(values, sizeof(values), f)) {
			if (strncmp(names, "Tcp: ", 5) && strncmp(names, "TcpExt: ", 8))
				continue;
			n = strtok_r(names, " \n", &np);
			v = strtok_r(values, " \n", &vp);
			while (n && v && found < 0) {
				if (!strcmp(n, name))
					found = atol(v);
				n = strtok_r(NULL, " \n", &np);
				v = strtok_r(NULL, " \n", &vp);
			}
		}
		fclose(f);
	}
	XT_CHECK(found >= 0, "no TCP counter %s", name);
	return found;
}

/*
 * A counter of the protocol under test: xtcp's name in xtcp_stat, or
 * under XT_PROTO=6 the name of Linux TCP's counter that means the same.
 */
static inline long xt_stat_of(const char *ns, const char *xtcp_name, const char *tcp_name)
{
	return xt_is_tcp() ? xt_tcp_stat(ns, tcp_name) : xt_stat(ns, xtcp_name);
}

/* A poll mask in words, for failure messages (two may share a message). */
static inline const char *xt_pollstr(int m)
{
	static char bufs[4][128];
	static int next;
	char *buf = bufs[next++ % 4];
	static const struct { int bit; const char *name; } bits[] = {
		{ POLLIN, "IN" }, { POLLPRI, "PRI" }, { POLLOUT, "OUT" },
		{ POLLERR, "ERR" }, { POLLHUP, "HUP" }, { POLLNVAL, "NVAL" },
		{ POLLRDNORM, "RDNORM" }, { POLLWRNORM, "WRNORM" },
		{ POLLRDHUP, "RDHUP" },
	};
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (m & bits[i].bit)
			snprintf(buf + strlen(buf), 128 - strlen(buf), "%s%s",
				 buf[0] ? "|" : "", bits[i].name);
	return buf[0] ? buf : "0";
}

static inline int xt_so_error(int fd)
{
	int err;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		xt_fail("SO_ERROR");
	return err;
}

/* ns's ephemeral ports: low..high (ip_local_port_range, either protocol's). */
static inline void xt_port_range(const char *ns, int low, int high)
{
	int old = xt_push_ns(ns);
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "w");

	xt_pop_ns(old);
	XT_CHECK(f && fprintf(f, "%d %d\n", low, high) > 0 && fclose(f) == 0,
		 "ip_local_port_range %d %d in %s", low, high, ns);
}

static inline void xt_raise_nofile(rlim_t n)
{
	struct rlimit rl = { n, n };

	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		xt_fail("setrlimit RLIMIT_NOFILE %lu", (unsigned long)n);
}

#endif /* _XTNET_H */
