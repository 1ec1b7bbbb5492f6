/* Test-and-test-and-set spinlock; portable (host tests build it too). */
#ifndef HV_LIB_SPINLOCK_H
#define HV_LIB_SPINLOCK_H

#include <stdint.h>
#ifdef __powerpc64__
#include "arch/insn.h"
#endif

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT \
	{             \
		0     \
	}

static inline void spin_relax(void)
{
#ifdef __powerpc64__
	cpu_relax();
#endif
}

static inline int spin_trylock(struct spinlock *l)
{
	return __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			spin_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
