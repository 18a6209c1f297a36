/* SPDX-License-Identifier: GPL-2.0 */
/*
 * For the KUnit suites that need a real xtcp socket: one in init_net,
 * never connected, released when the test ends.
 */
#ifndef _XTCP_KSOCK_H
#define _XTCP_KSOCK_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/net.h>

#include "xtcp.h"

static void xtcp_kunit_release(void *sock)
{
	sock_release(sock);
}

/* A fresh xtcp socket for @test, or the test fails. */
static inline struct sock *xtcp_kunit_sock(struct kunit *test)
{
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_XTCP, &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	err = kunit_add_action_or_reset(test, xtcp_kunit_release, sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	return sock->sk;
}

#endif /* _XTCP_KSOCK_H */
