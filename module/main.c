// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp: a TCP-style transport on its own IP protocol number.
 *
 * Module entry: registers the protocol with IPv4 on the wire number and
 * the socket type with the inet family, and undoes exactly that on exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/protocol.h>

#include "xtcp.h"

unsigned int xtcp_wire_proto = XTCP_WIRE_PROTO;
module_param_named(proto, xtcp_wire_proto, uint, 0444);
MODULE_PARM_DESC(proto, "IP protocol number on the wire (default 253)");

static const struct net_protocol xtcp_net_protocol = {
	.handler	= xtcp_v4_rcv,
	.err_handler	= xtcp_v4_err,
	.no_policy	= 1,
};

static struct inet_protosw xtcp_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= IPPROTO_XTCP,
	.prot		= &xtcp_prot,
	.ops		= &xtcp_stream_ops,
};

static int __init xtcp_init(void)
{
	int err;

	if (!xtcp_wire_proto || xtcp_wire_proto >= MAX_INET_PROTOS) {
		pr_err("proto=%u is not an IP protocol number\n", xtcp_wire_proto);
		return -EINVAL;
	}

	err = proto_register(&xtcp_prot, 1);
	if (err)
		return err;

	if (inet_add_protocol(&xtcp_net_protocol, xtcp_wire_proto)) {
		pr_err("IP protocol %u is already taken\n", xtcp_wire_proto);
		err = -EBUSY;
		goto err_proto;
	}

	inet_register_protosw(&xtcp_protosw);
	return 0;

err_proto:
	proto_unregister(&xtcp_prot);
	return err;
}

static void __exit xtcp_exit(void)
{
	inet_unregister_protosw(&xtcp_protosw);
	inet_del_protocol(&xtcp_net_protocol, xtcp_wire_proto);
	proto_unregister(&xtcp_prot);
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp: a TCP-style transport on its own IP protocol number");
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_XTCP, SOCK_STREAM);
