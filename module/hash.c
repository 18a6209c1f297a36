// SPDX-License-Identifier: GPL-2.0
/*
 * Finding sockets: the port space and the lookup tables.
 *
 * Three tables, over all namespaces (the namespace is part of each key):
 *   bind     by local port: every socket holding a port (sk_bind_node)
 *   conn     by four-tuple: connected sockets, SYN-SENT onwards
 *            (sk_nulls_node)
 *   listen   by local port: listeners (sk_nulls_node)
 * and tw.c's two tables of TIME-WAIT entries.
 *
 * Locking. Writers take xtcp_hash_lock, one lock for all five tables:
 * it is taken with BH disabled and is innermost, nothing else is taken
 * under it. Everything that changes a table, and everything that reads
 * bind or tw_bind (bind() and connect() choosing a port) holds it, as do
 * xtcp_hash_walk() and xtcp_tw_walk() (/proc/net/xtcp, diag) for each
 * bucket that does not look empty without it.
 *
 * The receive path takes no lock to find a socket: xtcp_lookup(),
 * xtcp_lookup_conn() and xtcp_tw_rcv()'s lookup walk conn, listen and
 * tw_conn under rcu_read_lock() only, so a segment takes no lock before
 * its socket's. What makes that safe:
 *   - A socket in conn or listen holds a reference (sk_nulls_add_node_rcu()),
 *     dropped when it is unhashed, so one whose count reached zero is out
 *     of the tables and going away. A reader takes its own reference with
 *     refcount_inc_not_zero(), skipping a socket that is going, then
 *     checks the keys again: between the match and the reference the
 *     socket may have been unhashed and, after connect(AF_UNSPEC) and
 *     connect(), hashed again under another four-tuple.
 *   - Sockets are SOCK_RCU_FREE (xtcp_init_sock()): the memory of one a
 *     reader may still be looking at is not freed, nor reused, until a
 *     grace period has passed. SLAB_TYPESAFE_BY_RCU, as TCP has, would
 *     save the grace period per socket but let a reader meet a socket
 *     freed and allocated again, half initialised, in the middle of its
 *     walk; with SOCK_RCU_FREE only the re-hash case above remains, at
 *     the cost of an RCU callback per socket freed.
 *   - conn and listen are hlist_nulls lists: each bucket ends in a
 *     marker naming it (conn's bucket i ends in i, listen's in
 *     XTCP_LISTEN_NULLS + i). A socket moved to another chain while a
 *     reader stands on it carries the reader into that chain; the walk
 *     then ends on another bucket's marker, and starts again, so that a
 *     segment of a live connection cannot miss it (and draw a RST)
 *     because another socket moved.
 *   - tw_conn entries never move: one is hashed once, unhashed once,
 *     then freed after a grace period (call_rcu()). A reader standing on
 *     an unhashed entry still follows its chain, so plain RCU hlists do;
 *     see tw.c.
 * Each socket in conn or listen counts once in its namespace's in-use
 * count (sock_prot_inuse_add(), the "sockets" column of
 * /proc/net/protocols), as TCP's hashed sockets do.
 * bind holds no reference, since a socket leaves bind before it is freed
 * (xtcp_put_port() from xtcp_done() or destroy). Lookups return the
 * socket with a reference of their own; so does xtcp_hash_walk(), a few
 * sockets of a bucket at a time, so that its visitor may take the socket
 * lock and sleep.
 */
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/*
 * The four-tuple tables (conn here, tw.c's tw_conn) have a bucket per two
 * pages of RAM, as a power of two between these: 2^16 in a 512 MB guest,
 * so that 100,000 TIME-WAIT entries and as many connections make chains
 * of one or two. The port tables have XTCP_PORT_HASH_SIZE buckets: four
 * ports of the 64k each.
 */
#define XTCP_TUPLE_HASH_MIN	BIT(12)
#define XTCP_TUPLE_HASH_MAX	BIT(20)
/* listen's nulls markers, above any conn bucket's. */
#define XTCP_LISTEN_NULLS	BIT(29)

DEFINE_SPINLOCK(xtcp_hash_lock);

static struct hlist_head *xtcp_bind __read_mostly;
static struct hlist_nulls_head *xtcp_conn __read_mostly;
static struct hlist_nulls_head *xtcp_listen __read_mostly;

/* How many buckets the four-tuple tables have: a power of two. */
unsigned int xtcp_tuple_hash_size __read_mostly;

static u32 xtcp_hash_seed __read_mostly;

/**
 * xtcp_port_hash() - the bucket of a local port in a namespace
 * @net: the namespace
 * @port: the port, host order
 *
 * Return: the bucket index.
 */
u32 xtcp_port_hash(const struct net *net, unsigned short port)
{
	return hash_32(port ^ net_hash_mix(net), XTCP_PORT_HASH_BITS);
}

/**
 * xtcp_tuple_hash() - the bucket of a four-tuple in a namespace
 * @net: the namespace
 * @laddr: local address
 * @lport: local port, network order
 * @raddr: remote address
 * @rport: remote port, network order
 *
 * Return: the bucket index.
 */
u32 xtcp_tuple_hash(const struct net *net, __be32 laddr, __be16 lport,
		    __be32 raddr, __be16 rport)
{
	u32 h = jhash_3words((__force u32)laddr, (__force u32)raddr,
			     (__force u32)lport << 16 | (__force u32)rport,
			     xtcp_hash_seed ^ net_hash_mix(net));

	return h & (xtcp_tuple_hash_size - 1);
}

static bool xtcp_addr_overlap(__be32 a, __be32 b)
{
	return !a || !b || a == b;
}

/*
 * Would @sk holding @port clash with a socket or TIME-WAIT entry already
 * there? As Linux TCP: not if both sides set SO_REUSEADDR and the other
 * is not listening. Called with xtcp_hash_lock held.
 */
static bool xtcp_bind_conflict(struct sock *sk, unsigned short port)
{
	struct net *net = sock_net(sk);
	__be32 addr = inet_sk(sk)->inet_rcv_saddr;
	struct sock *sk2;

	sk_for_each_bound(sk2, &xtcp_bind[xtcp_port_hash(net, port)]) {
		if (sk2 == sk || !net_eq(sock_net(sk2), net) ||
		    inet_sk(sk2)->inet_num != port ||
		    !xtcp_addr_overlap(addr, inet_sk(sk2)->inet_rcv_saddr))
			continue;
		if (sk->sk_reuse && sk2->sk_reuse && sk2->sk_state != TCP_LISTEN)
			continue;
		return true;
	}
	return xtcp_port_in_use_tw(net, addr, port, sk->sk_reuse);
}

/* Who holds a port: nobody, only sockets whose port connect() chose, or others. */
enum xtcp_port_holders { XTCP_PORT_FREE, XTCP_PORT_CHOSEN, XTCP_PORT_BOUND };

/*
 * Who holds @port in @net? As Linux TCP, connect() shares a port only
 * among sockets that took it the same way (@port_auto): one held through
 * bind() or listen() is theirs alone. Linux remembers that in the port's
 * bind bucket until the bucket empties; we ask the holders, so a port is
 * shareable again as soon as the last bound socket on it, and the last
 * TIME-WAIT entry such a socket left (xtcp_port_bound_tw()), have gone.
 * Called with xtcp_hash_lock held.
 */
static enum xtcp_port_holders xtcp_port_holders(const struct net *net, unsigned short port)
{
	enum xtcp_port_holders holders = XTCP_PORT_FREE;
	struct sock *sk2;

	sk_for_each_bound(sk2, &xtcp_bind[xtcp_port_hash(net, port)]) {
		if (!net_eq(sock_net(sk2), net) || inet_sk(sk2)->inet_num != port)
			continue;
		/* A write of another bit of its byte leaves this one be (xtcp.h). */
		if (data_race(!xtcp_sk(sk2)->port_auto))
			return XTCP_PORT_BOUND;
		holders = XTCP_PORT_CHOSEN;
	}
	return holders;
}

/* @sk takes @port: connect() chose it (@port_auto), or bind() or listen(). */
static void xtcp_bind_add(struct sock *sk, unsigned short port, bool port_auto)
{
	xtcp_sk(sk)->port_auto = port_auto;
	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
	hlist_add_head(&sk->sk_bind_node,
		       &xtcp_bind[xtcp_port_hash(sock_net(sk), port)]);
}

/**
 * xtcp_bind_inherit() - an accepted connection shares its listener's port
 * @child: the new socket
 * @parent: the listener
 */
void xtcp_bind_inherit(struct sock *child, struct sock *parent)
{
	spin_lock_bh(&xtcp_hash_lock);
	xtcp_bind_add(child, inet_sk(parent)->inet_num, false);
	spin_unlock_bh(&xtcp_hash_lock);
}

/**
 * xtcp_put_port() - release a socket's local port
 * @sk: the socket
 */
void xtcp_put_port(struct sock *sk)
{
	spin_lock_bh(&xtcp_hash_lock);
	if (!hlist_unhashed(&sk->sk_bind_node)) {
		hlist_del_init(&sk->sk_bind_node);
		inet_sk(sk)->inet_num = 0;
		inet_sk(sk)->inet_sport = 0;
	}
	spin_unlock_bh(&xtcp_hash_lock);
}

/* Is the four-tuple taken by a connection? Called with xtcp_hash_lock held. */
static bool xtcp_tuple_used(const struct net *net, __be32 laddr, __be16 lport,
			    __be32 raddr, __be16 rport)
{
	struct hlist_nulls_node *node;
	struct sock *sk2;

	sk_nulls_for_each(sk2, node, &xtcp_conn[xtcp_tuple_hash(net, laddr, lport, raddr, rport)]) {
		struct inet_sock *in2 = inet_sk(sk2);

		if (net_eq(sock_net(sk2), net) && in2->inet_rcv_saddr == laddr &&
		    in2->inet_sport == lport && in2->inet_daddr == raddr &&
		    in2->inet_dport == rport)
			return true;
	}
	return xtcp_tw_tuple_used(net, laddr, lport, raddr, rport);
}

/* bind(0) may take @port: no socket holds it, nor TIME-WAIT entry clashes. */
static bool xtcp_bind_usable(struct sock *sk, unsigned short port)
{
	return xtcp_port_holders(sock_net(sk), port) == XTCP_PORT_FREE &&
	       !xtcp_bind_conflict(sk, port);
}

/* connect() may use @port: the four-tuple it would make is unused. */
static bool xtcp_connect_usable(struct sock *sk, unsigned short port)
{
	struct inet_sock *inet = inet_sk(sk);

	return !xtcp_tuple_used(sock_net(sk), inet->inet_rcv_saddr, htons(port),
				inet->inet_daddr, inet->inet_dport);
}

/*
 * connect() may choose @port: its four-tuple is unused (the cheap test,
 * first), and only connect() chose it before, for sockets and TIME-WAIT
 * entries alike.
 */
static bool xtcp_connect_choosable(struct sock *sk, unsigned short port)
{
	struct net *net = sock_net(sk);

	return xtcp_connect_usable(sk, port) &&
	       xtcp_port_holders(net, port) != XTCP_PORT_BOUND &&
	       !xtcp_port_bound_tw(net, port);
}

/*
 * An ephemeral port that @usable accepts, searched from a random place in
 * the local port range. Called with xtcp_hash_lock held. Return: the
 * port, or 0 if none is.
 */
static unsigned short xtcp_pick_port(struct sock *sk,
				     bool (*usable)(struct sock *sk, unsigned short port))
{
	struct net *net = sock_net(sk);
	int low, high, n, i;
	unsigned short port;
	u32 start;

	inet_get_local_port_range(net, &low, &high);
	n = high - low + 1;
	start = get_random_u32() % n;
	for (i = 0; i < n; i++) {
		port = low + (start + i) % n;
		if (!inet_is_local_reserved_port(net, port) && usable(sk, port))
			return port;
	}
	return 0;
}

/**
 * xtcp_get_port() - give a socket a local port: struct proto.get_port
 * @sk: the socket, locked, with its local address set
 * @snum: the port wanted, or 0 for any free ephemeral port
 *
 * Also called by listen() on a bound socket, to check again: two
 * SO_REUSEADDR sockets may share a port, but only one may listen on it.
 *
 * Return: 0, or -EADDRINUSE.
 */
int xtcp_get_port(struct sock *sk, unsigned short snum)
{
	int err = -EADDRINUSE;

	spin_lock_bh(&xtcp_hash_lock);
	if (!snum)
		snum = xtcp_pick_port(sk, xtcp_bind_usable);
	else if (xtcp_bind_conflict(sk, snum))
		snum = 0;
	if (!snum)
		goto out;
	if (hlist_unhashed(&sk->sk_bind_node))
		xtcp_bind_add(sk, snum, false);
	err = 0;
out:
	spin_unlock_bh(&xtcp_hash_lock);
	return err;
}

static void __xtcp_hash_conn(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);

	sk_nulls_add_node_rcu(sk, &xtcp_conn[xtcp_tuple_hash(sock_net(sk), inet->inet_rcv_saddr,
							     inet->inet_sport, inet->inet_daddr,
							     inet->inet_dport)]);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
}

/**
 * xtcp_connect_port() - give a connecting socket its port and hash it
 * @sk: the socket, locked, with both addresses and the remote port set
 *
 * A socket already bound keeps its port; otherwise an ephemeral port is
 * chosen that no socket holds, or that only connections whose ports were
 * chosen here hold, as Linux TCP shares them: to one destination there
 * are as many connections as ephemeral ports, to each. Either way the
 * four-tuple must be unused, by connections and TIME-WAIT entries alike.
 *
 * Return: 0, -EADDRNOTAVAIL if the bound port's four-tuple is taken or no
 * port is free.
 */
int xtcp_connect_port(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	unsigned short port;
	int err = -EADDRNOTAVAIL;

	spin_lock_bh(&xtcp_hash_lock);
	if (inet->inet_num) {
		if (!xtcp_connect_usable(sk, inet->inet_num))
			goto out;
	} else {
		port = xtcp_pick_port(sk, xtcp_connect_choosable);
		if (!port)
			goto out;
		xtcp_bind_add(sk, port, true);
	}
	__xtcp_hash_conn(sk);
	err = 0;
out:
	spin_unlock_bh(&xtcp_hash_lock);
	return err;
}

/**
 * xtcp_hash_conn() - enter a connected socket into the lookup
 * @sk: the socket, with its four-tuple set and its port held
 */
void xtcp_hash_conn(struct sock *sk)
{
	spin_lock_bh(&xtcp_hash_lock);
	__xtcp_hash_conn(sk);
	spin_unlock_bh(&xtcp_hash_lock);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_hash_conn);

/**
 * xtcp_hash_listen() - enter a listener into the lookup
 * @sk: the socket, holding its port
 */
void xtcp_hash_listen(struct sock *sk)
{
	spin_lock_bh(&xtcp_hash_lock);
	sk_nulls_add_node_rcu(sk, &xtcp_listen[xtcp_port_hash(sock_net(sk),
							      inet_sk(sk)->inet_num)]);
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	spin_unlock_bh(&xtcp_hash_lock);
}

/**
 * xtcp_unhash() - take a socket out of the lookup
 * @sk: the socket; the caller holds a reference besides the table's
 */
void xtcp_unhash(struct sock *sk)
{
	spin_lock_bh(&xtcp_hash_lock);
	if (sk_nulls_del_node_init_rcu(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	spin_unlock_bh(&xtcp_hash_lock);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_unhash);

/* Is @sk the connection with this four-tuple, as a segment names it? */
static bool xtcp_conn_match(const struct sock *sk, const struct net *net, __be32 saddr,
			    __be16 sport, __be32 daddr, __be16 dport)
{
	const struct inet_sock *inet = inet_sk(sk);

	return net_eq(sock_net(sk), net) && inet->inet_daddr == saddr &&
	       inet->inet_dport == sport && inet->inet_rcv_saddr == daddr &&
	       inet->inet_sport == dport;
}

/*
 * The connection with exactly this four-tuple, with a reference taken.
 * Called under rcu_read_lock(): see the locking rules at the top.
 */
static struct sock *__xtcp_lookup_conn(struct net *net, __be32 saddr, __be16 sport,
				       __be32 daddr, __be16 dport)
{
	u32 slot = xtcp_tuple_hash(net, daddr, dport, saddr, sport);
	struct hlist_nulls_node *node;
	struct sock *sk;

begin:
	sk_nulls_for_each_rcu(sk, node, &xtcp_conn[slot]) {
		if (!xtcp_conn_match(sk, net, saddr, sport, daddr, dport))
			continue;
		/* Unhashed and going: its chain still leads on. */
		if (unlikely(!refcount_inc_not_zero(&sk->sk_refcnt)))
			continue;
		/* Re-hashed under another four-tuple meanwhile. */
		if (unlikely(!xtcp_conn_match(sk, net, saddr, sport, daddr, dport))) {
			sock_put(sk);
			goto begin;
		}
		return sk;
	}
	/* Carried off into another chain by a socket that moved. */
	if (get_nulls_value(node) != slot)
		goto begin;
	return NULL;
}

/**
 * xtcp_lookup_conn() - the connection a segment belongs to, if any
 * @net: the namespace it arrived in
 * @saddr: its source address (the remote end)
 * @sport: its source port
 * @daddr: its destination address (the local end)
 * @dport: its destination port
 *
 * Takes no lock (see the locking rules at the top).
 *
 * Return: the socket with a reference the caller must drop, or NULL.
 */
struct sock *xtcp_lookup_conn(struct net *net, __be32 saddr, __be16 sport,
			      __be32 daddr, __be16 dport)
{
	struct sock *sk;

	rcu_read_lock();
	sk = __xtcp_lookup_conn(net, saddr, sport, daddr, dport);
	rcu_read_unlock();
	return sk;
}

/*
 * How well listener @sk matches a segment to @daddr:@port: 2 bound to
 * the address, 1 bound to any, 0 not at all.
 */
VISIBLE_IF_KUNIT int xtcp_listen_score(const struct sock *sk, const struct net *net,
				       __be32 daddr, unsigned short port)
{
	__be32 bound = inet_sk(sk)->inet_rcv_saddr;

	if (!net_eq(sock_net(sk), net) || inet_sk(sk)->inet_num != port)
		return 0;
	if (bound == daddr)
		return 2;
	return bound ? 0 : 1;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_listen_score);

/*
 * The listener for a segment to @daddr:@port, with a reference taken:
 * one bound to the address before one bound to any. Called under
 * rcu_read_lock(), as __xtcp_lookup_conn().
 */
static struct sock *__xtcp_lookup_listener(struct net *net, __be32 daddr, unsigned short port)
{
	u32 slot = xtcp_port_hash(net, port);
	struct hlist_nulls_node *node;
	struct sock *sk, *best;
	int score, best_score;

begin:
	best = NULL;
	best_score = 0;
	sk_nulls_for_each_rcu(sk, node, &xtcp_listen[slot]) {
		score = xtcp_listen_score(sk, net, daddr, port);
		if (score > best_score) {
			best = sk;
			best_score = score;
			if (score == 2)
				goto found;
		}
	}
	/* A better one may be in the chain it should have walked. */
	if (get_nulls_value(node) != XTCP_LISTEN_NULLS + slot)
		goto begin;
	if (!best)
		return NULL;
found:
	/*
	 * Going: it is unhashed already, and the walk again will not see it.
	 * Its port given up, or re-bound: the same.
	 */
	if (unlikely(!refcount_inc_not_zero(&best->sk_refcnt)))
		goto begin;
	if (unlikely(xtcp_listen_score(best, net, daddr, port) != best_score)) {
		sock_put(best);
		goto begin;
	}
	return best;
}

/**
 * xtcp_lookup() - the socket a segment belongs to
 * @net: the namespace it arrived in
 * @saddr: its source address (the remote end)
 * @sport: its source port
 * @daddr: its destination address (the local end)
 * @dport: its destination port
 *
 * A connection with the exact four-tuple first, then a listener on the
 * port: one bound to the address before one bound to any. Takes no lock
 * (see the locking rules at the top).
 *
 * Return: the socket with a reference the caller must drop, or NULL.
 */
struct sock *xtcp_lookup(struct net *net, __be32 saddr, __be16 sport,
			 __be32 daddr, __be16 dport)
{
	struct sock *sk;

	rcu_read_lock();
	sk = __xtcp_lookup_conn(net, saddr, sport, daddr, dport);
	if (!sk)
		sk = __xtcp_lookup_listener(net, daddr, ntohs(dport));
	rcu_read_unlock();
	return sk;
}
EXPORT_SYMBOL_GPL(xtcp_lookup);

/* Sockets xtcp_hash_walk() takes from a bucket at a time. */
#define XTCP_WALK_BATCH	16

/*
 * Take a reference on up to @max sockets of @net in @head, after the
 * first @skip of them, into @batch. Return: how many.
 */
static unsigned int xtcp_hash_batch(const struct net *net, struct hlist_nulls_head *head,
				    unsigned int skip, struct sock **batch, unsigned int max)
{
	struct hlist_nulls_node *node;
	unsigned int n = 0;
	struct sock *sk;

	spin_lock_bh(&xtcp_hash_lock);
	sk_nulls_for_each(sk, node, head) {
		if (!net_eq(sock_net(sk), net))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		sock_hold(sk);
		batch[n++] = sk;
		if (n == max)
			break;
	}
	spin_unlock_bh(&xtcp_hash_lock);
	return n;
}

/**
 * xtcp_hash_walk() - visit every socket of a namespace in one table
 * @net: the namespace
 * @listen: the listeners' table if true, the connections' if false
 * @fn: called for each socket with a reference held and no lock: it may
 *	sleep, and take the socket lock
 * @arg: passed to @fn
 *
 * The lock is taken for a few sockets of a bucket at a time, which are
 * visited after it is dropped; a bucket that looks empty without it is
 * skipped. A bucket that changes meanwhile may have a socket visited
 * twice or not at all, as /proc/net/tcp may.
 */
void xtcp_hash_walk(const struct net *net, bool listen,
		    void (*fn)(struct sock *sk, void *arg), void *arg)
{
	struct hlist_nulls_head *table = listen ? xtcp_listen : xtcp_conn;
	struct sock *batch[XTCP_WALK_BATCH];
	unsigned int i, j, n, done;

	for (i = 0; i < (listen ? XTCP_PORT_HASH_SIZE : xtcp_tuple_hash_size); i++) {
		/* Most buckets are empty: not worth the lock each. */
		if (hlist_nulls_empty(&table[i]))
			continue;
		done = 0;
		do {
			n = xtcp_hash_batch(net, &table[i], done, batch, XTCP_WALK_BATCH);
			for (j = 0; j < n; j++) {
				fn(batch[j], arg);
				sock_put(batch[j]);
			}
			done += n;
		} while (n == XTCP_WALK_BATCH);
	}
}
EXPORT_SYMBOL_GPL(xtcp_hash_walk);

/* The four-tuple tables' buckets for @pages of RAM: see the top. */
VISIBLE_IF_KUNIT unsigned int xtcp_tuple_hash_size_for(unsigned long pages)
{
	unsigned long size = roundup_pow_of_two(max(pages / 2, 1UL));

	return clamp(size, XTCP_TUPLE_HASH_MIN, XTCP_TUPLE_HASH_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_tuple_hash_size_for);

/**
 * xtcp_hash_init() - allocate the tables, sized for this machine's memory
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_hash_init(void)
{
	unsigned int i;

	xtcp_tuple_hash_size = xtcp_tuple_hash_size_for(totalram_pages());
	xtcp_hash_seed = get_random_u32();
	xtcp_bind = kvcalloc(XTCP_PORT_HASH_SIZE, sizeof(*xtcp_bind), GFP_KERNEL);
	xtcp_listen = kvcalloc(XTCP_PORT_HASH_SIZE, sizeof(*xtcp_listen), GFP_KERNEL);
	xtcp_conn = kvcalloc(xtcp_tuple_hash_size, sizeof(*xtcp_conn), GFP_KERNEL);
	if (!xtcp_bind || !xtcp_listen || !xtcp_conn) {
		xtcp_hash_exit();
		return -ENOMEM;
	}
	for (i = 0; i < xtcp_tuple_hash_size; i++)
		INIT_HLIST_NULLS_HEAD(&xtcp_conn[i], i);
	for (i = 0; i < XTCP_PORT_HASH_SIZE; i++)
		INIT_HLIST_NULLS_HEAD(&xtcp_listen[i], XTCP_LISTEN_NULLS + i);
	return 0;
}

/**
 * xtcp_hash_exit() - free the tables, every socket gone
 */
void xtcp_hash_exit(void)
{
	kvfree(xtcp_conn);
	kvfree(xtcp_listen);
	kvfree(xtcp_bind);
}
