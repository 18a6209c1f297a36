// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a socket timer's references and due times (module/timer.c).
 *
 * The rule under test: a queued hrtimer holds one socket reference, each
 * expiry drops one, and nothing else adds or drops any, whatever order
 * xtcp_timer_set(), xtcp_timer_clear(), xtcp_timer_forget() and expiries
 * come in. The cases play the orders that happen when an expiry runs on
 * one CPU while another holds the socket: the hrtimer is taken off its
 * queue first (as the hrtimer core dequeues an expiry), then
 * xtcp_timer_handler() is called by hand, later, as the handler waiting
 * for the socket lock would run. Each case counts the socket's
 * references at every step and the runs of the timer's work.
 *
 * The socket is a real xtcp socket, never connected, whose retransmission
 * timer is given the test's own work.
 */
#include <kunit/test.h>
#include <net/sock.h>

#include "ksock.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define HOUR_NS		(3600ULL * NSEC_PER_SEC)

struct timer_ctx {
	struct sock *sk;
	struct xtcp_timer *t;
	unsigned int base;	/* references before the case */
};

static atomic_t fired;
static ktime_t rearm_to;	/* the work's own re-arm, or 0 */

static void test_fire(struct sock *sk)
{
	atomic_inc(&fired);
	if (rearm_to)
		xtcp_timer_set(sk, &xtcp_sk(sk)->timer, rearm_to);
}

static int timer_init(struct kunit *test)
{
	struct timer_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->sk = xtcp_kunit_sock(test);
	c->t = &xtcp_sk(c->sk)->timer;
	xtcp_timer_setup(c->sk, c->t, test_fire, XTCP_DEFER_TIMER);
	c->base = refcount_read(&c->sk->sk_refcnt);
	atomic_set(&fired, 0);
	rearm_to = 0;
	test->priv = c;
	return 0;
}

static ktime_t from_now(u64 ns)
{
	return ktime_add_ns(ktime_get(), ns);
}

static int refs(struct timer_ctx *c)
{
	return refcount_read(&c->sk->sk_refcnt) - c->base;
}

static void set(struct timer_ctx *c, ktime_t due)
{
	lock_sock(c->sk);
	xtcp_timer_set(c->sk, c->t, due);
	release_sock(c->sk);
}

static void clear(struct timer_ctx *c)
{
	lock_sock(c->sk);
	xtcp_timer_clear(c->sk, c->t);
	release_sock(c->sk);
}

/* The hrtimer core takes the expiry off its queue: its reference rides on. */
static void dequeue(struct kunit *test, struct timer_ctx *c)
{
	KUNIT_ASSERT_EQ(test, hrtimer_try_to_cancel(&c->t->hrt), 1);
}

/* ... and the handler runs, in softirq, as it would. */
static void expire(struct timer_ctx *c)
{
	local_bh_disable();
	xtcp_timer_handler(&c->t->hrt);
	local_bh_enable();
}

static void set_holds_one_reference(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	ktime_t first = from_now(HOUR_NS);

	set(c, first);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_TRUE(test, hrtimer_is_queued(&c->t->hrt));

	/* Put off: the queued expiry stays; it will sleep on. */
	set(c, from_now(2 * HOUR_NS));
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), first);

	/* Brought forward: the hrtimer moves, with the same reference. */
	set(c, from_now(HOUR_NS / 2));
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), c->t->due);

	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
	KUNIT_EXPECT_FALSE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, c->t->due, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
}

static void early_expiry_sleeps_on(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_TRUE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), c->t->due);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

static void due_expiry_runs_once(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	c->t->due = ktime_get();	/* the hour has passed */
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 1);
	KUNIT_EXPECT_EQ(test, c->t->due, 0);
	KUNIT_EXPECT_FALSE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/* The work re-arms its own timer: one reference, for the new expiry. */
static void work_rearms(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	rearm_to = from_now(HOUR_NS);
	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	c->t->due = ktime_get();
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 1);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), rearm_to);
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/*
 * The stress test's leak: while an expiry waits for the socket, another
 * CPU queues the timer again; then the expiry's work queues it too. Two
 * arms of one hrtimer, one reference between them.
 */
static void rearm_while_expiry_waits(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	rearm_to = from_now(3 * HOUR_NS);
	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	set(c, from_now(2 * HOUR_NS));
	KUNIT_EXPECT_EQ(test, refs(c), 2);	/* the waiting expiry's, the queue's */
	c->t->due = ktime_get();
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 1);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_TRUE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, c->t->due, rearm_to);
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/* The same, when the re-armed work is not due yet: the expiry just goes. */
static void rearm_while_expiry_waits_not_due(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	set(c, from_now(2 * HOUR_NS));
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

static void cleared_while_expiry_waits(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	set(c, from_now(HOUR_NS));
	dequeue(test, c);
	c->t->due = ktime_get();
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 1);	/* the waiting expiry's */
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/*
 * Forgotten work leaves the hrtimer queued, with its reference, until it
 * expires with nothing due; set again for no earlier than that expiry,
 * it is not touched.
 */
static void forget_leaves_it_queued(struct kunit *test)
{
	struct timer_ctx *c = test->priv;
	ktime_t first = from_now(HOUR_NS);

	set(c, first);
	lock_sock(c->sk);
	xtcp_timer_forget(c->t);
	release_sock(c->sk);
	KUNIT_EXPECT_EQ(test, c->t->due, 0);
	KUNIT_EXPECT_TRUE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, refs(c), 1);

	set(c, from_now(2 * HOUR_NS));
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), first);
	KUNIT_EXPECT_EQ(test, refs(c), 1);

	lock_sock(c->sk);
	xtcp_timer_forget(c->t);
	release_sock(c->sk);
	dequeue(test, c);
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_FALSE(test, hrtimer_is_queued(&c->t->hrt));
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/* Forgotten, then wanted sooner than the queued expiry: it moves up. */
static void forget_then_sooner(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	set(c, from_now(HOUR_NS));
	lock_sock(c->sk);
	xtcp_timer_forget(c->t);
	release_sock(c->sk);
	set(c, from_now(HOUR_NS / 2));
	KUNIT_EXPECT_EQ(test, hrtimer_get_expires(&c->t->hrt), c->t->due);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	dequeue(test, c);
	c->t->due = ktime_get();
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 1);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

/* A process owns the socket: release_sock() runs the work, once. */
static void owned_expiry_deferred(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	lock_sock(c->sk);
	xtcp_timer_set(c->sk, c->t, from_now(HOUR_NS));
	dequeue(test, c);
	c->t->due = ktime_get();
	expire(c);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	release_sock(c->sk);
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 1);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(XTCP_DEFER_TIMER, &xtcp_sk(c->sk)->deferred));
}

/* Two expiries while owned: one deferral, one reference kept. */
static void owned_two_expiries(struct kunit *test)
{
	struct timer_ctx *c = test->priv;

	lock_sock(c->sk);
	xtcp_timer_set(c->sk, c->t, from_now(HOUR_NS));
	dequeue(test, c);
	expire(c);
	xtcp_timer_set(c->sk, c->t, from_now(HOUR_NS));
	dequeue(test, c);
	expire(c);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	release_sock(c->sk);
	/* Not due: the deferred expiry queued the timer again. */
	KUNIT_EXPECT_EQ(test, atomic_read(&fired), 0);
	KUNIT_EXPECT_EQ(test, refs(c), 1);
	KUNIT_EXPECT_TRUE(test, hrtimer_is_queued(&c->t->hrt));
	clear(c);
	KUNIT_EXPECT_EQ(test, refs(c), 0);
}

static struct kunit_case xtcp_timer_cases[] = {
	KUNIT_CASE(set_holds_one_reference),
	KUNIT_CASE(early_expiry_sleeps_on),
	KUNIT_CASE(due_expiry_runs_once),
	KUNIT_CASE(work_rearms),
	KUNIT_CASE(rearm_while_expiry_waits),
	KUNIT_CASE(rearm_while_expiry_waits_not_due),
	KUNIT_CASE(cleared_while_expiry_waits),
	KUNIT_CASE(forget_leaves_it_queued),
	KUNIT_CASE(forget_then_sooner),
	KUNIT_CASE(owned_expiry_deferred),
	KUNIT_CASE(owned_two_expiries),
	{}
};

static struct kunit_suite xtcp_timer_suite = {
	.name = "xtcp_timer",
	.init = timer_init,
	.test_cases = xtcp_timer_cases,
};

kunit_test_suite(xtcp_timer_suite);
