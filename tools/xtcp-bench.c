// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-bench: measure a stream protocol, xtcp or TCP, the same way.
 *
 *   xtcp-bench -s [OPTIONS]         serve
 *   xtcp-bench [OPTIONS] HOST       measure against a server on HOST
 *
 * Modes (-m), given alike to both ends:
 *   crr     connect, send 1 byte, receive 1 byte, close; again and again.
 *           The server closes first, so TIME-WAIT entries stay with it.
 *   rr      1-byte ping-pong on one connection per flow
 *   stream  bulk data from client to server (-R: server to client)
 *   hold    open -n connections and keep them idle until killed
 *
 * Options:
 *   -P PROTO  xtcp (the default), tcp, or an IP protocol number
 *   -p PORT   port (default 5001)
 *   -j N      flows: client threads, one connection each at a time; the
 *             server runs as many workers (default 1)
 *   -t SECS   how long the client measures (default 5)
 *   -n COUNT  crr: stop after COUNT transactions; hold: connections
 *   -R        stream: the server sends
 *   -B PORT   crr: connection k binds local port PORT + k first, so
 *             that -n connections make as many distinct four-tuples
 *   -l ADDR   server: the address to listen on (default any)
 *   -c CPU    run on that CPU alone, as netperf's -T: a stream's two
 *             ends on CPUs of their own always meet the same way, where
 *             the scheduler would sometimes put them on one
 *   -N NAME   run in network namespace NAME (/run/netns/NAME, as made by
 *             ip netns add): unlike ip netns exec, which stays as the
 *             parent, a signal sent to this process reaches xtcp-bench
 *
 * The client prints one line of key=value fields, for scripts:
 *
 *   proto=xtcp mode=crr flows=1 secs=5.002 ops=9123 ops_s=1823.9
 *   p50_us=512.3 p99_us=901.0 bytes=9123 mbit_s=0.01
 *
 * ops counts transactions (crr, rr) or write/read calls (stream); the
 * percentiles are of transaction times (connect to close for crr, send
 * to reply for rr). Every reply is checked: a byte that comes back
 * changed, a stream whose count the server does not confirm, or any
 * failed call ends the run with exit 1. hold prints "ready N" once its N
 * connections are established, then waits for a signal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/xtcp.h>

enum mode { CRR, RR, STREAM, HOLD };

static const char *const mode_names[] = { "crr", "rr", "stream", "hold" };

static struct {
	enum mode mode;
	int proto;
	const char *proto_name;
	struct sockaddr_in addr;
	int flows;
	double secs;
	int secs_given;
	long count;
	int reverse;
	int bind_base;
} cfg = {
	.mode = CRR,
	.proto = IPPROTO_XTCP,
	.proto_name = "xtcp",
	.flows = 1,
	.secs = 5,
};

#define BUF_SIZE	(128 * 1024)

static void die(const char *what)
{
	fprintf(stderr, "xtcp-bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void die_msg(const char *msg)
{
	fprintf(stderr, "xtcp-bench: %s\n", msg);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int new_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, cfg.proto);
	int one = 1;

	if (fd < 0)
		die("socket");
	/* Both protocols would otherwise hold back the 1-byte writes. */
	if (cfg.mode != STREAM) {
		int level = cfg.proto == IPPROTO_TCP ? IPPROTO_TCP : SOL_XTCP;
		int opt = cfg.proto == IPPROTO_TCP ? TCP_NODELAY : XTCP_NODELAY;

		if (setsockopt(fd, level, opt, &one, sizeof(one)) < 0)
			die("setsockopt nodelay");
	}
	return fd;
}

/* Read exactly len bytes. Return: 0, or 1 at end of file before any. */
static int read_full(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0) {
			if (got)
				die_msg("read: end of file inside a message");
			return 1;
		}
		got += n;
	}
	return 0;
}

static void write_full(int fd, const void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = send(fd, (const char *)buf + done, len - done, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("send");
		done += n;
	}
}

static void expect_eof(int fd)
{
	char c;

	if (read_full(fd, &c, 1) != 1)
		die_msg("data where the end of file should be");
}

/* Server. */

static int listener;

static void serve_one(int fd)
{
	char *buf;
	uint64_t total = 0;
	ssize_t n;
	char c;

	switch (cfg.mode) {
	case CRR:
		if (read_full(fd, &c, 1))
			break;
		write_full(fd, &c, 1);
		break;
	case RR:
		while (!read_full(fd, &c, 1))
			write_full(fd, &c, 1);
		break;
	case STREAM:
		buf = malloc(BUF_SIZE);
		if (!buf)
			die("malloc");
		memset(buf, 'x', BUF_SIZE);
		if (cfg.reverse) {
			/* Until the client, done measuring, closes. */
			while (send(fd, buf, BUF_SIZE, MSG_NOSIGNAL) > 0 || errno == EINTR)
				;
		} else {
			while ((n = read(fd, buf, BUF_SIZE)) != 0) {
				if (n < 0 && errno == EINTR)
					continue;
				if (n < 0)
					die("read");
				total += n;
			}
			/* The client checks the count against what it sent. */
			write_full(fd, &total, sizeof(total));
		}
		free(buf);
		break;
	case HOLD:
		break;
	}
}

static void *server_worker(void *arg)
{
	int fd;

	(void)arg;
	for (;;) {
		fd = accept(listener, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		serve_one(fd);
		close(fd);
	}
	return NULL;
}

/* hold: keep every accepted connection open, idle, until killed. */
static void hold_server(void)
{
	for (;;) {
		if (accept(listener, NULL, NULL) < 0 && errno != EINTR &&
		    errno != ECONNABORTED)
			die("accept");
	}
}

static int server(void)
{
	pthread_t t;
	int one = 1, i;

	listener = socket(AF_INET, SOCK_STREAM, cfg.proto);
	if (listener < 0)
		die("socket");
	if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");
	if (bind(listener, (struct sockaddr *)&cfg.addr, sizeof(cfg.addr)) < 0)
		die("bind");
	if (listen(listener, 4096) < 0)
		die("listen");
	if (cfg.mode == HOLD)
		hold_server();
	for (i = 1; i < cfg.flows; i++)
		if (pthread_create(&t, NULL, server_worker, NULL))
			die_msg("pthread_create failed");
	server_worker(NULL);
	return 0;
}

/* Client. */

struct flow {
	pthread_t thread;
	uint64_t *lat;		/* transaction times, ns */
	size_t nlat, cap;
	uint64_t ops;
	uint64_t bytes;
	uint64_t elapsed_ns;	/* stream: until the server confirmed */
};

static uint64_t deadline;
static long remaining;		/* crr -n: transactions not yet begun */
static pthread_barrier_t start;

static void record(struct flow *f, uint64_t ns)
{
	if (f->nlat == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4096;
		f->lat = realloc(f->lat, f->cap * sizeof(*f->lat));
		if (!f->lat)
			die("realloc");
	}
	f->lat[f->nlat++] = ns;
}

static int connected_socket_from(int lport)
{
	int fd = new_socket();

	if (lport) {
		struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(lport) };

		if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0)
			die("bind");
	}
	if (connect(fd, (struct sockaddr *)&cfg.addr, sizeof(cfg.addr)) < 0)
		die("connect");
	return fd;
}

static int connected_socket(void)
{
	return connected_socket_from(0);
}

static void run_crr(struct flow *f)
{
	unsigned char out = 0, in;
	long left = 0;
	uint64_t t0;
	int fd;

	while (now_ns() < deadline) {
		if (cfg.count) {
			left = __atomic_fetch_sub(&remaining, 1, __ATOMIC_RELAXED);
			if (left <= 0)
				break;
		}
		t0 = now_ns();
		fd = connected_socket_from(cfg.bind_base ? cfg.bind_base + cfg.count - left : 0);
		out++;
		write_full(fd, &out, 1);
		if (read_full(fd, &in, 1))
			die_msg("crr: the server closed without a reply");
		if (in != out)
			die_msg("crr: the reply is not the request");
		expect_eof(fd);
		close(fd);
		record(f, now_ns() - t0);
		f->ops++;
		f->bytes++;
	}
}

static void run_rr(struct flow *f)
{
	unsigned char out = 0, in;
	int fd = connected_socket();
	uint64_t t0;

	pthread_barrier_wait(&start);
	while ((t0 = now_ns()) < deadline) {
		out++;
		write_full(fd, &out, 1);
		if (read_full(fd, &in, 1))
			die_msg("rr: the server closed");
		if (in != out)
			die_msg("rr: the reply is not the request");
		record(f, now_ns() - t0);
		f->ops++;
		f->bytes++;
	}
	close(fd);
}

static void run_stream(struct flow *f)
{
	int fd = connected_socket();
	char *buf = malloc(BUF_SIZE);
	uint64_t t0, confirmed;
	ssize_t n;

	if (!buf)
		die("malloc");
	memset(buf, 'x', BUF_SIZE);
	pthread_barrier_wait(&start);
	t0 = now_ns();
	if (cfg.reverse) {
		while (now_ns() < deadline) {
			n = read(fd, buf, BUF_SIZE);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("read");
			if (n == 0)
				die_msg("stream: the server closed");
			f->bytes += n;
			f->ops++;
		}
		f->elapsed_ns = now_ns() - t0;
	} else {
		while (now_ns() < deadline) {
			n = send(fd, buf, BUF_SIZE, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("send");
			f->bytes += n;
			f->ops++;
		}
		/* Until the server has read it all. */
		if (shutdown(fd, SHUT_WR) < 0)
			die("shutdown");
		if (read_full(fd, &confirmed, sizeof(confirmed)))
			die_msg("stream: the server closed without a count");
		f->elapsed_ns = now_ns() - t0;
		if (confirmed != f->bytes)
			die_msg("stream: the server received another count than was sent");
		expect_eof(fd);
	}
	close(fd);
	free(buf);
}

static void *client_flow(void *arg)
{
	struct flow *f = arg;

	switch (cfg.mode) {
	case CRR:
		pthread_barrier_wait(&start);
		run_crr(f);
		break;
	case RR:
		run_rr(f);
		break;
	case STREAM:
		run_stream(f);
		break;
	case HOLD:
		break;
	}
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of n sorted values, in us. */
static double percentile(const uint64_t *v, size_t n, double p)
{
	size_t rank;

	if (!n)
		return 0;
	rank = (size_t)(p / 100 * n + 0.999999);
	if (rank < 1)
		rank = 1;
	return v[rank - 1] / 1000.0;
}

static int hold_client(void)
{
	sigset_t set;
	long i;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < cfg.count; i++)
		connected_socket();
	printf("ready %ld\n", cfg.count);
	fflush(stdout);
	sigwait(&set, &sig);
	return 0;
}

static int client(void)
{
	struct flow *flows = calloc(cfg.flows, sizeof(*flows));
	uint64_t t0, elapsed, ops = 0, bytes = 0, *all;
	size_t n = 0, k;
	double secs;
	int i;

	if (!flows)
		die("calloc");
	if (cfg.mode == HOLD)
		return hold_client();
	pthread_barrier_init(&start, NULL, cfg.flows + 1);
	remaining = cfg.count;
	/* Flows set up (rr, stream) before the clock starts. */
	deadline = UINT64_MAX;
	for (i = 0; i < cfg.flows; i++)
		if (pthread_create(&flows[i].thread, NULL, client_flow, &flows[i]))
			die_msg("pthread_create failed");
	t0 = now_ns();
	deadline = t0 + (uint64_t)(cfg.secs * 1e9);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	pthread_barrier_wait(&start);
	for (i = 0; i < cfg.flows; i++)
		pthread_join(flows[i].thread, NULL);
	elapsed = now_ns() - t0;
	for (i = 0; i < cfg.flows; i++) {
		ops += flows[i].ops;
		bytes += flows[i].bytes;
		n += flows[i].nlat;
		/* A stream's rate is over the time until its data arrived. */
		if (flows[i].elapsed_ns > elapsed)
			elapsed = flows[i].elapsed_ns;
	}
	all = malloc((n ? n : 1) * sizeof(*all));
	if (!all)
		die("malloc");
	for (i = 0, k = 0; i < cfg.flows; i++) {
		if (flows[i].nlat)
			memcpy(all + k, flows[i].lat, flows[i].nlat * sizeof(*all));
		k += flows[i].nlat;
		free(flows[i].lat);
	}
	qsort(all, n, sizeof(*all), cmp_u64);
	secs = elapsed / 1e9;
	printf("proto=%s mode=%s%s flows=%d secs=%.3f ops=%llu ops_s=%.1f p50_us=%.1f p99_us=%.1f bytes=%llu mbit_s=%.2f\n",
	       cfg.proto_name, mode_names[cfg.mode],
	       cfg.mode == STREAM && cfg.reverse ? "-r" : "", cfg.flows, secs,
	       (unsigned long long)ops, ops / secs, percentile(all, n, 50),
	       percentile(all, n, 99), (unsigned long long)bytes, bytes * 8 / secs / 1e6);
	free(all);
	free(flows);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: xtcp-bench -s [-P PROTO] [-p PORT] [-m MODE] [-j N] [-R] [-l ADDR] [-N NS]\n"
		"                     [-c CPU]\n"
		"       xtcp-bench [-P PROTO] [-p PORT] [-m MODE] [-j N] [-t SECS] [-n COUNT] [-R]\n"
		"                  [-B PORT] [-N NS] [-c CPU] HOST\n"
		"MODE: crr, rr, stream, hold; PROTO: xtcp, tcp or a number\n");
	return 2;
}

static int parse_mode(const char *s)
{
	unsigned int i;

	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(s, mode_names[i]))
			return i;
	return -1;
}

static int parse_proto(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "xtcp"))
		return IPPROTO_XTCP;
	if (!strcmp(s, "tcp"))
		return IPPROTO_TCP;
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v > 255 ? -1 : v;
}

/* Many connections (hold) need many descriptors. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	rl.rlim_cur = rl.rlim_max = 1 << 20;
	setrlimit(RLIMIT_NOFILE, &rl);	/* as root; else the above stands */
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(path);
	close(fd);
}

int main(int argc, char **argv)
{
	const char *host = NULL, *listen_addr = NULL, *netns = NULL;
	int is_server = 0, port = 5001, cpu = -1, opt, v;
	char *end;

	while ((opt = getopt(argc, argv, "sP:p:m:j:t:n:Rl:N:B:c:")) != -1) {
		switch (opt) {
		case 's':
			is_server = 1;
			break;
		case 'P':
			cfg.proto = parse_proto(optarg);
			if (cfg.proto < 0)
				return usage();
			cfg.proto_name = cfg.proto == IPPROTO_XTCP ? "xtcp" :
					 cfg.proto == IPPROTO_TCP ? "tcp" : optarg;
			break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if (*end || port <= 0 || port > 65535)
				return usage();
			break;
		case 'm':
			v = parse_mode(optarg);
			if (v < 0)
				return usage();
			cfg.mode = v;
			break;
		case 'j':
			cfg.flows = strtol(optarg, &end, 10);
			if (*end || cfg.flows < 1 || cfg.flows > 1024)
				return usage();
			break;
		case 't':
			cfg.secs = strtod(optarg, &end);
			if (*end || !(cfg.secs > 0))
				return usage();
			cfg.secs_given = 1;
			break;
		case 'n':
			cfg.count = strtol(optarg, &end, 10);
			if (*end || cfg.count < 1)
				return usage();
			break;
		case 'R':
			cfg.reverse = 1;
			break;
		case 'l':
			listen_addr = optarg;
			break;
		case 'N':
			netns = optarg;
			break;
		case 'B':
			cfg.bind_base = strtol(optarg, &end, 10);
			if (*end || cfg.bind_base < 1 || cfg.bind_base > 65535)
				return usage();
			break;
		case 'c':
			cpu = strtol(optarg, &end, 10);
			if (*end || cpu < 0 || cpu >= CPU_SETSIZE)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (is_server ? optind != argc : optind != argc - 1)
		return usage();
	if (cfg.mode == HOLD && !is_server && !cfg.count)
		return usage();
	/* -B numbers the -n connections' ports: all of them must exist. */
	if (cfg.bind_base && (cfg.mode != CRR || !cfg.count || cfg.bind_base + cfg.count > 65536))
		return usage();
	host = is_server ? listen_addr : argv[optind];
	cfg.addr.sin_family = AF_INET;
	cfg.addr.sin_port = htons(port);
	if (host && inet_pton(AF_INET, host, &cfg.addr.sin_addr) != 1) {
		fprintf(stderr, "xtcp-bench: %s: not an IPv4 address\n", host);
		return 2;
	}
	if (netns)
		enter_netns(netns);
	/* Before any thread: the flows' threads inherit it. */
	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0) {
			fprintf(stderr, "xtcp-bench: CPU %d: %s\n", cpu, strerror(errno));
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	/* -n alone bounds a crr run: no deadline then. */
	if (cfg.mode == CRR && cfg.count && !cfg.secs_given)
		cfg.secs = 1e6;
	return is_server ? server() : client();
}
