// SPDX-License-Identifier: GPL-2.0
/*
 * Sending segments.
 *
 * Everything that occupies sequence space (SYN, data, FIN) is a segment
 * on sk->sk_write_queue, in order, from the oldest unacknowledged one to
 * the newest not yet sent; XTCP_SKB_CB() gives its sequence range. Those
 * skbs hold only data; each transmission builds a fresh packet (header,
 * then a copy of the data) so that the original stays for retransmission
 * with the ACK and window current. Bare ACKs and RSTs are built on the
 * spot and never queued.
 *
 * Packets leave through ip_queue_xmit() on the socket's route, or, for
 * replies that belong to no socket (a RST to a closed port, a listener's
 * SYN-ACK, a TIME-WAIT entry's ACK), through ip_build_and_send_pkt() on a
 * route looked up for the reply. No packet keeps a socket alive: skb->sk
 * stays NULL.
 *
 * Called with the socket locked, except xtcp_send_reply() and
 * xtcp_send_rst_reply(), which need no socket.
 */
#include <linux/skbuff.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "trace.h"

/**
 * xtcp_window() - the receive window to announce now
 * @sk: the socket
 *
 * Half the free receive buffer (the other half pays for sk_buff
 * overhead), at most 64 KiB - 1 while there is no window scaling; but
 * never less than what is left of the window already announced: its
 * right edge does not move back (RFC 7323 2.4), even when data held out
 * of order has taken the memory.
 *
 * Return: the window, in bytes.
 */
u16 xtcp_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 wnd = space > 0 ? space / 2 : 0;

	wnd = max(min(wnd, XTCP_MAX_WINDOW), xtcp_rcv_wnd_left(xs));
	xs->rcv_wnd = wnd;
	xs->rcv_wup = xs->rcv_nxt;
	return wnd;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_window);

/* A packet with headroom for IP and below, @len bytes of data from @data. */
static struct sk_buff *xtcp_alloc_packet(const struct sk_buff *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(XTCP_HEADROOM + len, GFP_ATOMIC);

	if (!skb)
		return NULL;
	skb_reserve(skb, XTCP_HEADROOM);
	if (len && skb_copy_bits(data, 0, skb_put(skb, len), len)) {
		kfree_skb(skb);
		return NULL;
	}
	return skb;
}

static void xtcp_finish_header(struct sk_buff *skb, __be32 saddr, __be32 daddr,
			       __be16 sport, __be16 dport, u32 seq, u32 ack,
			       u8 flags, u16 wnd, u16 mss)
{
	unsigned int hlen = XTCP_HDR_LEN + (mss ? XTCP_OPT_MSS_LEN : 0);
	struct tcphdr *th = skb_push(skb, hlen);

	skb_reset_transport_header(skb);
	xtcp_write_header(th, sport, dport, seq, ack, flags, wnd, mss);
	th->check = xtcp_checksum(saddr, daddr, xtcp_wire_proto, skb->len,
				  csum_partial(th, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
}

/* Build and send one packet on a connected socket. */
static int xtcp_xmit(struct sock *sk, const struct sk_buff *data, unsigned int len,
		     u32 seq, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct sk_buff *skb;
	u16 mss = flags & XTCP_FLAG_SYN ? xs->advmss : 0;
	int err;

	/* Every segment but our very first SYN acknowledges the peer's. */
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= XTCP_FLAG_ACK;
	skb = xtcp_alloc_packet(data, len);
	if (!skb)
		return -ENOBUFS;
	xtcp_finish_header(skb, inet->inet_saddr, inet->inet_daddr, inet->inet_sport,
			   inet->inet_dport, seq, xs->rcv_nxt, flags, xtcp_window(sk), mss);
	trace_xtcp_segment(sock_net(sk), inet->inet_saddr, inet->inet_daddr,
			   tcp_hdr(skb), len, true);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_SEGS);
	err = ip_queue_xmit(sk, skb, &inet->cork.fl);
	return net_xmit_eval(err);
}

/**
 * xtcp_transmit() - send a queued segment, for the first time or again
 * @sk: the socket
 * @skb: the segment, on the write queue
 *
 * Return: 0 or a negative errno from the IP layer.
 */
int xtcp_transmit(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 flags = cb->flags;

	if (skb->len)
		flags |= XTCP_FLAG_PSH;
	if (cb->sent)
		cb->retransmitted = 1;
	else
		xtcp_sk(sk)->packets_out++;
	if (cb->lost) {
		cb->lost = 0;
		xtcp_sk(sk)->lost_out--;
	}
	cb->sent = ktime_get();
	return xtcp_xmit(sk, skb, skb->len, cb->seq, flags);
}

/**
 * xtcp_send_ctl() - send a segment that carries no data and is not queued
 * @sk: the socket
 * @flags: XTCP_FLAG_ACK, or XTCP_FLAG_RST | XTCP_FLAG_ACK
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_ctl(struct sock *sk, u8 flags)
{
	if (flags & XTCP_FLAG_RST)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_RSTS);
	return xtcp_xmit(sk, NULL, 0, xtcp_sk(sk)->snd_nxt, flags);
}

/**
 * xtcp_send_ack() - acknowledge what we received, with the current window
 * @sk: the socket
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_ack(struct sock *sk)
{
	return xtcp_send_ctl(sk, XTCP_FLAG_ACK);
}

/**
 * xtcp_challenge_ack() - send a challenge ACK (RFC 5961), if the limit allows
 * @sk: the socket
 *
 * At most net.xtcp's challenge limit per socket and second, counted per
 * socket only, so no shared counter can tell an attacker anything.
 *
 * Return: true if one was sent.
 */
bool xtcp_challenge_ack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long now = jiffies;

	if (time_after(now, xs->challenge_stamp + HZ)) {
		xs->challenge_stamp = now;
		xs->challenge_count = 0;
	}
	if (xs->challenge_count >= READ_ONCE(xtcp_pernet(sock_net(sk))->challenge_ack_limit))
		return false;
	xs->challenge_count++;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_CHALLENGE_ACKS);
	xtcp_send_ack(sk);
	return true;
}

/**
 * xtcp_push() - send what cwnd and the peer's window allow
 * @sk: the socket
 *
 * Segments a timeout marked lost go first, oldest first, then new ones.
 * The peer's window bounds new data (SYN and FIN go regardless), cwnd
 * bounds everything (cong.c). Arms the retransmission timer when
 * something is in flight.
 */
void xtcp_push(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool sent = false;

	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN))
		return;
	xs->cwnd_limited = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		bool fresh = !xtcp_seq_before(cb->seq, xs->snd_nxt);

		if (!fresh && !cb->lost)
			continue;
		if (fresh && skb->len &&
		    xtcp_seq_after(cb->end_seq, xs->snd_una + xs->snd_wnd))
			break;
		if (!xtcp_cong_room(xs)) {
			xs->cwnd_limited = 1;
			break;
		}
		if (!fresh) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
			trace_xtcp_retransmit(sk, cb->seq, "timeout", xs->retries, xs->rto_us,
					      xs->cwnd);
		}
		if (xtcp_transmit(sk, skb) == -ENOBUFS)
			break;
		if (fresh)
			xs->snd_nxt = cb->end_seq;
		sent = true;
	}
	if (sent && !xs->timer.due)
		xtcp_timer_arm(sk, xtcp_backoff_ns(xs->rto_us, xs->retries));
}

/**
 * xtcp_queue_ctl() - queue and send a SYN or a FIN
 * @sk: the socket
 * @flags: XTCP_FLAG_SYN or XTCP_FLAG_FIN
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_queue_ctl(struct sock *sk, u8 flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = alloc_skb(0, sk->sk_allocation);
	struct xtcp_skb_cb *cb;

	if (!skb)
		return -ENOMEM;
	cb = XTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = xs->write_seq;
	cb->end_seq = ++xs->write_seq;
	cb->flags = flags;
	sk->sk_wmem_queued += skb->truesize;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	xtcp_push(sk);
	return 0;
}

/**
 * xtcp_retransmit() - send the oldest unacknowledged segment again, now
 * @sk: the socket
 * @why: for the tracepoint: "fast", "partial ack", "syn-ack"
 */
void xtcp_retransmit(struct sock *sk, const char *why)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!skb || !XTCP_SKB_CB(skb)->sent)
		return;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
	trace_xtcp_retransmit(sk, XTCP_SKB_CB(skb)->seq, why, xs->retries, xs->rto_us, xs->cwnd);
	xtcp_transmit(sk, skb);
}

static void xtcp_free_queued(struct sock *sk, struct sk_buff *skb)
{
	sk->sk_wmem_queued -= skb->truesize;
	__kfree_skb(skb);
}

/**
 * xtcp_clean_acked() - drop the segments an acknowledgment covers
 * @sk: the socket
 * @ack: the new SND.UNA
 *
 * Takes an RTT sample from the newest segment covered that was sent only
 * once (Karn), resets the backoff, and re-arms or stops the timer.
 */
void xtcp_clean_acked(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	ktime_t sent = 0;
	u32 acked = 0;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (xtcp_seq_after(cb->end_seq, ack) || !cb->sent)
			break;
		sent = cb->retransmitted ? 0 : cb->sent;
		__skb_unlink(skb, &sk->sk_write_queue);
		xtcp_cong_acked(xs, skb);
		xtcp_free_queued(sk, skb);
		acked++;
	}
	xs->snd_una = ack;
	if (!acked)
		return;
	xtcp_cong_on_ack(sk, acked, ack);
	if (sent)
		xtcp_rtt_sample(&xs->srtt_us, &xs->rttvar_us, &xs->rto_us,
				ktime_us_delta(ktime_get(), sent));
	xs->retries = 0;
	WRITE_ONCE(sk->sk_err_soft, 0);
	if (xs->snd_una == xs->snd_nxt)
		xtcp_timer_cancel(sk);
	else
		xtcp_timer_arm(sk, xtcp_backoff_ns(xs->rto_us, 0));
	sk->sk_write_space(sk);
}

/**
 * xtcp_purge_write_queue() - drop every queued segment
 * @sk: the socket
 */
void xtcp_purge_write_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue)))
		xtcp_free_queued(sk, skb);
	xtcp_sk(sk)->packets_out = 0;
	xtcp_sk(sk)->lost_out = 0;
}

/**
 * xtcp_send_reply() - send a segment that belongs to no socket
 * @net: the namespace
 * @via: a socket whose IP settings to use (a listener, or the namespace's
 *	control socket)
 * @saddr: source address
 * @daddr: destination address
 * @sport: source port
 * @dport: destination port
 * @seq: sequence number
 * @ack: acknowledgment number
 * @flags: XTCP_FLAG_*
 * @wnd: window
 * @mss: if not 0, an MSS option
 *
 * Return: 0 or a negative errno.
 */
int xtcp_send_reply(struct net *net, struct sock *via, __be32 saddr,
		    __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		    u8 flags, u16 wnd, u16 mss)
{
	struct sk_buff *skb;
	struct flowi4 fl4;
	struct rtable *rt;
	int err;

	rt = ip_route_output_ports(net, &fl4, NULL, daddr, saddr, dport, sport,
				   xtcp_wire_proto, 0, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	skb = xtcp_alloc_packet(NULL, 0);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	skb_dst_set(skb, &rt->dst);
	xtcp_finish_header(skb, saddr, daddr, sport, dport, seq, ack, flags, wnd, mss);
	trace_xtcp_segment(net, saddr, daddr, tcp_hdr(skb), 0, true);
	xtcp_inc_stats(net, XTCP_MIB_OUT_SEGS);
	if (flags & XTCP_FLAG_RST)
		xtcp_inc_stats(net, XTCP_MIB_OUT_RSTS);
	err = ip_build_and_send_pkt(skb, via, saddr, daddr, NULL, 0);
	return net_xmit_eval(err);
}

/**
 * xtcp_send_rst_reply() - answer a segment no connection takes with RST
 * @net: the namespace
 * @skb: the segment, its IP and xtcp headers in place
 * @seg: its parsed header
 *
 * RFC 9293 3.10.7.1: a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>; one
 * without gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. A RST gets
 * nothing.
 */
void xtcp_send_rst_reply(struct net *net, struct sk_buff *skb, const struct xtcp_seg *seg)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	if (seg->flags & XTCP_FLAG_RST)
		return;
	if (seg->flags & XTCP_FLAG_ACK)
		xtcp_send_reply(net, xtcp_pernet(net)->ctl_sk, iph->daddr, iph->saddr,
				th->dest, th->source, seg->ack, 0, XTCP_FLAG_RST, 0, 0);
	else
		xtcp_send_reply(net, xtcp_pernet(net)->ctl_sk, iph->daddr, iph->saddr,
				th->dest, th->source, 0, seg->end_seq,
				XTCP_FLAG_RST | XTCP_FLAG_ACK, 0, 0);
}
