// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: segments of several MSS on the write queue (module/output.c,
 * module/cong.c). A write puts up to a GSO packet's worth of data in one
 * segment, in page fragments; once sent it counts as its length in MSS
 * (xtcp_skb_cb.segs) in packets_out, lost_out and sacked_out. It is cut
 * where cwnd, the window, a SACK block or the MTU asks
 * (xtcp_split()), and loses its head to a partial ACK
 * (xtcp_trim_head()); each time the counters and the memory charged
 * follow, and a packet that still holds the fragments sees no change.
 * Recovery marks one MSS of it lost, not the whole. A transmission that
 * could not build its packet changes nothing, and the timer that tries
 * it again counts the tries as retransmissions, not as window probes.
 * The first segment in flight, and a window that opens on waiting data,
 * bring the timer back to one RTO from whatever backoff it had.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define MSS	1000
#define LEN	5000	/* five segments, over two pages */
#define SEQ	7000

/* The byte at stream offset @i. */
static u8 pattern(u32 i)
{
	return i % 251;
}

/*
 * A segment of @sk's write queue holding LEN bytes from stream offset 0
 * in page fragments, charged as xtcp_sendmsg() charges them, and sent
 * (as five segments) when @sent.
 */
static struct sk_buff *queued(struct kunit *test, struct sock *sk, bool sent)
{
	struct sk_buff *skb = xtcp_alloc_seg(0, GFP_KERNEL);
	u32 off = 0;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_TRUE(test, xtcp_wmem_charge(sk, skb, true));
	memset(skb->cb, 0, sizeof(skb->cb));
	while (off < LEN) {
		struct page *page = alloc_page(GFP_KERNEL);
		u32 n = min_t(u32, LEN - off, PAGE_SIZE), i;
		u8 *p;

		KUNIT_ASSERT_NOT_NULL(test, page);
		p = page_address(page);
		for (i = 0; i < n; i++)
			p[i] = pattern(off + i);
		skb_fill_page_desc(skb, skb_shinfo(skb)->nr_frags, page, 0, n);
		KUNIT_ASSERT_TRUE(test, sk_wmem_schedule(sk, n));
		skb->len += n;
		skb->data_len += n;
		skb->truesize += n;
		sk->sk_wmem_queued += n;
		sk_mem_charge(sk, n);
		off += n;
	}
	XTCP_SKB_CB(skb)->seq = SEQ;
	XTCP_SKB_CB(skb)->end_seq = SEQ + LEN;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	if (sent) {
		XTCP_SKB_CB(skb)->sent = ktime_get();
		xtcp_set_segs(xtcp_sk(sk), skb, LEN / MSS);
	}
	return skb;
}

static struct sock *queue_sock(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);

	xtcp_sk(sk)->mss = MSS;
	return sk;
}

/* Does @skb hold the stream's bytes from @from on, @len of them? */
static bool holds(const struct sk_buff *skb, u32 from, u32 len)
{
	u32 i;
	u8 c;

	if (skb->len != len)
		return false;
	for (i = 0; i < len; i++)
		if (skb_copy_bits(skb, i, &c, 1) || c != pattern(from + i))
			return false;
	return true;
}

/* The truesize of every queued segment: what sk_wmem_queued must say. */
static int queue_truesize(struct sock *sk)
{
	struct sk_buff *skb;
	int sum = 0;

	skb_queue_walk(&sk->sk_write_queue, skb)
		sum += skb->truesize;
	return sum;
}

/* The truesize of a new segment of the write queue, before any data. */
static unsigned int head_truesize(struct kunit *test)
{
	struct sk_buff *skb = xtcp_alloc_seg(0, GFP_KERNEL);
	unsigned int truesize;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	truesize = skb->truesize;
	kfree_skb(skb);
	return truesize;
}

static void split_sent(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, true), *rest;
	unsigned int truesize = skb->truesize;
	int queued_before = sk->sk_wmem_queued;

	XTCP_SKB_CB(skb)->lost = 1;
	xs->lost_out = 5;
	KUNIT_EXPECT_EQ(test, xs->packets_out, 5);
	KUNIT_ASSERT_EQ(test, xtcp_split(sk, skb, 3 * MSS), 0);
	rest = skb->next;
	KUNIT_ASSERT_PTR_NE(test, (void *)rest, (void *)&sk->sk_write_queue);
	KUNIT_EXPECT_TRUE(test, holds(skb, 0, 3 * MSS));
	KUNIT_EXPECT_TRUE(test, holds(rest, 3 * MSS, 2 * MSS));
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, SEQ + 3 * MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(rest)->seq, SEQ + 3 * MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(rest)->end_seq, SEQ + LEN);
	/* Each counts its own segments, the whole as many as before. */
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->segs, 3);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(rest)->segs, 2);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(rest)->lost, 1);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 5);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 5);
	/* The fragments' charge moves with them; only the new head is new. */
	KUNIT_EXPECT_EQ(test, skb->truesize + rest->truesize - head_truesize(test), truesize);
	KUNIT_EXPECT_EQ(test, sk->sk_wmem_queued - queued_before, (int)head_truesize(test));
	/* Cut off the middle of a segment, the counts round up. */
	KUNIT_ASSERT_EQ(test, xtcp_split(sk, skb, 1500), 0);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->segs, 2);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb->next)->segs, 2);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 6);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 6);
	xtcp_purge_write_queue(sk);
}

/* A packet sent from the segment keeps its data as it was. */
static void split_cloned(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct sk_buff *skb = queued(test, sk, true);
	struct sk_buff *pkt = xtcp_seg_packet(skb);

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_ASSERT_EQ(test, xtcp_split(sk, skb, 2 * MSS), 0);
	KUNIT_EXPECT_TRUE(test, holds(pkt, 0, LEN));
	KUNIT_EXPECT_TRUE(test, holds(skb, 0, 2 * MSS));
	KUNIT_EXPECT_TRUE(test, holds(skb->next, 2 * MSS, 3 * MSS));
	/* Its own head now, and still charged as much as it was. */
	KUNIT_EXPECT_EQ(test, sk->sk_wmem_queued, queue_truesize(sk));
	kfree_skb(pkt);
	xtcp_purge_write_queue(sk);
}

static void unsent_split_counts_nothing(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct sk_buff *skb = queued(test, sk, false);

	KUNIT_ASSERT_EQ(test, xtcp_split(sk, skb, 2500), 0);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->packets_out, 0);
	KUNIT_EXPECT_TRUE(test, holds(skb, 0, 2500));
	KUNIT_EXPECT_TRUE(test, holds(skb->next, 2500, 2500));
	xtcp_purge_write_queue(sk);
}

/* A partial ACK: the head goes, with its memory and its segments. */
static void trim_head(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, true);
	struct sk_buff *pkt = xtcp_seg_packet(skb);
	int queued_before = sk->sk_wmem_queued;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	/* Past the first page: a fragment goes whole, the next is cut. */
	KUNIT_ASSERT_EQ(test, xtcp_trim_head(sk, skb, 4500), 0);
	KUNIT_EXPECT_TRUE(test, holds(skb, 4500, 500));
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 1);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, SEQ + 4500);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->segs, 1);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 1);
	KUNIT_EXPECT_EQ(test, queued_before - sk->sk_wmem_queued, 4500);
	KUNIT_EXPECT_EQ(test, sk->sk_wmem_queued, queue_truesize(sk));
	/* The packet out still holds all it was sent with. */
	KUNIT_EXPECT_TRUE(test, holds(pkt, 0, LEN));
	kfree_skb(pkt);
	/* Within the first fragment, with no packet out. */
	KUNIT_ASSERT_EQ(test, xtcp_trim_head(sk, skb, 100), 0);
	KUNIT_EXPECT_TRUE(test, holds(skb, 4600, 400));
	xtcp_purge_write_queue(sk);
}

/*
 * A SACK block inside a segment of five: cut at the MSS boundaries
 * within the block, and only the whole segments there marked held.
 */
static void sack_cuts_at_mss(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, true), *held;
	struct xtcp_sack_block b = { SEQ + 1500, SEQ + 4500 };

	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ + LEN;
	xs->send_head = NULL;
	xs->sack_ok = 1;
	xtcp_cong_sack(sk, &b, 1);
	held = skb->next;
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, SEQ + 2 * MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(held)->seq, SEQ + 2 * MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(held)->end_seq, SEQ + 4 * MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(held)->sacked, 1);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->sacked, 0);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(held->next)->sacked, 0);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 2);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 5);
	KUNIT_EXPECT_FALSE(test, xs->in_recovery);
	xtcp_purge_write_queue(sk);
}

/*
 * A partial ACK in SACK recovery marks the first segment lost: one MSS
 * of a queued segment of five, not all five.
 */
static void partial_ack_marks_one_mss(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, true);

	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ + LEN;
	xs->sack_ok = 1;
	xs->in_recovery = 1;
	xs->recover = SEQ + LEN;
	xs->recover_valid = 1;
	xs->recovery_stamp = ktime_get();
	xtcp_cong_on_ack(sk, 1, SEQ);
	KUNIT_EXPECT_EQ(test, skb->len, MSS);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->lost, 1);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb->next)->lost, 0);
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 5);
	xtcp_purge_write_queue(sk);
}

/* xtcp_seg_packet() out of memory. */
static struct sk_buff *no_packet(struct sk_buff *seg)
{
	return NULL;
}

/*
 * No packet, no transmission: a new segment stays unsent and out of
 * flight, a lost one stays lost and is not counted sent again.
 */
static void transmit_without_packet(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, false);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	ktime_t sent;

	kunit_activate_static_stub(test, xtcp_seg_packet, no_packet);
	KUNIT_EXPECT_EQ(test, xtcp_transmit(sk, skb, LEN), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, cb->sent, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, 0);

	sent = ktime_sub_ms(ktime_get(), 100);
	cb->sent = sent;
	xtcp_set_segs(xs, skb, LEN / MSS);
	cb->lost = 1;
	xs->lost_out = LEN / MSS;
	KUNIT_EXPECT_EQ(test, xtcp_transmit(sk, skb, LEN), -ENOBUFS);
	KUNIT_EXPECT_EQ(test, cb->sent, sent);
	KUNIT_EXPECT_EQ(test, cb->retransmitted, 0);
	KUNIT_EXPECT_EQ(test, cb->lost, 1);
	KUNIT_EXPECT_EQ(test, xs->lost_out, LEN / MSS);
	KUNIT_EXPECT_EQ(test, xs->packets_out, LEN / MSS);
	kunit_deactivate_static_stub(test, xtcp_seg_packet);
	xtcp_purge_write_queue(sk);
}

#define HOUR_NS		(3600ULL * NSEC_PER_SEC)

/* The socket timer goes off: its work runs, with nothing due any more. */
static void probe_fires(struct sock *sk)
{
	xtcp_timer_clear(sk, &xtcp_sk(sk)->timer);
	xtcp_send_probe(sk);
}

/* Was the socket timer armed, since @before, RTO << @n ahead? */
static void expect_due_in(struct kunit *test, struct sock *sk, unsigned int n, ktime_t before)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 ns = xtcp_backoff_ns(xs->rto_us, n);

	KUNIT_EXPECT_GE(test, xs->timer.due, ktime_add_ns(before, ns));
	KUNIT_EXPECT_LE(test, xs->timer.due, ktime_add_ns(ktime_get(), ns));
}

/* An established socket whose next segment, LEN bytes at SEQ, waits unsent. */
static struct sock *waiting_sock(struct kunit *test, u32 snd_wnd)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, false);

	lock_sock(sk);
	sk->sk_state = TCP_ESTABLISHED;
	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ;
	xs->write_seq = SEQ + LEN;
	xs->snd_wnd = snd_wnd;
	xs->cwnd = 10;
	xs->send_head = skb;
	return sk;
}

static void waiting_sock_done(struct sock *sk)
{
	sk->sk_state = TCP_CLOSE;
	xtcp_purge_write_queue(sk);
	release_sock(sk);
}

/*
 * A SYN that finds no memory for its packet is tried again as the
 * retransmission timer would, backing off under syn_retries: never a
 * window probe, which in SYN-SENT would be an ACK of nothing.
 */
static void syn_without_packet(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int limit = READ_ONCE(xtcp_pernet(sock_net(sk))->syn_retries), i;
	ktime_t before;

	kunit_activate_static_stub(test, xtcp_seg_packet, no_packet);
	lock_sock(sk);
	sk->sk_state = TCP_SYN_SENT;
	xs->write_seq = SEQ;
	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ;
	before = ktime_get();
	KUNIT_EXPECT_EQ(test, xtcp_queue_ctl(sk, XTCP_FLAG_SYN), 0);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, SEQ);
	expect_due_in(test, sk, 0, before);
	for (i = 1; i <= limit; i++) {
		before = ktime_get();
		probe_fires(sk);
		KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_SYN_SENT);
		KUNIT_EXPECT_EQ(test, xs->retries, i);
		KUNIT_EXPECT_EQ(test, xs->probes, 0);
		KUNIT_EXPECT_EQ(test, xs->snd_nxt, SEQ);
		expect_due_in(test, sk, i, before);
	}
	probe_fires(sk);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sk->sk_err, ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, xs->probes, 0);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&sk->sk_write_queue));
	release_sock(sk);
	kunit_deactivate_static_stub(test, xtcp_seg_packet);
}

/* Data the open window takes but no packet carries: tried again, no probe. */
static void data_without_packet(struct kunit *test)
{
	struct sock *sk = waiting_sock(test, 2 * LEN);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xs->send_head;
	ktime_t before;

	kunit_activate_static_stub(test, xtcp_seg_packet, no_packet);
	xs->retries = 2;
	before = ktime_get();
	probe_fires(sk);
	KUNIT_EXPECT_EQ(test, xs->retries, 3);
	KUNIT_EXPECT_EQ(test, xs->probes, 0);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, SEQ);
	KUNIT_EXPECT_PTR_EQ(test, xs->send_head, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->sent, 0);
	expect_due_in(test, sk, 3, before);
	kunit_deactivate_static_stub(test, xtcp_seg_packet);
	waiting_sock_done(sk);
}

/*
 * A window that opens wide enough for the waiting segment ends the
 * probing: its backoff is forgotten, and the timer is an RTO away, not
 * minutes. A window that opens less, or was open already, changes
 * neither (the probes send what fits).
 */
static void window_opens(struct kunit *test)
{
	struct sock *sk = waiting_sock(test, 0);
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t before;

	xs->retries = 9;
	before = ktime_get();
	xtcp_timer_arm(sk, HOUR_NS);
	xtcp_snd_wnd_update(sk, LEN - 1);
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, LEN - 1);
	KUNIT_EXPECT_EQ(test, xs->retries, 9);
	KUNIT_EXPECT_GE(test, xs->timer.due, ktime_add_ns(before, HOUR_NS));

	xtcp_snd_wnd_update(sk, 0);
	before = ktime_get();
	xtcp_snd_wnd_update(sk, LEN);
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, LEN);
	KUNIT_EXPECT_EQ(test, xs->max_window, LEN);
	KUNIT_EXPECT_EQ(test, xs->retries, 0);
	expect_due_in(test, sk, 0, before);

	xs->retries = 4;
	before = ktime_get();
	xtcp_timer_arm(sk, HOUR_NS);
	xtcp_snd_wnd_update(sk, 2 * LEN);
	KUNIT_EXPECT_EQ(test, xs->snd_wnd, 2 * LEN);
	KUNIT_EXPECT_EQ(test, xs->max_window, 2 * LEN);
	KUNIT_EXPECT_EQ(test, xs->retries, 4);
	KUNIT_EXPECT_GE(test, xs->timer.due, ktime_add_ns(before, HOUR_NS));
	waiting_sock_done(sk);
}

/*
 * The first segment in flight is timed from a fresh backoff, one RTO
 * ahead, whatever the timer was due for before (a probe backed off to
 * minutes). The packets go to loopback, never off this machine, where no
 * socket takes them (their checksum, made for source address 0, is bad).
 */
static void first_in_flight(struct kunit *test)
{
	struct sock *sk = waiting_sock(test, 2 * LEN);
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t before;

	inet_sk(sk)->inet_daddr = htonl(INADDR_LOOPBACK);
	xs->retries = 9;
	xtcp_timer_arm(sk, HOUR_NS);
	before = ktime_get();
	xtcp_push(sk);
	KUNIT_EXPECT_EQ(test, xs->snd_nxt, SEQ + LEN);
	KUNIT_EXPECT_EQ(test, xs->retries, 0);
	expect_due_in(test, sk, 0, before);
	waiting_sock_done(sk);
}

/*
 * An established socket with nothing in flight nor waiting, SO_KEEPALIVE
 * on, probing every 3 s after 10 s idle, giving up after 2 probes; its
 * probes go to loopback, as first_in_flight()'s packets.
 */
static struct sock *keepalive_sock(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);

	lock_sock(sk);
	inet_sk(sk)->inet_daddr = htonl(INADDR_LOOPBACK);
	sk->sk_state = TCP_ESTABLISHED;
	sock_set_flag(sk, SOCK_KEEPOPEN);
	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ;
	xs->write_seq = SEQ;
	xs->keepidle = 10;
	xs->keepintvl = 3;
	xs->keepcnt = 2;
	return sk;
}

static void keepalive_sock_done(struct sock *sk)
{
	sk->sk_state = TCP_CLOSE;
	xtcp_timer_clear(sk, &xtcp_sk(sk)->timer);
	release_sock(sk);
}

/* Is the socket timer due @secs after a time from @before to now (slack: 2 jiffies)? */
static void expect_due_at(struct kunit *test, struct sock *sk, u64 secs, ktime_t before)
{
	u64 slack = jiffies_to_nsecs(2);

	KUNIT_EXPECT_GE(test, xtcp_sk(sk)->timer.due,
			ktime_sub_ns(ktime_add_ns(before, secs * NSEC_PER_SEC), slack));
	KUNIT_EXPECT_LE(test, xtcp_sk(sk)->timer.due,
			ktime_add_ns(ktime_add_ns(ktime_get(), secs * NSEC_PER_SEC), slack));
}

/*
 * The keepalive is due keepidle after the last segment received; an
 * expiry that finds the connection heard from since waits out the rest.
 * Without SO_KEEPALIVE nothing is due.
 */
static void keepalive_waits_for_idle(struct kunit *test)
{
	struct sock *sk = keepalive_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t before = ktime_get();

	xs->rcv_tstamp = (u32)jiffies - 4 * HZ;
	xtcp_timer_idle(sk);
	expect_due_at(test, sk, 6, before);

	xtcp_timer_clear(sk, &xs->timer);
	before = ktime_get();
	xtcp_keepalive_fire(sk);
	KUNIT_EXPECT_EQ(test, xs->probes, 0);
	expect_due_at(test, sk, 6, before);

	sock_reset_flag(sk, SOCK_KEEPOPEN);
	xtcp_timer_idle(sk);
	KUNIT_EXPECT_EQ(test, xs->timer.due, 0);
	keepalive_sock_done(sk);
}

/*
 * Idle past keepidle: a probe (an ACK the peer must answer) every
 * keepintvl; after keepcnt unanswered, ETIMEDOUT (and a RST, which
 * tests/keepalive.c sees on the wire: here the loopback's answers to the
 * probes would count among the RSTs sent).
 */
static void keepalive_probes_then_gives_up(struct kunit *test)
{
	struct sock *sk = keepalive_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	long sent = atomic_long_read(&xn->mib[XTCP_MIB_KEEPALIVE_PROBES]);
	ktime_t before;
	int i;

	xs->rcv_tstamp = (u32)jiffies - 11 * HZ;
	for (i = 1; i <= 2; i++) {
		xtcp_timer_clear(sk, &xs->timer);
		before = ktime_get();
		xtcp_keepalive_fire(sk);
		KUNIT_EXPECT_EQ(test, xs->probes, i);
		KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_ESTABLISHED);
		expect_due_at(test, sk, 3, before);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&xn->mib[XTCP_MIB_KEEPALIVE_PROBES]) - sent, 2);
	xtcp_timer_clear(sk, &xs->timer);
	xtcp_keepalive_fire(sk);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, sk->sk_err, ETIMEDOUT);
	keepalive_sock_done(sk);
}

/*
 * Our FIN's ACK, with SO_KEEPALIVE, makes a keepalive due (just before
 * FIN-WAIT-1 becomes FIN-WAIT-2), and FIN-WAIT-2 probes as ESTABLISHED
 * does: a half-closed connection whose peer vanished does not stay.
 */
static void keepalive_in_fin_wait2(struct kunit *test)
{
	struct sock *sk = keepalive_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t before = ktime_get();

	sk->sk_state = TCP_FIN_WAIT1;
	xs->rcv_tstamp = (u32)jiffies;
	xtcp_timer_idle(sk);
	expect_due_at(test, sk, 10, before);

	sk->sk_state = TCP_FIN_WAIT2;
	xs->rcv_tstamp = (u32)jiffies - 11 * HZ;
	xtcp_timer_clear(sk, &xs->timer);
	before = ktime_get();
	xtcp_keepalive_fire(sk);
	KUNIT_EXPECT_EQ(test, xs->probes, 1);
	expect_due_at(test, sk, 3, before);
	keepalive_sock_done(sk);
}

/*
 * XTCP_KEEPIDLE on a listener with SO_KEEPALIVE (for its connections)
 * leaves its timer, its SYN-ACKs', as it was.
 */
static void keepidle_spares_a_listener(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	int secs = 5;
	ktime_t due;

	lock_sock(sk);
	sk->sk_state = TCP_LISTEN;
	sock_set_flag(sk, SOCK_KEEPOPEN);
	xtcp_timer_arm(sk, HOUR_NS);
	due = xtcp_sk(sk)->timer.due;
	release_sock(sk);
	KUNIT_EXPECT_EQ(test, sk->sk_prot->setsockopt(sk, SOL_XTCP, XTCP_KEEPIDLE,
						      KERNEL_SOCKPTR(&secs), sizeof(secs)), 0);
	lock_sock(sk);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->timer.due, due);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->keepidle, 5);
	sk->sk_state = TCP_CLOSE;
	xtcp_timer_clear(sk, &xtcp_sk(sk)->timer);
	release_sock(sk);
}

/*
 * Data that cannot go (a zero window) while the keepalive is due in
 * hours: the probe's backoff decides, not the keepalive.
 */
static void data_waits_over_keepalive(struct kunit *test)
{
	struct sock *sk = waiting_sock(test, 0);
	ktime_t before;

	sock_set_flag(sk, SOCK_KEEPOPEN);
	xtcp_timer_arm(sk, HOUR_NS);
	before = ktime_get();
	xtcp_push(sk);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->snd_nxt, SEQ);
	expect_due_in(test, sk, 0, before);
	waiting_sock_done(sk);
}

/*
 * Karn: the ACK of a segment sent twice gives no RTT sample from when it
 * was sent, but the TSecr it echoes times the transmission the peer
 * answered (RFC 7323 4), as Linux takes it. An echo of a TSval not yet
 * sent is no sample.
 */
static void rtt_from_echo(struct kunit *test)
{
	struct sock *sk = queue_sock(test);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = queued(test, sk, true);
	u32 srtt;

	lock_sock(sk);
	sk->sk_state = TCP_ESTABLISHED;
	XTCP_SKB_CB(skb)->retransmitted = 1;
	xs->snd_una = SEQ;
	xs->snd_nxt = SEQ + LEN;
	xs->write_seq = SEQ + LEN;
	xs->ts_ok = 1;
	xs->ts_off = 0x7ffffff0;
	xtcp_clean_acked(sk, SEQ + MSS, 0);
	KUNIT_EXPECT_EQ(test, xs->packets_out, LEN / MSS - 1);
	KUNIT_EXPECT_EQ(test, xs->srtt_us, 0);
	xtcp_clean_acked(sk, SEQ + 2 * MSS, xtcp_ts_now(xs->ts_off) - 50);
	KUNIT_EXPECT_GE(test, xs->srtt_us, 50 * USEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, xs->srtt_us, 60 * USEC_PER_MSEC);
	srtt = xs->srtt_us;
	xtcp_clean_acked(sk, SEQ + 3 * MSS, xtcp_ts_now(xs->ts_off) + 1000);
	KUNIT_EXPECT_EQ(test, xs->srtt_us, srtt);
	KUNIT_EXPECT_EQ(test, xs->snd_una, SEQ + 3 * MSS);
	sk->sk_state = TCP_CLOSE;
	xtcp_timer_clear(sk, &xs->timer);
	xtcp_purge_write_queue(sk);
	release_sock(sk);
}

/*
 * A listener's counts share their place with a connection's timestamps:
 * listen() after a connection attempt that took some starts them at 0.
 */
static void listen_after_timestamps(struct kunit *test)
{
	struct sock *sk = xtcp_kunit_sock(test);
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	xtcp_sk(sk)->ts_recent = 0x7fffffff;
	xtcp_sk(sk)->ts_recent_stamp = (u32)ktime_get_seconds() >> 6;
	KUNIT_ASSERT_EQ(test, kernel_bind(sk->sk_socket, (struct sockaddr *)&addr,
					  sizeof(addr)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(sk->sk_socket, 8), 0);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->nr_requests, 0);
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->cookie_epoch, 0);
}

static struct kunit_case xtcp_queue_cases[] = {
	KUNIT_CASE(split_sent),
	KUNIT_CASE(split_cloned),
	KUNIT_CASE(unsent_split_counts_nothing),
	KUNIT_CASE(trim_head),
	KUNIT_CASE(sack_cuts_at_mss),
	KUNIT_CASE(partial_ack_marks_one_mss),
	KUNIT_CASE(transmit_without_packet),
	KUNIT_CASE(syn_without_packet),
	KUNIT_CASE(data_without_packet),
	KUNIT_CASE(window_opens),
	KUNIT_CASE(first_in_flight),
	KUNIT_CASE(keepalive_waits_for_idle),
	KUNIT_CASE(keepalive_probes_then_gives_up),
	KUNIT_CASE(keepalive_in_fin_wait2),
	KUNIT_CASE(keepidle_spares_a_listener),
	KUNIT_CASE(data_waits_over_keepalive),
	KUNIT_CASE(rtt_from_echo),
	KUNIT_CASE(listen_after_timestamps),
	{}
};

static struct kunit_suite xtcp_queue_suite = {
	.name = "xtcp_queue",
	.test_cases = xtcp_queue_cases,
};

kunit_test_suite(xtcp_queue_suite);
