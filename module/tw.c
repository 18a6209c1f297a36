// SPDX-License-Identifier: GPL-2.0
/*
 * TIME-WAIT: what remains of a connection for 2 MSL after it closed.
 *
 * A socket entering TIME-WAIT leaves behind a struct xtcp_tw (its
 * four-tuple, where its sequence numbers stood and its timestamps,
 * whether it may be reused) and is itself freed. The entry answers a
 * retransmitted FIN with an ACK and restarts its time, gives way to a new
 * SYN that comes after its sequence space or its timestamps when a
 * listener is there to take it (as Linux TCP does; with none, the SYN
 * gets the entry's ACK), ACKs a segment that PAWS finds old, and holds
 * its port against bind() without SO_REUSEADDR.
 *
 * Ownership: the entry's hrtimer owns it. The timer is armed once, when
 * the entry is made; a re-ACK only pushes tw->expires later, and the
 * handler, finding the deadline moved, re-arms itself. So nothing but the
 * handler, a kill or a flush ever touches the timer.
 *   - The handler unhashes the entry and drops the timer's reference,
 *     unless a kill or a flush unhashed it first (then it only drops).
 *   - xtcp_tw_kill() (a RST, a SYN that reuses the four-tuple) unhashes
 *     the entry and cancels the timer, waiting out a handler that is
 *     re-arming it; if it was pending, the kill drops its reference.
 *   - xtcp_tw_flush() (namespace exit, which module exit runs for every
 *     namespace before it destroys the cache) unhashes a namespace's entries
 *     under the lock, a bucket at a time, taking a reference on each,
 *     then cancels each timer: if it was still pending, the flush drops
 *     the timer's reference in its place.
 *
 * Locking (hash.c has the whole of it): xtcp_hash_lock guards both
 * tables against change, and every walk of tw_bind. The receive path
 * (xtcp_tw_rcv()) walks tw_conn under rcu_read_lock() only, and takes a
 * reference with refcount_inc_not_zero(): an entry whose count reached
 * zero is unhashed already (the timer's reference is dropped only after
 * the unhash), and is skipped. An entry's keys never change and it is
 * hashed once: a reader standing on one that is unhashed meanwhile
 * (hlist_del_init_rcu() leaves it pointing on) still ends its walk in the
 * same chain, so tw_conn needs no nulls markers. The last reference
 * frees the entry after a grace period (call_rcu()); xtcp_tw_exit() waits
 * for those frees (rcu_barrier()) before it destroys the cache.
 *
 * Entries hold neither the module nor the namespace: the namespace's
 * exit flushes them.
 */
#include <linux/slab.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"

/**
 * struct xtcp_tw - a TIME-WAIT entry
 * @node: link in xtcp_tw_conn, by four-tuple
 * @bind_node: link in xtcp_tw_bind, by local port
 * @flush_node: link in a flush's private list
 * @rcu: frees it after a grace period, for lockless readers
 * @net: the namespace
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 * @snd_nxt: our next sequence number (our FIN was the one before)
 * @rcv_nxt: the next we expect (the peer's FIN was the one before)
 * @rcv_wnd: the window field (scaled) the socket last sent, which its ACKs
 *	announce again (a zero window would tell the peer to stop)
 * @reuse: the socket had SO_REUSEADDR
 * @port_auto: connect() chose the socket's port (xtcp_port_bound_tw())
 * @ts_ok: the connection had timestamps: the entry's ACKs carry them, and
 *	PAWS (RFC 7323 5) judges what comes
 * @expires: when it ends; pushed later by a retransmitted FIN
 * @timer: ends it; owns it
 * @ref: references: the timer's, and one per lookup in progress
 * @ts_recent: the TSval its ACKs echo, with @ts_ok
 * @ts_recent_stamp: when @ts_recent was taken, in seconds
 * @ts_off: the connection's TSval offset, which its ACKs' TSvals go on with
 */
struct xtcp_tw {
	struct hlist_node node;
	struct hlist_node bind_node;
	struct list_head flush_node;
	struct rcu_head rcu;
	possible_net_t net;
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	u8 reuse:1,
	   port_auto:1,
	   ts_ok:1;
	ktime_t expires;
	struct hrtimer timer;
	refcount_t ref;
	u32 ts_recent;
	u32 ts_recent_stamp;
	u32 ts_off;
};

/* Sized as hash.c's: xtcp_tuple_hash_size and XTCP_PORT_HASH_SIZE buckets. */
static struct hlist_head *xtcp_tw_conn __read_mostly;
static struct hlist_head *xtcp_tw_bind __read_mostly;
static struct kmem_cache *xtcp_tw_cache;

static void xtcp_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(xtcp_tw_cache, container_of(head, struct xtcp_tw, rcu));
}

static void xtcp_tw_put(struct xtcp_tw *tw)
{
	if (refcount_dec_and_test(&tw->ref))
		call_rcu(&tw->rcu, xtcp_tw_free_rcu);
}

/* Called with xtcp_hash_lock held. */
static void xtcp_tw_unlink(struct xtcp_tw *tw)
{
	hlist_del_init_rcu(&tw->node);
	hlist_del_init(&tw->bind_node);
}

static ktime_t xtcp_tw_length(struct net *net)
{
	return ms_to_ktime(READ_ONCE(xtcp_pernet(net)->tw_timeout_ms));
}

static enum hrtimer_restart xtcp_tw_timer(struct hrtimer *timer)
{
	struct xtcp_tw *tw = container_of(timer, struct xtcp_tw, timer);
	bool hashed;

	spin_lock(&xtcp_hash_lock);
	hashed = !hlist_unhashed(&tw->node);
	if (hashed && ktime_before(hrtimer_get_expires(timer), READ_ONCE(tw->expires))) {
		hrtimer_set_expires(timer, READ_ONCE(tw->expires));
		spin_unlock(&xtcp_hash_lock);
		return HRTIMER_RESTART;
	}
	if (hashed)
		xtcp_tw_unlink(tw);
	spin_unlock(&xtcp_hash_lock);
	/* The tracepoint records the namespace pointer, never follows it. */
	if (hashed)
		trace_xtcp_tw(read_pnet(&tw->net), tw->laddr, tw->lport, tw->raddr,
			      tw->rport, "expire");
	xtcp_tw_put(tw);
	return HRTIMER_NORESTART;
}

/**
 * xtcp_tw_enter() - leave a TIME-WAIT entry behind a closing socket
 * @sk: the socket, locked, its FIN acknowledged and the peer's received
 *
 * Without memory for the entry the connection simply closes, as TCP's
 * does: TIME-WAIT protects against old duplicates, it is not needed for
 * the close itself.
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_tw_enter(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct xtcp_tw *tw;

	tw = kmem_cache_zalloc(xtcp_tw_cache, GFP_ATOMIC);
	if (!tw)
		return -ENOMEM;
	write_pnet(&tw->net, net);
	tw->laddr = inet->inet_rcv_saddr;
	tw->raddr = inet->inet_daddr;
	tw->lport = inet->inet_sport;
	tw->rport = inet->inet_dport;
	tw->snd_nxt = xs->snd_nxt;
	tw->rcv_nxt = xs->rcv_nxt;
	tw->rcv_wnd = min_t(u32, xs->rcv_wnd >> xtcp_rcv_ws(xs), U16_MAX);
	tw->reuse = !!sk->sk_reuse;
	tw->port_auto = xs->port_auto;
	tw->ts_ok = xs->ts_ok;
	tw->ts_recent = xs->ts_recent;
	tw->ts_recent_stamp = xs->ts_recent_stamp;
	tw->ts_off = xs->ts_off;
	refcount_set(&tw->ref, 1);
	tw->expires = ktime_add(ktime_get(), xtcp_tw_length(net));
	hrtimer_init(&tw->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	tw->timer.function = xtcp_tw_timer;

	spin_lock_bh(&xtcp_hash_lock);
	hlist_add_head_rcu(&tw->node, &xtcp_tw_conn[xtcp_tuple_hash(net, tw->laddr, tw->lport,
								    tw->raddr, tw->rport)]);
	hlist_add_head(&tw->bind_node, &xtcp_tw_bind[xtcp_port_hash(net, ntohs(tw->lport))]);
	hrtimer_start(&tw->timer, tw->expires, HRTIMER_MODE_ABS_SOFT);
	spin_unlock_bh(&xtcp_hash_lock);

	xtcp_inc_stats(net, XTCP_MIB_TW_CREATED);
	trace_xtcp_tw(net, tw->laddr, tw->lport, tw->raddr, tw->rport, "enter");
	return 0;
}

/**
 * xtcp_port_in_use_tw() - does a TIME-WAIT entry hold a port against bind()?
 * @net: the namespace
 * @addr: the address being bound, or 0 for any
 * @port: the port, host order
 * @reuse: the binding socket has SO_REUSEADDR
 *
 * Called with xtcp_hash_lock held.
 *
 * Return: true if an entry on the port conflicts.
 */
bool xtcp_port_in_use_tw(struct net *net, __be32 addr, unsigned short port, bool reuse)
{
	struct xtcp_tw *tw;

	hlist_for_each_entry(tw, &xtcp_tw_bind[xtcp_port_hash(net, port)], bind_node) {
		if (!net_eq(read_pnet(&tw->net), net) || ntohs(tw->lport) != port)
			continue;
		if (addr && tw->laddr != addr)
			continue;
		if (!(reuse && tw->reuse))
			return true;
	}
	return false;
}

/**
 * xtcp_port_bound_tw() - does a TIME-WAIT entry keep connect() off a port?
 * @net: the namespace
 * @port: the port, host order
 *
 * As Linux TCP, whose TIME-WAIT sockets stay in their port's bind bucket:
 * an entry left by a socket that took its port through bind() or
 * listen() (a server's connection) keeps connect() from choosing the
 * port while it lasts. Called with xtcp_hash_lock held.
 *
 * Return: true if such an entry is on the port.
 */
bool xtcp_port_bound_tw(const struct net *net, unsigned short port)
{
	struct xtcp_tw *tw;

	hlist_for_each_entry(tw, &xtcp_tw_bind[xtcp_port_hash(net, port)], bind_node)
		if (net_eq(read_pnet(&tw->net), net) && ntohs(tw->lport) == port &&
		    !tw->port_auto)
			return true;
	return false;
}

static bool xtcp_tw_match(const struct xtcp_tw *tw, const struct net *net, __be32 laddr,
			  __be16 lport, __be32 raddr, __be16 rport)
{
	return net_eq(read_pnet(&tw->net), net) && tw->laddr == laddr &&
	       tw->lport == lport && tw->raddr == raddr && tw->rport == rport;
}

/* Called with xtcp_hash_lock held. */
static struct xtcp_tw *__xtcp_tw_find(const struct net *net, __be32 laddr, __be16 lport,
				      __be32 raddr, __be16 rport)
{
	struct xtcp_tw *tw;

	hlist_for_each_entry(tw, &xtcp_tw_conn[xtcp_tuple_hash(net, laddr, lport, raddr, rport)],
			     node)
		if (xtcp_tw_match(tw, net, laddr, lport, raddr, rport))
			return tw;
	return NULL;
}

/*
 * The entry for a four-tuple, with a reference taken, or NULL. Takes no
 * lock: see the locking rules at the top.
 */
static struct xtcp_tw *xtcp_tw_get(const struct net *net, __be32 laddr, __be16 lport,
				   __be32 raddr, __be16 rport)
{
	struct hlist_head *head = &xtcp_tw_conn[xtcp_tuple_hash(net, laddr, lport, raddr, rport)];
	struct xtcp_tw *tw;

	rcu_read_lock();
	hlist_for_each_entry_rcu(tw, head, node) {
		if (xtcp_tw_match(tw, net, laddr, lport, raddr, rport) &&
		    refcount_inc_not_zero(&tw->ref))
			goto out;
	}
	tw = NULL;
out:
	rcu_read_unlock();
	return tw;
}

/**
 * xtcp_tw_tuple_used() - is a four-tuple in TIME-WAIT?
 * @net: the namespace
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Called with xtcp_hash_lock held.
 *
 * Return: true if it is.
 */
bool xtcp_tw_tuple_used(const struct net *net, __be32 laddr, __be16 lport,
			__be32 raddr, __be16 rport)
{
	return __xtcp_tw_find(net, laddr, lport, raddr, rport);
}

/*
 * Take an entry out before its time: a RST, or a new SYN reusing it.
 * Once it is unhashed no handler re-arms it, but one that looked before
 * may be re-arming it right now: hrtimer_cancel() waits that out, so the
 * timer is left neither pending nor running, its reference dropped here
 * if it was pending, by the handler if not.
 */
static void xtcp_tw_kill(struct xtcp_tw *tw)
{
	spin_lock_bh(&xtcp_hash_lock);
	if (!hlist_unhashed(&tw->node))
		xtcp_tw_unlink(tw);
	spin_unlock_bh(&xtcp_hash_lock);
	if (hrtimer_cancel(&tw->timer))
		xtcp_tw_put(tw);
}

/*
 * The entry's ACK: where its sequence numbers stood, and its window; and
 * the connection's timestamps, its clock going on.
 */
static void xtcp_tw_ack(struct net *net, const struct xtcp_tw *tw)
{
	struct xtcp_opts opts = {
		.wscale = -1,
		.ts = tw->ts_ok,
		.tsval = tw->ts_ok ? xtcp_ts_now(tw->ts_off) : 0,
		.tsecr = READ_ONCE(tw->ts_recent),
	};

	xtcp_send_reply(net, xtcp_pernet(net)->ctl_sk, tw->laddr, tw->raddr, tw->lport,
			tw->rport, tw->snd_nxt, tw->rcv_nxt, XTCP_FLAG_ACK, tw->rcv_wnd, &opts);
}

/*
 * Whether the segment's TSval is older than the last the entry took (RFC
 * 7323 5): an old duplicate, ACKed, or ignored if a RST, as Linux's
 * tcp_paws_reject() has it. An old RST counts as one only while TS.Recent
 * is under a minute old: the RST of a peer whose clock went back (it
 * rebooted) may end the entry after that.
 */
static bool xtcp_tw_paws_reject(const struct xtcp_tw *tw, const struct xtcp_seg *seg)
{
	u32 stamp = READ_ONCE(tw->ts_recent_stamp);

	if (!tw->ts_ok || !seg->saw_ts ||
	    xtcp_paws_ok(READ_ONCE(tw->ts_recent), stamp, seg->tsval, 0))
		return false;
	return !(seg->flags & XTCP_FLAG_RST) ||
	       (u32)ktime_get_seconds() - stamp < XTCP_PAWS_MSL_SECS;
}

/*
 * Is there a listener to take a SYN that would end TIME-WAIT? Without
 * one Linux TCP keeps the TIME-WAIT and ACKs the SYN (in tcp_v4_rcv(),
 * TCP_TW_SYN without a listener goes on as TCP_TW_ACK). The four-tuple
 * has no connection, so the lookup finds a listener or nothing.
 */
static bool xtcp_tw_listened(struct net *net, const struct iphdr *iph,
			     const struct tcphdr *th)
{
	struct sock *sk = xtcp_lookup(net, iph->saddr, th->source, iph->daddr, th->dest);

	if (!sk)
		return false;
	sock_put(sk);
	return true;
}

/*
 * A SYN may start a new connection on the four-tuple when it comes after
 * the old one's sequence space, or, with timestamps, after its clock,
 * whatever its sequence number (RFC 6191).
 */
static bool xtcp_tw_syn_newer(const struct xtcp_tw *tw, const struct xtcp_seg *seg)
{
	return xtcp_seq_after(seg->seq, tw->rcv_nxt) ||
	       (tw->ts_ok && seg->saw_ts && (s32)(seg->tsval - READ_ONCE(tw->ts_recent)) > 0);
}

/**
 * xtcp_tw_rcv() - a segment for a four-tuple in TIME-WAIT
 * @net: the namespace it arrived in
 * @skb: the segment, its IP header and xtcp header in place
 * @seg: the parsed header
 *
 * Return: 0 if there is no such entry, 1 if the entry took the segment
 * (the caller frees it), or -EAGAIN if the segment is a SYN that may
 * reuse the four-tuple and a listener waits for it: the entry is gone
 * and the caller offers it to the listener.
 */
int xtcp_tw_rcv(struct net *net, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_tw *tw;
	int ret = 1;

	tw = xtcp_tw_get(net, iph->daddr, th->dest, iph->saddr, th->source);
	if (!tw)
		return 0;

	if (xtcp_tw_paws_reject(tw, seg)) {
		/* An old duplicate: ACKed, and time waited anew; a RST, ignored. */
		xtcp_inc_stats(net, XTCP_MIB_PAWS_ESTAB);
		if (!(seg->flags & XTCP_FLAG_RST)) {
			WRITE_ONCE(tw->expires, ktime_add(ktime_get(), xtcp_tw_length(net)));
			xtcp_tw_ack(net, tw);
		}
	} else if (seg->flags & XTCP_FLAG_RST) {
		/* As Linux without tcp_rfc1337: a RST ends TIME-WAIT. */
		if (seg->seq == tw->rcv_nxt)
			xtcp_tw_kill(tw);
	} else if ((seg->flags & (XTCP_FLAG_SYN | XTCP_FLAG_ACK)) == XTCP_FLAG_SYN &&
		   xtcp_tw_syn_newer(tw, seg) && xtcp_tw_listened(net, iph, th)) {
		xtcp_tw_kill(tw);
		xtcp_inc_stats(net, XTCP_MIB_TW_RECYCLED);
		trace_xtcp_tw(net, tw->laddr, tw->lport, tw->raddr, tw->rport, "reuse");
		ret = -EAGAIN;
	} else if (seg->flags & XTCP_FLAG_FIN && seg->end_seq == tw->rcv_nxt) {
		/* The peer did not hear our last ACK: again, and wait anew. */
		WRITE_ONCE(tw->expires, ktime_add(ktime_get(), xtcp_tw_length(net)));
		xtcp_tw_ack(net, tw);
		trace_xtcp_tw(net, tw->laddr, tw->lport, tw->raddr, tw->rport, "re-ack");
	} else if (!(seg->flags & XTCP_FLAG_ACK) || seg->len ||
		   seg->seq != tw->rcv_nxt) {
		/* Anything else but a bare in-sequence ACK gets our ACK. */
		xtcp_tw_ack(net, tw);
	} else if (tw->ts_ok && seg->saw_ts) {
		/* Lockless: a racing ACK's store is as good as this one. */
		WRITE_ONCE(tw->ts_recent, seg->tsval);
		WRITE_ONCE(tw->ts_recent_stamp, (u32)ktime_get_seconds());
	}
	xtcp_tw_put(tw);
	return ret;
}

/**
 * xtcp_tw_flush() - end a namespace's TIME-WAIT entries at once
 * @net: the namespace, going away
 */
void xtcp_tw_flush(struct net *net)
{
	struct xtcp_tw *tw, *tmp;
	struct hlist_node *n;
	LIST_HEAD(doomed);
	int i;

	/*
	 * A bucket at a time, skipping those that look empty without the
	 * lock: the namespace has no socket left to add an entry.
	 */
	for (i = 0; i < xtcp_tuple_hash_size; i++) {
		if (hlist_empty(&xtcp_tw_conn[i]))
			continue;
		spin_lock_bh(&xtcp_hash_lock);
		hlist_for_each_entry_safe(tw, n, &xtcp_tw_conn[i], node) {
			if (!net_eq(read_pnet(&tw->net), net))
				continue;
			xtcp_tw_unlink(tw);
			refcount_inc(&tw->ref);
			list_add(&tw->flush_node, &doomed);
		}
		spin_unlock_bh(&xtcp_hash_lock);
	}

	list_for_each_entry_safe(tw, tmp, &doomed, flush_node) {
		/* Pending: the timer's reference is ours to drop. Running or
		 * run: the handler found the entry unhashed and dropped it.
		 */
		if (hrtimer_cancel(&tw->timer))
			xtcp_tw_put(tw);
		xtcp_tw_put(tw);	/* the flush's own */
	}
}

/**
 * xtcp_tw_walk() - visit a namespace's TIME-WAIT entries
 * @net: the namespace
 * @fn: called for each with what /proc/net/xtcp shows of it, under
 *	xtcp_hash_lock with BH off: it must not sleep nor take a lock.
 *	Returning nonzero stops the walk.
 * @arg: passed to @fn
 *
 * The lock is taken once per bucket that does not look empty without it
 * (an entry hashed meanwhile may be missed, as one hashed just after).
 *
 * Return: what @fn returned last, 0 if it was never called.
 */
int xtcp_tw_walk(const struct net *net, int (*fn)(const struct xtcp_proc_entry *e, void *arg),
		 void *arg)
{
	struct xtcp_tw *tw;
	int i, ret = 0;

	for (i = 0; i < xtcp_tuple_hash_size && !ret; i++) {
		/* Most buckets are empty: not worth the lock each. */
		if (hlist_empty(&xtcp_tw_conn[i]))
			continue;
		spin_lock_bh(&xtcp_hash_lock);
		hlist_for_each_entry(tw, &xtcp_tw_conn[i], node) {
			struct xtcp_proc_entry e = {
				.laddr = tw->laddr,
				.lport = tw->lport,
				.raddr = tw->raddr,
				.rport = tw->rport,
				.state = TCP_TIME_WAIT,
				.timer = XTCP_PROC_TIMER_TW,
				.due = READ_ONCE(tw->expires),
			};

			if (!net_eq(read_pnet(&tw->net), net))
				continue;
			ret = fn(&e, arg);
			if (ret)
				break;
		}
		spin_unlock_bh(&xtcp_hash_lock);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(xtcp_tw_walk);

struct xtcp_tw_show {
	struct seq_file *seq;
	unsigned int *num;
};

static int xtcp_tw_show_one(const struct xtcp_proc_entry *e, void *arg)
{
	struct xtcp_tw_show *w = arg;

	xtcp_proc_show_entry(w->seq, w->num, e);
	return 0;
}

/**
 * xtcp_tw_seq_show() - a namespace's TIME-WAIT entries, in /proc/net/xtcp
 * @seq: the file
 * @net: the namespace
 * @num: the number of the next line, advanced past each
 *
 * Printing into the seq_file neither sleeps nor takes another lock.
 */
void xtcp_tw_seq_show(struct seq_file *seq, const struct net *net, unsigned int *num)
{
	struct xtcp_tw_show w = { .seq = seq, .num = num };

	xtcp_tw_walk(net, xtcp_tw_show_one, &w);
}

/**
 * xtcp_tw_init() - create the TIME-WAIT entry cache and tables
 *
 * Called after xtcp_hash_init(), which sizes the tables.
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_tw_init(void)
{
	xtcp_tw_conn = kvcalloc(xtcp_tuple_hash_size, sizeof(*xtcp_tw_conn), GFP_KERNEL);
	xtcp_tw_bind = kvcalloc(XTCP_PORT_HASH_SIZE, sizeof(*xtcp_tw_bind), GFP_KERNEL);
	xtcp_tw_cache = KMEM_CACHE(xtcp_tw, 0);
	if (!xtcp_tw_conn || !xtcp_tw_bind || !xtcp_tw_cache) {
		xtcp_tw_exit();
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_tw_exit() - destroy the cache and free the tables
 *
 * Called after every namespace's exit has flushed its entries, so none
 * is left (slab reports any that is), and after synchronize_rcu() has
 * waited out any expiry handler still dropping an entry's last
 * reference: the frees they queued are all that may remain, and are
 * waited for here.
 */
void xtcp_tw_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(xtcp_tw_cache);
	kvfree(xtcp_tw_bind);
	kvfree(xtcp_tw_conn);
}
