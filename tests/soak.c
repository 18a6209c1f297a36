// SPDX-License-Identifier: GPL-2.0
/*
 * Soak (issue 7): for XT_SOAK_SECS (default 20) eight client threads in
 * a open connections to an echo server in b as fast as they can, over a
 * path that loses 1 % of the segments each way. Each connection sends
 * 1000 bytes, reads them back and closes; two of the clients abort
 * every other connection instead (RST), and the server closes every
 * fifth connection first, once it has echoed.
 * Then, with the loss gone and TIME-WAIT and FIN-WAIT-2 short, every
 * connection must have ended: /proc/net/xtcp empty in both namespaces,
 * and the protocol's sockets and memory in /proc/net/protocols back to
 * where they were before (the sockets exactly, having risen during the
 * run; the pages to within what the CPUs may hold back). Every echo
 * must have come back intact, and at least five connections a second
 * must have been made (some 200 a second on stock 6.12; the debug
 * kernel, where KASAN and kmemleak watch them, is far slower). The
 * slab objects themselves are counted when the harness unloads xtcp:
 * its caches are destroyed then, and any object left is reported.
 */
#include <sys/epoll.h>

#include "xtnet.h"
#include "xtapi.h"

#define CLIENTS	8
#define MSG	1000
#define PORT	XT_PORT

struct proto_use {
	long sockets, pages;
};

/*
 * The protocol's line of /proc/net/protocols: sockets hashed, summed
 * over a and b (the count is per namespace), and pages charged (one
 * count for the whole kernel).
 */
static struct proto_use proto_use(void)
{
	const char *want = xt_is_tcp() ? "TCP " : "XTCP ";
	const char *ns[] = { "a", "b" };
	struct proto_use u = { 0, -1 };
	char line[512];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ns); i++) {
		int old = xt_push_ns(ns[i]);
		FILE *f = fopen("/proc/thread-self/net/protocols", "r");
		long sockets = -1;

		xt_pop_ns(old);
		XT_CHECK(f, "/proc/net/protocols in %s", ns[i]);
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, want, strlen(want)))
				sscanf(line, "%*s %*d %ld %ld", &sockets, &u.pages);
		fclose(f);
		XT_CHECK(sockets >= 0, "no %sline in /proc/net/protocols", want);
		u.sockets += sockets;
	}
	return u;
}

static _Atomic int stop, stop_server;
static _Atomic long made, aborted, failed;

/* Echo server: every fifth connection it closes first, once echoed. */
static void *server(void *arg)
{
	int lfd = *(int *)arg, ep = epoll_create1(EPOLL_CLOEXEC), n, i, fd;
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	static char buf[MSG], open_fd[65536];
	long served = 0;
	ssize_t r;

	XT_CHECK(ep >= 0, "epoll_create1");
	xt_nonblock(lfd, 1);
	ev.data.fd = lfd;
	XT_CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) == 0, "epoll_ctl");
	while (!stop_server) {
		n = epoll_wait(ep, evs, 64, 100);
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd == lfd) {
				while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					XT_CHECK(fd < (int)sizeof(open_fd), "fd %d", fd);
					open_fd[fd] = 1;
					ev.data.fd = fd;
					epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				}
				continue;
			}
			r = recv(fd, buf, sizeof(buf), 0);
			if (r > 0) {
				/* Small enough never to block: the echo fits the buffer. */
				if (send(fd, buf, r, MSG_NOSIGNAL) != r)
					goto done;
				if (++served % 5 == 0)
					goto done;
				continue;
			}
			if (r < 0 && errno == EAGAIN)
				continue;
done:
			open_fd[fd] = 0;
			close(fd);	/* also leaves the epoll set */
		}
	}
	for (fd = 0; fd < (int)sizeof(open_fd); fd++)
		if (open_fd[fd])
			close(fd);
	close(ep);
	return NULL;
}

static void *open_close(void *arg)
{
	int id = (int)(long)arg, fd, k = 0;
	char out[MSG], in[MSG];
	size_t got;
	ssize_t r;

	while (!stop) {
		memset(out, 'A' + (id + k) % 26, sizeof(out));
		fd = xt_socket_in("a");
		xt_timeo(fd, SO_RCVTIMEO, 30000);
		xt_timeo(fd, SO_SNDTIMEO, 30000);
		if (xt_connect(fd, XT_B, PORT) < 0) {
			failed++;
			close(fd);
			continue;
		}
		if (send(fd, out, sizeof(out), MSG_NOSIGNAL) != sizeof(out))
			xt_fail("client %d: send", id);
		for (got = 0; got < sizeof(in); got += r) {
			r = recv(fd, in + got, sizeof(in) - got, 0);
			XT_CHECK(r > 0, "client %d: echo after %zu bytes", id, got);
		}
		XT_CHECK(!memcmp(in, out, sizeof(in)), "client %d: the echo differs", id);
		if (id % 7 == 0 && k % 2) {
			xt_abort(fd);
			aborted++;
		}
		close(fd);
		made++;
		k++;
	}
	return NULL;
}

int main(void)
{
	const char *env = getenv("XT_SOAK_SECS");
	int secs = env ? atoi(env) : 20, lfd, i, left;
	pthread_t srv, cli[CLIENTS];
	struct proto_use before, during, after;
	long slack;
	double t0;

	if (xt_is_tcp())
		return 77;	/* TCP's TIME-WAIT is 60 s: it would not end soon */
	xt_sysctl("a", "tw_timeout_ms", 1000);
	xt_sysctl("b", "tw_timeout_ms", 1000);
	xt_sysctl("a", "fin_timeout_ms", 2000);
	xt_sysctl("b", "fin_timeout_ms", 2000);
	xt_netem("a", "loss 1%");
	xt_netem("b", "loss 1%");
	before = proto_use();
	lfd = xt_listen_in("b", PORT, 512);
	if (pthread_create(&srv, NULL, server, &lfd))
		xt_fail("pthread_create");
	for (i = 0; i < CLIENTS; i++)
		if (pthread_create(&cli[i], NULL, open_close, (void *)(long)i))
			xt_fail("pthread_create");
	xt_msleep(secs * 1000);
	during = proto_use();
	/* The clients finish their connections; then the server stops. */
	stop = 1;
	for (i = 0; i < CLIENTS; i++)
		pthread_join(cli[i], NULL);
	stop_server = 1;
	pthread_join(srv, NULL);
	close(lfd);
	xt_netem_off("a");
	xt_netem_off("b");
	printf("soak: %ld connections in %d s (%ld aborted), %ld connects failed\n",
	       (long)made, secs, (long)aborted, (long)failed);
	XT_CHECK(made >= 5 * secs, "only %ld connections in %d s", (long)made, secs);

	/* Everything ends: retransmissions back off to a few seconds at most. */
	t0 = xt_now();
	while ((left = xt_proc_entries("a", NULL, NULL) + xt_proc_entries("b", NULL, NULL)) > 0) {
		XT_CHECK(xt_now() - t0 < 120, "%d sockets or entries left after 120 s", left);
		xt_msleep(200);
	}
	/*
	 * Each CPU keeps up to 1 MB (256 pages) of charges back from the
	 * global count (SK_MEMORY_PCPU_RESERVE), either way: two readings of
	 * an unchanged total differ by less than twice that per CPU.
	 */
	slack = 2 * 256 * sysconf(_SC_NPROCESSORS_ONLN);
	for (i = 0; i < 50; i++) {
		after = proto_use();
		if (after.sockets == before.sockets && labs(after.pages - before.pages) < slack)
			break;
		xt_msleep(100);
	}
	printf("soak: all ended in %.1f s; sockets %ld -> %ld -> %ld, pages %ld -> %ld -> %ld\n",
	       xt_now() - t0, before.sockets, during.sockets, after.sockets, before.pages,
	       during.pages, after.pages);
	/* The listener, and connections besides. */
	XT_CHECK(during.sockets > before.sockets + 1, "%ld sockets during the run, %ld before",
		 during.sockets, before.sockets);
	XT_CHECK(after.sockets == before.sockets, "%ld sockets, %ld before", after.sockets,
		 before.sockets);
	XT_CHECK(labs(after.pages - before.pages) < slack, "%ld pages, %ld before", after.pages,
		 before.pages);
	return 0;
}
