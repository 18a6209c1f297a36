/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp internals shared between the files of the module.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <net/inet_sock.h>
#include <uapi/linux/xtcp.h>

#include "compat.h"

/**
 * struct xtcp_sock - an xtcp socket
 * @inet: the IPv4 socket it extends; must stay first
 */
struct xtcp_sock {
	struct inet_sock inet;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/* main.c */
extern unsigned int xtcp_wire_proto;

/* socket.c */
extern struct proto xtcp_prot;
extern const struct proto_ops xtcp_stream_ops;

/* input.c */
int xtcp_v4_rcv(struct sk_buff *skb);
int xtcp_v4_err(struct sk_buff *skb, u32 info);

#endif /* _XTCP_H */
