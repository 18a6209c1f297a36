// SPDX-License-Identifier: GPL-2.0
/*
 * Threads waiting in accept() on one listener: a new connection wakes
 * one of them, not all (Linux TCP waits exclusively, so do we). A
 * thread woken for nothing would take the listener's lock and sleep
 * again, a context switch each per connection; a server with a thread
 * per core pays that on every connection.
 *
 * THREADS threads wait in accept(). For each of CONNS connections in
 * turn exactly one thread returns, and none of those still waiting may
 * have run meanwhile: their voluntary context switches, read from
 * /proc, must not move. Last, shutdown() of the listener must wake the
 * two that are left, both at once, with EINVAL.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "xtnet.h"

#define THREADS	5
#define CONNS	(THREADS - 2)	/* two threads still wait at the end */

static int lfd;
static atomic_int ready, returned;

struct waiter {
	pthread_t thread;
	atomic_int tid;
	atomic_int done;
	int fd;
	int err;
};

static struct waiter w[THREADS];

static void *wait_accept(void *arg)
{
	struct waiter *me = arg;

	atomic_store(&me->tid, (int)syscall(SYS_gettid));
	atomic_fetch_add(&ready, 1);
	me->fd = accept(lfd, NULL, NULL);
	me->err = errno;
	atomic_store(&me->done, 1);
	atomic_fetch_add(&returned, 1);
	return NULL;
}

/* A thread's voluntary context switches, from /proc/self/task/TID/status. */
static long task_switches(int tid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = fopen(path, "r");
	if (!f)
		xt_fail("open %s", path);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1)
			break;
	fclose(f);
	XT_CHECK(n >= 0, "no voluntary_ctxt_switches for task %d", tid);
	return n;
}

/* A thread's state, from /proc/self/task/TID/stat: 'S' when it sleeps. */
static char task_state(int tid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		xt_fail("open %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Wait until every thread still in accept() sleeps there. */
static void settle(void)
{
	double t0 = xt_now();
	int i, asleep;

	do {
		asleep = 1;
		for (i = 0; i < THREADS; i++)
			if (!atomic_load(&w[i].done) && task_state(atomic_load(&w[i].tid)) != 'S')
				asleep = 0;
		XT_CHECK(xt_now() - t0 < 10, "accept() threads never slept");
		xt_msleep(20);
	} while (!asleep);
	/* Sleeping somewhere on the way in does not count: give them time. */
	xt_msleep(200);
}

/* Wait until n accept()s have returned. */
static void wait_returned(int n)
{
	double t0 = xt_now();

	while (atomic_load(&returned) < n) {
		XT_CHECK(xt_now() - t0 < 10, "%d accept()s returned, not %d",
			 atomic_load(&returned), n);
		xt_msleep(10);
	}
}

int main(void)
{
	long before[THREADS];
	int cfd[CONNS], round, i;

	lfd = xt_listen_in("b", XT_PORT, THREADS);
	for (i = 0; i < THREADS; i++)
		if (pthread_create(&w[i].thread, NULL, wait_accept, &w[i]))
			xt_fail("pthread_create");
	while (atomic_load(&ready) < THREADS)
		xt_msleep(10);

	for (round = 0; round < CONNS; round++) {
		settle();
		for (i = 0; i < THREADS; i++)
			if (!atomic_load(&w[i].done))
				before[i] = task_switches(atomic_load(&w[i].tid));
		cfd[round] = xt_socket_in("a");
		if (xt_connect(cfd[round], XT_B, XT_PORT) < 0)
			xt_fail("connect %d", round);
		wait_returned(round + 1);
		/* Time for a wrongly woken thread to run and sleep again. */
		xt_msleep(300);
		XT_CHECK(atomic_load(&returned) == round + 1,
			 "one connection returned %d accept()s", atomic_load(&returned) - round);
		for (i = 0; i < THREADS; i++) {
			long now;

			if (atomic_load(&w[i].done))
				continue;
			now = task_switches(atomic_load(&w[i].tid));
			XT_CHECK(now == before[i],
				 "connection %d woke thread %d, still in accept() (%ld switches, was %ld)",
				 round, i, now, before[i]);
		}
	}
	fprintf(stderr, "accept_herd: %d connections, each woke one of the threads waiting\n",
		CONNS);

	/* The listener's shutdown wakes every thread left. */
	settle();
	if (shutdown(lfd, SHUT_RDWR) < 0)
		xt_fail("shutdown of the listener");
	wait_returned(THREADS);
	for (i = 0; i < THREADS; i++)
		pthread_join(w[i].thread, NULL);
	for (i = 0; i < THREADS; i++) {
		if (w[i].fd >= 0) {
			close(w[i].fd);
			continue;
		}
		XT_CHECK(w[i].err == EINVAL, "accept() after shutdown: errno %d", w[i].err);
	}
	for (i = 0; i < CONNS; i++)
		close(cfd[i]);
	close(lfd);
	return 0;
}
