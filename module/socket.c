// SPDX-License-Identifier: GPL-2.0
/*
 * The socket layer of xtcp: struct proto and struct proto_ops, the glue
 * between socket(2) calls and the protocol.
 */
#include <linux/module.h>
#include <net/inet_common.h>
#include <net/sock.h>

#include "xtcp.h"

static int xtcp_init_sock(struct sock *sk)
{
	sk->sk_state = TCP_CLOSE;
	return 0;
}

static void xtcp_close(struct sock *sk, long timeout)
{
	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	sk->sk_state = TCP_CLOSE;
	sock_orphan(sk);
	release_sock(sk);
	sock_put(sk);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.init		= xtcp_init_sock,
	.close		= xtcp_close,
	.obj_size	= sizeof(struct xtcp_sock),
	.no_autobind	= true,
};

const struct proto_ops xtcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= inet_getname,
	.poll		= datagram_poll,
	.ioctl		= inet_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
	.mmap		= sock_no_mmap,
};
