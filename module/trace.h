/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's tracepoints: how `make run`, tools and tests watch a connection.
 * Enable them all with
 *   echo 1 > /sys/kernel/tracing/events/xtcp/enable
 * Addresses are kept in network byte order, as %pI4 prints them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tcp.h>
#include <linux/tracepoint.h>
#include <net/sock.h>

/*
 * A state change of a socket, and its cause (enum xtcp_cause): a call, a
 * segment, a timer, an ICMP error.
 */
TRACE_EVENT(xtcp_set_state,
	    TP_PROTO(const struct sock *sk, int oldstate, int newstate, u8 cause),
	    TP_ARGS(sk, oldstate, newstate, cause),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)
			     __field(u8, cause)),
	    TP_fast_assign(__entry->skaddr = sk;
			   __entry->saddr = (__force u32)inet_sk(sk)->inet_saddr;
			   __entry->daddr = (__force u32)inet_sk(sk)->inet_daddr;
			   __entry->sport = ntohs(inet_sk(sk)->inet_sport);
			   __entry->dport = ntohs(inet_sk(sk)->inet_dport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate;
			   __entry->cause = cause),
	    TP_printk("sk=%p %pI4:%u %pI4:%u %s -> %s why=%s", __entry->skaddr,
		      &__entry->saddr, __entry->sport, &__entry->daddr,
		      __entry->dport, xtcp_state_name(__entry->oldstate),
		      xtcp_state_name(__entry->newstate),
		      xtcp_cause_name(__entry->cause))
);

/* A listener's request (SYN-RECEIVED, not a socket) changes state. */
TRACE_EVENT(xtcp_request,
	    TP_PROTO(const struct sock *listener, __be32 raddr, __be16 rport,
		     int oldstate, int newstate),
	    TP_ARGS(listener, raddr, rport, oldstate, newstate),
	    TP_STRUCT__entry(__field(u16, lport)
			     __field(u32, raddr)
			     __field(u16, rport)
			     __field(int, oldstate)
			     __field(int, newstate)),
	    TP_fast_assign(__entry->lport = inet_sk(listener)->inet_num;
			   __entry->raddr = (__force u32)raddr;
			   __entry->rport = ntohs(rport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate),
	    TP_printk("listener :%u request from %pI4:%u %s -> %s",
		      __entry->lport, &__entry->raddr, __entry->rport,
		      xtcp_state_name(__entry->oldstate),
		      xtcp_state_name(__entry->newstate))
);

/* A segment sent (out) or received and valid (in). */
TRACE_EVENT(xtcp_segment,
	    TP_PROTO(const struct net *net, __be32 saddr, __be32 daddr,
		     const struct tcphdr *th, unsigned int len, bool out),
	    TP_ARGS(net, saddr, daddr, th, len, out),
	    TP_STRUCT__entry(__field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u32, seq)
			     __field(u32, ack)
			     __field(u16, window)
			     __field(u8, flags)
			     __field(unsigned int, len)
			     __field(bool, out)),
	    TP_fast_assign(__entry->saddr = (__force u32)saddr;
			   __entry->daddr = (__force u32)daddr;
			   __entry->sport = ntohs(th->source);
			   __entry->dport = ntohs(th->dest);
			   __entry->seq = ntohl(th->seq);
			   __entry->ack = ntohl(th->ack_seq);
			   __entry->window = ntohs(th->window);
			   __entry->flags = ((const u8 *)th)[13];
			   __entry->len = len;
			   __entry->out = out),
	    TP_printk("%s %pI4:%u > %pI4:%u flags=%s seq=%u ack=%u win=%u len=%u",
		      __entry->out ? "out" : "in", &__entry->saddr,
		      __entry->sport, &__entry->daddr, __entry->dport,
		      __print_flags(__entry->flags, "|",
				    { 0x01, "FIN" }, { 0x02, "SYN" },
				    { 0x04, "RST" }, { 0x08, "PSH" },
				    { 0x10, "ACK" }, { 0x20, "URG" }),
		      __entry->seq, __entry->ack, __entry->window, __entry->len)
);

/*
 * The oldest unacknowledged segment goes again: why ("timeout", "fast",
 * "partial ack", "syn-ack"), with the RTO and cwnd it goes with. The
 * four-tuple (local, then remote) places it in its connection.
 */
TRACE_EVENT(xtcp_retransmit,
	    TP_PROTO(const struct sock *sk, u32 seq, const char *why, unsigned int retries,
		     u32 rto_us, u32 cwnd),
	    TP_ARGS(sk, seq, why, retries, rto_us, cwnd),
	    TP_STRUCT__entry(__field(const void *, skaddr)
			     __field(u32, saddr)
			     __field(u32, daddr)
			     __field(u16, sport)
			     __field(u16, dport)
			     __field(u32, seq)
			     __field(const char *, why)
			     __field(unsigned int, retries)
			     __field(u32, rto_us)
			     __field(u32, cwnd)
			     __field(int, state)),
	    TP_fast_assign(__entry->skaddr = sk;
			   __entry->saddr = (__force u32)inet_sk(sk)->inet_saddr;
			   __entry->daddr = (__force u32)inet_sk(sk)->inet_daddr;
			   __entry->sport = ntohs(inet_sk(sk)->inet_sport);
			   __entry->dport = ntohs(inet_sk(sk)->inet_dport);
			   __entry->seq = seq;
			   __entry->why = why;
			   __entry->retries = retries;
			   __entry->rto_us = rto_us;
			   __entry->cwnd = cwnd;
			   __entry->state = sk->sk_state),
	    TP_printk("sk=%p %pI4:%u %pI4:%u %s seq=%u why=%s retries=%u rto=%uus cwnd=%u",
		      __entry->skaddr, &__entry->saddr, __entry->sport, &__entry->daddr,
		      __entry->dport, xtcp_state_name(__entry->state), __entry->seq,
		      __entry->why, __entry->retries, __entry->rto_us, __entry->cwnd)
);

/*
 * A listener's request sends its SYN-ACK again on the listener's timer
 * (listen.c), after a timeout of rto_us: the request has no socket, so
 * its four-tuple stands for it.
 */
TRACE_EVENT(xtcp_request_retransmit,
	    TP_PROTO(__be32 laddr, __be16 lport, __be32 raddr, __be16 rport, u32 iss,
		     unsigned int retries, u32 rto_us),
	    TP_ARGS(laddr, lport, raddr, rport, iss, retries, rto_us),
	    TP_STRUCT__entry(__field(u32, laddr)
			     __field(u32, raddr)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(u32, iss)
			     __field(unsigned int, retries)
			     __field(u32, rto_us)),
	    TP_fast_assign(__entry->laddr = (__force u32)laddr;
			   __entry->raddr = (__force u32)raddr;
			   __entry->lport = ntohs(lport);
			   __entry->rport = ntohs(rport);
			   __entry->iss = iss;
			   __entry->retries = retries;
			   __entry->rto_us = rto_us),
	    TP_printk("%pI4:%u %pI4:%u SYN-RECEIVED seq=%u why=timeout retries=%u rto=%uus",
		      &__entry->laddr, __entry->lport, &__entry->raddr, __entry->rport,
		      __entry->iss, __entry->retries, __entry->rto_us)
);

/*
 * A TIME-WAIT entry begins ("enter"), re-ACKs a FIN ("re-ack"), gives way
 * to a new SYN ("reuse"), or ends when its time is up ("expire").
 */
TRACE_EVENT(xtcp_tw,
	    TP_PROTO(const struct net *net, __be32 laddr, __be16 lport,
		     __be32 raddr, __be16 rport, const char *what),
	    TP_ARGS(net, laddr, lport, raddr, rport, what),
	    TP_STRUCT__entry(__field(u32, laddr)
			     __field(u32, raddr)
			     __field(u16, lport)
			     __field(u16, rport)
			     __field(const char *, what)),
	    TP_fast_assign(__entry->laddr = (__force u32)laddr;
			   __entry->raddr = (__force u32)raddr;
			   __entry->lport = ntohs(lport);
			   __entry->rport = ntohs(rport);
			   __entry->what = what),
	    TP_printk("%pI4:%u %pI4:%u TIME-WAIT %s", &__entry->laddr,
		      __entry->lport, &__entry->raddr, __entry->rport,
		      __entry->what)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
