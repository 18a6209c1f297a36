// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp-cat: netcat for xtcp.
 *
 *   xtcp-cat -l [ADDR] PORT    accept one connection, then pipe
 *   xtcp-cat HOST PORT         connect, then pipe
 *
 * Pipes stdin to the connection and the connection to stdout. At the end
 * of stdin it shuts down its sending side (the peer reads end of file)
 * and keeps reading until the peer does the same.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/xtcp.h>

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s -l [ADDR] PORT | %s HOST PORT\n", argv0, argv0);
	return 2;
}

static int parse_addr(struct sockaddr_in *sin, const char *host, const char *port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(atoi(port));
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1) {
		fprintf(stderr, "xtcp-cat: %s: not an IPv4 address\n", host);
		return -1;
	}
	return 0;
}

static int pipe_loop(int fd)
{
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	char buf[65536];
	ssize_t n;

	while (p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (p[0].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0) {
				shutdown(fd, SHUT_WR);
				p[0].fd = -1;
			} else if (send(fd, buf, n, MSG_NOSIGNAL) != n) {
				perror("xtcp-cat: send");
				return 1;
			}
		}
		if (p[1].revents) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0) {
				perror("xtcp-cat: recv");
				return 1;
			}
			if (n == 0)
				p[1].fd = -1;
			else if (write(STDOUT_FILENO, buf, n) != n)
				return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin;
	int listen_mode = 0, fd, one = 1;

	if (argc > 1 && !strcmp(argv[1], "-l")) {
		listen_mode = 1;
		argv++;
		argc--;
	}
	if (listen_mode && argc == 2) {
		if (parse_addr(&sin, "0.0.0.0", argv[1]))
			return 2;
	} else if (argc == 3) {
		if (parse_addr(&sin, argv[1], argv[2]))
			return 2;
	} else {
		return usage(argv[0]);
	}

	fd = socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP);
	if (fd < 0) {
		perror("xtcp-cat: socket");
		return 1;
	}
	if (listen_mode) {
		int c;

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 1)) {
			perror("xtcp-cat: bind/listen");
			return 1;
		}
		c = accept(fd, NULL, NULL);
		if (c < 0) {
			perror("xtcp-cat: accept");
			return 1;
		}
		close(fd);
		fd = c;
	} else if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("xtcp-cat: connect");
		return 1;
	}
	return pipe_loop(fd) ? 1 : close(fd) ? 1 : 0;
}
