/* The runtime of the bare-metal test guests (tests/guests/). */
#ifndef TESTS_GUESTS_GUEST_H
#define TESTS_GUESTS_GUEST_H

#include <stdint.h>
#include <stdbool.h>

#define VTY 0x30000000ull

long hcall(uint64_t nr, uint64_t out[9], uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);
long hcall8(uint64_t nr, uint64_t inout[8]);
void gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Records one check; prints a line only when it fails (or always with verbose). */
void check(bool ok, const char *what, ...) __attribute__((format(printf, 2, 3)));
extern const void *guest_fdt;
extern uint64_t entry_msr; /* the MSR the hypervisor entered _start with */
extern unsigned int checks_passed, checks_failed;
uint64_t guest_mem_size(void);
uint32_t rtas_token(const char *name);
/* Calls RTAS through the blob the hypervisor put in our memory. */
int rtas_call(uint32_t token, int nargs, int nret, uint32_t *args_rets);
void guest_power_off(void) __attribute__((noreturn));

/* DAR, DSISR, DSI count, other-interrupt count, last other SRR0, DEC count, external count. */
extern volatile uint64_t fault_info[8];
void install_vectors(void);
/* "sc 1" from problem state; see crt0.S. */
uint64_t user_sc1(uint64_t nr, uint64_t msr_bits);
extern char user_sc1_after[];
extern volatile uint64_t syscall_info[5];

uint64_t vload(uint64_t ea);
void vstore(uint64_t ea, uint64_t value);
static inline uint64_t mftb_g(void)
{
	uint64_t v;
	__asm__ volatile("mftb %0" : "=r"(v));
	return v;
}
uint64_t guest_tb_freq(void);
unsigned int guest_hpt_shift(void);

/* Starts vCPU id running secondary_main(id); returns the RTAS status. */
int start_cpu(unsigned int id);
void secondary_main(unsigned int id); /* defined by SMP test programs */
unsigned int guest_nvcpus(void);
static inline void guest_relax(void)
{
	__asm__ volatile("or 1,1,1; or 2,2,2" ::: "memory");
}

uint64_t cr_hold(uint64_t loops);

/* Each test program defines this. */
void guest_main(void);

static inline uint64_t mfmsr_g(void)
{
	uint64_t v;
	__asm__ volatile("mfmsr %0" : "=r"(v));
	return v;
}
static inline void mtmsrd_g(uint64_t v)
{
	__asm__ volatile("mtmsrd %0; isync" : : "r"(v) : "memory");
}

#endif
