// SPDX-License-Identifier: GPL-2.0
/*
 * The passive side of the handshake.
 *
 * A SYN on a listener makes a struct xtcp_request: the connection in
 * SYN-RECEIVED, a few dozen bytes, not a socket. The ACK that completes
 * the handshake turns it into a socket (a clone of the listener), which
 * goes on the accept queue until accept() takes it.
 *
 * Both queues are bounded as Linux TCP bounds them: a SYN finding the
 * accept queue full is dropped and counted; the peer's SYN
 * retransmission tries again later. A SYN finding the SYN queue at its
 * limit is answered with a SYN cookie (net.xtcp.syncookies, isn.c): the
 * request lives in the SYN-ACK's sequence number, not in memory, and the
 * ACK returning it makes the connection, so that a flood of spoofed SYNs
 * neither grows memory nor shuts genuine peers out.
 *
 * One timer per listener retransmits the SYN-ACKs of all its requests:
 * the socket's own xs->timer, which has no other work in LISTEN (timer.c),
 * due at the earliest request's deadline.
 *
 * Locking: requests and the accept queue belong to the listener and are
 * guarded by its socket lock. A child's lock is taken inside the
 * listener's, never the other way round, and with BH off: a segment from
 * the listener's backlog runs in process context, where a softirq on the
 * same CPU wanting the child's lock would otherwise spin for ever.
 */
#include <linux/slab.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"

/**
 * struct xtcp_request - a connection in SYN-RECEIVED on a listener
 * @node: link in the listener's requests
 * @laddr: local address
 * @raddr: remote address
 * @rport: remote port (the local one is the listener's)
 * @iss: our initial sequence number
 * @irs: the peer's
 * @rcv_wnd: the window our SYN-ACK announced
 * @mss: the peer's MSS
 * @advmss: the MSS we announced
 * @snd_wscale: the peer's window scale, or -1 if it offered none
 * @rcv_wscale: ours, or -1 if we offer none (we offer one only in answer)
 * @sack_ok: the SYN offered SACK-permitted and our namespace allows it
 * @ts_ok: the SYN offered timestamps and our namespace allows them
 * @ts_recent: the SYN's TSval, with @ts_ok
 * @ts_off: our TSval offset (xtcp_ts_offset()), with @ts_ok
 * @retries: SYN-ACKs sent again
 * @deadline: when the SYN-ACK goes again
 * @born: when the SYN came: the first line of the child's history
 */
struct xtcp_request {
	struct list_head node;
	__be32 laddr;
	__be32 raddr;
	__be16 rport;
	u32 iss;
	u32 irs;
	u16 rcv_wnd;
	u16 mss;
	u16 advmss;
	s8 snd_wscale;
	s8 rcv_wscale;
	bool sack_ok;
	bool ts_ok;
	u8 retries;
	u32 ts_recent;
	u32 ts_off;
	ktime_t deadline;
	ktime_t born;
};

static u32 xtcp_syn_queue_limit(const struct sock *sk)
{
	return clamp_t(u32, 2 * READ_ONCE(sk->sk_max_ack_backlog), 16, 1024);
}

/*
 * A request's segment: its SYN-ACK (@flags SYN and ACK), or an ACK of
 * what came, after it, with the window scaled as on the connection.
 */
static void xtcp_request_send(struct sock *sk, struct xtcp_request *req, u8 flags)
{
	bool syn = flags & XTCP_FLAG_SYN;
	struct xtcp_opts opts = {
		.mss = syn ? req->advmss : 0,
		.wscale = syn ? req->rcv_wscale : -1,
		.sack_ok = syn && req->sack_ok,
		.ts = req->ts_ok,
		.tsval = req->ts_ok ? xtcp_ts_now(req->ts_off) : 0,
		.tsecr = req->ts_recent,
	};

	xtcp_send_reply(sock_net(sk), sk, req->laddr, req->raddr, inet_sk(sk)->inet_sport,
			req->rport, syn ? req->iss : req->iss + 1, req->irs + 1, flags,
			syn ? req->rcv_wnd : req->rcv_wnd >> max_t(s8, req->rcv_wscale, 0),
			&opts);
}

static void xtcp_send_synack(struct sock *sk, struct xtcp_request *req)
{
	xtcp_request_send(sk, req, XTCP_FLAG_SYN | XTCP_FLAG_ACK);
}

/*
 * PAWS for a request (RFC 7323 5), as Linux's tcp_check_req() has it: a
 * segment whose TSval went back from the SYN's is an old duplicate, a RST
 * too (a request lives seconds, so its TS.Recent is never stale).
 */
static bool xtcp_request_paws_reject(const struct xtcp_request *req,
				     const struct xtcp_seg *seg)
{
	return req->ts_ok && seg->saw_ts && (s32)(req->ts_recent - seg->tsval) > 0;
}

static void xtcp_request_free(struct sock *sk, struct xtcp_request *req)
{
	list_del(&req->node);
	xtcp_sk(sk)->nr_requests--;
	kfree(req);
}

/**
 * xtcp_listen_timer_fire() - a listener's timer work (timer.c)
 * @sk: the listener, locked and not owned
 *
 * Retransmit due SYN-ACKs, drop spent requests, re-arm for the next.
 */
void xtcp_listen_timer_fire(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int limit = READ_ONCE(xtcp_pernet(sock_net(sk))->synack_retries);
	struct xtcp_request *req, *tmp;
	ktime_t now = ktime_get(), next = KTIME_MAX;

	if (sk->sk_state != TCP_LISTEN)
		return;
	list_for_each_entry_safe(req, tmp, &xs->requests, node) {
		if (ktime_before(now, req->deadline)) {
			next = min(next, req->deadline);
			continue;
		}
		if (req->retries >= limit) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_TIMEOUTS);
			xtcp_request_free(sk, req);
			continue;
		}
		req->retries++;
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
		trace_xtcp_request_retransmit(req->laddr, inet_sk(sk)->inet_sport, req->raddr,
					      req->rport, req->iss, req->retries,
					      div_u64(xtcp_backoff_ns(XTCP_RTO_INIT_US,
								      req->retries - 1),
						      NSEC_PER_USEC));
		xtcp_send_synack(sk, req);
		req->deadline = ktime_add_ns(now, xtcp_backoff_ns(XTCP_RTO_INIT_US, req->retries));
		next = min(next, req->deadline);
	}
	if (next != KTIME_MAX)
		xtcp_timer_set(sk, &xs->timer, next);
}

/**
 * xtcp_listen_init() - set up a socket's listener state
 * @sk: the socket
 */
void xtcp_listen_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	INIT_LIST_HEAD(&xs->requests);
	INIT_LIST_HEAD(&xs->accept_queue);	/* and so accept_node */
	xs->nr_requests = 0;
	xs->cookie_epoch = 0;
	xs->nr_accept = 0;
}

static struct xtcp_request *xtcp_request_find(struct sock *sk, __be32 laddr,
					      __be32 raddr, __be16 rport)
{
	struct xtcp_request *req;

	list_for_each_entry(req, &xtcp_sk(sk)->requests, node)
		if (req->raddr == raddr && req->rport == rport && req->laddr == laddr)
			return req;
	return NULL;
}

/*
 * What a request takes from the segment that makes it (a SYN, or the ACK
 * returning a cookie) and from the route back. Return: false if there is
 * no route.
 */
static bool xtcp_request_init(struct sock *sk, struct sk_buff *skb, struct xtcp_request *req)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct flowi4 fl4;
	struct rtable *rt;

	rt = ip_route_output_ports(sock_net(sk), &fl4, NULL, iph->saddr, iph->daddr,
				   th->source, th->dest, xtcp_wire_proto, 0, 0);
	if (IS_ERR(rt))
		return false;
	req->advmss = min_t(u32, dst_metric_advmss(&rt->dst), U16_MAX);
	ip_rt_put(rt);
	req->laddr = iph->daddr;
	req->raddr = iph->saddr;
	req->rport = th->source;
	req->rcv_wnd = min(xtcp_rcv_space(sk), XTCP_MAX_WINDOW);
	req->born = ktime_get();
	return true;
}

/*
 * A request's timestamps: in use when the SYN has them (or the ACK that
 * returns a cookie, which has them only if our SYN-ACK answered some)
 * and the namespace allows them. After xtcp_request_init(): the offset
 * hashes the addresses.
 */
static void xtcp_request_ts(struct sock *sk, struct xtcp_request *req, const struct xtcp_seg *seg)
{
	req->ts_ok = seg->saw_ts && READ_ONCE(xtcp_pernet(sock_net(sk))->timestamps);
	req->ts_recent = req->ts_ok ? seg->tsval : 0;
	req->ts_off = req->ts_ok ? xtcp_ts_offset(req->laddr, req->raddr) : 0;
}

/*
 * A SYN the SYN queue has no room for, or any SYN with syncookies 2: a
 * SYN-ACK whose sequence number is a cookie (isn.c), and no request. It
 * offers neither window scaling nor SACK, which the cookie cannot carry;
 * it answers timestamps, which the ACK then shows were taken.
 */
static void xtcp_cookie_synack(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_request req = { .snd_wscale = -1, .rcv_wscale = -1 };

	if (!xtcp_request_init(sk, skb, &req))
		return;
	req.irs = seg->seq;
	xtcp_request_ts(sk, &req, seg);
	req.iss = xtcp_cookie(req.laddr, req.raddr, inet_sk(sk)->inet_sport, req.rport,
			      req.irs, xtcp_peer_mss(seg->mss, U16_MAX));
	xtcp_sk(sk)->cookie_epoch = xtcp_cookie_epoch() + 1;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNCOOKIES_SENT);
	xtcp_send_synack(sk, &req);
}

/* A SYN on the listener: a new request, and its SYN-ACK. */
static void xtcp_listen_syn(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	int cookies = READ_ONCE(xtcp_pernet(sock_net(sk))->syncookies);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_request *req;
	bool full;

	if (sk_acceptq_is_full(sk)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ACCEPT_QUEUE_DROPS);
		return;
	}
	full = xs->nr_requests >= xtcp_syn_queue_limit(sk);
	if (cookies == 2 || (full && cookies == 1)) {
		xtcp_cookie_synack(sk, skb, seg);
		return;
	}
	if (full) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYN_QUEUE_DROPS);
		return;
	}
	req = kzalloc(sizeof(*req), GFP_ATOMIC);
	if (!req)
		return;
	if (!xtcp_request_init(sk, skb, req)) {
		kfree(req);
		return;
	}
	req->irs = seg->seq;
	req->iss = xtcp_isn(req->laddr, req->raddr, inet_sk(sk)->inet_sport, req->rport);
	req->mss = xtcp_peer_mss(seg->mss, U16_MAX);
	req->snd_wscale = seg->wscale;
	req->rcv_wscale = seg->wscale >= 0 ? xtcp_wscale_offer(sk) : -1;
	req->sack_ok = seg->sack_ok && READ_ONCE(xtcp_pernet(sock_net(sk))->sack);
	xtcp_request_ts(sk, req, seg);
	req->deadline = ktime_add_us(req->born, XTCP_RTO_INIT_US);
	list_add_tail(&req->node, &xs->requests);
	xs->nr_requests++;
	trace_xtcp_request(sk, req->raddr, req->rport, TCP_LISTEN, TCP_SYN_RECV);
	xtcp_send_synack(sk, req);
	if (!xs->timer.due || ktime_before(req->deadline, xs->timer.due))
		xtcp_timer_set(sk, &xs->timer, req->deadline);
}

/*
 * The ACK completing a request's handshake: a new socket in ESTABLISHED
 * on the accept queue, which then takes the segment (it may carry data
 * or a FIN). The caller frees the request if it was queued. Return: true
 * if it did; false when there was no memory (the request stays; the
 * peer's next segment tries again).
 */
static bool xtcp_listen_child(struct sock *sk, struct xtcp_request *req,
			      struct sk_buff *skb, const struct xtcp_seg *seg)
{
	struct xtcp_sock *xs = xtcp_sk(sk), *cxs;
	struct inet_sock *cinet;
	struct sock *child;

	child = sk_clone_lock(sk, GFP_ATOMIC);
	if (!child)
		return false;
	__acquire(&child->sk_lock.slock);	/* sk_clone_lock() returns it locked */
	/* Two references: the accept queue's (later the user's), and ours. */
	xtcp_init_xsk(child);
	cxs = xtcp_sk(child);
	cinet = inet_sk(child);
	cinet->inet_daddr = req->raddr;
	cinet->inet_dport = req->rport;
	cinet->inet_saddr = req->laddr;
	cinet->inet_rcv_saddr = req->laddr;
	atomic_set(&cinet->inet_id, get_random_u16());
	cxs->iss = req->iss;
	cxs->snd_una = req->iss + 1;
	cxs->snd_nxt = req->iss + 1;
	cxs->write_seq = req->iss + 1;
	cxs->snd_sml = cxs->snd_una;
	cxs->wscale_ok = req->rcv_wscale >= 0;
	cxs->snd_wscale = cxs->wscale_ok ? req->snd_wscale : 0;
	cxs->rcv_wscale = cxs->wscale_ok ? req->rcv_wscale : 0;
	cxs->sack_ok = req->sack_ok;
	xtcp_ts_init(cxs, req->ts_ok, req->ts_off);
	if (cxs->ts_ok)
		xtcp_ts_store(cxs, req->ts_recent);
	cxs->snd_wnd = (u32)seg->wnd << cxs->snd_wscale;
	cxs->max_window = cxs->snd_wnd;
	cxs->snd_wl1 = seg->seq;
	cxs->snd_wl2 = seg->ack;
	cxs->irs = req->irs;
	cxs->rcv_nxt = req->irs + 1;
	cxs->rcv_wup = cxs->rcv_nxt;
	cxs->rcv_wnd = req->rcv_wnd;
	cxs->advmss = req->advmss;
	cxs->mss = xtcp_data_mss(cxs, min(req->mss, req->advmss));
	cxs->rcv_mss = cxs->mss;
	xtcp_sndbuf_expand(child);
	xtcp_rcvbuf_init(child);
	child->sk_state = TCP_SYN_RECV;
	xtcp_history_add(cxs, TCP_LISTEN, TCP_SYN_RECV, XTCP_CAUSE_RCV_SYN, req->born);

	xtcp_bind_inherit(child, sk);
	xtcp_hash_conn(child);
	list_add_tail(&cxs->accept_node, &xs->accept_queue);
	xs->nr_accept++;
	sk_acceptq_added(sk);

	xtcp_inc_stats(sock_net(sk), XTCP_MIB_PASSIVE_OPENS);
	xtcp_fsm_event(child, XE_RCV_ACK);
	sk->sk_data_ready(sk);

	xtcp_do_rcv(child, skb);
	bh_unlock_sock(child);
	sock_put(child);
	return true;
}

/*
 * A segment that found the listener while, on another CPU, the ACK that
 * completed its handshake was making the connection: the connection is
 * hashed now, and the segment is its. Return: true if it was handed on.
 */
static bool xtcp_listen_to_child(struct sock *sk, struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct sock *child;

	child = xtcp_lookup_conn(sock_net(sk), iph->saddr, tcp_hdr(skb)->source,
				 iph->daddr, tcp_hdr(skb)->dest);
	if (!child)
		return false;
	bh_lock_sock(child);
	xtcp_rcv_locked(child, skb);
	bh_unlock_sock(child);
	sock_put(child);
	return true;
}

/*
 * Whether an ACK for no request may return a cookie: syncookies is on
 * and the listener sent one in this epoch or the last, so that off-path
 * guessing only pays while a flood is met with cookies.
 */
static bool xtcp_cookies_recent(const struct sock *sk)
{
	u32 sent = xtcp_sk(sk)->cookie_epoch;

	return READ_ONCE(xtcp_pernet(sock_net(sk))->syncookies) && sent &&
	       xtcp_cookie_epoch() + 1 - sent <= 1;
}

/*
 * An ACK for no request, to a listener that sent cookies lately: if it
 * returns a good one, the connection it completes, rebuilt from the
 * cookie. Return: as xtcp_listen_rcv(); a bad cookie is answered with a
 * RST, as any stray ACK on a listener is.
 */
static bool xtcp_listen_cookie_ack(struct sock *sk, struct sk_buff *skb,
				   const struct xtcp_seg *seg)
{
	struct xtcp_request req = { .snd_wscale = -1, .rcv_wscale = -1 };
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = sock_net(sk);

	req.mss = xtcp_cookie_check(iph->daddr, iph->saddr, th->dest, th->source,
				    seg->seq - 1, seg->ack - 1);
	if (!req.mss) {
		xtcp_inc_stats(net, XTCP_MIB_SYNCOOKIES_FAILED);
		xtcp_send_rst_reply(net, skb, seg);
		return false;
	}
	if (sk_acceptq_is_full(sk)) {
		xtcp_inc_stats(net, XTCP_MIB_ACCEPT_QUEUE_DROPS);
		return false;
	}
	if (!xtcp_request_init(sk, skb, &req))
		return false;
	req.irs = seg->seq - 1;
	req.iss = seg->ack - 1;
	xtcp_request_ts(sk, &req, seg);
	if (!xtcp_listen_child(sk, &req, skb, seg))
		return false;
	xtcp_inc_stats(net, XTCP_MIB_SYNCOOKIES_RECV);
	return true;
}

/**
 * xtcp_listen_rcv() - a segment for a listener
 * @sk: the listener, locked, not owned, with BH off
 * @skb: the segment, headers in place
 * @seg: its parsed header
 *
 * Return: false when the segment was handled here (the caller frees it),
 * true when it was handed to a connection: the one it completes the
 * handshake of, or one that an earlier segment has just completed.
 */
bool xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct xtcp_request *req;

	req = xtcp_request_find(sk, iph->daddr, iph->saddr, tcp_hdr(skb)->source);
	if (req) {
		if (xtcp_request_paws_reject(req, seg)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_PAWS_ESTAB);
			if (!(seg->flags & XTCP_FLAG_RST))
				xtcp_request_send(sk, req, XTCP_FLAG_ACK);
			return false;
		}
		if (seg->flags & XTCP_FLAG_RST) {
			if (seg->seq == req->irs + 1)
				xtcp_request_free(sk, req);
			return false;
		}
		if (seg->flags & XTCP_FLAG_SYN) {
			/*
			 * Our SYN-ACK was lost: again, if it is the same SYN,
			 * echoing the first one's TSval, as Linux.
			 */
			if (seg->seq == req->irs)
				xtcp_send_synack(sk, req);
			return false;
		}
		if (!(seg->flags & XTCP_FLAG_ACK))
			return false;
		if (seg->ack != req->iss + 1 || seg->seq != req->irs + 1) {
			xtcp_send_rst_reply(sock_net(sk), skb, seg);
			return false;
		}
		if (!xtcp_listen_child(sk, req, skb, seg))
			return false;
		xtcp_request_free(sk, req);
		return true;
	}

	if (xtcp_listen_to_child(sk, skb))
		return true;
	if (seg->flags & XTCP_FLAG_RST)
		return false;
	if (seg->flags & XTCP_FLAG_ACK) {
		if (!(seg->flags & XTCP_FLAG_SYN) && xtcp_cookies_recent(sk))
			return xtcp_listen_cookie_ack(sk, skb, seg);
		xtcp_send_rst_reply(sock_net(sk), skb, seg);
		return false;
	}
	if (seg->flags & XTCP_FLAG_SYN)
		xtcp_listen_syn(sk, skb, seg);
	return false;
}

/**
 * xtcp_accept_dequeue() - take the oldest connection off the accept queue
 * @sk: the listener, locked
 *
 * Return: the socket, with the queue's reference passed to the caller, or
 * NULL if the queue is empty.
 */
struct sock *xtcp_accept_dequeue(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk), *cxs;

	cxs = list_first_entry_or_null(&xs->accept_queue, struct xtcp_sock, accept_node);
	if (!cxs)
		return NULL;
	list_del_init(&cxs->accept_node);
	xs->nr_accept--;
	sk_acceptq_removed(sk);
	return &cxs->inet.sk;
}

/**
 * xtcp_listen_walk() - visit a listener's requests
 * @sk: the listener, locked (which guards its requests)
 * @fn: called for each with what /proc/net/xtcp shows of it, but for the
 *	uid (0 here: a request's is its listener's); returning nonzero
 *	stops the walk. It must not sleep if the lock is lock_sock_fast()'s.
 * @arg: passed to @fn
 *
 * Return: what @fn returned last, 0 if it was never called.
 */
int xtcp_listen_walk(struct sock *sk, int (*fn)(const struct xtcp_proc_entry *e, void *arg),
		     void *arg)
{
	struct xtcp_request *req;
	int ret = 0;

	list_for_each_entry(req, &xtcp_sk(sk)->requests, node) {
		struct xtcp_proc_entry e = {
			.laddr = req->laddr,
			.lport = inet_sk(sk)->inet_sport,
			.raddr = req->raddr,
			.rport = req->rport,
			.state = TCP_SYN_RECV,
			.timer = XTCP_PROC_TIMER_RETRANS,
			.due = req->deadline,
			.retrans = req->retries,
		};

		ret = fn(&e, arg);
		if (ret)
			break;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(xtcp_listen_walk);

struct xtcp_listen_show {
	struct seq_file *seq;
	uid_t uid;
	unsigned int *num;
};

static int xtcp_listen_show_one(const struct xtcp_proc_entry *e, void *arg)
{
	struct xtcp_listen_show *w = arg;
	struct xtcp_proc_entry line = *e;

	line.uid = w->uid;
	xtcp_proc_show_entry(w->seq, w->num, &line);
	return 0;
}

/**
 * xtcp_listen_seq_show() - a listener's requests, in /proc/net/xtcp
 * @seq: the file
 * @sk: the listener, locked
 * @uid: its owner, which the lines show as theirs
 * @num: the number of the next line, advanced past each
 */
void xtcp_listen_seq_show(struct seq_file *seq, struct sock *sk, uid_t uid,
			  unsigned int *num)
{
	struct xtcp_listen_show w = { .seq = seq, .uid = uid, .num = num };

	xtcp_listen_walk(sk, xtcp_listen_show_one, &w);
}

/**
 * xtcp_listen_stop() - a listener closes: drop its requests and children
 * @sk: the listener, locked
 *
 * Connections nobody accepted are reset, as Linux TCP resets them.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_request *req, *tmp;
	struct sock *child;

	xtcp_timer_clear(sk, &xs->timer);
	list_for_each_entry_safe(req, tmp, &xs->requests, node)
		xtcp_request_free(sk, req);

	/* The queue's reference is the child's life: its abort drops it. */
	while ((child = xtcp_accept_dequeue(sk))) {
		sock_hold(child);
		local_bh_disable();
		bh_lock_sock_nested(child);
		xtcp_orphan_abort(child);
		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);
	}
}
