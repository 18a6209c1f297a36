// SPDX-License-Identifier: GPL-2.0
/*
 * Data that arrives after shutdown(SHUT_RDWR), the socket still open:
 * Linux TCP answers it with RST exactly as after close() (RFC 1122
 * 4.2.2.13; tcp_rcv_state_process() resets in FIN-WAIT-1 and FIN-WAIT-2
 * once RCV_SHUTDOWN is set, whether or not the socket is orphaned). The
 * sender, in CLOSE-WAIT, is reset with EPIPE; the socket that shut down
 * reports ECONNRESET. Both end CLOSED. (tests/api_msg.c has the case of
 * close().)
 */
#include "xtapi.h"

int main(void)
{
	struct xt_pair p = xt_pair_open(XT_PORT);
	char buf[4];

	XT_CHECK(shutdown(p.sfd, SHUT_RDWR) == 0, "shutdown");
	XT_CHECK(xt_wait_readable(p.cfd, 3000), "no FIN");
	XT_CHECK(recv(p.cfd, buf, sizeof(buf), 0) == 0, "no EOF");
	XT_CHECK(xt_wait_state(p.sfd, XTCP_FIN_WAIT2, 3000), "the FIN was not ACKed");
	XT_CHECK(send(p.cfd, "late", 4, MSG_NOSIGNAL) == 4, "send in CLOSE-WAIT");
	XT_CHECK(xt_wait_state(p.cfd, XTCP_CLOSE, 3000),
		 "data after shutdown(SHUT_RDWR) was not reset: the sender is in %s",
		 xt_state_name(xt_state(p.cfd)));
	XT_CHECK(xt_so_error(p.cfd) == EPIPE, "the sender's SO_ERROR %d, wanted EPIPE",
		 xt_so_error(p.cfd));
	XT_STATE(p.sfd, XTCP_CLOSE);
	XT_CHECK(xt_so_error(p.sfd) == ECONNRESET, "SO_ERROR %d, wanted ECONNRESET",
		 xt_so_error(p.sfd));
	close(p.cfd);
	close(p.sfd);
	close(p.lfd);
	return 0;
}
