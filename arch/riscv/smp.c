/*
 * smp.c - riscv64 secondary harts: per-CPU stacks with guard pages, start
 * through SBI HSM hart_start, per-hart setup, and the cross-CPU call IPI
 * (SBI IPI extension -> supervisor software interrupt).  Never traced
 * (arch.mk): it runs on half-set-up harts and in trap context.
 */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "smp.h"
#include "riscv_private.h"

_Static_assert(RISCV_MAX_CPUS <= MAX_CPUS, "generic per-CPU arrays too short");
_Static_assert(CPU_STACK_BLOCK == PAGE_SIZE << CPU_STACK_ORDER, "stack block order");

#define HART_START_TIMEOUT_NS	(2000ULL * 1000 * 1000)

/*
 * cpu_alloc - the stack block of secondary @cpu (riscv_percpu.h draws it):
 * emergency stack, guard page (unmapped here), stack.  Returns false when
 * memory is short.  Boot CPU, before any secondary runs.
 */
static bool cpu_alloc(unsigned int cpu)
{
	struct riscv_percpu *pc = &riscv_percpu[cpu];
	unsigned long block = (unsigned long)alloc_pages(CPU_STACK_ORDER);

	if (!block)
		return false;
	pc->emerg_bottom = block;
	pc->emerg_top = block + EMERG_STACK_SIZE;
	pc->guard = pc->emerg_top;
	pc->stack_bottom = pc->guard + PAGE_SIZE;
	pc->stack_top = block + CPU_STACK_BLOCK;
	pc->trap_sp_limit = pc->stack_bottom + PT_SIZE;
	pc->on_emerg = 0;
	riscv_mm_unmap_page(pc->guard);
	return true;
}

/*
 * riscv_secondary_main - first C code of a secondary hart (head.S), MMU on,
 * tp and sp set, interrupts off: its PLIC context (no device is routed to
 * it), the software / timer / external enables, its own HZ tick, then the
 * generic idle loop, which marks it online.
 */
void __noreturn riscv_secondary_main(void)
{
	riscv_plic_init();
	csr_set(sie, SIE_SSIE | SIE_STIE | SIE_SEIE);
	riscv_timer_start();
	smp_secondary_entry();
}

/*
 * start_cpu - hart_start secondary @cpu and wait until it is online; says
 * why not otherwise (it stays offline then).
 */
/* head.S: what a hart that enters _start after the boot hart goes on with. */
extern unsigned long riscv_start_hartid, riscv_start_opaque;
extern unsigned int riscv_start_raced;

static void start_cpu(unsigned int cpu)
{
	struct riscv_percpu *pc = &riscv_percpu[cpu];
	u64 deadline;
	long err;

	/* For a hart that leaves OpenSBI before its start address is set (head.S). */
	WRITE_ONCE(riscv_start_opaque, (unsigned long)pc);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* fence rw, rw */
	WRITE_ONCE(riscv_start_hartid, pc->hartid);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* fence rw, rw */
	err = riscv_sbi_hart_start(pc->hartid, (unsigned long)riscv_secondary_start,
				   (unsigned long)pc);
	if (err) {
		printk("smp: cpu%u (hart %lu): SBI hart_start failed (%ld)\n", cpu,
		       pc->hartid, err);
		return;
	}
	deadline = arch_clock_ns() + HART_START_TIMEOUT_NS;
	while (!cpu_online(cpu)) {
		if (arch_clock_ns() > deadline) {
			printk("smp: cpu%u (hart %lu) did not come online\n", cpu, pc->hartid);
			return;
		}
		arch_cpu_relax();
	}
}

/*
 * arch_smp_boot - see arch.h.  All guard pages are unmapped before the
 * first secondary starts (riscv_mm_unmap_page() relies on it), then the
 * harts start one at a time.
 */
void arch_smp_boot(void)
{
	bool have_stacks[RISCV_MAX_CPUS] = { false };

	if (arch_nr_cpus() > 1 && !riscv_sbi_have_smp()) {
		printk("smp: SBI has no HSM / IPI extension: only the boot hart runs\n");
		return;
	}
	for (unsigned int cpu = 1; cpu < arch_nr_cpus(); cpu++)
		if (!(have_stacks[cpu] = cpu_alloc(cpu)))
			printk("smp: no memory for cpu%u's stacks\n", cpu);
	for (unsigned int cpu = 1; cpu < arch_nr_cpus(); cpu++)
		if (have_stacks[cpu])
			start_cpu(cpu);
	if (READ_ONCE(riscv_start_raced))
		printk("smp: %u hart(s) left OpenSBI's HSM wait before hart_start set their "
		       "address and entered _start; sent on to riscv_secondary_start "
		       "(OpenSBI < 1.3 race, head.S)\n", READ_ONCE(riscv_start_raced));
}

/* arch_send_ipi - see arch.h: SBI send_ipi sets sip.SSIP on @cpu's hart. */
void arch_send_ipi(unsigned int cpu)
{
	riscv_sbi_send_ipi(riscv_percpu[cpu].hartid);
}

/*
 * arch_send_nmi - see arch.h: S-mode has none (the resumable NMI of the
 * Smrnmi extension is an M-mode interrupt).
 */
int arch_send_nmi(unsigned int cpu)
{
	return -ENOTSUPP;
}

/*
 * riscv_ipi_irq - the supervisor software interrupt (trap.c, between
 * irq_enter() and irq_exit(), interrupts off):
 *
 *  1. clear sip.SSIP first, so an IPI sent while this one is handled stays
 *     pending instead of being lost;
 *  2. if the interrupted hart stands between the two instructions of an
 *     ftrace site, move it back to the site's start (ftrace.c explains why
 *     this must happen before the call is acknowledged);
 *  3. run the cross-CPU call (smp_ipi_handler() acknowledges it);
 *  4. fence.i: a hart released from stop_machine (which spins in step 3
 *     while another CPU rewrites text) fetches the new text, not what it
 *     had before.
 */
void riscv_ipi_irq(struct pt_regs *regs)
{
	csr_clear(sip, SIP_SSIP);
	riscv_ftrace_restart_site(regs);
	smp_ipi_handler();
	fence_i();
}
