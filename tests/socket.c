// SPDX-License-Identifier: GPL-2.0
/*
 * socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP) opens an xtcp socket; other
 * types with the xtcp protocol are refused as for TCP; an open socket
 * pins the module, and closing it lets the module go.
 */
#include <sys/syscall.h>

#include "xt.h"

int main(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, type;

	fd = xt_socket();
	XT_CHECK(getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &type, &len) == 0, "SO_PROTOCOL");
	XT_CHECK(type == IPPROTO_XTCP, "SO_PROTOCOL is %d", type);
	len = sizeof(type);
	XT_CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0, "SO_TYPE");
	XT_CHECK(type == SOCK_STREAM, "SO_TYPE is %d", type);

	len = sizeof(sin);
	XT_CHECK(getsockname(fd, (struct sockaddr *)&sin, &len) == 0, "getsockname");
	XT_CHECK(sin.sin_family == AF_INET && sin.sin_port == 0 &&
		 sin.sin_addr.s_addr == htonl(INADDR_ANY), "fresh socket is bound");

	XT_ERRNO(socket(AF_INET, SOCK_DGRAM, IPPROTO_XTCP), EPROTONOSUPPORT);
	XT_ERRNO(socket(AF_INET, SOCK_SEQPACKET, IPPROTO_XTCP), ESOCKTNOSUPPORT);

	/* The module cannot go while a socket needs it. */
	XT_ERRNO(syscall(SYS_delete_module, "xtcp", O_NONBLOCK), EWOULDBLOCK);
	XT_CHECK(close(fd) == 0, "close");
	return 0;
}
