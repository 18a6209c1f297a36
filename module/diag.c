// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_diag: xtcp's sockets over NETLINK_SOCK_DIAG, as tcp_diag lists
 * TCP's, so that a tool speaking inet_diag (ss -A, xtcp-ss) lists them.
 *
 * A module of its own, as tcp_diag is beside TCP: inet_diag is a module
 * on stock kernels, and xtcp.ko must load without it. inet_diag finds
 * this one by its alias when a request for our protocol comes and no
 * handler has it (sock_load_diag_module()).
 *
 * The protocol number: xtcp's sockets carry the wire number as their
 * sk_protocol (what SO_PROTOCOL reports, IPPROTO_XTCP unless xtcp.ko
 * was loaded with proto=), so the handler is registered under that. The
 * alias names only IPPROTO_XTCP: with another proto= the module must be
 * loaded by hand.
 *
 * A dump lists, in the requester's namespace: the listeners, each
 * followed by its SYN-RECEIVED requests (listen.c), then the
 * connections, then the TIME-WAIT entries (tw.c), each filtered by the
 * request's state mask and its bytecode (inet_diag_bc_sk()). A dump that
 * outgrows one message resumes where it stopped: cb->args[0] is the
 * phase (listeners, connections, TIME-WAIT), cb->args[1] how many
 * entries of it were passed over or sent, and cb->args[2] how many of
 * the socket at that position (itself, then a listener's requests)
 * were, as /proc/net/xtcp and inet_diag count: a table that changes
 * between two messages may have an entry listed twice or not at all.
 *
 * Locking: xtcp_hash_walk() hands each socket over with a reference and
 * no lock; it is read owned, lock_sock(), which guards a listener's
 * requests too: not lock_sock_fast(), whose spinlock would be held while
 * inet_diag_msg_attrs_fill() takes sk_callback_lock for the uid. TIME-WAIT
 * entries are read under xtcp_hash_lock (xtcp_tw_walk()). Filling a
 * message into the dump's skb neither sleeps nor allocates.
 *
 * Unloading: on 6.12 inet_diag holds a reference to this module (its
 * handler's owner) while it calls into it; on 6.1 it holds the mutex
 * that inet_diag_unregister() takes. Either way module exit waits out,
 * or is refused during, a request in progress; a dump resumed after the
 * module went gets ENOENT. The calls into xtcp.ko make it depend on
 * xtcp, which then cannot unload first.
 */
#include <linux/inet_diag.h>
#include <linux/module.h>
#include <linux/sock_diag.h>
#include <net/inet_timewait_sock.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

enum {
	XTCP_DIAG_LISTEN,	/* listeners and their requests */
	XTCP_DIAG_CONN,		/* connections */
	XTCP_DIAG_TW,		/* TIME-WAIT entries */
	XTCP_DIAG_DONE,
};

/**
 * struct xtcp_diag_dump - one call of a dump
 * @skb: the message being filled
 * @cb: the dump's state
 * @req: the request
 * @bc: its bytecode filter, or NULL
 * @net_admin: the requester has CAP_NET_ADMIN (it sees marks)
 * @pos: entries of the phase seen so far, this call
 * @sub: of the socket being visited, entries seen (itself first)
 * @full: @skb is full: the rest waits for the next call
 * @listener: the listener whose requests are being visited
 */
struct xtcp_diag_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct inet_diag_req_v2 *req;
	const struct nlattr *bc;
	bool net_admin;
	long pos;
	long sub;
	bool full;
	struct sock *listener;
};

/* Milliseconds from now until @due, 0 if it is past. */
static u32 xtcp_diag_expires(ktime_t due)
{
	s64 left = ktime_ms_delta(due, ktime_get());

	return left > 0 ? left : 0;
}

static size_t xtcp_diag_msg_size(void)
{
	return NLMSG_ALIGN(sizeof(struct inet_diag_msg))
		+ inet_diag_msg_attrs_size()
		+ nla_total_size(sizeof(struct inet_diag_meminfo))
		+ nla_total_size(SK_MEMINFO_VARS * sizeof(u32))
		+ nla_total_size_64bit(sizeof(struct xtcp_info))
		+ nla_total_size(XTCP_HISTORY_LEN * sizeof(struct xtcp_transition))
		+ nla_total_size(16)	/* INET_DIAG_CONG, a name */
		+ 64;
}

/* The state changes, read straight into the message: no copy on the stack. */
static int xtcp_diag_put_history(struct sk_buff *skb, const struct sock *sk)
{
	struct nlattr *attr;
	unsigned int n;

	attr = nla_reserve(skb, XTCP_DIAG_HISTORY,
			   XTCP_HISTORY_LEN * sizeof(struct xtcp_transition));
	if (!attr)
		return -EMSGSIZE;
	n = xtcp_history_read(sk, nla_data(attr), XTCP_HISTORY_LEN);
	/* Give back what was not used: the attribute is the last one. */
	attr->nla_len = nla_attr_size(n * sizeof(struct xtcp_transition));
	nlmsg_trim(skb, (char *)attr + nla_total_size(n * sizeof(struct xtcp_transition)));
	return 0;
}

/* A socket's message. @sk is locked, and hashed in a state other than CLOSE. */
static int xtcp_diag_fill(struct sock *sk, struct sk_buff *skb, struct netlink_callback *cb,
			  const struct inet_diag_req_v2 *req, u16 nlmsg_flags, bool net_admin)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int ext = req->idiag_ext;
	struct xtcp_proc_entry e;
	struct inet_diag_msg *r;
	struct nlmsghdr *nlh;
	struct nlattr *attr;

	nlh = nlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			cb->nlh->nlmsg_type, sizeof(*r), nlmsg_flags);
	if (!nlh)
		return -EMSGSIZE;
	r = nlmsg_data(nlh);
	inet_diag_msg_common_fill(r, sk);
	xtcp_proc_sock_entry(sk, &e);
	r->idiag_state = e.state;
	r->idiag_timer = e.timer;
	/* As TCP's: for a keepalive or window probe, the probes unanswered. */
	r->idiag_retrans = e.timer == XTCP_PROC_TIMER_OTHER || e.timer == XTCP_PROC_TIMER_PROBE ?
			   e.probes : e.retrans;
	r->idiag_expires = e.timer ? xtcp_diag_expires(e.due) : 0;
	r->idiag_rqueue = e.rx_queue;
	r->idiag_wqueue = sk->sk_state == TCP_LISTEN ? READ_ONCE(sk->sk_max_ack_backlog) :
		e.tx_queue;

	/* The uid and the inode, as the requester's user namespace sees them. */
	if (inet_diag_msg_attrs_fill(sk, skb, r, ext, sk_user_ns(NETLINK_CB(cb->skb).sk),
				     net_admin))
		goto cancel;

	if (ext & (1 << (INET_DIAG_MEMINFO - 1))) {
		struct inet_diag_meminfo minfo = {
			.idiag_rmem = sk_rmem_alloc_get(sk),
			.idiag_wmem = READ_ONCE(sk->sk_wmem_queued),
			.idiag_fmem = sk_forward_alloc_get(sk),
			.idiag_tmem = sk_wmem_alloc_get(sk),
		};

		if (nla_put(skb, INET_DIAG_MEMINFO, sizeof(minfo), &minfo))
			goto cancel;
	}
	if (ext & (1 << (INET_DIAG_SKMEMINFO - 1)) &&
	    sock_diag_put_meminfo(sk, skb, INET_DIAG_SKMEMINFO))
		goto cancel;
	if (ext & (1 << (INET_DIAG_CONG - 1)) && xs->ca_ops &&
	    nla_put_string(skb, INET_DIAG_CONG, xs->ca_ops->name))
		goto cancel;
	if (ext & (1 << (INET_DIAG_INFO - 1))) {
		attr = nla_reserve_64bit(skb, INET_DIAG_INFO, sizeof(struct xtcp_info),
					 INET_DIAG_PAD);
		if (!attr)
			goto cancel;
		memset(nla_data(attr), 0, sizeof(struct xtcp_info));
		xtcp_fill_info(sk, nla_data(attr));
		if (xtcp_diag_put_history(skb, sk))
			goto cancel;
	}
	nlmsg_end(skb, nlh);
	return 0;

cancel:
	nlmsg_cancel(skb, nlh);
	return -EMSGSIZE;
}

/*
 * The message of a request or a TIME-WAIT entry: what /proc/net/xtcp
 * shows of it. Neither has an inode nor a cookie; a request's uid and
 * interface are its listener's.
 */
static int xtcp_diag_fill_entry(struct xtcp_diag_dump *d, const struct xtcp_proc_entry *e,
				uid_t uid, int ifindex)
{
	struct inet_diag_msg *r;
	struct nlmsghdr *nlh;

	nlh = nlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid, d->cb->nlh->nlmsg_seq,
			d->cb->nlh->nlmsg_type, sizeof(*r), NLM_F_MULTI);
	if (!nlh)
		return -EMSGSIZE;
	r = nlmsg_data(nlh);
	memset(r, 0, sizeof(*r));
	r->idiag_family = AF_INET;
	r->idiag_state = e->state;
	r->idiag_timer = e->timer;
	r->idiag_retrans = e->retrans;
	r->idiag_expires = xtcp_diag_expires(e->due);
	r->id.idiag_sport = e->lport;
	r->id.idiag_dport = e->rport;
	r->id.idiag_src[0] = e->laddr;
	r->id.idiag_dst[0] = e->raddr;
	r->id.idiag_if = ifindex;
	r->idiag_uid = uid;
	nlmsg_end(d->skb, nlh);
	return 0;
}

/*
 * Does the bytecode take this request or TIME-WAIT entry? inet_diag_bc_sk()
 * reads a socket's struct sock_common, which a TIME-WAIT socket of TCP's
 * begins with as well: one made up on the stack, with the entry's
 * addresses and ports, is what it would read of a TCP entry. Its state
 * says it is no full socket, so nothing past the common part is read but
 * the mark, which is 0.
 */
static bool xtcp_diag_bc_entry(const struct nlattr *bc, const struct xtcp_proc_entry *e,
			       int ifindex)
{
	struct inet_timewait_sock tw;

	if (!bc)
		return true;
	memset(&tw, 0, sizeof(tw));
	tw.tw_family = AF_INET;
	tw.tw_state = TCP_TIME_WAIT;
	tw.tw_rcv_saddr = e->laddr;
	tw.tw_daddr = e->raddr;
	tw.tw_num = ntohs(e->lport);
	tw.tw_dport = e->rport;
	tw.tw_bound_dev_if = ifindex;
	return inet_diag_bc_sk(bc, (struct sock *)&tw);
}

static bool xtcp_diag_wants(const struct inet_diag_req_v2 *req, int state)
{
	return req->idiag_states & (1 << state);
}

/* A listener's request; xtcp_listen_walk()'s callback. */
static int xtcp_diag_request(const struct xtcp_proc_entry *e, void *arg)
{
	struct xtcp_diag_dump *d = arg;
	struct sock *sk = d->listener;
	struct netlink_callback *cb = d->cb;
	int ifindex = READ_ONCE(sk->sk_bound_dev_if);
	uid_t uid;

	if (d->sub++ < cb->args[2])
		return 0;
	if (!xtcp_diag_bc_entry(d->bc, e, ifindex))
		return 0;
	uid = from_kuid_munged(sk_user_ns(NETLINK_CB(cb->skb).sk), sock_i_uid(sk));
	if (xtcp_diag_fill_entry(d, e, uid, ifindex)) {
		d->full = true;
		cb->args[2] = d->sub - 1;
		return 1;
	}
	return 0;
}

/* A listener or a connection; xtcp_hash_walk()'s callback. */
static void xtcp_diag_sock(struct sock *sk, void *arg)
{
	struct xtcp_diag_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	long pos = d->pos++;

	/* Sent whole in an earlier message, or no room left in this one. */
	if (d->full || pos < cb->args[1])
		return;
	d->sub = 0;

	lock_sock(sk);
	/* Unhashed since it was found: closed, or become a TIME-WAIT entry. */
	if (sk->sk_state == TCP_CLOSE)
		goto out;
	if (d->sub++ >= cb->args[2] && xtcp_diag_wants(d->req, sk->sk_state) &&
	    (!d->bc || inet_diag_bc_sk(d->bc, sk)) &&
	    xtcp_diag_fill(sk, d->skb, cb, d->req, NLM_F_MULTI, d->net_admin)) {
		d->full = true;
		cb->args[2] = d->sub - 1;
		goto out;
	}
	if (sk->sk_state == TCP_LISTEN && xtcp_diag_wants(d->req, TCP_SYN_RECV)) {
		d->listener = sk;
		xtcp_listen_walk(sk, xtcp_diag_request, d);
	}
out:
	release_sock(sk);
	if (!d->full) {
		/* Done with it: a resumed dump starts after it. */
		cb->args[1] = pos + 1;
		cb->args[2] = 0;
	}
}

/* A TIME-WAIT entry; xtcp_tw_walk()'s callback, under xtcp_hash_lock. */
static int xtcp_diag_tw(const struct xtcp_proc_entry *e, void *arg)
{
	struct xtcp_diag_dump *d = arg;
	long pos = d->pos++;

	if (pos < d->cb->args[1] || !xtcp_diag_bc_entry(d->bc, e, 0))
		return 0;
	if (xtcp_diag_fill_entry(d, e, 0, 0)) {
		d->full = true;
		d->cb->args[1] = pos;
		return 1;
	}
	return 0;
}

static void xtcp_diag_dump(struct sk_buff *skb, struct netlink_callback *cb,
			   const struct inet_diag_req_v2 *req)
{
	struct inet_diag_dump_data *data = cb->data;
	struct net *net = sock_net(skb->sk);
	struct xtcp_diag_dump d = {
		.skb = skb,
		.cb = cb,
		.req = req,
		.bc = data->inet_diag_nla_bc,
		.net_admin = netlink_net_capable(cb->skb, CAP_NET_ADMIN),
	};
	const u32 conn_states = TCPF_ESTABLISHED | TCPF_SYN_SENT | TCPF_FIN_WAIT1 |
				TCPF_FIN_WAIT2 | TCPF_CLOSE_WAIT | TCPF_LAST_ACK | TCPF_CLOSING;

	/* xtcp is IPv4 only. */
	if (req->sdiag_family != AF_UNSPEC && req->sdiag_family != AF_INET)
		return;

	while (!d.full && cb->args[0] < XTCP_DIAG_DONE) {
		d.pos = 0;
		switch (cb->args[0]) {
		case XTCP_DIAG_LISTEN:
			if (req->idiag_states & (TCPF_LISTEN | TCPF_SYN_RECV))
				xtcp_hash_walk(net, true, xtcp_diag_sock, &d);
			break;
		case XTCP_DIAG_CONN:
			if (req->idiag_states & conn_states)
				xtcp_hash_walk(net, false, xtcp_diag_sock, &d);
			break;
		case XTCP_DIAG_TW:
			if (req->idiag_states & TCPF_TIME_WAIT)
				xtcp_tw_walk(net, xtcp_diag_tw, &d);
			break;
		}
		if (!d.full) {
			cb->args[0]++;
			cb->args[1] = 0;
			cb->args[2] = 0;
		}
	}
}

/*
 * One socket by its four-tuple (a listener's remote address and port are
 * 0) and, unless the request says INET_DIAG_NOCOOKIE, its cookie: found
 * as tcp_diag finds one, but only with exactly that four-tuple (a
 * listener does not answer for a connection it might take).
 */
static int xtcp_diag_dump_one(struct netlink_callback *cb, const struct inet_diag_req_v2 *req)
{
	struct sk_buff *in_skb = cb->skb;
	struct net *net = sock_net(in_skb->sk);
	const struct inet_diag_sockid *id = &req->id;
	struct sk_buff *rep;
	struct sock *sk;
	int err;

	if (req->sdiag_family != AF_INET)
		return -EINVAL;
	sk = xtcp_lookup(net, id->idiag_dst[0], id->idiag_dport, id->idiag_src[0],
			 id->idiag_sport);
	if (!sk)
		return -ENOENT;
	if (inet_sk(sk)->inet_daddr != id->idiag_dst[0] ||
	    inet_sk(sk)->inet_dport != id->idiag_dport ||
	    inet_sk(sk)->inet_rcv_saddr != id->idiag_src[0] ||
	    (id->idiag_if && id->idiag_if != READ_ONCE(sk->sk_bound_dev_if))) {
		err = -ENOENT;
		goto out;
	}
	/* A stale cookie is ENOENT, as inet_diag_find_one_icsk() has it. */
	if (sock_diag_check_cookie(sk, id->idiag_cookie)) {
		err = -ENOENT;
		goto out;
	}

	rep = nlmsg_new(xtcp_diag_msg_size(), GFP_KERNEL);
	if (!rep) {
		err = -ENOMEM;
		goto out;
	}
	lock_sock(sk);
	err = sk->sk_state == TCP_CLOSE ? -ENOENT :
		xtcp_diag_fill(sk, rep, cb, req, 0, netlink_net_capable(in_skb, CAP_NET_ADMIN));
	release_sock(sk);
	if (err) {
		WARN_ON_ONCE(err == -EMSGSIZE);
		kfree_skb(rep);
		goto out;
	}
	err = nlmsg_unicast(net->diag_nlsk, rep, NETLINK_CB(in_skb).portid);
out:
	sock_put(sk);
	return err;
}

/*
 * inet_diag calls this only to describe a socket being destroyed to
 * listeners of a protocol's destroy group, which sock_diag has only for
 * TCP and UDP: the queues are all it could read of a socket going away.
 */
static void xtcp_diag_get_info(struct sock *sk, struct inet_diag_msg *r, void *info)
{
	r->idiag_rqueue = 0;
	r->idiag_wqueue = 0;
}

static struct inet_diag_handler xtcp_diag_handler = {
	XTCP_DIAG_OWNER
	.dump = xtcp_diag_dump,
	.dump_one = xtcp_diag_dump_one,
	.idiag_get_info = xtcp_diag_get_info,
	.idiag_info_size = sizeof(struct xtcp_info),
};

static int __init xtcp_diag_init(void)
{
	xtcp_diag_handler.idiag_type = xtcp_wire_proto;
	return inet_diag_register(&xtcp_diag_handler);
}

static void __exit xtcp_diag_exit(void)
{
	inet_diag_unregister(&xtcp_diag_handler);
}

module_init(xtcp_diag_init);
module_exit(xtcp_diag_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp: sockets over sock_diag (inet_diag)");
/*
 * What sock_load_diag_module() asks for: net-pf-16 (PF_NETLINK), proto-4
 * (NETLINK_SOCK_DIAG), type-2 (AF_INET), then the protocol, 253
 * (IPPROTO_XTCP), where tcp_diag's alias has 6.
 */
MODULE_ALIAS("net-pf-16-proto-4-type-2-253");
