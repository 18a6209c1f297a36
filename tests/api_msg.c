// SPDX-License-Identifier: GPL-2.0
/*
 * The data calls and their flags, as Linux TCP gives them:
 *   - read/write, send/recv, sendmsg/recvmsg, readv/writev carry the
 *     same bytes across iovec boundaries; a zero-length send returns 0;
 *     recvmsg reports no msg_flags on a stream;
 *   - MSG_PEEK returns data without consuming it, across segments;
 *   - MSG_WAITALL waits for the whole length, and ends early at EOF or
 *     at SO_RCVTIMEO with what it has; without it recv returns what is
 *     there;
 *   - MSG_DONTWAIT and O_NONBLOCK give EAGAIN on an empty receive queue
 *     and on a full send path;
 *   - MSG_TRUNC reads and discards (the buffer is not written), and with
 *     MSG_PEEK only counts;
 *   - a send after shutdown(SHUT_WR), or after a RST, fails with EPIPE
 *     and raises SIGPIPE, except with MSG_NOSIGNAL; the RST itself is
 *     reported once, as ECONNRESET, and recv then reads EOF;
 *   - SO_RCVTIMEO and SO_SNDTIMEO end a blocked recv and send with
 *     EAGAIN after about their time;
 *   - data that arrives after the peer closed (close(), nothing unread)
 *     is answered with RST: the sender's connection is reset (EPIPE in
 *     CLOSE-WAIT) and ends CLOSED.
 */
#include <signal.h>
#include <sys/uio.h>

#include "xtapi.h"

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static void close_pair(struct xt_pair *p)
{
	close(p->cfd);
	close(p->sfd);
	close(p->lfd);
}

static void io_calls(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT);
	unsigned char out[3000], in[3000];
	struct iovec wv[3], rv[2];
	struct msghdr msg = { 0 };
	ssize_t n;

	xt_pat_fill(out, 0, sizeof(out));
	XT_CHECK(write(p.cfd, out, 100) == 100, "write");
	xt_recv_all(p.sfd, in, 100, 3000);
	XT_CHECK(xt_pat_check(in, 0, 100) < 0, "write/recv: wrong data");
	XT_CHECK(send(p.sfd, out, 100, 0) == 100, "send");
	XT_CHECK(xt_wait_readable(p.cfd, 3000), "nothing to read");
	XT_CHECK(read(p.cfd, in, 100) == 100, "read");
	XT_CHECK(xt_pat_check(in, 0, 100) < 0, "send/read: wrong data");
	XT_CHECK(send(p.cfd, "", 0, 0) == 0, "a zero-length send");

	/* writev of three pieces, readv into two of other sizes. */
	wv[0] = (struct iovec){ out, 7 };
	wv[1] = (struct iovec){ out + 7, 1993 };
	wv[2] = (struct iovec){ out + 2000, 1000 };
	XT_CHECK(writev(p.cfd, wv, 3) == 3000, "writev");
	memset(in, 0, sizeof(in));
	rv[0] = (struct iovec){ in, 1234 };
	rv[1] = (struct iovec){ in + 1234, 1766 };
	msg.msg_iov = rv;
	msg.msg_iovlen = 2;
	n = recvmsg(p.sfd, &msg, MSG_WAITALL);
	XT_CHECK(n == 3000, "recvmsg(MSG_WAITALL) returned %zd", n);
	XT_CHECK(msg.msg_flags == 0, "recvmsg msg_flags 0x%x", msg.msg_flags);
	XT_CHECK(xt_pat_check(in, 0, 3000) < 0, "writev/recvmsg: wrong byte at %ld",
		 xt_pat_check(in, 0, 3000));

	/* sendmsg of two pieces, readv in a loop. */
	msg = (struct msghdr){ .msg_iov = wv, .msg_iovlen = 2 };
	XT_CHECK(sendmsg(p.sfd, &msg, 0) == 2000, "sendmsg");
	memset(in, 0, sizeof(in));
	for (n = 0; n < 2000;) {
		ssize_t r;

		rv[0] = (struct iovec){ in + n, 10 };
		rv[1] = (struct iovec){ in + n + 10, 2000 - n - 10 };
		XT_CHECK(xt_wait_readable(p.cfd, 3000), "readv: nothing to read");
		r = readv(p.cfd, rv, n + 10 < 2000 ? 2 : 1);
		XT_CHECK(r > 0, "readv returned %zd", r);
		n += r;
	}
	XT_CHECK(xt_pat_check(in, 0, 2000) < 0, "sendmsg/readv: wrong data");
	close_pair(&p);
}

static void peek(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 1);
	char buf[64];

	xt_send_all(p.cfd, "hello", 5);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 5), "5 bytes never arrived");
	xt_send_all(p.cfd, " world", 6);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 11), "11 bytes never arrived");

	XT_CHECK(recv(p.sfd, buf, 3, MSG_PEEK) == 3 && !memcmp(buf, "hel", 3), "peek 3");
	/* Across the two segments, and only what is there. */
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), MSG_PEEK) == 11 &&
		 !memcmp(buf, "hello world", 11), "peek all");
	XT_CHECK(recv(p.sfd, buf, 5, 0) == 5 && !memcmp(buf, "hello", 5), "read after peek");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT) == 6 &&
		 !memcmp(buf, " world", 6), "peek the rest");
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 6 && !memcmp(buf, " world", 6),
		 "read the rest");
	XT_ERRNO(recv(p.sfd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT), EAGAIN);
	close_pair(&p);
}

static void waitall(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 2);
	unsigned char out[300], in[300];
	struct xt_send_job j1, j2;
	struct xt_later l1, l2;
	double t0;
	ssize_t n;

	xt_pat_fill(out, 0, sizeof(out));
	/* 100 bytes now, 200 later: MSG_WAITALL waits for all 300. */
	xt_send_all(p.cfd, out, 100);
	j1 = (struct xt_send_job){ p.cfd, out + 100, 100 };
	j2 = (struct xt_send_job){ p.cfd, out + 200, 100 };
	xt_later(&l1, 200, xt_send_job, &j1);
	xt_later(&l2, 400, xt_send_job, &j2);
	n = recv(p.sfd, in, 300, MSG_WAITALL);
	XT_CHECK(n == 300, "recv(MSG_WAITALL) returned %zd", n);
	XT_CHECK(xt_pat_check(in, 0, 300) < 0, "MSG_WAITALL: wrong data");
	xt_later_join(&l1);
	xt_later_join(&l2);

	/* Without it, recv returns the 100 that are there. */
	j1 = (struct xt_send_job){ p.cfd, out + 100, 200 };
	xt_send_all(p.cfd, out, 100);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 100), "100 bytes never arrived");
	xt_later(&l1, 300, xt_send_job, &j1);
	n = recv(p.sfd, in, 300, 0);
	XT_CHECK(n == 100, "recv without MSG_WAITALL returned %zd", n);
	xt_later_join(&l1);
	xt_recv_all(p.sfd, in, 200, 3000);

	/* SO_RCVTIMEO ends it with what it has. */
	xt_timeo(p.sfd, SO_RCVTIMEO, 300);
	xt_send_all(p.cfd, out, 10);
	t0 = xt_now();
	n = recv(p.sfd, in, 300, MSG_WAITALL);
	XT_CHECK(n == 10, "recv(MSG_WAITALL) with SO_RCVTIMEO returned %zd", n);
	XT_CHECK(xt_now() - t0 > 0.25, "returned after %.3f s, before the timeout",
		 xt_now() - t0);
	xt_timeo(p.sfd, SO_RCVTIMEO, 0);

	/* So does EOF, then 0. */
	xt_send_all(p.cfd, out, 10);
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	n = recv(p.sfd, in, 300, MSG_WAITALL);
	XT_CHECK(n == 10, "recv(MSG_WAITALL) before EOF returned %zd", n);
	XT_CHECK(recv(p.sfd, in, 300, MSG_WAITALL) == 0, "no EOF");
	close_pair(&p);
}

static void dontwait(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 3);
	char buf[16];

	XT_ERRNO(recv(p.sfd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	xt_nonblock(p.sfd, 1);
	XT_ERRNO(read(p.sfd, buf, sizeof(buf)), EAGAIN);
	XT_ERRNO(recv(p.sfd, buf, sizeof(buf), 0), EAGAIN);
	xt_nonblock(p.sfd, 0);

	/* xt_fill() sends with MSG_DONTWAIT until EAGAIN; then O_NONBLOCK. */
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVBUF, 4096);
	xt_fill(p.cfd);
	XT_ERRNO(send(p.cfd, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN);
	xt_nonblock(p.cfd, 1);
	XT_ERRNO(write(p.cfd, buf, sizeof(buf)), EAGAIN);
	close_pair(&p);
}

static void msg_trunc(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 4);
	struct msghdr msg = { 0 };
	struct iovec iov;
	char buf[16];

	xt_send_all(p.cfd, "abcdefgh", 8);
	XT_CHECK(xt_wait_inq_ok(p.sfd, 8), "8 bytes never arrived");

	memset(buf, 'x', sizeof(buf));
	XT_CHECK(recv(p.sfd, buf, 2, MSG_PEEK | MSG_TRUNC) == 2, "peek|trunc");
	XT_CHECK(xt_ioctl_int(p.sfd, SIOCINQ) == 8, "MSG_PEEK|MSG_TRUNC consumed data");
	XT_CHECK(recv(p.sfd, buf, 3, MSG_TRUNC) == 3, "recv(MSG_TRUNC)");
	XT_CHECK(buf[0] == 'x' && buf[2] == 'x', "MSG_TRUNC wrote the buffer");
	XT_CHECK(recv(p.sfd, NULL, 1, MSG_TRUNC) == 1, "recv(NULL, MSG_TRUNC)");
	iov = (struct iovec){ buf, 2 };
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	XT_CHECK(recvmsg(p.sfd, &msg, MSG_TRUNC) == 2, "recvmsg(MSG_TRUNC)");
	XT_CHECK(msg.msg_flags == 0, "recvmsg(MSG_TRUNC) msg_flags 0x%x", msg.msg_flags);
	XT_CHECK(recv(p.sfd, buf, sizeof(buf), 0) == 2 && !memcmp(buf, "gh", 2),
		 "after discarding 6 bytes, read %.2s", buf);
	close_pair(&p);
}

static void sigpipe(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 5);
	struct linger lg = { 1, 0 };
	char buf[4];

	signal(SIGPIPE, on_sigpipe);
	sigpipes = 0;
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	XT_ERRNO(send(p.cfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	XT_CHECK(sigpipes == 0, "SIGPIPE with MSG_NOSIGNAL");
	XT_ERRNO(send(p.cfd, "x", 1, 0), EPIPE);
	XT_CHECK(sigpipes == 1, "%d SIGPIPEs from send, wanted 1", (int)sigpipes);
	XT_ERRNO(write(p.cfd, "x", 1), EPIPE);
	XT_CHECK(sigpipes == 2, "%d SIGPIPEs after write, wanted 2", (int)sigpipes);
	close_pair(&p);

	/* After a RST: ECONNRESET once, then EPIPE. */
	p = xt_pair_open(XT_PORT + 6);
	sigpipes = 0;
	XT_CHECK(setsockopt(p.sfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0, "SO_LINGER");
	close(p.sfd);
	XT_CHECK(xt_wait_readable(p.cfd, 3000), "no RST");
	XT_ERRNO(recv(p.cfd, buf, sizeof(buf), 0), ECONNRESET);
	XT_CHECK(recv(p.cfd, buf, sizeof(buf), 0) == 0, "a second recv after RST is not EOF");
	XT_ERRNO(send(p.cfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	XT_CHECK(sigpipes == 0, "SIGPIPE with MSG_NOSIGNAL after RST");
	XT_ERRNO(send(p.cfd, "x", 1, 0), EPIPE);
	XT_CHECK(sigpipes == 1, "%d SIGPIPEs after RST, wanted 1", (int)sigpipes);
	signal(SIGPIPE, SIG_DFL);
	close(p.cfd);
	close(p.lfd);
}

static void timeouts(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 7);
	static char buf[65536];
	double t0, took = 0;
	ssize_t n;
	int calls;

	xt_timeo(p.sfd, SO_RCVTIMEO, 300);
	t0 = xt_now();
	XT_ERRNO(recv(p.sfd, buf, 16, 0), EAGAIN);
	XT_CHECK(xt_now() - t0 > 0.25 && xt_now() - t0 < 3, "SO_RCVTIMEO 300 ms took %.3f s",
		 xt_now() - t0);

	/* The peer reads nothing: blocking sends end in EAGAIN. */
	xt_setint(p.sfd, SOL_SOCKET, SO_RCVBUF, 4096);
	xt_setint(p.cfd, SOL_SOCKET, SO_SNDBUF, 16384);
	xt_timeo(p.cfd, SO_SNDTIMEO, 300);
	for (calls = 0;; calls++) {
		XT_CHECK(calls < 10000, "blocking sends never timed out");
		t0 = xt_now();
		n = send(p.cfd, buf, sizeof(buf), MSG_NOSIGNAL);
		took = xt_now() - t0;
		if (n < 0)
			break;
	}
	XT_CHECK(errno == EAGAIN, "a blocked send failed with errno %d, wanted EAGAIN", errno);
	XT_CHECK(took > 0.25 && took < 3, "SO_SNDTIMEO 300 ms took %.3f s", took);
	close_pair(&p);
}

/*
 * The peer closed with nothing unread: its FIN arrives, and data sent
 * to it afterwards gets a RST. Linux TCP resets a connection in
 * CLOSE-WAIT with EPIPE.
 */
static void data_after_close(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT + 8);
	char buf[4];

	XT_CHECK(close(p.sfd) == 0, "close");
	XT_CHECK(xt_wait_readable(p.cfd, 3000), "no FIN");
	XT_CHECK(recv(p.cfd, buf, sizeof(buf), 0) == 0, "no EOF");
	XT_CHECK(xt_wait_state(p.cfd, XTCP_CLOSE_WAIT, 3000), "not in CLOSE-WAIT");
	XT_CHECK(send(p.cfd, "late", 4, MSG_NOSIGNAL) == 4, "send in CLOSE-WAIT");
	XT_CHECK(xt_wait_state(p.cfd, XTCP_CLOSE, 3000),
		 "data after the peer's close was not reset: %s", xt_state_name(xt_state(p.cfd)));
	XT_CHECK(xt_so_error(p.cfd) == EPIPE, "SO_ERROR %d, wanted EPIPE", xt_so_error(p.cfd));
	XT_ERRNO(send(p.cfd, "x", 1, MSG_NOSIGNAL), EPIPE);
	close(p.cfd);
	close(p.lfd);
}

int main(void)
{
	io_calls();
	peek();
	waitall();
	dontwait();
	msg_trunc();
	sigpipe();
	timeouts();
	data_after_close();
	return 0;
}
