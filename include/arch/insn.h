/* Single POWER instructions the C code needs, one inline helper each. */
#ifndef ARCH_INSN_H
#define ARCH_INSN_H

#ifndef __ASSEMBLER__
#include <stdint.h>

static inline void sync(void)
{
	__asm__ volatile("sync" ::: "memory");
}
static inline void isync(void)
{
	__asm__ volatile("isync" ::: "memory");
}

/* Spin-wait hint: low SMT priority for a moment, then back to normal. */
static inline void cpu_relax(void)
{
	__asm__ volatile("or 1,1,1; or 2,2,2" ::: "memory");
}

/* Directed hypervisor doorbell (msgsnd type 5) to the thread whose PIR is pir. */
static inline void doorbell_send_hv(uint32_t pir)
{
	__asm__ volatile("sync; msgsnd %0" : : "r"((5ull << 27) | pir) : "memory");
}

/* Clears this thread's pending hypervisor doorbell (a kick it has seen). */
static inline void doorbell_clear_hv(void)
{
	__asm__ volatile("msgclr %0; msgsync; lwsync" : : "r"(5ull << 27) : "memory");
}

/* The lightest power-saving state (stop0 lite: PSSCR EC = ESL = 0, RL = 0,
 * MTL = 3, TR = 3): nothing is lost, and the thread goes on at the next
 * instruction when anything that could interrupt it arrives (a doorbell,
 * the HDEC, a negative DEC, an external interrupt), with MSR[EE] = 0
 * leaving that pending. */
static inline void stop_lite(void)
{
	__asm__ volatile("mtspr 855,%0; isync; stop" : : "r"(0x330ull) : "memory");
}

/* A 64-bit conditioned random number from darn; all ones when it failed. */
static inline uint64_t darn64(void)
{
	uint64_t r;
	__asm__ volatile("darn %0,1" : "=r"(r));
	return r;
}

/* Drops this thread's load reservation (a stdcx. to a private word), so
 * the next code's stcx. cannot succeed on a reservation it did not make. */
static inline void reservation_clear(void)
{
	static uint64_t sink;
	__asm__ volatile("stdcx. %0,0,%1" : : "r"(0ull), "r"(&sink) : "cr0", "memory");
}

/* An unconditional trap (program interrupt). */
static inline void trap(void)
{
	__asm__ volatile("tw 31,0,0" ::: "memory");
}

/* Stores the address of its own trap instruction in *slot, then traps:
 * lets an exception handler recognise exactly this trap. */
static inline void trap_at_recorded_address(uint64_t *slot)
{
	uint64_t addr;
	__asm__ volatile("bl 1f\n"
			 "1: mflr %0\n"
			 "addi %0,%0,16\n" /* the tw, four instructions on */
			 "std %0,0(%1)\n"
			 "sync\n"
			 "tw 31,0,0\n"
			 : "=&b"(addr)
			 : "b"(slot)
			 : "lr", "memory");
}
#endif

#endif
