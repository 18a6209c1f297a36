// SPDX-License-Identifier: GPL-2.0
/*
 * Memory: what xtcp's sockets hold, against the protocol's limits.
 *
 * Each socket's buffers are accounted twice, as Linux TCP's are:
 *
 *   per socket   the write queue in sk->sk_wmem_queued (against
 *                SO_SNDBUF: a writer waits), the receive and out-of-order
 *                queues in sk->sk_rmem_alloc (against SO_RCVBUF: the
 *                window shrinks, and data past it is dropped);
 *   per protocol the same skbs' truesize in pages, in
 *                xtcp_memory_allocated, against xtcp_mem[3] (pages, the
 *                module parameter "mem", as net.ipv4.tcp_mem): under
 *                [0] all is well; over [1] the protocol is under memory
 *                pressure until it falls below [0] again; over [2]
 *                allocations fail, except what keeps each socket at
 *                its minimum (xtcp_wmem[0], xtcp_rmem[0]).
 *
 * The socket core does the protocol half (sk_wmem_schedule(),
 * sk_rmem_schedule(), sk->sk_forward_alloc): every charge here is paired
 * with an uncharge when the skb is freed, and what a socket has reserved
 * and not used goes back with sk_mem_reclaim(). A writer that finds the
 * protocol out of memory waits as for a full send buffer; a segment that
 * finds it so is dropped and counted (RcvMemDrops), and the peer sends it
 * again. A FIN is always queued, as TCP's is.
 *
 * A receive buffer grows as Linux TCP's does (tcp_rcv_space_adjust()):
 * each round trip, as the receiver measures it, the bytes the process
 * read in that round say how large a window the sender could use; the
 * buffer is made what holds that window (xtcp_window() announces the free
 * buffer scaled by xs->rcv_ratio, the share of received memory that was
 * data), up to xtcp_rmem[2], unless SO_RCVBUF set it or
 * net.xtcp.moderate_rcvbuf is 0. It never shrinks. A SO_RCVLOWAT mark
 * also grows a buffer SO_RCVBUF did not set, to hold the mark (socket.c),
 * as TCP's does. Without it, the
 * default buffer of 208 KiB caps a connection at 100 to 200 KiB per
 * round trip, as much as the ratio makes of it: 8 to 16 Mbit/s on a
 * path of 100 ms.
 *
 * All of it runs with the socket locked.
 */
#include <kunit/visibility.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu_counter.h>
#include <linux/sizes.h>
#include <net/sock.h>

#include "xtcp.h"

atomic_long_t xtcp_memory_allocated ____cacheline_aligned_in_smp;
DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
struct percpu_counter xtcp_sockets_allocated;
unsigned long xtcp_memory_pressure;

long xtcp_mem[3];
module_param_array_named(mem, xtcp_mem, long, NULL, 0644);
MODULE_PARM_DESC(mem, "protocol memory limits in pages: low, pressure, high (as tcp_mem)");

/*
 * Each socket's guaranteed minimum, default, maximum, as tcp_wmem/tcp_rmem;
 * xtcp_mem_init() sizes the maximum by memory.
 */
int xtcp_wmem[3] = { 4096, 16384, 4 << 20 };
int xtcp_rmem[3] = { 4096, 131072, 6 << 20 };
EXPORT_SYMBOL_IF_KUNIT(xtcp_rmem);

/**
 * xtcp_enter_memory_pressure() - struct proto.enter_memory_pressure
 * @sk: the socket whose allocation crossed xtcp_mem[1]
 */
void xtcp_enter_memory_pressure(struct sock *sk)
{
	if (!READ_ONCE(xtcp_memory_pressure)) {
		WRITE_ONCE(xtcp_memory_pressure, 1);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_MEMORY_PRESSURES);
	}
}

/**
 * xtcp_leave_memory_pressure() - struct proto.leave_memory_pressure
 * @sk: the socket whose allocation found the protocol under xtcp_mem[0]
 */
void xtcp_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(xtcp_memory_pressure))
		WRITE_ONCE(xtcp_memory_pressure, 0);
}

/**
 * xtcp_sndbuf_expand() - let the send buffer hold what cwnd may send
 * @sk: the socket, established, with its MSS known
 *
 * Room for twice the congestion window (one window in flight, the next
 * being written), each segment at the truesize its skb really takes, as
 * Linux TCP's tcp_sndbuf_expand(). The socket starts with
 * net.core.wmem_default (208 KiB: about 90 segments of 1460 bytes, less
 * than a long fat path's window); the buffer only grows, up to
 * xtcp_wmem[2], and not under memory pressure nor once SO_SNDBUF has
 * set it.
 */
void xtcp_sndbuf_expand(struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 per, want;

	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || READ_ONCE(xtcp_memory_pressure))
		return;
	per = roundup_pow_of_two(SKB_TRUESIZE(xs->mss));
	want = min_t(u64, 2ULL * max_t(u32, xs->cwnd, XTCP_INIT_CWND) * per,
		     READ_ONCE(xtcp_wmem[2]));
	if (want > READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, want);
}

/**
 * xtcp_rcvbuf_may_grow() - may the receive buffer grow by itself?
 * @sk: the socket
 *
 * Return: true unless SO_RCVBUF set it or net.xtcp.moderate_rcvbuf is 0.
 */
bool xtcp_rcvbuf_may_grow(const struct sock *sk)
{
	return !(sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	       READ_ONCE(xtcp_pernet(sock_net(sk))->moderate_rcvbuf);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcvbuf_may_grow);

/**
 * xtcp_rcvbuf_init() - start measuring what the reader takes
 * @sk: the socket, just established, its first window announced
 *
 * The first round has to beat the window the connection began with, or
 * ten segments if that is less.
 */
void xtcp_rcvbuf_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rcvq_space = min_t(u32, xs->rcv_wnd, XTCP_INIT_CWND * xs->advmss);
	xs->rcvq_copied = xs->copied;
	xs->rcvq_stamp = ktime_get();
	xs->rcv_rtt_stamp = 0;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcvbuf_init);

/**
 * xtcp_rcv_rtt_measure() - time the round trip from the receiving side
 * @sk: the socket, whose RCV.NXT just moved on
 *
 * Without timestamps a receiver times a round trip by its window: data
 * a whole window past RCV.NXT cannot come before the sender has heard of
 * the room for it, so the time it takes to arrive is at least one round
 * trip. The estimate is the least such time seen: a sender that is not
 * held by our window takes longer, and says nothing of the path.
 */
void xtcp_rcv_rtt_measure(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t now;
	s64 us;

	if (xs->rcv_rtt_stamp && xtcp_seq_before(xs->rcv_nxt, xs->rcv_rtt_seq))
		return;
	now = ktime_get();
	if (xs->rcv_rtt_stamp) {
		us = max_t(s64, ktime_us_delta(now, xs->rcv_rtt_stamp), 1);
		if (!xs->rcv_rtt_us || us < xs->rcv_rtt_us)
			xs->rcv_rtt_us = min_t(s64, us, U32_MAX);
	}
	xs->rcv_rtt_seq = xs->rcv_nxt + xs->rcv_wnd;
	xs->rcv_rtt_stamp = now;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcv_rtt_measure);

/**
 * xtcp_rcvbuf_want() - the receive buffer a reader's pace asks for
 * @copied: bytes the process read in the round trip just ended
 * @prev: bytes read in the busiest round before it, less than @copied
 * @advmss: the MSS we announce
 * @ratio: xtcp_sock.rcv_ratio: data per byte of receive memory, in 1/256ths
 *
 * The window the sender may need next: twice what was read, so that a
 * loss, which holds a round's data back for another round, does not
 * stall the sender; sixteen segments more for the jitter of the rounds;
 * and while the sender is still speeding up (slow start doubles it each
 * round trip, and the window we announce now is used a round later),
 * twice the growth over @prev again. The buffer is the memory that
 * window's data takes at @ratio.
 *
 * Return: the buffer, in bytes, at most U32_MAX.
 */
VISIBLE_IF_KUNIT u32 xtcp_rcvbuf_want(u32 copied, u32 prev, u32 advmss, u8 ratio)
{
	u64 wnd = 2ULL * copied + 16ULL * advmss;

	/* Past 2 GiB, growth would overflow; no buffer gets near that anyway. */
	if (prev && wnd < U32_MAX / 2)
		wnd += div_u64(2 * wnd * (copied - prev), prev);
	if (wnd >= U32_MAX)
		return U32_MAX;
	return min_t(u64, div_u64(wnd << XTCP_RATIO_SHIFT, max_t(u8, ratio, 1)), U32_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcvbuf_want);

/**
 * xtcp_rcvbuf_adjust() - grow the receive buffer to the reader's pace
 * @sk: the socket, after the process read from it
 *
 * Once a round trip has passed since the round began: if the process
 * read more in it than in any round before, the buffer grows to what
 * xtcp_rcvbuf_want() asks (at most xtcp_rmem[2]); a new round begins.
 */
void xtcp_rcvbuf_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	ktime_t now = ktime_get();
	u32 copied, want;

	if (!xs->rcv_rtt_us || ktime_us_delta(now, xs->rcvq_stamp) < xs->rcv_rtt_us)
		return;
	copied = xs->copied - xs->rcvq_copied;
	if (copied > xs->rcvq_space) {
		if (xtcp_rcvbuf_may_grow(sk)) {
			want = xtcp_rcvbuf_want(copied, xs->rcvq_space, xs->advmss,
						xs->rcv_ratio);
			want = min_t(u32, want, READ_ONCE(xtcp_rmem[2]));
			if (want > READ_ONCE(sk->sk_rcvbuf))
				WRITE_ONCE(sk->sk_rcvbuf, want);
		}
		xs->rcvq_space = copied;
	}
	xs->rcvq_copied = xs->copied;
	xs->rcvq_stamp = now;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_rcvbuf_adjust);

/**
 * xtcp_wmem_charge() - account a segment about to join the write queue
 * @sk: the socket
 * @skb: the segment
 * @force: charge it even over the protocol's limit (a FIN)
 *
 * Return: true if charged; false if the protocol is out of memory.
 */
bool xtcp_wmem_charge(struct sock *sk, struct sk_buff *skb, bool force)
{
	if (!sk_wmem_schedule(sk, skb->truesize) && !force)
		return false;
	sk_mem_charge(sk, skb->truesize);
	sk->sk_wmem_queued += skb->truesize;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_wmem_charge);

/**
 * xtcp_wmem_free() - free a segment of the write queue, unlinked
 * @sk: the socket
 * @skb: the segment
 */
void xtcp_wmem_free(struct sock *sk, struct sk_buff *skb)
{
	sk->sk_wmem_queued -= skb->truesize;
	sk_mem_uncharge(sk, skb->truesize);
	__kfree_skb(skb);
}

/**
 * xtcp_rmem_schedule() - reserve memory for received data
 * @sk: the socket
 * @skb: the data, to go on the receive or out-of-order queue, where
 *	skb_set_owner_r() charges it (and freeing it uncharges)
 *
 * Return: true if reserved; false, counted, if the protocol is out of
 * memory.
 */
bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb)
{
	if (sk_rmem_schedule(sk, skb, skb->truesize))
		return true;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_RCV_MEM_DROPS);
	return false;
}

/**
 * xtcp_backlog_limit() - how much a socket's backlog may bring it to
 * @sk: the socket
 *
 * A segment for a socket a process owns waits in its backlog unless the
 * backlog and the receive queue together (sk->sk_backlog.len plus
 * sk->sk_rmem_alloc, in truesize) would pass this; then it is dropped.
 * As Linux TCP's (tcp_add_backlog()): room for each of the two to reach
 * the receive buffer, since the backlog's length is only reset once
 * release_sock() has emptied it (what it has moved to the receive queue
 * meanwhile counts twice), half the send buffer for the ACKs of a
 * sender, and 64 KiB, a GSO packet, on top. With the receive buffer
 * alone, a reader copying out a large read held the socket long enough
 * for whole GSO packets to be dropped, and the sender to recover from
 * their loss.
 *
 * Return: bytes, at most U32_MAX.
 */
u32 xtcp_backlog_limit(const struct sock *sk)
{
	u64 limit = 2ULL * (u32)READ_ONCE(sk->sk_rcvbuf) + (u32)READ_ONCE(sk->sk_sndbuf) / 2 +
		    SZ_64K;

	return min_t(u64, limit, U32_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(xtcp_backlog_limit);

/**
 * xtcp_mem_init() - the protocol's limits, from the memory there is
 *
 * As Linux sizes tcp_mem: a sixteenth of the pages beyond the high
 * watermark is the pressure point, three quarters of it the low mark,
 * twice the low mark the hard limit; unless the "mem" parameter set them.
 *
 * One socket's buffers may take at most a 128th of that memory, as
 * tcp_wmem[2] and tcp_rmem[2] may: where that is less than 4 MiB (send)
 * or 6 MiB (receive), it is the most a buffer grows to, and the window
 * scale offered is the one that covers it: in a machine of 512 MiB,
 * buffers of about 3 MiB and a scale of 6, as Linux TCP's there.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_mem_init(void)
{
	unsigned long pages = nr_free_buffer_pages();
	unsigned long limit = max(pages / 16, 128UL);
	unsigned long share = pages << (PAGE_SHIFT - 7);

	if (!xtcp_mem[0]) {
		xtcp_mem[0] = limit / 4 * 3;
		xtcp_mem[1] = limit;
		xtcp_mem[2] = xtcp_mem[0] * 2;
	}
	xtcp_wmem[2] = clamp_t(unsigned long, share, SZ_64K, SZ_4M);
	xtcp_rmem[2] = clamp_t(unsigned long, share, SZ_128K, 6 * SZ_1M);
	return percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
}

/**
 * xtcp_mem_exit() - undo xtcp_mem_init()
 */
void xtcp_mem_exit(void)
{
	percpu_counter_destroy(&xtcp_sockets_allocated);
}
