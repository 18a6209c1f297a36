// SPDX-License-Identifier: GPL-2.0
/*
 * net.xtcp.* sysctls, one set per network namespace, each with bounds.
 */
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "xtcp.h"

static int xtcp_zero;
static int xtcp_retries_max = 127;	/* a u8 counts them */
static int xtcp_ms_min = 1;
static int xtcp_ms_max = 600 * MSEC_PER_SEC;
static int xtcp_challenge_max = 1000000;
static int xtcp_one = 1;
static int xtcp_two = 2;
static int xtcp_keep_secs_max = XTCP_KEEP_SECS_MAX;
static int xtcp_keep_probes_max = XTCP_KEEPCNT_MAX;

#define XTCP_SYSCTL(field, lo, hi) {				\
	.procname	= #field,				\
	.data		= &init_net_dummy.field,		\
	.maxlen		= sizeof(int),				\
	.mode		= 0644,					\
	.proc_handler	= proc_dointvec_minmax,			\
	.extra1		= lo,					\
	.extra2		= hi,					\
}

/* Only the offsets of .data matter: each namespace gets a copy. */
static struct xtcp_net init_net_dummy;

static struct ctl_table xtcp_sysctl_template[] = {
	XTCP_SYSCTL(syn_retries, &xtcp_zero, &xtcp_retries_max),
	XTCP_SYSCTL(synack_retries, &xtcp_zero, &xtcp_retries_max),
	XTCP_SYSCTL(retries2, &xtcp_zero, &xtcp_retries_max),
	XTCP_SYSCTL(tw_timeout_ms, &xtcp_ms_min, &xtcp_ms_max),
	XTCP_SYSCTL(fin_timeout_ms, &xtcp_ms_min, &xtcp_ms_max),
	XTCP_SYSCTL(challenge_ack_limit, &xtcp_zero, &xtcp_challenge_max),
	XTCP_SYSCTL(sack, &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL(checksum_offload, &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL(syncookies, &xtcp_zero, &xtcp_two),
	XTCP_SYSCTL(moderate_rcvbuf, &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL(gso, &xtcp_zero, &xtcp_one),
	XTCP_SYSCTL(keepalive_time, &xtcp_one, &xtcp_keep_secs_max),
	XTCP_SYSCTL(keepalive_intvl, &xtcp_one, &xtcp_keep_secs_max),
	XTCP_SYSCTL(keepalive_probes, &xtcp_one, &xtcp_keep_probes_max),
	XTCP_SYSCTL(timestamps, &xtcp_zero, &xtcp_one),
	{ }
};

/**
 * xtcp_sysctl_register() - give a namespace its net.xtcp table
 * @net: the namespace, whose struct xtcp_net has its defaults set
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_sysctl_register(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	struct ctl_table *table;
	int i;

	table = kmemdup(xtcp_sysctl_template, sizeof(xtcp_sysctl_template), GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(xtcp_sysctl_template) - 1; i++)
		table[i].data = (char *)xn + ((char *)xtcp_sysctl_template[i].data -
					      (char *)&init_net_dummy);
	xn->sysctl = xtcp_register_net_sysctl(net, "net/xtcp", table,
					      ARRAY_SIZE(xtcp_sysctl_template) - 1);
	if (!xn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_sysctl_unregister() - take a namespace's table away
 * @net: the namespace
 */
void xtcp_sysctl_unregister(struct net *net)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	const struct ctl_table *table = xn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(xn->sysctl);
	kfree(table);
}
