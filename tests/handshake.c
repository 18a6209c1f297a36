// SPDX-License-Identifier: GPL-2.0
/*
 * The three-way handshake, on the wire and through the socket API:
 * connect() from a to a listener in b sends SYN seq=x with an MSS option,
 * the listener answers SYN-ACK seq=y ack=x+1 with an MSS option, the
 * client ACKs with seq=x+1 ack=y+1; the client is in SYN-SENT until the
 * SYN-ACK comes (held back 200 ms by netem to see it), then both ends are
 * ESTABLISHED; getsockname/getpeername give the four-tuple; a message
 * goes each way.
 *
 * Not covered: SYN-RECEIVED on the server side (a request, not a socket
 * userspace can see), and window scale/timestamp options (optional in
 * the contract).
 */
#include "wire.h"

static void check_addr(int fd, int peer, const char *ip, unsigned short port)
{
	struct sockaddr_in sin, want = xt_addr(ip, port);
	socklen_t len = sizeof(sin);
	int r;

	r = peer ? getpeername(fd, (struct sockaddr *)&sin, &len) :
		   getsockname(fd, (struct sockaddr *)&sin, &len);
	XT_CHECK(r == 0, "get%sname", peer ? "peer" : "sock");
	XT_CHECK(len == sizeof(sin) && sin.sin_family == AF_INET &&
		 sin.sin_addr.s_addr == want.sin_addr.s_addr &&
		 (!port || sin.sin_port == want.sin_port),
		 "get%sname gave %s:%u, wanted %s:%u", peer ? "peer" : "sock",
		 inet_ntoa(sin.sin_addr), ntohs(sin.sin_port), ip, port);
}

/* Wire: SYN, SYN-ACK, ACK with the right numbers and MSS options. */
static void handshake_on_the_wire(void)
{
	struct xt_cap *cap = xt_cap_start("b", "veth-b");
	struct xt_seg syn, synack, ack;
	int lfd, cfd, sfd, pos = 0;
	unsigned short cport;

	lfd = xt_listen_in("b", XT_PORT, 4);
	XT_STATE(lfd, XTCP_LISTEN);
	cfd = xt_socket_in("a");
	XT_STATE(cfd, XTCP_CLOSE);
	XT_CHECK(xt_connect(cfd, XT_B, XT_PORT) == 0, "connect");
	cport = xt_local_port(cfd);
	sfd = xt_accept_wait(lfd, 3000);
	XT_CHECK(sfd >= 0, "accept");

	XT_WIRE(cap, xt_cap_next(cap, &pos, cport, XT_PORT, 0xff, XT_SYN, 2000, &syn),
		"no SYN from the client");
	XT_WIRE(cap, syn.mss == 1460, "SYN MSS option %d, wanted 1460 (MTU 1500)", syn.mss);
	XT_WIRE(cap, syn.len == 0, "SYN carries %d bytes", syn.len);
	XT_WIRE(cap, xt_cap_next(cap, &pos, XT_PORT, cport, 0xff, XT_SYN | XT_ACK, 2000,
				 &synack), "no SYN-ACK after the SYN");
	XT_WIRE(cap, synack.ack == syn.seq + 1, "SYN-ACK ack=%u, SYN seq=%u",
		synack.ack, syn.seq);
	XT_WIRE(cap, synack.mss == 1460, "SYN-ACK MSS option %d", synack.mss);
	XT_WIRE(cap, synack.win > 0, "SYN-ACK with a zero window");
	XT_WIRE(cap, xt_cap_next(cap, &pos, cport, XT_PORT, 0xff & ~XT_PSH, XT_ACK, 2000, &ack),
		"no ACK after the SYN-ACK");
	XT_WIRE(cap, ack.seq == syn.seq + 1 && ack.ack == synack.seq + 1,
		"ACK seq=%u ack=%u, wanted seq=%u ack=%u", ack.seq, ack.ack,
		syn.seq + 1, synack.seq + 1);
	/* Exactly one SYN and one SYN-ACK: nothing was retransmitted. */
	XT_WIRE(cap, xt_cap_count(cap, XT_ANY, XT_ANY, XT_SYN, XT_SYN, NULL) == 2,
		"more than one SYN or SYN-ACK");

	XT_STATE(cfd, XTCP_ESTABLISHED);
	XT_STATE(sfd, XTCP_ESTABLISHED);
	XT_STATE(lfd, XTCP_LISTEN);

	check_addr(cfd, 0, XT_A, cport);
	check_addr(cfd, 1, XT_B, XT_PORT);
	check_addr(sfd, 0, XT_B, XT_PORT);
	check_addr(sfd, 1, XT_A, cport);

	xt_cap_stop(cap);
	close(cfd);
	close(sfd);
	close(lfd);
}

/* SYN-SENT is where connect() waits; a message goes each way after. */
static void states_and_data(void)
{
	char buf[64];
	struct pollfd p;
	int lfd, cfd, sfd;

	lfd = xt_listen_in("b", XT_PORT + 1, 4);
	cfd = xt_socket_in("a");
	xt_nonblock(cfd, 1);
	/* Hold the SYN-ACK back so that SYN-SENT lasts 200 ms. */
	xt_netem("b", "delay 200ms");
	XT_ERRNO(xt_connect(cfd, XT_B, XT_PORT + 1), EINPROGRESS);
	XT_STATE(cfd, XTCP_SYN_SENT);
	p = (struct pollfd){ .fd = cfd, .events = POLLOUT };
	XT_CHECK(poll(&p, 1, 3000) == 1 && p.revents == POLLOUT,
		 "connect did not complete: revents %s", xt_pollstr(p.revents));
	XT_CHECK(xt_so_error(cfd) == 0, "SO_ERROR after connect");
	XT_STATE(cfd, XTCP_ESTABLISHED);
	xt_netem_off("b");
	xt_nonblock(cfd, 0);

	sfd = xt_accept_wait(lfd, 3000);
	XT_CHECK(sfd >= 0, "accept");
	XT_STATE(sfd, XTCP_ESTABLISHED);

	xt_send_all(cfd, "hello from a", 12);
	xt_recv_all(sfd, buf, 12, 3000);
	XT_CHECK(!memcmp(buf, "hello from a", 12), "b received the wrong bytes");
	xt_send_all(sfd, "and hello from b", 16);
	xt_recv_all(cfd, buf, 16, 3000);
	XT_CHECK(!memcmp(buf, "and hello from b", 16), "a received the wrong bytes");
	XT_CHECK(recv(cfd, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN,
		 "more data than was sent");

	close(cfd);
	close(sfd);
	close(lfd);
}

int main(void)
{
	handshake_on_the_wire();
	states_and_data();
	return 0;
}
