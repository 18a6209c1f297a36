// SPDX-License-Identifier: GPL-2.0
/*
 * The module's life under traffic (issue 7):
 *   - rmmod during traffic: while 512 KB flow each way between a and b,
 *     rmmod is tried every 10 ms. Each attempt is refused with
 *     EWOULDBLOCK (every socket pins the module) and the data arrives
 *     intact; once the sockets are closed, rmmod succeeds.
 *   - reload cycles: XT_RELOAD_N (default 100) times, load xtcp, open a
 *     connection that carries 16 KB each way and closes (a TIME-WAIT
 *     entry), one that the server aborts (RST), and one connect() that
 *     is refused, then unload.
 * The debug kernel's sanitizers, and the kmemleak scan the harness makes
 * at the end of the run, are the verdict on what a cycle leaks or
 * breaks; the harness also unloads xtcp after the test.
 */
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "xtnet.h"

static char path[256];

static void load(void)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	XT_CHECK(fd >= 0, "open %s", path);
	XT_CHECK(syscall(SYS_finit_module, fd, "", 0) == 0, "insmod");
	close(fd);
}

/* One rmmod attempt: 0 if xtcp went, else errno. */
static int try_unload(void)
{
	return syscall(SYS_delete_module, "xtcp", O_NONBLOCK) ? errno : 0;
}

/* Unload, waiting up to 5 s for sockets still on their way out. */
static void unload(void)
{
	int tries, err;

	for (tries = 0; (err = try_unload()); tries++) {
		XT_CHECK(err == EWOULDBLOCK && tries < 500, "rmmod (errno %d)", err);
		xt_msleep(10);
	}
}

struct refusals {
	_Atomic int stop;
	int tries;
	int err;		/* the first unexpected result, if any */
};

static void *keep_trying(void *arg)
{
	struct refusals *r = arg;
	int err;

	while (!r->stop) {
		err = try_unload();
		r->tries++;
		if (err != EWOULDBLOCK) {
			r->err = err ? err : -1;
			break;
		}
		xt_msleep(10);
	}
	return NULL;
}

static void rmmod_under_traffic(void)
{
	static unsigned char out[512 * 1024], back[512 * 1024];
	struct refusals r = { 0 };
	struct xt_pair p;
	pthread_t t;
	size_t i;

	for (i = 0; i < sizeof(out); i++) {
		out[i] = i * 7 + (i >> 10);
		back[i] = i * 13 + (i >> 12);
	}
	p = xt_pair_open(XT_PORT);
	if (pthread_create(&t, NULL, keep_trying, &r))
		xt_fail("pthread_create");
	xt_xfer(p.cfd, p.sfd, out, sizeof(out), 120000);
	xt_xfer(p.sfd, p.cfd, back, sizeof(back), 120000);
	r.stop = 1;
	pthread_join(t, NULL);
	XT_CHECK(!r.err, "rmmod during traffic: errno %d, not EWOULDBLOCK",
		 r.err < 0 ? 0 : r.err);
	XT_CHECK(r.tries > 0, "no rmmod tried");
	printf("rmmod refused %d times during the transfer\n", r.tries);
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	unload();
}

static void round_trip(int n)
{
	static char buf[16384];
	struct xt_pair p;
	int fd;

	load();
	memset(buf, 'a' + n % 26, sizeof(buf));
	p = xt_pair_open(XT_PORT + 1);
	xt_xfer(p.cfd, p.sfd, buf, sizeof(buf), 30000);
	xt_xfer(p.sfd, p.cfd, buf, sizeof(buf), 30000);
	/* The client closes first: a TIME-WAIT entry in a. */
	close(p.cfd);
	XT_CHECK(xt_wait_readable(p.sfd, 5000) && read(p.sfd, buf, 1) == 0, "no FIN");
	close(p.sfd);

	/* The server aborts: a RST. */
	fd = xt_socket_in("a");
	XT_CHECK(xt_connect(fd, XT_B, XT_PORT + 1) == 0, "round %d: connect", n);
	p.sfd = xt_accept_wait(p.lfd, 5000);
	XT_CHECK(p.sfd >= 0, "round %d: accept", n);
	xt_abort(p.sfd);
	close(p.sfd);
	XT_CHECK(xt_wait_readable(fd, 5000), "round %d: no RST", n);
	XT_ERRNO(read(fd, buf, 1), ECONNRESET);
	close(fd);
	close(p.lfd);

	fd = xt_socket_in("a");
	XT_ERRNO(xt_connect(fd, XT_B, XT_PORT + 2), ECONNREFUSED);
	close(fd);
	unload();
}

int main(void)
{
	const char *env = getenv("XT_RELOAD_N");
	int n = env ? atoi(env) : 100, i;
	struct utsname u;

	if (xt_is_tcp())
		return 77;	/* TCP is built in: nothing to unload */
	XT_CHECK(uname(&u) == 0, "uname");
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/xtcp.ko", u.release);
	/* guest-init loads xtcp_diag, which holds xtcp, after it. */
	XT_CHECK(syscall(SYS_delete_module, "xtcp_diag", O_NONBLOCK) == 0 || errno == ENOENT,
		 "rmmod xtcp_diag");

	rmmod_under_traffic();
	for (i = 0; i < n; i++)
		round_trip(i);
	printf("%d load, traffic, unload cycles\n", n);
	load();		/* as the harness left it, less xtcp_diag */
	return 0;
}
