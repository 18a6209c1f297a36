// SPDX-License-Identifier: GPL-2.0
/*
 * The socket layer of xtcp: struct proto and struct proto_ops, the glue
 * between socket(2) calls and the protocol.
 *
 * xtcp reuses the inet family's generic calls where they are generic
 * (inet_stream_connect, inet_accept, inet_shutdown, inet_release, ...):
 * its states take TCP's values, which those calls test, so connect() and
 * shutdown() give exactly TCP's errno values. listen() and poll() are its
 * own, since the inet ones belong to inet_connection_sock.
 *
 * A socket's life reference is the one sk_alloc() (or, for an accepted
 * connection, sk_clone_lock()) gave it. The user holds it until close();
 * close() hands it to the protocol, which drops it in xtcp_destroy() once
 * the connection is CLOSED. All calls here take the socket lock.
 */
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

/* What a connection learns and counts, back to where a new one starts. */
static void xtcp_reset_conn(struct xtcp_sock *xs)
{
	xs->retries = 0;
	xs->probes = 0;
	xs->srtt_us = 0;
	xs->rttvar_us = 0;
	xs->rcv_rtt_us = 0;
	xs->rto_us = XTCP_RTO_INIT_US;
	xs->rcv_unacked = 0;
	xs->rcv_ratio = XTCP_RATIO_DEFAULT;
	xs->quickacks = XTCP_QUICKACKS;
	xs->max_window = 0;
	xs->wscale_ok = 0;
	xs->sack_ok = 0;
	xs->ts_ok = 0;
	WRITE_ONCE(xs->copied, 0);
	xs->total_retrans = 0;
	xs->segs_out = 0;
	xs->segs_in = 0;
	xs->bytes_acked = 0;
	xs->bytes_received = 0;
	xtcp_cong_init(xs);
}

/**
 * xtcp_init_xsk() - initialise xtcp's part of a new or cloned socket
 * @sk: the socket
 */
void xtcp_init_xsk(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->deferred = 0;
	xtcp_reset_conn(xs);
	xs->transitions = 0;	/* a clone starts its own history */
	xs->mss = XTCP_MSS_DEFAULT;
	xs->advmss = XTCP_MSS_DEFAULT;
	xs->rcv_mss = XTCP_MSS_DEFAULT;
	xs->send_head = NULL;
	xs->snd_wscale = 0;
	xs->rcv_wscale = 0;
	xs->challenge_stamp = (u32)jiffies;
	xs->rcv_tstamp = (u32)jiffies;
	xs->challenge_count = 0;
	xs->oow_count = 0;
	__skb_queue_head_init(&xs->ofo_queue);
	INIT_HLIST_NODE(&sk->sk_bind_node);
	xtcp_timer_init(sk);
	xtcp_listen_init(sk);
}

/* sk_write_space: wake writers once there is room again. */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !__sk_stream_is_writeable(sk, 1))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/* sk_destruct: the socket is freed; clones get it with their copy. */
static void xtcp_sock_destruct(struct sock *sk)
{
	sk_sockets_allocated_dec(sk);
	inet_sock_destruct(sk);
}

static int xtcp_init_sock(struct sock *sk)
{
	sk->sk_state = TCP_CLOSE;
	/* Freed after a grace period: the lookups take no lock (hash.c). */
	sock_set_flag(sk, SOCK_RCU_FREE);
	/* sk_clone_lock() counts a clone itself; the destructor uncounts both. */
	sk_sockets_allocated_inc(sk);
	sk->sk_destruct = xtcp_sock_destruct;
	/* The IP header's protocol field is the wire number. */
	sk->sk_protocol = xtcp_wire_proto;
	sk->sk_write_space = xtcp_write_space;
	xtcp_init_xsk(sk);
	return 0;
}

/* The end of a dead socket's connection: drop the life reference. */
static void xtcp_destroy(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (test_and_set_bit(XTCP_DESTROYED, &xs->deferred))
		return;
	xtcp_timers_stop(sk);
	xtcp_unhash(sk);
	xtcp_put_port(sk);
	xtcp_purge_write_queue(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ofo_purge(sk);
	sock_put(sk);
}

/**
 * xtcp_done() - the connection is over: CLOSED
 * @sk: the socket, locked; the caller holds a reference of its own
 *
 * Wakes the process, or frees an orphan. A port bound explicitly stays
 * held until close(), as in TCP.
 */
void xtcp_done(struct sock *sk)
{
	/* A transition got here CLOSED already; only disconnect is left. */
	xtcp_set_state(sk, TCP_CLOSE, XTCP_CAUSE_DISCONNECT);
	xtcp_timers_stop(sk);
	xtcp_unhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_put_port(sk);
	xtcp_purge_write_queue(sk);
	xtcp_ofo_purge(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sock_flag(sk, SOCK_DEAD))
		xtcp_destroy(sk);
	else
		sk->sk_state_change(sk);
}

/**
 * xtcp_orphan_abort() - close a connection no process will ever own
 * @sk: the socket, locked; the caller holds a reference of its own
 *
 * Used for connections on a closing listener's accept queue: they are
 * reset and freed, as Linux TCP does.
 */
void xtcp_orphan_abort(struct sock *sk)
{
	sock_orphan(sk);
	if (sk->sk_state == TCP_CLOSE)
		xtcp_destroy(sk);
	else
		xtcp_fsm_event(sk, XE_ABORT);
}

static int xtcp_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	__be16 orig_sport, orig_dport;
	struct flowi4 *fl4;
	struct rtable *rt;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	orig_sport = inet->inet_sport;
	orig_dport = usin->sin_port;
	fl4 = &inet->cork.fl.u.ip4;
	rt = ip_route_connect(fl4, usin->sin_addr.s_addr, inet->inet_saddr,
			      sk->sk_bound_dev_if, xtcp_wire_proto, orig_sport,
			      orig_dport, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = fl4->daddr;
	inet->inet_dport = usin->sin_port;

	err = xtcp_connect_port(sk);
	if (err)
		goto failure;
	rt = ip_route_newports(fl4, rt, orig_sport, orig_dport, inet->inet_sport,
			       inet->inet_dport, sk);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		rt = NULL;
		xtcp_unhash(sk);
		goto failure;
	}
	sk_setup_caps(sk, &rt->dst);
	xs->advmss = min_t(u32, dst_metric_advmss(&rt->dst), U16_MAX);
	xs->mss = min_t(u16, XTCP_MSS_DEFAULT, xs->advmss);
	xs->rcv_mss = xs->mss;
	xs->rcv_wscale = xtcp_wscale_offer(sk);
	/* What our SYN offers; the SYN-ACK says whether it holds. */
	xs->sack_ok = !!READ_ONCE(xtcp_pernet(sock_net(sk))->sack);
	xtcp_ts_init(xs, READ_ONCE(xtcp_pernet(sock_net(sk))->timestamps),
		     xtcp_ts_offset(inet->inet_saddr, inet->inet_daddr));
	xs->iss = xtcp_isn(inet->inet_saddr, inet->inet_daddr, inet->inet_sport,
			   inet->inet_dport);
	xs->snd_una = xs->iss;
	xs->snd_nxt = xs->iss;
	xs->snd_sml = xs->iss;
	xs->write_seq = xs->iss;
	xs->snd_wnd = 0;
	atomic_set(&inet->inet_id, get_random_u16());
	xtcp_fsm_event(sk, XE_CONNECT);
	return 0;

failure:
	if (rt)
		ip_rt_put(rt);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_put_port(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	sk->sk_route_caps = 0;
	return err;
}

/* struct proto.disconnect: connect(AF_UNSPEC), or a failed connect. */
static int xtcp_disconnect(struct sock *sk, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	int old = sk->sk_state;

	if (old == TCP_LISTEN)
		xtcp_listen_stop(sk);
	if ((1 << old) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT | TCPF_FIN_WAIT1 |
			  TCPF_FIN_WAIT2 | TCPF_SYN_RECV))
		xtcp_send_ctl(sk, XTCP_FLAG_RST | XTCP_FLAG_ACK);
	if (old != TCP_CLOSE)
		xtcp_done(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ofo_purge(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		inet->inet_rcv_saddr = 0;
	}
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	xtcp_reset_conn(xs);
	sk_dst_reset(sk);
	return 0;
}

static int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	err = 0;
	if (sk->sk_state == TCP_LISTEN)
		goto out;
	/* Listening may clash where merely being bound did not. */
	err = xtcp_get_port(sk, inet_sk(sk)->inet_num);
	if (err)
		goto out;
	/* A connection that failed here may have left its state in their place. */
	xtcp_listen_init(sk);
	xtcp_fsm_event(sk, XE_LISTEN);
	xtcp_hash_listen(sk);
out:
	release_sock(sk);
	return err;
}

static struct sock *xtcp_accept(XTCP_ACCEPT_ARGS)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sock *child = NULL;
	long timeo;
	int error;

	lock_sock(sk);
	error = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	timeo = sock_rcvtimeo(sk, XTCP_ACCEPT_FLAGS & O_NONBLOCK);
	while (!(child = xtcp_accept_dequeue(sk))) {
		DEFINE_WAIT_FUNC(wait, woken_wake_function);

		error = -EAGAIN;
		if (!timeo)
			goto out;
		error = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
		/*
		 * Exclusive, as TCP's: a new connection wakes one accept(),
		 * not every thread waiting in one only to sleep again. The
		 * listener's end wakes them all (sk_state_change).
		 */
		add_wait_queue_exclusive(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, !list_empty(&xs->accept_queue) ||
			      sk->sk_state != TCP_LISTEN, &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
		error = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			goto out;
	}
	release_sock(sk);
	return child;
out:
	release_sock(sk);
	XTCP_ACCEPT_ERR = error;
	return NULL;
}

static void xtcp_close(struct sock *sk, long timeout)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool unread;

	lock_sock(sk);
	sock_hold(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN) {
		xtcp_listen_stop(sk);
		xtcp_fsm_event(sk, XE_CLOSE);
	}
	unread = !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);
	xtcp_ofo_purge(sk);

	if (sk->sk_state == TCP_CLOSE)
		;
	else if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime))
		xtcp_fsm_event(sk, XE_ABORT);
	else
		xtcp_fsm_event(sk, XE_CLOSE);

	if (timeout && sk->sk_state != TCP_CLOSE)
		sk_stream_wait_close(sk, timeout);

	sock_orphan(sk);
	if (sk->sk_state == TCP_CLOSE)
		xtcp_destroy(sk);
	else if (sk->sk_state == TCP_FIN_WAIT2 && xs->snd_una == xs->snd_nxt)
		xtcp_timer_arm_fin_wait2(sk);
	release_sock(sk);
	sock_put(sk);
}

/* struct proto.shutdown: inet_shutdown() has set sk_shutdown already. */
static void xtcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT))
		xtcp_fsm_event(sk, XE_CLOSE);
}

/* Can new data go into @skb, the last on the write queue (or NULL)? */
static bool xtcp_can_append(const struct sk_buff *skb, u32 goal)
{
	const struct xtcp_skb_cb *cb;

	if (!skb)
		return false;
	cb = XTCP_SKB_CB(skb);
	return !cb->sent && !cb->flags && skb->len < goal &&
	       skb_shinfo(skb)->nr_frags < MAX_SKB_FRAGS;
}

/* Take back an skb xtcp_sendmsg() queued and could put nothing in. */
static void xtcp_unqueue_empty(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->send_head == skb)
		xs->send_head = NULL;
	__skb_unlink(skb, &sk->sk_write_queue);
	xtcp_wmem_free(sk, skb);
}

static int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags;
	int copied = 0, err;
	u32 goal;
	long timeo;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto error;
	}
	goal = xtcp_push_goal(sk);

	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		struct page_frag *pfrag = sk_page_frag(sk);
		bool merge;
		size_t n;
		int i;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto error;
		if (!xtcp_can_append(skb, goal)) {
			if (!sk_stream_memory_free(sk))
				goto wait_for_memory;
			skb = xtcp_alloc_seg(0, sk->sk_allocation);
			if (!skb) {
				err = -ENOBUFS;
				goto error;
			}
			if (!xtcp_wmem_charge(sk, skb, false)) {
				/* The protocol is out of memory: wait as for room. */
				kfree_skb(skb);
				goto wait_for_memory;
			}
			/* Its checksum is made as it leaves, not as it is copied. */
			skb->ip_summed = CHECKSUM_PARTIAL;
			memset(XTCP_SKB_CB(skb), 0, sizeof(struct xtcp_skb_cb));
			XTCP_SKB_CB(skb)->seq = xs->write_seq;
			XTCP_SKB_CB(skb)->end_seq = xs->write_seq;
			xtcp_queue_data(sk, skb);
		}
		/* The data goes in page fragments, charged by its length. */
		if (!sk_page_frag_refill(sk, pfrag))
			goto wait_for_memory;
		i = skb_shinfo(skb)->nr_frags;
		merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
		n = min_t(size_t, msg_data_left(msg), goal - skb->len);
		n = min_t(size_t, n, pfrag->size - pfrag->offset);
		if (!sk_wmem_schedule(sk, n))
			goto wait_for_memory;
		err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
					       pfrag->offset, n);
		if (err) {
			if (!skb->len)
				xtcp_unqueue_empty(sk, skb);
			goto error;
		}
		if (merge) {
			skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], n);
		} else {
			skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, n);
			get_page(pfrag->page);
		}
		pfrag->offset += n;
		XTCP_SKB_CB(skb)->end_seq += n;
		xs->write_seq += n;
		copied += n;
		if (skb->len >= goal && xs->write_seq - xs->snd_nxt >= goal)
			xtcp_push(sk);
		continue;

wait_for_memory:
		/* A segment just queued for this data goes until there is room. */
		skb = skb_peek_tail(&sk->sk_write_queue);
		if (skb && !skb->len && xtcp_can_append(skb, goal))
			xtcp_unqueue_empty(sk, skb);
		xtcp_push(sk);
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto error;
	}
	xtcp_push_mode(sk, flags & MSG_MORE ? XTCP_PUSH_MORE : XTCP_PUSH_NORMAL);
	release_sock(sk);
	return copied;

error:
	if (copied)
		xtcp_push_mode(sk, flags & MSG_MORE ? XTCP_PUSH_MORE : XTCP_PUSH_NORMAL);
	else
		copied = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return copied;
}

/*
 * After reading, announce a window that grew a lot: at least an MSS more
 * than, and at least twice, what is left of the last one (receiver SWS
 * avoidance, RFC 9293 3.8.6.2.2; Linux's rule in tcp_cleanup_rbuf()).
 */
static void xtcp_window_update(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 left = xtcp_rcv_wnd_left(xs);
	u32 now = xtcp_rcv_wnd_max(sk, xtcp_rcv_ws(xs));

	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2) &&
	    now >= left + xs->advmss && now >= 2 * left)
		xtcp_send_ack(sk);
}

static int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len, int flags,
			int *addr_len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool peek = flags & MSG_PEEK;
	int copied = 0, target;
	u32 peeked = 0;
	long timeo;

	if (flags & MSG_ERRQUEUE)
		return inet_recv_error(sk, msg, len, addr_len);

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	/* No urgent data is ever received (the contract), so none to read. */
	if (flags & MSG_OOB) {
		copied = -EINVAL;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	while (copied < len) {
		struct sk_buff *skb, *last = skb_peek_tail(&sk->sk_receive_queue);
		u32 skip = peeked;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			u32 avail = skb->len - XTCP_SKB_CB(skb)->offset;
			u32 off, n;

			if (skip >= avail) {
				skip -= avail;
				continue;
			}
			off = XTCP_SKB_CB(skb)->offset + skip;
			n = min_t(u32, skb->len - off, len - copied);
			if (!(flags & MSG_TRUNC) && skb_copy_datagram_msg(skb, off, msg, n)) {
				if (!copied)
					copied = -EFAULT;
				goto out;
			}
			copied += n;
			if (peek) {
				peeked += n;
			} else {
				WRITE_ONCE(xs->copied, xs->copied + n);
				XTCP_SKB_CB(skb)->offset += n;
				if (XTCP_SKB_CB(skb)->offset == skb->len) {
					__skb_unlink(skb, &sk->sk_receive_queue);
					consume_skb(skb);
				}
			}
			break;
		}
		if (skb != (struct sk_buff *)&sk->sk_receive_queue)
			continue;	/* copied some; look again */

		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		sk_wait_data(sk, &timeo, last);
	}
	if (copied > 0 && !peek) {
		sk_mem_reclaim(sk);
		xtcp_rcvbuf_adjust(sk);
		xtcp_window_update(sk);
	}
out:
	release_sock(sk);
	return copied;
}

/*
 * Whether poll() reports the socket readable for its data, as tcp_poll()
 * does: SO_RCVLOWAT bytes unread; or fewer, when waiting for more could
 * not end: the receive buffer is nearly full, or what is left of the
 * announced window is less than a segment. Lockless: @copied, RCV.NXT and
 * the window are read once each, and a FIN counted as a byte is harmless
 * since a FIN makes the socket readable anyway.
 */
static bool xtcp_data_readable(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	int rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	s32 avail;

	if (skb_queue_empty_lockless(&sk->sk_receive_queue))
		return false;
	avail = READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->irs) - 1 - READ_ONCE(xs->copied);
	if (avail <= 0)
		return false;
	return avail >= sock_rcvlowat(sk, 0, INT_MAX) ||
	       atomic_read(&sk->sk_rmem_alloc) > rcvbuf - (rcvbuf >> 3) ||
	       xtcp_rcv_wnd_left(xs) < READ_ONCE(xs->advmss);
}

/*
 * proto_ops.set_rcvlowat, with the socket locked, as tcp_set_rcvlowat():
 * a mark needs room for that much unread data, so the buffer grows to
 * hold it, at the share of memory data is reckoned to take
 * (xs->rcv_ratio), and the window with it. A mark is at most half the
 * largest buffer there may be: xtcp_rmem[2], or the buffer SO_RCVBUF
 * set, which does not grow. Readers are woken if the new mark is already
 * reached.
 */
static int xtcp_set_rcvlowat(struct sock *sk, int val)
{
	bool set = sk->sk_userlocks & SOCK_RCVBUF_LOCK;
	u64 space;

	val = min(val, (set ? READ_ONCE(sk->sk_rcvbuf) : READ_ONCE(xtcp_rmem[2])) >> 1);
	WRITE_ONCE(sk->sk_rcvlowat, val ? : 1);
	if (xtcp_data_readable(sk))
		sk->sk_data_ready(sk);
	if (set)
		return 0;
	space = DIV_ROUND_UP_ULL((u64)val << XTCP_RATIO_SHIFT, xtcp_sk(sk)->rcv_ratio);
	if (space > READ_ONCE(sk->sk_rcvbuf)) {
		WRITE_ONCE(sk->sk_rcvbuf, min_t(u64, space, INT_MAX));
		xtcp_window_update(sk);
	}
	return 0;
}

static __poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return READ_ONCE(xtcp_sk(sk)->nr_accept) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (xtcp_data_readable(sk))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (__sk_stream_is_writeable(sk, 1)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* Order the bit before the re-check: pairs with
				 * the wakeup in xtcp_write_space().
				 */
				smp_mb__after_atomic();
				if (__sk_stream_is_writeable(sk, 1))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* sk_err is set before the state it explains: read it after. */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) || !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/**
 * xtcp_inq() - the bytes on the receive queue not yet read
 * @sk: the socket, locked
 *
 * Return: their number.
 */
int xtcp_inq(struct sock *sk)
{
	struct sk_buff *skb;
	int answ = 0;

	skb_queue_walk(&sk->sk_receive_queue, skb)
		answ += skb->len - XTCP_SKB_CB(skb)->offset;
	return answ;
}

/*
 * struct proto.ioctl, as tcp_ioctl(): SIOCINQ, the bytes received and not
 * yet read (a FIN is no byte); SIOCOUTQ, the bytes sent and not yet
 * acknowledged plus those not yet sent (a FIN counts one, as in TCP);
 * SIOCOUTQNSD, those not yet sent. All three are 0 while the connection
 * opens, and EINVAL on a listener. SIOCATMARK is always 0: xtcp has no
 * urgent data.
 */
static int xtcp_ioctl(XTCP_IOCTL_ARGS)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ = 0, err = 0;
	bool slow;

	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
	case SIOCOUTQNSD:
		break;
	case SIOCATMARK:
		return xtcp_ioctl_answer(0);
	default:
		return -ENOIOCTLCMD;
	}

	slow = lock_sock_fast(sk);
	if (sk->sk_state == TCP_LISTEN)
		err = -EINVAL;
	else if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		answ = 0;
	else if (cmd == SIOCINQ)
		answ = xtcp_inq(sk);
	else if (cmd == SIOCOUTQ)
		answ = xs->write_seq - xs->snd_una;
	else
		answ = xs->write_seq - xs->snd_nxt;
	unlock_sock_fast(sk, slow);
	return err ? : xtcp_ioctl_answer(answ);
}

/**
 * xtcp_fill_info() - what XTCP_INFO and sock_diag report of a socket
 * @sk: the socket, locked
 * @info: filled whole
 */
void xtcp_fill_info(struct sock *sk, struct xtcp_info *info)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	*info = (struct xtcp_info){
		.xtcpi_state = sk->sk_state,
		.xtcpi_retransmits = xs->retries,
		.xtcpi_rto = xs->rto_us,
		.xtcpi_snd_mss = xs->mss,
		.xtcpi_rcv_mss = xs->advmss,
		.xtcpi_rtt = xs->srtt_us,
		.xtcpi_rttvar = xs->rttvar_us,
		.xtcpi_snd_cwnd = xs->cwnd,
		.xtcpi_snd_ssthresh = xs->ssthresh,
		.xtcpi_unacked = xs->packets_out,
		.xtcpi_lost = xs->lost_out,
		.xtcpi_sacked = xs->sacked_out,
		.xtcpi_total_retrans = xs->total_retrans,
		.xtcpi_snd_wnd = xs->snd_wnd,
		.xtcpi_rcv_wnd = xs->rcv_wnd,
		.xtcpi_transitions = xs->transitions,
		.xtcpi_segs_out = xs->segs_out,
		.xtcpi_segs_in = xs->segs_in,
		.xtcpi_bytes_acked = xs->bytes_acked,
		.xtcpi_bytes_received = xs->bytes_received,
	};
	/* Before the SYN-ACK, these say what our SYN offered: none is in use. */
	if (sk->sk_state != TCP_SYN_SENT) {
		if (xs->ts_ok)
			info->xtcpi_options |= XTCPI_OPT_TIMESTAMPS;
		if (xs->sack_ok)
			info->xtcpi_options |= XTCPI_OPT_SACK;
	}
	if (xs->wscale_ok) {
		info->xtcpi_options |= XTCPI_OPT_WSCALE;
		info->xtcpi_snd_wscale = xs->snd_wscale;
		info->xtcpi_rcv_wscale = xs->rcv_wscale;
	}
}
EXPORT_SYMBOL_GPL(xtcp_fill_info);

/* The length the caller offers: negative is EINVAL, as TCP's. */
static int xtcp_opt_len(int __user *optlen, int *len)
{
	if (get_user(*len, optlen))
		return -EFAULT;
	return *len < 0 ? -EINVAL : 0;
}

static int xtcp_get_info(struct sock *sk, char __user *optval, int __user *optlen)
{
	struct xtcp_info info;
	int len, err;

	err = xtcp_opt_len(optlen, &len);
	if (err)
		return err;
	len = min_t(int, len, sizeof(info));
	lock_sock(sk);
	xtcp_fill_info(sk, &info);
	release_sock(sk);
	if (put_user(len, optlen) || copy_to_user(optval, &info, len))
		return -EFAULT;
	return 0;
}

/* XTCP_HISTORY: as many of the last state changes as the length holds. */
static int xtcp_get_history(struct sock *sk, char __user *optval, int __user *optlen)
{
	struct xtcp_transition hist[XTCP_HISTORY_LEN];
	unsigned int n;
	int len, err;

	err = xtcp_opt_len(optlen, &len);
	if (err)
		return err;
	lock_sock(sk);
	n = xtcp_history_read(sk, hist, min_t(unsigned int, len / sizeof(hist[0]),
					      XTCP_HISTORY_LEN));
	release_sock(sk);
	len = n * sizeof(hist[0]);
	if (put_user(len, optlen) || copy_to_user(optval, hist, len))
		return -EFAULT;
	return 0;
}

/* The most an XTCP_KEEP* option takes (the least is 1); 0 for other options. */
static int xtcp_keep_max(int optname)
{
	switch (optname) {
	case XTCP_KEEPIDLE:
	case XTCP_KEEPINTVL:
		return XTCP_KEEP_SECS_MAX;
	case XTCP_KEEPCNT:
		return XTCP_KEEPCNT_MAX;
	}
	return 0;
}

static int xtcp_setsockopt(struct sock *sk, int level, int optname, sockptr_t optval,
			   unsigned int optlen)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, max = xtcp_keep_max(optname);

	if (level != SOL_XTCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	if (optname != XTCP_NODELAY && optname != XTCP_CORK && !max)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	if (max && (val < 1 || val > max))
		return -EINVAL;

	lock_sock(sk);
	switch (optname) {
	case XTCP_NODELAY:
		xs->nodelay = !!val;
		break;
	case XTCP_CORK:
		xs->cork = !!val;
		break;
	case XTCP_KEEPIDLE:
		WRITE_ONCE(xs->keepidle, val);
		/* As TCP: a keepalive already waiting is due by the new time. */
		if (sock_flag(sk, SOCK_KEEPOPEN))
			xtcp_keepalive_start(sk, 0);
		break;
	case XTCP_KEEPINTVL:
		WRITE_ONCE(xs->keepintvl, val);
		break;
	case XTCP_KEEPCNT:
		WRITE_ONCE(xs->keepcnt, val);
		break;
	}
	/* As TCP: what Nagle or the cork held goes when they let go. */
	if (!xs->cork && (optname == XTCP_CORK || (optname == XTCP_NODELAY && val)))
		xtcp_push(sk);
	release_sock(sk);
	return 0;
}

static int xtcp_getsockopt(struct sock *sk, int level, int optname, char __user *optval,
			   int __user *optlen)
{
	int len, val, err;

	if (level != SOL_XTCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	switch (optname) {
	case XTCP_INFO:
		return xtcp_get_info(sk, optval, optlen);
	case XTCP_HISTORY:
		return xtcp_get_history(sk, optval, optlen);
	case XTCP_NODELAY:
		val = xtcp_sk(sk)->nodelay;
		break;
	case XTCP_CORK:
		val = xtcp_sk(sk)->cork;
		break;
	case XTCP_KEEPIDLE:
		val = xtcp_keepalive_time(sk);
		break;
	case XTCP_KEEPINTVL:
		val = xtcp_keepalive_intvl(sk);
		break;
	case XTCP_KEEPCNT:
		val = xtcp_keepalive_probes(sk);
		break;
	default:
		return -ENOPROTOOPT;
	}
	err = xtcp_opt_len(optlen, &len);
	if (err)
		return err;
	len = min_t(int, len, sizeof(val));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/*
 * struct proto.keepalive: SO_KEEPALIVE turned on or off, with the socket
 * locked. As tcp_set_keepalive(): turned on, the first probe may go
 * keepidle from now; turned off, no keepalive is due.
 */
static void xtcp_set_keepalive(struct sock *sk, int on)
{
	if (!on == !sock_flag(sk, SOCK_KEEPOPEN))
		return;
	/* The caller sets the flag only after this call: set it first. */
	sock_valbool_flag(sk, SOCK_KEEPOPEN, on);
	xtcp_keepalive_start(sk, on ? xtcp_keepalive_time(sk) : 0);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.init		= xtcp_init_sock,
	.close		= xtcp_close,
	.connect	= xtcp_connect,
	.disconnect	= xtcp_disconnect,
	.accept		= xtcp_accept,
	.ioctl		= xtcp_ioctl,
	.shutdown	= xtcp_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.backlog_rcv	= xtcp_do_rcv,
	.release_cb	= xtcp_release_cb,
	.keepalive	= xtcp_set_keepalive,
	.get_port	= xtcp_get_port,
	.enter_memory_pressure	= xtcp_enter_memory_pressure,
	.leave_memory_pressure	= xtcp_leave_memory_pressure,
	.memory_allocated	= &xtcp_memory_allocated,
	.per_cpu_fw_alloc	= &xtcp_memory_per_cpu_fw_alloc,
	.sockets_allocated	= &xtcp_sockets_allocated,
	.memory_pressure	= &xtcp_memory_pressure,
	.sysctl_mem	= xtcp_mem,
	.sysctl_wmem	= xtcp_wmem,
	.sysctl_rmem	= xtcp_rmem,
	.obj_size	= sizeof(struct xtcp_sock),
	.no_autobind	= true,
};

const struct proto_ops xtcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.set_rcvlowat	= xtcp_set_rcvlowat,
};
