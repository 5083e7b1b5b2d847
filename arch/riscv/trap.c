/*
 * trap.c - riscv64 trap dispatch (called by entry.S with interrupts off),
 * register dumps and the frame-pointer unwinder.  Exceptions are fatal
 * (die()) except an ebreak that text_poke placed on a site it is patching.
 * Trap code must never be traced: every function here is notrace.
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "percpu.h"
#include "riscv_private.h"


/* Frame record: ra at fp - 8, the caller's fp at fp - 16. */
#define FRAME_RA_OFF	1	/* in longs below fp */
#define FRAME_FP_OFF	2
#define FRAME_RECORD	(2 * sizeof(unsigned long))

static const char *const exc_names[16] = {
	[EXC_INSN_MISALIGNED] = "instruction address misaligned",
	[EXC_INSN_ACCESS] = "instruction access fault",
	[EXC_ILLEGAL_INSN] = "illegal instruction",
	[EXC_BREAKPOINT] = "breakpoint (ebreak)",
	[EXC_LOAD_MISALIGNED] = "load address misaligned",
	[EXC_LOAD_ACCESS] = "load access fault",
	[EXC_STORE_MISALIGNED] = "store address misaligned",
	[EXC_STORE_ACCESS] = "store access fault",
	[EXC_ECALL_U] = "ecall from U-mode",
	[EXC_ECALL_S] = "ecall from S-mode",
	[EXC_INSN_PAGE_FAULT] = "page fault (instruction fetch)",
	[EXC_LOAD_PAGE_FAULT] = "page fault (load)",
	[EXC_STORE_PAGE_FAULT] = "page fault (store)",
};

/*
 * stack_bounds - the stack (any CPU's, normal or emergency) containing
 * @addr, as [*lo, *hi].  @addr == hi counts: an empty stack's fp is its top.
 * A CPU whose stacks were never allocated has stack_top == 0.
 */
static notrace bool stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	for (unsigned int c = 0; c < RISCV_MAX_CPUS; c++) {
		const struct riscv_percpu *pc = &riscv_percpu[c];

		if (!pc->stack_top)
			continue;
		if (addr >= pc->stack_bottom && addr <= pc->stack_top) {
			*lo = pc->stack_bottom;
			*hi = pc->stack_top;
			return true;
		}
		if (addr >= pc->emerg_bottom && addr <= pc->emerg_top) {
			*lo = pc->emerg_bottom;
			*hi = pc->emerg_top;
			return true;
		}
	}
	return false;
}

/* arch_stack_bounds - see arch.h: a hart's stack or its emergency stack. */
notrace bool arch_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi)
{
	return stack_bounds(addr, lo, hi) && addr < *hi;
}

/* frame_ok - @fp is aligned and its record [fp - 16, fp) lies in one stack. */
static notrace bool frame_ok(unsigned long fp, unsigned long *lo, unsigned long *hi)
{
	return !(fp & 7) && stack_bounds(fp, lo, hi) && fp - FRAME_RECORD >= *lo;
}

/* function_start - start of the function containing @addr, 0 if none. */
static notrace unsigned long function_start(unsigned long addr)
{
	unsigned long start, size;

	return kallsyms_lookup(addr, &start, &size) ? start : 0;
}

/*
 * riscv_prepare_unwind - make die()'s backtrace start right for the trapped
 * function F.  GCC (-fno-omit-frame-pointer) gives a function that calls
 * nothing a frame without ra: the caller's s0 sits at s0 - 8, where a normal
 * frame keeps ra, and ra lives only in the register.  A trap can also land
 * in a prologue or epilogue, where s0 is still the caller's.  Cases:
 *
 *  1. *(s0 - 8) is a stack address: F is a leaf with its own frame.  Its
 *     caller is regs->ra, the caller's frame *(s0 - 8).
 *  2. regs->ra points outside F and differs from *(s0 - 8): s0 is already
 *     (or still) the caller's frame and ra is F's return address.
 *  3. Otherwise F's frame is complete (a stale ra points into F itself).
 *
 * For 1 and 2 a frame record {fp, ra} is built inside pt_regs and
 * arch_regs_fp() hands die() a pointer to it, so the generic walk reports
 * the caller and continues up the real chain.
 */
static notrace void riscv_prepare_unwind(struct pt_regs *regs)
{
	unsigned long lo, hi, saved = 0, next_fp, ra_func;

	regs->unwind_fp = 0;
	if (frame_ok(regs->s0, &lo, &hi))
		saved = ((unsigned long *)regs->s0)[-FRAME_RA_OFF];
	ra_func = function_start(regs->ra);
	if (saved && stack_bounds(saved, &lo, &hi))
		next_fp = saved;			/* case 1 */
	else if (ra_func && regs->ra != saved && ra_func != function_start(regs->sepc))
		next_fp = regs->s0;			/* case 2 */
	else
		return;					/* case 3 */
	regs->frame_fp = next_fp;
	regs->frame_ra = regs->ra;
	regs->unwind_fp = (unsigned long)&regs->frame_ra + sizeof(unsigned long);
}

/* riscv_die - die() with a backtrace that starts at the trapped function. */
static notrace void __noreturn riscv_die(const char *reason, unsigned long addr,
					 struct pt_regs *regs)
{
	riscv_prepare_unwind(regs);
	die(reason, addr, regs);
}

/* stack_overflow - entry.S found no room for the frame on the normal stack. */
static notrace void __noreturn stack_overflow(struct pt_regs *regs)
{
	const struct riscv_percpu *pc = riscv_this_cpu();
	unsigned long addr = regs->stval;

	if (addr >= pc->guard && addr < pc->guard + PAGE_SIZE)
		riscv_die("kernel stack overflow (guard page hit)", addr, regs);
	riscv_die("kernel stack overflow (no room for a trap frame)", regs->sp, regs);
}

/*
 * exception - a synchronous trap: an ebreak on a site being patched is
 * dealt with by text_poke (interrupts stay off meanwhile); anything else
 * is fatal.
 */
static notrace void exception(struct pt_regs *regs, unsigned long code)
{
	const char *name = code < ARRAY_SIZE(exc_names) ? exc_names[code] : NULL;
	char reason[96];

	if (code == EXC_BREAKPOINT && text_poke_bp_handler(regs))
		return;
	switch (code) {
	case EXC_INSN_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		snprintf(reason, sizeof(reason), "%s, %s", name,
			 riscv_mm_lookup(regs->stval) ? "protection violation" :
			 "page not present");
		riscv_die(reason, regs->stval, regs);
	case EXC_INSN_MISALIGNED:
	case EXC_INSN_ACCESS:
	case EXC_LOAD_MISALIGNED:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_MISALIGNED:
	case EXC_STORE_ACCESS:
		riscv_die(name, regs->stval, regs);
	default:
		riscv_die(name ? name : "reserved exception", regs->sepc, regs);
	}
}

/*
 * interrupt - software (IPI), timer and external interrupts, bracketed by
 * irq_enter() / irq_exit() so generic code knows it runs in interrupt
 * context.  Anything else is reported once and masked.
 */
static notrace void interrupt(struct pt_regs *regs, unsigned long code)
{
	irq_enter();
	switch (code) {
	case IRQ_S_SOFT:
		riscv_ipi_irq(regs);
		break;
	case IRQ_S_TIMER:
		riscv_timer_irq();
		break;
	case IRQ_S_EXT:
		riscv_plic_irq();
		break;
	default:
		printk("riscv_trap: unexpected interrupt %lu, masked\n", code);
		if (code < 8 * sizeof(unsigned long))
			csr_clear(sie, 1UL << code);
		break;
	}
	irq_exit();
}

/*
 * riscv_trap - C side of entry.S, interrupts off, on the trapped stack or
 * (@on_emergency_stack) on the emergency stack after an overflow.
 */
notrace void riscv_trap(struct pt_regs *regs, unsigned long on_emergency_stack)
{
	if (on_emergency_stack)
		stack_overflow(regs);
	if (regs->scause & SCAUSE_INTR)
		interrupt(regs, SCAUSE_CODE(regs->scause));
	else
		exception(regs, regs->scause);
}

/* arch_show_regs - see arch.h; the layout follows Linux's riscv oops. */
notrace void arch_show_regs(const struct pt_regs *r)
{
	printk("epc : %pS\n", (void *)r->sepc);
	printk(" ra : %pS\n", (void *)r->ra);
	printk("epc : %016lx ra : %016lx sp : %016lx\n", r->sepc, r->ra, r->sp);
	printk(" gp : %016lx tp : %016lx t0 : %016lx\n", r->gp, r->tp, r->t0);
	printk(" t1 : %016lx t2 : %016lx s0 : %016lx\n", r->t1, r->t2, r->s0);
	printk(" s1 : %016lx a0 : %016lx a1 : %016lx\n", r->s1, r->a0, r->a1);
	printk(" a2 : %016lx a3 : %016lx a4 : %016lx\n", r->a2, r->a3, r->a4);
	printk(" a5 : %016lx a6 : %016lx a7 : %016lx\n", r->a5, r->a6, r->a7);
	printk(" s2 : %016lx s3 : %016lx s4 : %016lx\n", r->s2, r->s3, r->s4);
	printk(" s5 : %016lx s6 : %016lx s7 : %016lx\n", r->s5, r->s6, r->s7);
	printk(" s8 : %016lx s9 : %016lx s10: %016lx\n", r->s8, r->s9, r->s10);
	printk(" s11: %016lx t3 : %016lx t4 : %016lx\n", r->s11, r->t3, r->t4);
	printk(" t5 : %016lx t6 : %016lx\n", r->t5, r->t6);
	printk("status: %016lx badaddr: %016lx cause: %016lx\n",
	       r->sstatus, r->stval, r->scause);
}

/* arch_regs_pc - the trapped PC. */
notrace unsigned long arch_regs_pc(const struct pt_regs *regs)
{
	return regs->sepc;
}

/* arch_regs_fp - s0, or the frame record riscv_prepare_unwind() built. */
notrace unsigned long arch_regs_fp(const struct pt_regs *regs)
{
	return regs->unwind_fp ? regs->unwind_fp : regs->s0;
}

/*
 * arch_unwind_frame - see arch.h.  A record whose ra slot holds a stack
 * address belongs to a leaf function (no ra saved): its return address is
 * unknown here, so the walk ends (-EINVAL).  Within one stack callers'
 * frames lie strictly higher; a chain that does not climb is corrupt.
 */
notrace int arch_unwind_frame(unsigned long *fp, unsigned long *ret)
{
	unsigned long lo, hi, nlo, nhi, ra, next;

	if (!frame_ok(*fp, &lo, &hi))
		return -EINVAL;
	ra = ((unsigned long *)*fp)[-FRAME_RA_OFF];
	next = ((unsigned long *)*fp)[-FRAME_FP_OFF];
	if (stack_bounds(ra, &nlo, &nhi))
		return -EINVAL;
	if (next && next >= lo && next <= hi && next <= *fp)
		return -EINVAL;
	*fp = next;
	*ret = ra;
	return 0;
}
