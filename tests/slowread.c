// SPDX-License-Identifier: GPL-2.0
/*
 * A slow reader: a writes a stream to b, whose application does not read
 * until the sender is stuck. b's receive buffer fills and b announces a
 * zero window (seen on the wire, in a capture on veth-a); a's send
 * buffer fills behind it and a's writer blocks (no byte taken for 2 s,
 * and poll() says not writable). The window stays shut HOLD_S seconds
 * more; then b reads everything, the window opens again, and the whole
 * stream (XT_STREAM_MB megabytes, default 1) arrives intact, followed by
 * EOF. The receive buffer is 64 KB and the send buffer 64 KB, so the
 * window closes after a few dozen segments. What a sends while the
 * window is shut (zero-window probes, which Linux TCP sends from its
 * persist timer) is printed, not checked.
 */
#include "stream.h"
#include "wire.h"

#define BUF 65536
#define HOLD_S 3

static void bufsize(int fd, int opt)
{
	int v = BUF;

	if (setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v)) < 0)
		xt_fail("setsockopt %d", opt);
}

/* Segments from b to a that announce a zero window, from index pos on. */
static int zero_windows(struct xt_cap *cap, int pos, unsigned short port, double *first)
{
	int i, n = 0;

	pthread_mutex_lock(&cap->lock);
	for (i = pos; i < cap->n; i++) {
		const struct xt_seg *s = &cap->seg[i];

		if (s->sport == port && (s->flags & XT_ACK) && !(s->flags & XT_SYN) &&
		    s->win == 0) {
			if (!n && first)
				*first = s->t;
			n++;
		}
	}
	pthread_mutex_unlock(&cap->lock);
	return n;
}

/* Segments from a to b after index pos, and how many carried data. */
static int sent_since(struct xt_cap *cap, int pos, unsigned short port, int *data)
{
	int i, n = 0;

	*data = 0;
	pthread_mutex_lock(&cap->lock);
	for (i = pos; i < cap->n; i++) {
		if (cap->seg[i].dport != port)
			continue;
		n++;
		*data += cap->seg[i].len > 0;
	}
	pthread_mutex_unlock(&cap->lock);
	return n;
}

int main(void)
{
	const char *mb = getenv("XT_STREAM_MB");
	size_t total = (size_t)(mb ? atoi(mb) : 1) << 20, stuck;
	struct pollfd pw;
	struct xt_flow f[2];
	struct xt_cap *cap;
	int lfd, cfd, sfd, mark, probes, data, zw;
	struct xt_seg last_seg;
	double t0, tz = 0, last;

	xt_netem("a", "limit 10000");
	xt_netem("b", "limit 10000");
	cap = xt_cap_start("a", "veth-a");
	lfd = xt_socket_in("b");
	xt_reuseaddr(lfd);
	bufsize(lfd, SO_RCVBUF);
	xt_bind(lfd, XT_B, XT_PORT);
	if (listen(lfd, 4) < 0)
		xt_fail("listen");
	cfd = xt_socket_in("a");
	bufsize(cfd, SO_SNDBUF);
	if (xt_connect(cfd, XT_B, XT_PORT) < 0)
		xt_fail("connect");
	sfd = xt_accept_wait(lfd, 5000);
	if (sfd < 0)
		xt_fail("accept");
	bufsize(sfd, SO_RCVBUF);

	f[0] = (struct xt_flow){ .fd = cfd, .seed = 7, .len = total, .write = 1,
				 .what = "a->b written" };
	f[1] = (struct xt_flow){ .fd = sfd, .seed = 7, .len = total, .write = 0,
				 .what = "a->b read" };
	t0 = xt_now();
	xt_flow_start(&f[0]);

	/* The writer is stuck: nothing taken for 2 s, and not writable. */
	for (stuck = 0, last = xt_now();; xt_msleep(100)) {
		if (f[0].done != stuck) {
			stuck = f[0].done;
			last = xt_now();
		}
		if (f[0].msg[0] || f[0].done == total) {
			xt_cap_dump(cap);
			xt_fail("the writer never blocked: %zu of %zu bytes taken%s%s",
				(size_t)f[0].done, total, f[0].msg[0] ? ": " : "", f[0].msg);
		}
		if (xt_now() - last >= 2)
			break;
		XT_CHECK(xt_now() - t0 < 30, "the writer still moves after 30 s");
	}
	pw = (struct pollfd){ .fd = cfd, .events = POLLOUT };
	XT_CHECK(poll(&pw, 1, 0) == 0, "a blocked writer's socket polls %s",
		 xt_pollstr(pw.revents));
	/* Checked at the end: whether it resumes all the same is worth seeing. */
	zw = zero_windows(cap, 0, XT_PORT, &tz);
	if (!zw)
		fprintf(stderr, "slowread: the writer blocked after %zu bytes, but b "
			"announced no zero window; the last it announced:\n", stuck);
	if (!zw && xt_cap_count(cap, XT_PORT, XT_ANY, XT_ACK, XT_ACK, &last_seg))
		xt_seg_print(&last_seg);

	/* Hold the window shut; see what a sends meanwhile. */
	mark = xt_cap_mark(cap);
	xt_msleep(HOLD_S * 1000);
	XT_CHECK(f[0].done == stuck, "the writer moved while b did not read");
	probes = sent_since(cap, mark, XT_PORT, &data);
	fprintf(stderr, "slowread: writer blocked after %zu bytes; %d zero windows, the first "
		"at %.2f s; in the %d s held a sent %d segments, %d with data\n", stuck, zw, tz,
		HOLD_S, probes, data);

	/* Now read everything. */
	xt_flow_start(&f[1]);
	xt_flows_check(f, 2, "slowread");
	fprintf(stderr, "slowread: %zu bytes intact in %.1f s\n", total, xt_now() - t0);
	XT_CHECK(zw > 0, "the writer blocked after %zu bytes, but b never announced a zero window",
		 stuck);
	xt_cap_stop(cap);
	close(cfd);
	close(sfd);
	close(lfd);
	return 0;
}
