// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp: a TCP-style transport on its own IP protocol number.
 *
 * Module entry and namespaces. Init sets up, in order: the lookup
 * tables, the memory accounting, the TIME-WAIT cache and tables, the
 * pernet state (sysctls, counters, the socket table /proc/net/xtcp, a
 * control socket per namespace), struct proto, the wire protocol with
 * IPv4 and the socket type with the inet family; exit undoes exactly
 * that, in reverse.
 *
 * Unload: every xtcp socket pins the module (struct proto's owner), so
 * rmmod is refused while any exists, orphans in FIN-WAIT or LAST-ACK
 * included. TIME-WAIT entries pin neither the module nor their namespace:
 * a namespace's exit flushes its own, and module exit unregisters the
 * pernet operations, which runs that exit for every namespace left and
 * first waits for any namespace exit already under way, before the
 * entries' cache goes, once more synchronize_rcu() has waited out any
 * expiry handler still freeing an entry it had unhashed (soft hrtimers
 * run with BH off) and rcu_barrier() the frees it queued (entries are
 * freed after a grace period, for the lockless lookups). After the
 * protocol is gone, synchronize_rcu() waits out any softirq still
 * running our code (a handler returning after its last sock_put()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/inet_common.h>
#include <net/protocol.h>

#include "xtcp.h"

unsigned int xtcp_wire_proto = XTCP_WIRE_PROTO;
module_param_named(proto, xtcp_wire_proto, uint, 0444);
MODULE_PARM_DESC(proto, "IP protocol number on the wire (default 253)");
/* xtcp_diag registers its handler under it: it is the sockets' sk_protocol. */
EXPORT_SYMBOL_GPL(xtcp_wire_proto);

unsigned int xtcp_net_id __read_mostly;
EXPORT_SYMBOL_IF_KUNIT(xtcp_net_id);

const char *const xtcp_mib_names[XTCP_MIB_MAX] = {
	[XTCP_MIB_IN_SEGS] = "InSegs",
	[XTCP_MIB_OUT_SEGS] = "OutSegs",
	[XTCP_MIB_RETRANS_SEGS] = "RetransSegs",
	[XTCP_MIB_ACTIVE_OPENS] = "ActiveOpens",
	[XTCP_MIB_PASSIVE_OPENS] = "PassiveOpens",
	[XTCP_MIB_ATTEMPT_FAILS] = "AttemptFails",
	[XTCP_MIB_ESTAB_RESETS] = "EstabResets",
	[XTCP_MIB_OUT_RSTS] = "OutRsts",
	[XTCP_MIB_IN_RSTS] = "InRsts",
	[XTCP_MIB_IN_CSUM_ERRORS] = "InCsumErrors",
	[XTCP_MIB_IN_MALFORMED] = "InMalformed",
	[XTCP_MIB_NO_SOCKET] = "NoSocket",
	[XTCP_MIB_CHALLENGE_ACKS] = "ChallengeAcks",
	[XTCP_MIB_OUT_OF_WINDOW] = "OutOfWindow",
	[XTCP_MIB_SYN_QUEUE_DROPS] = "SynQueueDrops",
	[XTCP_MIB_ACCEPT_QUEUE_DROPS] = "AcceptQueueDrops",
	[XTCP_MIB_TW_CREATED] = "TimeWaitCreated",
	[XTCP_MIB_TW_RECYCLED] = "TimeWaitRecycled",
	[XTCP_MIB_TIMEOUTS] = "Timeouts",
	[XTCP_MIB_BACKLOG_DROPS] = "BacklogDrops",
	[XTCP_MIB_ICMP_ERRORS] = "IcmpErrors",
	[XTCP_MIB_OUT_OF_WINDOW_ICMPS] = "OutOfWindowIcmps",
	[XTCP_MIB_OFO_QUEUED] = "OfoQueued",
	[XTCP_MIB_OFO_DROPS] = "OfoDrops",
	[XTCP_MIB_FAST_RETRANS] = "FastRetrans",
	[XTCP_MIB_WINDOW_PROBES] = "WindowProbes",
	[XTCP_MIB_DELAYED_ACKS] = "DelayedAcks",
	[XTCP_MIB_MEMORY_PRESSURES] = "MemoryPressures",
	[XTCP_MIB_RCV_MEM_DROPS] = "RcvMemDrops",
	[XTCP_MIB_SACK_RECOVERY] = "SackRecovery",
	[XTCP_MIB_ACK_SKIPPED] = "AckSkipped",
	[XTCP_MIB_SYNCOOKIES_SENT] = "SyncookiesSent",
	[XTCP_MIB_SYNCOOKIES_RECV] = "SyncookiesRecv",
	[XTCP_MIB_SYNCOOKIES_FAILED] = "SyncookiesFailed",
	[XTCP_MIB_OUT_GSO_PACKETS] = "OutGsoPackets",
	[XTCP_MIB_KEEPALIVE_PROBES] = "KeepAliveProbes",
	[XTCP_MIB_PAWS_ESTAB] = "PAWSEstab",
};

static int xtcp_stat_show(struct seq_file *seq, void *v)
{
	struct xtcp_net *xn = xtcp_pernet(seq_file_single_net(seq));
	int i;

	for (i = 0; i < XTCP_MIB_MAX; i++)
		seq_printf(seq, "%s %ld\n", xtcp_mib_names[i], atomic_long_read(&xn->mib[i]));
	return 0;
}

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	int err;

	xn->syn_retries = 6;
	xn->synack_retries = 5;
	xn->retries2 = 15;
	xn->tw_timeout_ms = 60 * MSEC_PER_SEC;
	xn->fin_timeout_ms = 60 * MSEC_PER_SEC;
	xn->challenge_ack_limit = 10;
	xn->sack = 1;
	xn->checksum_offload = 1;
	xn->syncookies = 1;
	xn->moderate_rcvbuf = 1;
	xn->gso = 1;
	xn->keepalive_time = 2 * 60 * 60;
	xn->keepalive_intvl = 75;
	xn->keepalive_probes = 9;
	xn->timestamps = 1;

	err = inet_ctl_sock_create(&xn->ctl_sk, PF_INET, SOCK_RAW, IPPROTO_RAW, net);
	if (err)
		return err;
	xn->ctl_sk->sk_protocol = xtcp_wire_proto;

	err = xtcp_sysctl_register(net);
	if (err)
		goto err_ctl;
	if (!proc_create_net_single("xtcp_stat", 0444, net->proc_net, xtcp_stat_show, NULL)) {
		err = -ENOMEM;
		goto err_sysctl;
	}
	err = xtcp_proc_init_net(net);
	if (err)
		goto err_stat;
	return 0;

err_stat:
	remove_proc_entry("xtcp_stat", net->proc_net);
err_sysctl:
	xtcp_sysctl_unregister(net);
err_ctl:
	inet_ctl_sock_destroy(xn->ctl_sk);
	return err;
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);

	xtcp_tw_flush(net);
	xtcp_proc_exit_net(net);
	remove_proc_entry("xtcp_stat", net->proc_net);
	xtcp_sysctl_unregister(net);
	inet_ctl_sock_destroy(xn->ctl_sk);
}

static struct pernet_operations xtcp_net_ops = {
	.init = xtcp_net_init,
	.exit = xtcp_net_exit,
	.id = &xtcp_net_id,
	.size = sizeof(struct xtcp_net) + XTCP_MIB_MAX * sizeof(atomic_long_t),
};

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

	BUILD_BUG_ON(sizeof(struct xtcp_seg) > sizeof_field(struct sk_buff, cb));
	BUILD_BUG_ON(sizeof(struct xtcp_skb_cb) > sizeof_field(struct sk_buff, cb));
	/* xtcp_sock keeps a window scale in 4 bits. */
	BUILD_BUG_ON(XTCP_MAX_WSCALE > 15);

	if (!xtcp_wire_proto || xtcp_wire_proto >= MAX_INET_PROTOS) {
		pr_err("proto=%u is not an IP protocol number\n", xtcp_wire_proto);
		return -EINVAL;
	}

	xtcp_isn_init();
	err = xtcp_hash_init();
	if (err)
		return err;
	/* Before any socket, the namespaces' control sockets too. */
	err = xtcp_mem_init();
	if (err)
		goto err_hash;
	err = xtcp_tw_init();
	if (err)
		goto err_mem;
	err = register_pernet_subsys(&xtcp_net_ops);
	if (err)
		goto err_tw;
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto err_pernet;
	err = xtcp_offload_init();
	if (err) {
		pr_err("IP protocol %u has an offload already\n", xtcp_wire_proto);
		goto err_proto;
	}
	if (inet_add_protocol(&xtcp_net_protocol, xtcp_wire_proto)) {
		pr_err("IP protocol %u is already taken\n", xtcp_wire_proto);
		err = -EBUSY;
		goto err_offload;
	}
	inet_register_protosw(&xtcp_protosw);
	return 0;

err_offload:
	xtcp_offload_exit();
err_proto:
	proto_unregister(&xtcp_prot);
err_pernet:
	unregister_pernet_subsys(&xtcp_net_ops);
err_tw:
	xtcp_tw_exit();
err_mem:
	xtcp_mem_exit();
err_hash:
	xtcp_hash_exit();
	return err;
}

static void __exit xtcp_exit(void)
{
	inet_unregister_protosw(&xtcp_protosw);
	inet_del_protocol(&xtcp_net_protocol, xtcp_wire_proto);
	synchronize_rcu();
	/* No socket is left to send; packets in flight may still need cutting. */
	xtcp_offload_exit();
	proto_unregister(&xtcp_prot);
	/* Runs every namespace's exit, and waits for any already running. */
	unregister_pernet_subsys(&xtcp_net_ops);
	/*
	 * An entry's expiry may still be between unhashing it and its last
	 * put; xtcp_tw_exit() then waits for the frees queued (rcu_barrier()).
	 */
	synchronize_rcu();
	xtcp_tw_exit();
	xtcp_mem_exit();
	xtcp_hash_exit();
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp: a TCP-style transport on its own IP protocol number");
/*
 * inet_create() asks for net-pf-2-proto-253-type-1. SOCK_STREAM is an
 * enum constant, which __stringify() would spell out by name, so the
 * type is given as its number, as SMC does.
 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_XTCP, 1);
