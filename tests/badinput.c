// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input from userspace (issue 7), checked against Linux TCP itself:
 * each call below is made with invalid arguments, lengths, pointers or
 * in the wrong state, once on an xtcp socket and once on a TCP socket in
 * the same state, and the two must answer alike: the same return value,
 * the same errno, and for getsockopt() the same length back. No
 * expectation is written down but TCP's, so the sweep grows by adding a
 * line. The states are: fresh, bound, listening, connected (the client
 * end, with a peer in b), and connected with data waiting.
 *
 * The one deliberate difference: xtcp never sends urgent data (the
 * contract), so send(MSG_OOB) is EOPNOTSUPP where TCP sends it.
 */
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>

#include "xtnet.h"

#define BAD_PTR ((void *)16)	/* unmapped: EFAULT */

enum { FRESH, BOUND, LISTENING, CONNECTED, READABLE, STATES };

static const char *const state_name[] = {
	"fresh", "bound", "listening", "connected", "readable",
};

/* One socket of protocol proto in state st; *peer gets its b end, if any. */
static int in_state(int proto, int st, int lfd_b, unsigned short port, int *peer)
{
	int old = xt_push_ns("a"), fd = socket(AF_INET, SOCK_STREAM, proto);

	xt_pop_ns(old);
	XT_CHECK(fd >= 0, "socket of protocol %d", proto);
	*peer = -1;
	if (st == BOUND || st == LISTENING)
		xt_bind(fd, XT_A, 0);
	if (st == LISTENING)
		XT_CHECK(listen(fd, 4) == 0, "listen");
	if (st >= CONNECTED) {
		XT_CHECK(xt_connect(fd, XT_B, port) == 0, "connect, protocol %d", proto);
		*peer = xt_accept_wait(lfd_b, 5000);
		XT_CHECK(*peer >= 0, "accept, protocol %d", proto);
	}
	if (st == READABLE) {
		xt_send_all(*peer, "data", 4);
		XT_CHECK(xt_wait_readable(fd, 5000), "no data, protocol %d", proto);
	}
	return fd;
}

struct answer {
	long ret;
	int err;
	int len;	/* getsockopt's length back, or -1 */
};

typedef struct answer (*call_fn)(int fd, int proto);

static struct answer result(long ret, int len)
{
	return (struct answer){ ret, ret < 0 ? errno : 0, len };
}

static int level_of(int proto)
{
	return proto == IPPROTO_TCP ? IPPROTO_TCP : proto;
}

static struct sockaddr_in any_port(void)
{
	return xt_addr(XT_A, 0);
}

static struct answer bind_short(int fd, int proto)
{
	struct sockaddr_in sin = any_port();

	(void)proto;
	return result(bind(fd, (struct sockaddr *)&sin, sizeof(sin) - 1), -1);
}

static struct answer bind_null(int fd, int proto)
{
	(void)proto;
	return result(bind(fd, NULL, sizeof(struct sockaddr_in)), -1);
}

static struct answer bind_fault(int fd, int proto)
{
	(void)proto;
	return result(bind(fd, BAD_PTR, sizeof(struct sockaddr_in)), -1);
}

static struct answer bind_inet6(int fd, int proto)
{
	struct sockaddr_in sin = any_port();

	(void)proto;
	sin.sin_family = AF_INET6;
	return result(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
}

static struct answer connect_short(int fd, int proto)
{
	struct sockaddr_in sin = xt_addr(XT_B, 9);

	(void)proto;
	return result(connect(fd, (struct sockaddr *)&sin, 4), -1);
}

static struct answer connect_fault(int fd, int proto)
{
	(void)proto;
	return result(connect(fd, BAD_PTR, sizeof(struct sockaddr_in)), -1);
}

static struct answer connect_unix(int fd, int proto)
{
	struct sockaddr_in sin = xt_addr(XT_B, 9);

	(void)proto;
	sin.sin_family = AF_UNIX;
	return result(connect(fd, (struct sockaddr *)&sin, sizeof(sin)), -1);
}

static struct answer listen_here(int fd, int proto)
{
	(void)proto;
	return result(listen(fd, -5), -1);
}

static struct answer accept_nb(int fd, int proto)
{
	(void)proto;
	xt_nonblock(fd, 1);
	return result(accept4(fd, BAD_PTR, BAD_PTR, 0), -1);
}

static struct answer shutdown_bad(int fd, int proto)
{
	(void)proto;
	return result(shutdown(fd, 7), -1);
}

static struct answer shutdown_rd(int fd, int proto)
{
	(void)proto;
	return result(shutdown(fd, SHUT_RD), -1);
}

static struct answer send_plain(int fd, int proto)
{
	(void)proto;
	return result(send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT), -1);
}

static struct answer send_fault(int fd, int proto)
{
	(void)proto;
	return result(send(fd, BAD_PTR, 100, MSG_NOSIGNAL | MSG_DONTWAIT), -1);
}

static struct answer recv_plain(int fd, int proto)
{
	char c;

	(void)proto;
	return result(recv(fd, &c, 1, MSG_DONTWAIT), -1);
}

static struct answer recv_fault(int fd, int proto)
{
	(void)proto;
	return result(recv(fd, BAD_PTR, 100, MSG_DONTWAIT), -1);
}

static struct answer recv_oob(int fd, int proto)
{
	char c;

	(void)proto;
	return result(recv(fd, &c, 1, MSG_OOB | MSG_DONTWAIT), -1);
}

/* The error queue first: EAGAIN, empty, in every state, as on TCP. */
static struct answer recv_oob_errqueue(int fd, int proto)
{
	char c;

	(void)proto;
	return result(recv(fd, &c, 1, MSG_OOB | MSG_ERRQUEUE | MSG_DONTWAIT), -1);
}

static struct answer sendmsg_iov_fault(int fd, int proto)
{
	struct iovec iov = { BAD_PTR, 10 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	(void)proto;
	return result(sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT), -1);
}

static struct answer sendmsg_many_iov(int fd, int proto)
{
	static struct iovec iov[2000];
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2000 };

	(void)proto;
	return result(sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT), -1);
}

static struct answer set_nodelay_short(int fd, int proto)
{
	int one = 1;

	return result(setsockopt(fd, level_of(proto), TCP_NODELAY, &one, 2), -1);
}

static struct answer set_nodelay_fault(int fd, int proto)
{
	return result(setsockopt(fd, level_of(proto), TCP_NODELAY, BAD_PTR, sizeof(int)), -1);
}

static struct answer set_cork_null(int fd, int proto)
{
	return result(setsockopt(fd, level_of(proto), TCP_CORK, NULL, 0), -1);
}

static struct answer set_unknown(int fd, int proto)
{
	int one = 1;

	return result(setsockopt(fd, level_of(proto), 99, &one, sizeof(one)), -1);
}

static struct answer get_nodelay_neg(int fd, int proto)
{
	socklen_t len = (socklen_t)-1;
	int v;

	return result(getsockopt(fd, level_of(proto), TCP_NODELAY, &v, &len), -1);
}

static struct answer get_nodelay_zero(int fd, int proto)
{
	socklen_t len = 0;
	int v;
	long r = getsockopt(fd, level_of(proto), TCP_NODELAY, &v, &len);

	return result(r, len);
}

static struct answer get_cork_short(int fd, int proto)
{
	socklen_t len = 1;
	char v;
	long r = getsockopt(fd, level_of(proto), TCP_CORK, &v, &len);

	return result(r, len);
}

static struct answer get_nodelay_lenfault(int fd, int proto)
{
	int v;

	return result(getsockopt(fd, level_of(proto), TCP_NODELAY, &v, BAD_PTR), -1);
}

static struct answer get_nodelay_valfault(int fd, int proto)
{
	socklen_t len = sizeof(int);

	return result(getsockopt(fd, level_of(proto), TCP_NODELAY, BAD_PTR, &len), -1);
}

static struct answer get_info_zero(int fd, int proto)
{
	char buf[8];
	socklen_t len = 0;
	long r = getsockopt(fd, level_of(proto), TCP_INFO, buf, &len);

	return result(r, len);
}

static struct answer get_unknown(int fd, int proto)
{
	socklen_t len = sizeof(int);
	int v;

	return result(getsockopt(fd, level_of(proto), 99, &v, &len), -1);
}

static struct answer ioctl_inq(int fd, int proto)
{
	int v;

	(void)proto;
	return result(ioctl(fd, SIOCINQ, &v), -1);
}

static struct answer ioctl_outq(int fd, int proto)
{
	int v;

	(void)proto;
	return result(ioctl(fd, SIOCOUTQ, &v), -1);
}

static struct answer ioctl_inq_fault(int fd, int proto)
{
	(void)proto;
	return result(ioctl(fd, SIOCINQ, BAD_PTR), -1);
}

static struct answer getpeername_here(int fd, int proto)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	(void)proto;
	return result(getpeername(fd, (struct sockaddr *)&sin, &len), -1);
}

static const struct {
	const char *name;
	call_fn fn;
} calls[] = {
	{ "bind, short address", bind_short },
	{ "bind, NULL address", bind_null },
	{ "bind, unmapped address", bind_fault },
	{ "bind, AF_INET6 address", bind_inet6 },
	{ "connect, 4-byte address", connect_short },
	{ "connect, unmapped address", connect_fault },
	{ "connect, AF_UNIX address", connect_unix },
	{ "listen, backlog -5", listen_here },
	{ "accept, non-blocking, unmapped address", accept_nb },
	{ "shutdown, how 7", shutdown_bad },
	{ "shutdown, SHUT_RD", shutdown_rd },
	{ "send", send_plain },
	{ "send, unmapped buffer", send_fault },
	{ "recv", recv_plain },
	{ "recv, unmapped buffer", recv_fault },
	{ "recv, MSG_OOB", recv_oob },
	{ "recv, MSG_OOB | MSG_ERRQUEUE", recv_oob_errqueue },
	{ "sendmsg, unmapped iovec", sendmsg_iov_fault },
	{ "sendmsg, 2000 iovecs", sendmsg_many_iov },
	{ "setsockopt NODELAY, 2 bytes", set_nodelay_short },
	{ "setsockopt NODELAY, unmapped value", set_nodelay_fault },
	{ "setsockopt CORK, NULL value", set_cork_null },
	{ "setsockopt, unknown option", set_unknown },
	{ "getsockopt NODELAY, length -1", get_nodelay_neg },
	{ "getsockopt NODELAY, length 0", get_nodelay_zero },
	{ "getsockopt CORK, length 1", get_cork_short },
	{ "getsockopt NODELAY, unmapped length", get_nodelay_lenfault },
	{ "getsockopt NODELAY, unmapped value", get_nodelay_valfault },
	{ "getsockopt INFO, length 0", get_info_zero },
	{ "getsockopt, unknown option", get_unknown },
	{ "ioctl SIOCINQ", ioctl_inq },
	{ "ioctl SIOCOUTQ", ioctl_outq },
	{ "ioctl SIOCINQ, unmapped value", ioctl_inq_fault },
	{ "getpeername", getpeername_here },
};

int main(void)
{
	int nc = ARRAY_SIZE(calls), ltcp, lxtcp, st, c, fd, peer, old;
	int differ = 0;
	struct answer x, t;

	if (xt_is_tcp())
		return 77;	/* the test compares xtcp with TCP itself */
	old = xt_push_ns("b");
	ltcp = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	xt_pop_ns(old);
	XT_CHECK(ltcp >= 0, "TCP socket in b");
	xt_reuseaddr(ltcp);
	xt_bind(ltcp, XT_B, XT_PORT + 1);
	XT_CHECK(listen(ltcp, 64) == 0, "TCP listen");
	lxtcp = xt_listen_in("b", XT_PORT, 64);

	for (st = 0; st < STATES; st++) {
		for (c = 0; c < nc; c++) {
			fd = in_state(IPPROTO_XTCP, st, lxtcp, XT_PORT, &peer);
			errno = 0;
			x = calls[c].fn(fd, IPPROTO_XTCP);
			close(fd);
			if (peer >= 0)
				close(peer);
			fd = in_state(IPPROTO_TCP, st, ltcp, XT_PORT + 1, &peer);
			errno = 0;
			t = calls[c].fn(fd, IPPROTO_TCP);
			close(fd);
			if (peer >= 0)
				close(peer);
			if (x.ret == t.ret && x.err == t.err && x.len == t.len)
				continue;
			fprintf(stderr, "%s, %s: xtcp %ld/%d/%d, TCP %ld/%d/%d (ret/errno/len)\n",
				calls[c].name, state_name[st], x.ret, x.err, x.len, t.ret, t.err,
				t.len);
			differ++;
		}
	}
	XT_CHECK(!differ, "%d of %d calls answered otherwise than TCP", differ, nc * STATES);

	/* The difference the contract makes. */
	fd = in_state(IPPROTO_XTCP, CONNECTED, lxtcp, XT_PORT, &peer);
	XT_ERRNO(send(fd, "u", 1, MSG_OOB | MSG_NOSIGNAL), EOPNOTSUPP);
	close(fd);
	close(peer);
	printf("badinput: %d calls in %d states answered as TCP answers them\n", nc, STATES);
	close(lxtcp);
	close(ltcp);
	return 0;
}
