// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp: the socket table of a namespace, in the shape of Linux's
 * /proc/net/tcp, so that whoever reads that one reads this one.
 *
 * One line per connection or listener, then under each listener one per
 * SYN-RECEIVED request (listen.c), then one per TIME-WAIT entry (tw.c).
 * Columns as /proc/net/tcp's, up to the inode:
 *
 *   sl              the line's number
 *   local_address   address:port, the address the raw __be32 printed as
 *   rem_address     a number (%08X), the port in host order (%04X)
 *   st              the state, TCP's numbers (which xtcp's are)
 *   tx_queue        WRITE.SEQ - SND.UNA: queued, unacknowledged
 *   rx_queue        bytes received, not read; a listener's accept queue
 *   tr:tm->when     the timer (enum xtcp_proc_timer) and the time left on
 *                   it, in clock ticks (USER_HZ), as TCP prints it
 *   retrnsmt        timeouts of the oldest segment (or zero-window
 *                   probes, or tries at a packet that could not be
 *                   built); a request's SYN-ACKs sent again
 *   uid             the owner; a request's is its listener's
 *   timeout         zero-window or keepalive probes unanswered, as
 *                   TCP's icsk_probes_out
 *   inode           the socket's inode; 0 for requests and TIME-WAIT
 *
 * Locking: the hash tables are walked by hash.c, which hands each socket
 * over with a reference and no lock held; it is then read under its own
 * socket lock (lock_sock_fast(): the file is read in process context),
 * which also guards a listener's requests. TIME-WAIT entries are read
 * under xtcp_hash_lock, one bucket at a time. Nothing sleeps under a
 * spinlock. The file is one single_open() show: a table that outgrows
 * the buffer is walked again into a larger one, so every line is there.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"

struct xtcp_proc_walk {
	struct seq_file *seq;
	unsigned int num;
};

/* Clock ticks from now until @due, 0 if it is past. */
static unsigned long xtcp_proc_ticks(ktime_t due)
{
	s64 left = ktime_to_ns(ktime_sub(due, ktime_get()));

	return left > 0 ? div_u64(left, NSEC_PER_SEC / USER_HZ) : 0;
}

/**
 * xtcp_proc_show_entry() - print one line of /proc/net/xtcp
 * @seq: the file
 * @num: the line's number, advanced past it
 * @e: what the line says
 */
void xtcp_proc_show_entry(struct seq_file *seq, unsigned int *num,
			  const struct xtcp_proc_entry *e)
{
	unsigned long when = e->timer ? xtcp_proc_ticks(e->due) : 0;

	seq_printf(seq, "%4u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8u %lu\n",
		   (*num)++, (__force u32)e->laddr, ntohs(e->lport),
		   (__force u32)e->raddr, ntohs(e->rport), e->state, e->tx_queue,
		   e->rx_queue, e->timer, when, e->retrans, e->uid, e->probes, e->ino);
}

/* What a connection's timer is waiting for (timer.c's xs->timer). */
static u8 xtcp_proc_timer(const struct xtcp_sock *xs)
{
	if (!xs->timer.due)
		return XTCP_PROC_TIMER_NONE;
	if (xs->snd_una != xs->snd_nxt)
		return XTCP_PROC_TIMER_RETRANS;
	if (xs->send_head)
		return XTCP_PROC_TIMER_PROBE;
	return XTCP_PROC_TIMER_OTHER;	/* keepalive, an orphan's FIN-WAIT-2 */
}

/**
 * xtcp_proc_sock_entry() - what /proc/net/xtcp shows of a socket
 * @sk: the socket, locked
 * @e: filled in, but for the uid and the inode, left 0 (the caller
 *	knows whose user namespace it speaks to, and reads them unlocked)
 */
void xtcp_proc_sock_entry(struct sock *sk, struct xtcp_proc_entry *e)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);

	*e = (struct xtcp_proc_entry){
		.laddr = inet->inet_rcv_saddr,
		.lport = inet->inet_sport,
		.raddr = inet->inet_daddr,
		.rport = inet->inet_dport,
		.state = sk->sk_state,
	};
	if (sk->sk_state == TCP_LISTEN) {
		e->rx_queue = READ_ONCE(sk->sk_ack_backlog);
	} else {
		e->tx_queue = xs->write_seq - xs->snd_una;
		e->rx_queue = xtcp_inq(sk);
		e->timer = xtcp_proc_timer(xs);
		e->due = xs->timer.due;
		e->retrans = xs->retries;
		e->probes = xs->probes;
	}
}
EXPORT_SYMBOL_GPL(xtcp_proc_sock_entry);

/* A hashed socket's line, and a listener's requests; hash.c's callback. */
static void xtcp_proc_sock(struct sock *sk, void *arg)
{
	struct xtcp_proc_walk *w = arg;
	uid_t uid = from_kuid_munged(seq_user_ns(w->seq), sock_i_uid(sk));
	unsigned long ino = sock_i_ino(sk);
	struct xtcp_proc_entry e;
	bool slow;

	slow = lock_sock_fast(sk);
	/* Unhashed since it was found: closed, or become a TIME-WAIT entry. */
	if (sk->sk_state == TCP_CLOSE)
		goto out;
	xtcp_proc_sock_entry(sk, &e);
	e.uid = uid;
	e.ino = ino;
	xtcp_proc_show_entry(w->seq, &w->num, &e);
	if (sk->sk_state == TCP_LISTEN)
		xtcp_listen_seq_show(w->seq, sk, uid, &w->num);
out:
	unlock_sock_fast(sk, slow);
}

static int xtcp_proc_show(struct seq_file *seq, void *v)
{
	struct xtcp_proc_walk w = { .seq = seq };
	struct net *net = seq_file_single_net(seq);

	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	xtcp_hash_walk(net, true, xtcp_proc_sock, &w);
	xtcp_hash_walk(net, false, xtcp_proc_sock, &w);
	xtcp_tw_seq_show(seq, net, &w.num);
	return 0;
}

/**
 * xtcp_proc_init_net() - create a namespace's /proc/net/xtcp
 * @net: the namespace
 *
 * Return: 0, or -ENOMEM.
 */
int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("xtcp", 0444, net->proc_net, xtcp_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

/**
 * xtcp_proc_exit_net() - remove it; waits for readers to finish
 * @net: the namespace
 */
void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp", net->proc_net);
}
