/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels xtcp builds against (Debian's 6.1 and
 * 6.12, and the 6.12 debug kernel), kept here and nowhere else. This is
 * the one file that tests LINUX_VERSION_CODE (scripts/checkpatch lets it).
 */
#ifndef _XTCP_COMPAT_H
#define _XTCP_COMPAT_H

#include <linux/version.h>
#include <net/net_namespace.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* skb_frag_unref() moved out of <linux/skbuff.h> in 6.10. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#include <linux/skbuff_ref.h>
#endif

/*
 * KUnit's static stubs (a test standing in for a function the code under
 * test calls) came in 6.3. KUnit runs on the debug kernel only; before
 * 6.3 the stub points are plain code, as they are without CONFIG_KUNIT.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#include <kunit/static_stub.h>
#else
#define KUNIT_STATIC_STUB_REDIRECT(real_fn_name, args...) ((void)(real_fn_name))
#endif

/*
 * 6.12's struct proto.accept takes its flags and error in one argument;
 * 6.1's takes them apart. xtcp_accept() is written against the common
 * part and wrapped here.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define XTCP_ACCEPT_ARGS	struct sock *sk, struct proto_accept_arg *arg
#define XTCP_ACCEPT_FLAGS	(arg->flags)
#define XTCP_ACCEPT_ERR		(arg->err)
#else
#define XTCP_ACCEPT_ARGS	struct sock *sk, int flags, int *err, bool kern
#define XTCP_ACCEPT_FLAGS	(flags)
#define XTCP_ACCEPT_ERR		(*err)
#endif

/*
 * 6.12 registers a sysctl table by its size; 6.1 by a zeroed last entry.
 * Tables here always end in one, and @n counts the entries before it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define xtcp_register_net_sysctl(net, path, table, n) \
	register_net_sysctl_sz(net, path, table, n)
#else
#define xtcp_register_net_sysctl(net, path, table, n) \
	((void)(n), register_net_sysctl(net, path, table))
#endif

/*
 * 6.12's struct proto.ioctl answers into kernel memory, *karg, which
 * inet_ioctl() copies out (sk_ioctl()); 6.1's is handed the user's
 * pointer and writes the answer itself. xtcp_ioctl() computes an int and
 * returns it through xtcp_ioctl_answer().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#define XTCP_IOCTL_ARGS		struct sock *sk, int cmd, int *karg
#define xtcp_ioctl_answer(v)	(*karg = (v), 0)
#else
#define XTCP_IOCTL_ARGS		struct sock *sk, int cmd, unsigned long arg
#define xtcp_ioctl_answer(v)	put_user((v), (int __user *)arg)
#endif

/*
 * 6.9 gave struct inet_diag_handler an owner, which inet_diag holds while
 * it calls the handler; 6.1 holds a mutex instead, which unregistering
 * takes.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
#define XTCP_DIAG_OWNER		.owner = THIS_MODULE,
#else
#define XTCP_DIAG_OWNER
#endif

/*
 * 6.3 gave IPv4 its own GSO size limit (gso_ipv4_max_size, which
 * sk_setup_caps() reads for IPv4 sockets); before it gso_max_size held
 * for both families.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define xtcp_gso_ipv4_max_size(dev)	READ_ONCE((dev)->gso_ipv4_max_size)
#else
#define xtcp_gso_ipv4_max_size(dev)	READ_ONCE((dev)->gso_max_size)
#endif

#endif /* _XTCP_COMPAT_H */
