// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod while a namespace full of TIME-WAIT entries is dismantled.
 * The entries pin neither the module nor their namespace, so both the
 * namespace's exit and the module's exit free them; run together, each
 * entry must still be freed once, and before the module's cache goes.
 *
 * Each round fills a fresh namespace with TIME-WAIT entries over its
 * loopback, then lets it go (closing the last reference to it, an nsfs
 * file) around the moment rmmod starts, a little later each round, so
 * that the two exits meet; then loads xtcp again. The console is the
 * verdict: an entry freed twice or after its cache is a KASAN report, one
 * left behind is slab's "Objects remaining". The meeting is a matter of
 * timing, so this is a stress test, not a proof: when module exit
 * flushed the entries before waiting for namespace exits, about one run
 * in three of it caught that on the debug kernel.
 */
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "xtnet.h"

#define ROUNDS	8
#define CONNS	150
#define PORT	7000

static long tw_created(void)
{
	FILE *f = fopen("/proc/net/xtcp_stat", "r");
	long v, found = -1;
	char name[64];

	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", name, &v) == 2)
		if (!strcmp(name, "TimeWaitCreated"))
			found = v;
	fclose(f);
	return found;
}

/* In a new namespace: CONNS connections that the server side closes first. */
static void fill(void)
{
	static int srv[CONNS], cli[CONNS];
	struct ifreq ifr = { .ifr_name = "lo" };
	int lfd, i, fd, tries;
	char c;

	if (unshare(CLONE_NEWNET))
		xt_fail("unshare");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	XT_CHECK(ioctl(fd, SIOCGIFFLAGS, &ifr) == 0, "SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP;
	XT_CHECK(ioctl(fd, SIOCSIFFLAGS, &ifr) == 0, "lo up");
	close(fd);

	lfd = xt_socket();
	xt_bind(lfd, "127.0.0.1", PORT);
	XT_CHECK(listen(lfd, CONNS) == 0, "listen");
	for (i = 0; i < CONNS; i++) {
		cli[i] = xt_socket();
		XT_CHECK(xt_connect(cli[i], "127.0.0.1", PORT) == 0, "connect %d", i);
		srv[i] = xt_accept_wait(lfd, 3000);
		XT_CHECK(srv[i] >= 0, "accept %d", i);
	}
	close(lfd);
	/* The server closes first: its side stays in TIME-WAIT. */
	for (i = 0; i < CONNS; i++)
		close(srv[i]);
	for (i = 0; i < CONNS; i++) {
		XT_CHECK(xt_wait_readable(cli[i], 3000) && read(cli[i], &c, 1) == 0,
			 "no FIN on %d", i);
		close(cli[i]);
	}
	/* No socket may outlive the round: an orphan would pin the module. */
	for (tries = 0; tw_created() < CONNS && tries < 300; tries++)
		xt_msleep(10);
	XT_CHECK(tw_created() == CONNS, "%ld TIME-WAIT entries of %d", tw_created(), CONNS);
}

static void rmmod(void)
{
	int tries;

	/* guest-init loads xtcp_diag, which holds xtcp, after it. */
	XT_CHECK(syscall(SYS_delete_module, "xtcp_diag", O_NONBLOCK) == 0 || errno == ENOENT,
		 "rmmod xtcp_diag");
	for (tries = 0; syscall(SYS_delete_module, "xtcp", O_NONBLOCK); tries++) {
		XT_CHECK(errno == EWOULDBLOCK && tries < 500, "rmmod");
		xt_msleep(10);
	}
}

/* A namespace full of TIME-WAIT entries, held only by the returned nsfs file. */
static int filled_netns(void)
{
	int ready[2], go[2], st, fd;
	char path[64], c = 0;
	pid_t pid;

	XT_CHECK(pipe(ready) == 0 && pipe(go) == 0, "pipe");
	pid = fork();
	XT_CHECK(pid >= 0, "fork");
	if (!pid) {
		fill();
		/* Wait here until the parent holds the namespace. */
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			exit(1);
		exit(0);
	}
	XT_CHECK(read(ready[0], &c, 1) == 1, "the namespace was not filled");
	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	XT_CHECK(fd >= 0, "open %s", path);
	XT_CHECK(write(go[1], &c, 1) == 1, "go");
	XT_CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st), "filler");
	close(ready[0]);
	close(ready[1]);
	close(go[0]);
	close(go[1]);
	return fd;
}

int main(void)
{
	char path[256];
	struct utsname u;
	int r, mfd;

	if (xt_is_tcp())
		return 77;	/* TCP is built in: nothing to unload */
	XT_CHECK(uname(&u) == 0, "uname");
	snprintf(path, sizeof(path), "/lib/modules/%s/extra/xtcp.ko", u.release);

	for (r = 0; r < ROUNDS; r++) {
		/*
		 * Here rmmod reaches the entries 60-230 ms after it starts,
		 * a namespace's exit 100 ms to a second after its last
		 * reference goes, and spends some 50 ms on them: letting it
		 * go 150 to 10 ms before rmmod, now and then a round has
		 * the two meet.
		 */
		close(filled_netns());
		usleep((150 - r * 20) * 1000);
		rmmod();

		mfd = open(path, O_RDONLY | O_CLOEXEC);
		XT_CHECK(mfd >= 0, "open %s", path);
		XT_CHECK(syscall(SYS_finit_module, mfd, "", 0) == 0, "round %d: insmod", r);
		close(mfd);
	}
	return 0;
}
