// SPDX-License-Identifier: GPL-2.0
/*
 * sendfile() and splice() into and out of a connection, as with Linux
 * TCP (xtcp has no splice_read or sendpage of its own: the socket layer
 * falls back to its recvmsg and sendmsg):
 *   - sendfile() of a file several times the socket buffers, blocking,
 *     arrives whole and in order, then EOF;
 *   - sendfile() on a non-blocking socket whose send path is full gives
 *     EAGAIN;
 *   - splice() from the socket into a pipe, and from the pipe into a
 *     file, moves a large stream whole, and ends with 0 at EOF;
 *   - splice() from an empty non-blocking socket gives EAGAIN; a
 *     blocking one waits and wakes for data;
 *   - vmsplice() into a pipe and splice() from it into the socket, and a
 *     file spliced through a pipe into the socket, arrive whole.
 *
 * XT_FILE_MB sets the size of the large streams (default 2).
 */
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "xtapi.h"

static size_t big;

static void close_pair(struct xt_pair *p)
{
	close(p->cfd);
	close(p->sfd);
	close(p->lfd);
}

/* A file holding the pattern from offset 0, len bytes; its fd, at 0. */
static int pattern_file(const char *path, size_t len)
{
	static unsigned char buf[65536];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off;

	if (fd < 0)
		xt_fail("open %s", path);
	for (off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		xt_pat_fill(buf, off, n);
		if (write(fd, buf, n) != (ssize_t)n)
			xt_fail("write %s", path);
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		xt_fail("lseek");
	return fd;
}

/* A pair whose buffers are small, so that a large stream blocks often. */
static struct xt_pair small_pair(unsigned short port)
{
	struct xt_pair p = { .port = port };

	p.lfd = xt_socket_in("b");
	xt_reuseaddr(p.lfd);
	xt_setint(p.lfd, SOL_SOCKET, SO_RCVBUF, 16384);
	xt_setint(p.lfd, SOL_SOCKET, SO_SNDBUF, 16384);
	xt_bind(p.lfd, XT_B, port);
	XT_CHECK(listen(p.lfd, 4) == 0, "listen");
	p.cfd = xt_socket_in("a");
	xt_setint(p.cfd, SOL_SOCKET, SO_RCVBUF, 16384);
	xt_setint(p.cfd, SOL_SOCKET, SO_SNDBUF, 16384);
	XT_CHECK(xt_connect(p.cfd, XT_B, port) == 0, "connect");
	p.sfd = xt_accept_wait(p.lfd, 3000);
	XT_CHECK(p.sfd >= 0, "accept");
	return p;
}

/* Receive the pattern stream of len bytes then EOF, in a second thread. */
struct reader {
	pthread_t t;
	int fd;
	size_t len;
	size_t got;
	long bad;
	int eof;
};

static void *read_stream(void *p)
{
	struct reader *r = p;
	static unsigned char buf[65536];

	r->bad = -1;
	for (;;) {
		ssize_t n = recv(r->fd, buf, sizeof(buf), 0);

		if (n < 0)
			xt_fail("recv in the reader");
		if (n == 0) {
			r->eof = 1;
			return NULL;
		}
		if (r->bad < 0)
			r->bad = xt_pat_check(buf, r->got, n);
		r->got += n;
	}
}

static void reader_start(struct reader *r, int fd, size_t len)
{
	*r = (struct reader){ .fd = fd, .len = len };
	if (pthread_create(&r->t, NULL, read_stream, r))
		xt_fail("pthread_create");
}

static void reader_check(struct reader *r, const char *what)
{
	pthread_join(r->t, NULL);
	XT_CHECK(r->got == r->len && r->eof, "%s: %zu of %zu bytes arrived", what, r->got, r->len);
	XT_CHECK(r->bad < 0, "%s: wrong byte at %ld", what, r->bad);
}

static void sendfile_big(void)
{
	struct xt_pair p = small_pair(XT_PORT);
	int fd = pattern_file("/tmp/api_file.src", big);
	struct reader r;
	off_t off = 0;

	reader_start(&r, p.sfd, big);
	while ((size_t)off < big) {
		ssize_t n = sendfile(p.cfd, fd, &off, big - off);

		XT_CHECK(n > 0, "sendfile returned %zd at %ld", n, (long)off);
	}
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	reader_check(&r, "sendfile");
	close(fd);
	close_pair(&p);
}

static void sendfile_nonblock(void)
{
	struct xt_pair p = small_pair(XT_PORT + 1);
	int fd = pattern_file("/tmp/api_file.src", big);
	size_t total = 0;
	off_t off = 0;
	ssize_t n;

	xt_nonblock(p.cfd, 1);
	while ((n = sendfile(p.cfd, fd, &off, big - off)) > 0) {
		total += n;
		XT_CHECK((size_t)off < big, "sent all %zu bytes and never blocked", big);
	}
	XT_CHECK(n < 0 && errno == EAGAIN, "a full non-blocking sendfile returned %zd", n);
	XT_CHECK(total > 0, "nothing sent");
	close(fd);
	close_pair(&p);
}

static void splice_out(void)
{
	struct xt_pair p = small_pair(XT_PORT + 2);
	static unsigned char buf[65536];
	unsigned char *all;
	int pfd[2], out;
	size_t got = 0, off;
	struct xt_later l;
	struct xt_send_job j;
	double t0;
	ssize_t n;

	XT_CHECK(pipe(pfd) == 0, "pipe");
	out = open("/tmp/api_file.dst", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	XT_CHECK(out >= 0, "open");

	/* Empty and non-blocking: EAGAIN. */
	xt_nonblock(p.sfd, 1);
	XT_ERRNO(splice(p.sfd, NULL, pfd[1], NULL, 4096, SPLICE_F_NONBLOCK), EAGAIN);
	xt_nonblock(p.sfd, 0);

	/* Blocking: waits, and wakes for the data. */
	xt_pat_fill(buf, 0, 100);
	j = (struct xt_send_job){ p.cfd, buf, 100 };
	xt_later(&l, 200, xt_send_job, &j);
	t0 = xt_now();
	n = splice(p.sfd, NULL, pfd[1], NULL, 4096, 0);
	XT_CHECK(n > 0 && n <= 100, "a blocking splice returned %zd", n);
	XT_CHECK(xt_now() - t0 > 0.1, "splice returned before the data was sent");
	xt_later_join(&l);
	got = n;
	while (got < 100) {
		n = splice(p.sfd, NULL, pfd[1], NULL, 100 - got, 0);
		XT_CHECK(n > 0, "splice returned %zd", n);
		got += n;
	}
	XT_CHECK(splice(pfd[0], NULL, out, NULL, 100, 0) == 100, "splice to the file");

	/* A large stream, socket to pipe to file, then EOF; sent by a thread. */
	all = malloc(big);
	XT_CHECK(all, "malloc");
	xt_pat_fill(all, 100, big);
	j = (struct xt_send_job){ p.cfd, all, big };
	xt_later(&l, 0, xt_send_job, &j);
	for (;;) {
		ssize_t m;

		n = splice(p.sfd, NULL, pfd[1], NULL, 65536, SPLICE_F_MOVE);
		XT_CHECK(n >= 0, "splice from the socket at %zu", got);
		if (n == 0)
			break;
		got += n;
		while (n) {
			m = splice(pfd[0], NULL, out, NULL, n, SPLICE_F_MOVE);
			XT_CHECK(m > 0, "splice to the file");
			n -= m;
		}
		if (got == big + 100) {
			xt_later_join(&l);
			XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
		}
	}
	XT_CHECK(got == big + 100, "spliced %zu of %zu bytes", got, big + 100);

	/* The file holds the stream. */
	XT_CHECK(lseek(out, 0, SEEK_SET) == 0, "lseek");
	for (off = 0; off < got; off += n) {
		n = read(out, buf, sizeof(buf));
		XT_CHECK(n > 0, "read the file at %zu", off);
		XT_CHECK(xt_pat_check(buf, off, n) < 0, "wrong byte at %ld in the file",
			 xt_pat_check(buf, off, n));
	}
	free(all);
	close(out);
	close(pfd[0]);
	close(pfd[1]);
	close_pair(&p);
}

static void splice_in(void)
{
	struct xt_pair p = small_pair(XT_PORT + 3);
	static unsigned char buf[4096];
	int pfd[2], fd = pattern_file("/tmp/api_file.src", sizeof(buf) + big);
	struct iovec iov = { buf, sizeof(buf) };
	struct reader r;
	size_t left;
	ssize_t n;

	XT_CHECK(pipe(pfd) == 0, "pipe");
	reader_start(&r, p.sfd, sizeof(buf) + big);

	/* User memory through a pipe into the socket. */
	xt_pat_fill(buf, 0, sizeof(buf));
	XT_CHECK(vmsplice(pfd[1], &iov, 1, 0) == sizeof(buf), "vmsplice");
	XT_CHECK(splice(pfd[0], NULL, p.cfd, NULL, sizeof(buf), 0) == sizeof(buf),
		 "splice from the pipe to the socket");

	/* Then the file from the same offset of the pattern, through the pipe. */
	XT_CHECK(lseek(fd, sizeof(buf), SEEK_SET) == sizeof(buf), "lseek");
	for (left = big; left;) {
		n = splice(fd, NULL, pfd[1], NULL, left < 65536 ? left : 65536, 0);
		XT_CHECK(n > 0, "splice from the file");
		left -= n;
		while (n) {
			ssize_t m = splice(pfd[0], NULL, p.cfd, NULL, n, SPLICE_F_MORE);

			XT_CHECK(m > 0, "splice to the socket");
			n -= m;
		}
	}
	XT_CHECK(shutdown(p.cfd, SHUT_WR) == 0, "shutdown");
	reader_check(&r, "splice into the socket");
	close(fd);
	close(pfd[0]);
	close(pfd[1]);
	close_pair(&p);
}

int main(void)
{
	big = (size_t)(getenv("XT_FILE_MB") ? atoi(getenv("XT_FILE_MB")) : 2) << 20;
	sendfile_big();
	sendfile_nonblock();
	splice_out();
	splice_in();
	unlink("/tmp/api_file.src");
	unlink("/tmp/api_file.dst");
	return 0;
}
