// SPDX-License-Identifier: GPL-2.0
/*
 * Many connections at once on one path: XT_PARALLEL (default 32)
 * connections from a to one listener in b, all carrying data both ways
 * at the same time, each direction of each its own pseudo-random stream
 * checked byte for byte. The streams differ, so a segment delivered to
 * the wrong connection fails the check as surely as a lost one. Together
 * they carry XT_STREAM_MB megabytes each way (default 2), split evenly;
 * no byte moving on a connection for 60 s fails it.
 */
#include "stream.h"

#define MAX_CONNS 256

int main(void)
{
	const char *mb = getenv("XT_STREAM_MB");
	const char *np = getenv("XT_PARALLEL");
	size_t total = (size_t)(mb ? atoi(mb) : 2) << 20, each;
	int n = np ? atoi(np) : 32, lfd, i;
	int cfd[MAX_CONNS], sfd[MAX_CONNS];
	struct xt_flow *f;
	double t0;

	XT_CHECK(n > 0 && n <= MAX_CONNS, "XT_PARALLEL=%d: 1 to %d", n, MAX_CONNS);
	each = total / n;
	if (each < 65536)
		each = 65536;
	f = calloc(4 * n, sizeof(*f));
	if (!f)
		xt_fail("calloc");
	xt_raise_nofile(4 * MAX_CONNS);
	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	lfd = xt_listen_in("b", XT_PORT, n);
	/* One at a time: what accept() returns is the one just connected. */
	for (i = 0; i < n; i++) {
		cfd[i] = xt_socket_in("a");
		if (xt_connect(cfd[i], XT_B, XT_PORT) < 0)
			xt_fail("connect %d", i);
		sfd[i] = xt_accept_wait(lfd, 10000);
		if (sfd[i] < 0)
			xt_fail("accept %d", i);
	}
	t0 = xt_now();
	for (i = 0; i < n; i++)
		xt_duplex(&f[4 * i], cfd[i], sfd[i], each, 2 * i + 1);
	xt_flows_check(f, 4 * n, "parallel");
	fprintf(stderr, "parallel: %d connections, %zu bytes each way each, in %.1f s\n", n,
		each, xt_now() - t0);
	for (i = 0; i < n; i++) {
		close(cfd[i]);
		close(sfd[i]);
	}
	close(lfd);
	free(f);
	return 0;
}
