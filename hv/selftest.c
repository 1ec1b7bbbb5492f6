/*
 * Power-on self-test: checks, on the real machine, what the rest of the
 * hypervisor relies on. Each check prints one line with what it measured.
 */
#include <stdio.h>
#include <string.h>
#include "hv/selftest.h"
#include "hv/cpu.h"
#include "hv/lib/log.h"
#include "hv/mm/memory.h"
#include "hv/smp.h"
#include "hv/lib/spinlock.h"
#include "hv/timer.h"
#include "arch/spr.h"
#include "drivers/opal/opal.h"

static unsigned int passed, failed;

static void result(int ok, const char *name, const char *detail)
{
	hvprint("selftest: %-10s %s  %s", name, ok ? "ok  " : "FAIL", detail);
	if (ok)
		passed++;
	else
		failed++;
}

#define CHECK(cond, name, ...)                         \
	do {                                           \
		char d_[160];                          \
		snprintf(d_, sizeof(d_), __VA_ARGS__); \
		result((cond), name, d_);              \
	} while (0)

static int pattern_ok(uint64_t addr, uint64_t size, uint64_t seed, int write)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;
	for (uint64_t i = 0; i < size / 8; i++) {
		uint64_t v = (i * 0x9e3779b97f4a7c15ull) ^ seed;
		if (write)
			p[i] = v;
		else if (p[i] != v)
			return 0;
	}
	return 1;
}

static void test_allocator(const struct platform *p, const struct plat_rsv *busy, unsigned int nbusy)
{
	uint64_t before = hv_free_bytes();
	uint64_t a = hv_alloc_pages(64 * 1024, 64 * 1024);
	uint64_t b = hv_alloc_pages(1 << 20, 1 << 20);
	uint64_t c = hv_alloc_pages(16 << 20, 16 << 20); /* the size and alignment of a large HPT */
	int ok = a && b && c && !(a & 0xffff) && !(b & 0xfffff) && !(c & 0xffffff);
	ok = ok && (a + 65536 <= b || b + (1 << 20) <= a) && (b + (1 << 20) <= c || c + (16 << 20) <= b);
	/* No reserved byte may be free, and nothing handed out may be reserved. */
	int rsv_ok = 1;
	for (unsigned int i = 0; i < p->nrsv + nbusy; i++) {
		const struct range *r = i < p->nrsv ? &p->rsv[i].r : &busy[i - p->nrsv].r;
		rsv_ok &= palloc_is_allocated(&hv_palloc, r->start, r->end);
		uint64_t blocks[3][2] = { { a, 65536 }, { b, 1 << 20 }, { c, 16 << 20 } };
		for (int k = 0; k < 3; k++)
			rsv_ok &= blocks[k][0] >= r->end || blocks[k][0] + blocks[k][1] <= r->start;
	}
	if (ok) {
		pattern_ok(a, 65536, 1, 1);
		pattern_ok(b, 1 << 20, 2, 1);
		ok = pattern_ok(a, 65536, 1, 0) && pattern_ok(b, 1 << 20, 2, 0);
	}
	if (a)
		hv_free_pages(a, 64 * 1024);
	if (b)
		hv_free_pages(b, 1 << 20);
	if (c)
		hv_free_pages(c, 16 << 20);
	int restored = hv_free_bytes() == before;
	CHECK(ok && rsv_ok && restored, "allocator",
	      "64K@0x%llx 1M@0x%llx 16M@0x%llx aligned, patterns %s, %u reserved ranges untouched: %s, free bytes "
	      "restored: %s",
	      (unsigned long long)a, (unsigned long long)b, (unsigned long long)c, ok ? "verified" : "BAD",
	      p->nrsv + nbusy, rsv_ok ? "yes" : "NO", restored ? "yes" : "NO");
}

static void test_fdt(const struct platform *p)
{
	uint64_t pir = mfspr(SPR_PIR);
	int ok = p->ncpus > 0 && p->tb_freq > 0 && platform_mem_total(p) > 0 && pir == p->boot_cpu &&
		 p->opal_entry == opal.entry && p->opal_base == opal.base;
	CHECK(ok, "fdt", "%u CPUs, boot CPU 0x%x (PIR 0x%llx), %llu MiB in %u ranges, timebase %llu Hz, OPAL entry %s",
	      p->ncpus, p->boot_cpu, (unsigned long long)pir, (unsigned long long)(platform_mem_total(p) >> 20),
	      p->nmem, (unsigned long long)p->tb_freq, p->opal_entry == opal.entry ? "matches r9" : "DIFFERS from r9");
}

static void count_hdec(struct cpu *c)
{
	(void)c;
}

static void test_timer(void)
{
	uint64_t t0 = tb_now();
	udelay(1000);
	uint64_t delay_ticks = tb_now() - t0;
	int delay_ok = delay_ticks >= us_to_tb(1000);

	struct cpu *c = this_cpu();
	uint64_t want = us_to_tb(200);
	uint64_t before = c->hdec_ticks, limit = us_to_tb(500000), fired_at = 0;
	c->hdec_handler = count_hdec;
	t0 = tb_now();
	hdec_arm(want);
	irq_enable();
	while (c->hdec_ticks == before && tb_now() - t0 < limit)
		cpu_relax();
	fired_at = tb_now() - t0;
	irq_disable();
	c->hdec_handler = 0;
	int hdec_ok = c->hdec_ticks == before + 1 && fired_at >= want;
	CHECK(delay_ok && hdec_ok, "timer", "udelay(1000) took %llu us; HDEC for %llu us fired %s after %llu us",
	      (unsigned long long)tb_to_us(delay_ticks), (unsigned long long)tb_to_us(want),
	      hdec_ok ? "once" : "NOT or more than once", (unsigned long long)tb_to_us(fired_at));
}

/* SMP rendezvous: every CPU checks in, then all wait for each other. */
struct rendezvous {
	volatile uint32_t arrived, released;
	uint32_t total;
	volatile uint64_t pir_seen[MAX_CPUS];
};

static void rendezvous_fn(void *arg)
{
	struct rendezvous *r = arg;
	r->pir_seen[this_cpu()->index] = mfspr(SPR_PIR) + 1;
	__atomic_add_fetch(&r->arrived, 1, __ATOMIC_SEQ_CST);
	uint64_t end = tb_now() + us_to_tb(1000000);
	while (r->arrived < r->total && (int64_t)(tb_now() - end) < 0)
		cpu_relax();
	__atomic_add_fetch(&r->released, 1, __ATOMIC_SEQ_CST);
}

/* Posts fn to every online secondary without waiting, then runs it here. */
static void run_everywhere(cpu_call_fn fn, void *arg)
{
	for (unsigned int i = 0; i < ncpus; i++) {
		struct cpu *c = cpus[i];
		if (c && c != this_cpu() && c->state == CPU_ONLINE && !c->call_fn) {
			c->call_arg = arg;
			sync();
			c->call_fn = fn;
		}
	}
	fn(arg);
}

static void test_smp(const struct platform *p)
{
	static struct rendezvous r;
	memset((void *)&r, 0, sizeof(r));
	r.total = smp_online();
	run_everywhere(rendezvous_fn, &r);
	uint64_t end = tb_now() + us_to_tb(1000000);
	while (r.released < r.total && (int64_t)(tb_now() - end) < 0)
		cpu_relax();
	int ids_ok = 1;
	for (unsigned int i = 0; i < ncpus; i++)
		if (cpus[i] && cpus[i]->state == CPU_ONLINE)
			ids_ok &= r.pir_seen[i] == (uint64_t)cpus[i]->server + 1;
	CHECK(r.total == p->ncpus && r.released == r.total && ids_ok, "smp",
	      "%u of %u CPUs online, %u met at the rendezvous, PIRs %s", r.total, p->ncpus, (unsigned)r.released,
	      ids_ok ? "match the device tree" : "DIFFER");
}

/* Every CPU adds to a plain counter under one lock: lost updates show. */
struct lock_test {
	struct spinlock lock;
	uint64_t counter;
	volatile uint32_t done;
};

#define LOCK_ROUNDS 20000

static void lock_fn(void *arg)
{
	struct lock_test *t = arg;
	for (int i = 0; i < LOCK_ROUNDS; i++) {
		spin_lock(&t->lock);
		uint64_t v = t->counter;
		__atomic_signal_fence(__ATOMIC_SEQ_CST); /* keep the read-modify-write non-atomic */
		t->counter = v + 1;
		spin_unlock(&t->lock);
	}
	__atomic_add_fetch(&t->done, 1, __ATOMIC_SEQ_CST);
}

static void test_spinlock(void)
{
	static struct lock_test t;
	memset(&t, 0, sizeof(t));
	unsigned int online = smp_online();
	uint64_t t0 = tb_now();
	run_everywhere(lock_fn, &t);
	uint64_t end = tb_now() + us_to_tb(10000000);
	while (t.done < online && (int64_t)(tb_now() - end) < 0)
		cpu_relax();
	CHECK(t.done == online && t.counter == (uint64_t)online * LOCK_ROUNDS, "spinlock",
	      "%u CPUs x %d locked increments = %llu (expected %llu) in %llu us", online, LOCK_ROUNDS,
	      (unsigned long long)t.counter, (unsigned long long)online * LOCK_ROUNDS,
	      (unsigned long long)tb_to_us(tb_now() - t0));
}

/* A trap the exception path must catch, count and resume from. Armed by
 * address, so any other trap still panics. */
static void trap_on_this_cpu(void *arg)
{
	volatile uint32_t *caught = arg;
	struct cpu *c = this_cpu();
	uint64_t before = c->traps_caught;
	trap_at_recorded_address(&c->expect_trap_at);
	if (c->traps_caught == before + 1 && c->expect_trap_at == 0)
		__atomic_add_fetch(caught, 1, __ATOMIC_SEQ_CST);
}

static void test_exceptions(void)
{
	static volatile uint32_t caught;
	caught = 0;
	run_everywhere(trap_on_this_cpu, (void *)&caught);
	uint64_t end = tb_now() + us_to_tb(1000000);
	unsigned int online = smp_online();
	while (caught < online && (int64_t)(tb_now() - end) < 0)
		cpu_relax();
	CHECK(caught == online, "exception", "deliberate trap caught and survived on %u of %u CPUs", (unsigned)caught,
	      online);
}

int selftest_run(const struct platform *p, const struct plat_rsv *busy, unsigned int nbusy)
{
	passed = failed = 0;
	test_allocator(p, busy, nbusy);
	test_fdt(p);
	test_timer();
	test_smp(p);
	test_spinlock();
	test_exceptions();
	hvprint("SELFTEST: %u passed, %u failed", passed, failed);
	return (int)failed;
}
