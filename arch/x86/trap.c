/*
 * trap.c - x86_64 trap dispatch: exceptions are fatal (die()), interrupts go
 * to the timer and the UART.  Runs with interrupts off (interrupt gates).
 * Compiled without call sites (arch.mk): the breakpoint handler of live
 * patching lives here and must never hit a site being patched.
 */
#include "kernel.h"
#include "arch.h"
#include "x86.h"
#include "percpu.h"
#include "smp.h"
#include "ftrace.h"

static const char *const exc_names[32] = {
	[0] = "divide error", [1] = "debug", [2] = "NMI", [3] = "int3",
	[4] = "overflow", [5] = "bound range", [6] = "invalid opcode",
	[7] = "device not available", [8] = "double fault",
	[10] = "invalid TSS", [11] = "segment not present",
	[12] = "stack segment fault", [13] = "general protection fault",
	[14] = "page fault", [16] = "x87 fault", [17] = "alignment check",
	[18] = "machine check", [19] = "SIMD fault",
};

static void page_fault(struct pt_regs *regs)
{
	unsigned long addr = read_cr2();
	char reason[96];

	if (x86_in_guard_page(addr)) {
		die("kernel stack overflow (guard page hit)", addr, regs);
	}
	snprintf(reason, sizeof(reason), "page fault (%s, %s)",
		 regs->error_code & PF_ERR_FETCH ? "instruction fetch" :
		 regs->error_code & PF_ERR_WRITE ? "write" : "read",
		 regs->error_code & PF_ERR_PRESENT ? "protection violation" :
		 "page not present");
	die(reason, addr, regs);
}

void x86_trap(struct pt_regs *regs)
{
	u64 vec = regs->vector;

	if (vec == X86_TRAP_PF) {
		page_fault(regs);
	} else if (vec == X86_TRAP_BP && text_poke_bp_handler(regs)) {
		return;		/* a site being patched: emulated */
	} else if (vec == X86_TRAP_NMI) {
		nmi_handler();	/* no EOI: NMIs are not in the APIC's ISR */
	} else if (vec < 32) {
		const char *name = exc_names[vec] ? exc_names[vec] : "reserved exception";

		die(name, regs->rip, regs);
	} else if (vec != VEC_SPURIOUS) {
		irq_enter();
		if (vec == VEC_TIMER)
			timer_tick();
		else if (vec == VEC_IPI)
			smp_ipi_handler();
		else if (vec == VEC_IRQ_BASE + COM1_IRQ)
			x86_uart_irq();
		else
			printk("x86_trap: unexpected vector %lu\n", (unsigned long)vec);
		x86_lapic_eoi();
		irq_exit();
	}
}

void arch_show_regs(const struct pt_regs *r)
{
	printk("RIP: %016lx RSP: %016lx RFLAGS: %08lx\n", r->rip, r->rsp, r->rflags);
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
	printk("CS: %04lx SS: %04lx CR2: %016lx CR3: %016lx CR0: %08lx CR4: %08lx\n",
	       r->cs, r->ss, read_cr2(), read_cr3(), read_cr0(), read_cr4());
	printk("vector: %lu error code: 0x%lx\n", r->vector, r->error_code);
}

unsigned long arch_regs_pc(const struct pt_regs *regs)
{
	return regs->rip;
}

unsigned long arch_regs_fp(const struct pt_regs *regs)
{
	return regs->rbp;
}

/* arch_stack_bounds - see arch.h: a CPU's stack or one of its IST stacks. */
bool arch_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	return x86_stack_bounds(addr, lo, hi);
}

/*
 * arch_unwind_frame - x86_64 frame: [fp] = caller's fp, [fp + 8] = return
 * address.  Within one stack, caller frames lie at higher addresses.
 */
int arch_unwind_frame(unsigned long *fp, unsigned long *ret)
{
	unsigned long lo, hi, next;

	if (*fp & 7 || !x86_stack_bounds(*fp, &lo, &hi) || *fp + 16 > hi)
		return -EINVAL;
	next = ((unsigned long *)*fp)[0];
	*ret = ((unsigned long *)*fp)[1];
	if (next && next >= lo && next < hi && next <= *fp)
		return -EINVAL;		/* a loop: corrupt chain */
	*fp = next;
	return 0;
}
