/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the integration tests that run inside the guest. A test is
 * a program: it exits 0 when every check held, 1 at the first that did
 * not (with the line and errno printed), 77 when it cannot run here.
 */
#ifndef _XT_H
#define _XT_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/xtcp.h>

#define XT_A "192.0.2.1"	/* namespace a */
#define XT_B "192.0.2.2"	/* namespace b */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define xt_fail(fmt, ...) do {						\
	fprintf(stderr, "%s:%d: " fmt " (errno %d: %s)\n",		\
		__FILE__, __LINE__, ##__VA_ARGS__, errno, strerror(errno)); \
	exit(1);							\
} while (0)

/* Check that cond holds; otherwise fail the test with the message. */
#define XT_CHECK(cond, fmt, ...) do {					\
	if (!(cond))							\
		xt_fail("check failed: %s: " fmt, #cond, ##__VA_ARGS__);\
} while (0)

/* Check that call fails with errno e. */
#define XT_ERRNO(call, e) do {						\
	errno = 0;							\
	long __r = (long)(call);					\
	if (__r != -1 || errno != (e))					\
		xt_fail("%s returned %ld, wanted -1 with errno %d (%s)",	\
			#call, __r, (e), strerror(e));			\
} while (0)

/* Enter network namespace "a" or "b" (made by tests/lib/topo). */
static inline void xt_netns(const char *name)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		xt_fail("cannot enter netns %s", name);
	close(fd);
}

/*
 * The protocol under test: xtcp, or with XT_PROTO=6 in the environment
 * Linux TCP, the reference whose behaviour xtcp must match.
 */
static inline int xt_proto(void)
{
	const char *p = getenv("XT_PROTO");

	return p ? atoi(p) : IPPROTO_XTCP;
}

static inline int xt_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, xt_proto());

	if (fd < 0)
		xt_fail("socket(AF_INET, SOCK_STREAM, %d)", xt_proto());
	return fd;
}

static inline struct sockaddr_in xt_addr(const char *ip, unsigned short port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};

	if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1)
		xt_fail("bad address %s", ip);
	return sin;
}

#endif /* _XT_H */
