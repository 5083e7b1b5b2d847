/*
 * arch.h - the complete contract between generic kernel code and an
 * architecture.
 *
 * Generic code (kernel/) may call only the functions declared here; every
 * architecture (arch/<arch>/) implements all of them.  Fast accessors are
 * static inline in arch/<arch>/include/arch_inline.h, included at the end.
 * Helpers private to an arch are named x86_* / riscv_* and never appear here.
 *
 * Unless stated otherwise a function may be called from any context once
 * arch_early_init() has returned.
 */
#ifndef ARCH_H
#define ARCH_H

#include "types.h"

struct pt_regs;			/* arch-defined full register frame */

/* ---- boot ------------------------------------------------------------ */

/*
 * arch_early_init - first C code on the boot CPU.  Called by the arch's
 * entry code with interrupts off, on the boot stack, before anything else.
 * Must leave arch_console_putc() working (printk is usable afterwards).
 * @boot_info: the arch's boot argument (x86: PVH start_info, riscv: DTB).
 */
void arch_early_init(unsigned long boot_info);

/*
 * arch_init - traps, page tables (W^X), interrupt controller, timer and
 * console receive interrupts.  Called once by kmain() after the physical page
 * allocator is up (arch_mem_region() has been consumed).  Interrupts are
 * still off on return; kmain() enables them.
 */
void arch_init(void);

/*
 * arch_mem_region - the @i-th range of free RAM, [*start, *end), excluding
 * the kernel image, firmware and anything the arch keeps for itself.
 * Returns 0, or -ENOENT when @i is past the last range.
 */
int arch_mem_region(int i, phys_addr_t *start, phys_addr_t *end);

/* arch_name - "x86_64" or "riscv64". */
const char *arch_name(void);

/* ---- console ------------------------------------------------------------ */

/*
 * arch_console_putc - write one byte to the serial console, polling until
 * the transmitter accepts it.  Safe with interrupts off and in trap context.
 */
void arch_console_putc(char c);

/*
 * The arch's receive interrupt handler is routed to the boot CPU (where
 * the shell reads input).  For each byte the UART holds it first asks
 * console_rx_room() (kernel/core/console.c) and, only if that says yes,
 * reads the byte and passes it to console_rx_byte(); when it says no, the
 * handler returns leaving the byte in the UART.  Generic code never polls.
 */

/*
 * arch_console_rx_throttle - @stop: stop taking input, i.e. mask the
 * UART's receive interrupt, so unread bytes stay in its FIFO and the
 * sender is held off (a full 16550 FIFO makes QEMU stop reading the host
 * side).  !@stop: take input again; if bytes are waiting the receive
 * interrupt fires at once.  Called by console.c on the boot CPU with
 * interrupts off, from the receive interrupt or the shell.
 */
void arch_console_rx_throttle(bool stop);

/* ---- CPU, interrupts ---------------------------------------------------- */

/* arch_cpu_id - index (0-based, dense) of the calling CPU. */
static inline unsigned int arch_cpu_id(void);
/*
 * arch_nr_cpus - number of CPUs the machine has (from ACPI MADT / DTB),
 * online or not, capped at MAX_CPUS by the arch (which says so on the
 * console when it drops CPUs); valid after arch_early_init().  Per-CPU resources are
 * sized by it.  num_online_cpus() (kernel/core/smp.c) counts the online ones.
 */
unsigned int arch_nr_cpus(void);
/* arch_cpu_describe - one line of arch detail for CPU @cpu ("apic 0"). */
void arch_cpu_describe(unsigned int cpu, char *buf, size_t len);

/* arch_irq_save - disable interrupts, return the previous state. */
static inline unsigned long arch_irq_save(void);
/* arch_irq_restore - restore a state returned by arch_irq_save(). */
static inline void arch_irq_restore(unsigned long flags);
/* arch_irqs_disabled - true when this CPU has interrupts off. */
static inline bool arch_irqs_disabled(void);
/* arch_irq_enable - enable interrupts on this CPU. */
static inline void arch_irq_enable(void);
/* arch_irq_disable - disable interrupts on this CPU. */
static inline void arch_irq_disable(void);
/*
 * arch_wait_for_interrupt - enable interrupts and sleep until one arrives,
 * without the race of an interrupt arriving between the two (sti;hlt, or
 * wfi with the pending interrupt waking it).  Returns with interrupts on.
 */
static inline void arch_wait_for_interrupt(void);
/* arch_cpu_relax - spin-wait hint (pause). */
static inline void arch_cpu_relax(void);
/*
 * arch_breakpoint - execute the breakpoint instruction the patcher uses
 * (int3 / ebreak).  Outside a site being patched it must reach the normal
 * breakpoint path: an oops naming the caller (`fault breakpoint`).
 */
static inline void arch_breakpoint(void);

/* ---- SMP ----------------------------------------------------------------- */

/*
 * arch_smp_boot - start every other CPU.  Each runs its arch per-CPU setup
 * (stack with guard page, descriptor tables, local timer, IPIs) and then
 * calls smp_secondary_entry() (kernel/core/smp.c) with interrupts off.
 * Returns once each has called it or timed out (reported, left offline).
 * Boot CPU, after arch_init(), interrupts enabled.
 */
void arch_smp_boot(void);

/*
 * arch_send_ipi - raise the cross-CPU call interrupt on @cpu; its handler
 * calls smp_ipi_handler() between irq_enter() and irq_exit().
 */
void arch_send_ipi(unsigned int cpu);

/*
 * arch_send_nmi - raise a non-maskable interrupt on @cpu (itself
 * included); its handler calls nmi_handler() (kernel/core/percpu.c).
 * -ENOTSUPP where the arch has none: riscv64 S-mode has no interrupt
 * that interrupts-off does not mask.
 */
int arch_send_nmi(unsigned int cpu);

/* ---- time ---------------------------------------------------------------- */

/*
 * arch_clock_ns - monotonic nanoseconds since boot from a constant-rate
 * counter (x86: TSC calibrated against the ACPI PM timer; riscv: time CSR
 * at the DTB timebase).  Lock-free, cheap, callable in any context.
 */
u64 arch_clock_ns(void);

/*
 * The arch's periodic timer interrupt (HZ per second) calls
 * timer_tick() (kernel/core/time.c) on every CPU that takes it.
 */
#define HZ 100

/* ---- faults, backtraces ------------------------------------------------ */

/*
 * arch_show_regs - print every register of @regs, one printk line per few
 * registers.  Called by die() from trap context.
 */
void arch_show_regs(const struct pt_regs *regs);
/* arch_regs_pc / arch_regs_fp - faulting PC and frame pointer of @regs. */
unsigned long arch_regs_pc(const struct pt_regs *regs);
unsigned long arch_regs_fp(const struct pt_regs *regs);

/*
 * arch_unwind_frame - step one frame-pointer frame.  On entry *@fp is a frame
 * pointer of the current stack; on success *@fp becomes the caller's frame
 * pointer and *@ret the return address stored in the frame.  Returns 0, or
 * -EINVAL when @fp is not inside a known stack (the walk ends).  Never
 * faults: it checks the address range before reading.
 */
int arch_unwind_frame(unsigned long *fp, unsigned long *ret);
/*
 * arch_stack_bounds - the stack (any CPU's, any kind) holding @addr, as
 * [*lo, *hi): *hi is its top, where the first frame starts.  Returns false
 * when @addr lies on no stack the arch knows.  Any context; the stack
 * tracer measures depth as *hi - sp with it.
 */
bool arch_stack_bounds(unsigned long addr, unsigned long *lo, unsigned long *hi);
/* arch_current_fp - frame pointer of the caller of this function. */
static inline unsigned long arch_current_fp(void);

/* ---- power --------------------------------------------------------------- */

/*
 * arch_poweroff - power the machine off cleanly so that QEMU exits with
 * status 0 (x86: ACPI S5 through the FADT's PM1a control block; riscv: SBI
 * system reset, shutdown, reason none).  Does not return.
 */
void __noreturn arch_poweroff(void);

/*
 * arch_exit_failure - stop the machine so that QEMU exits with a nonzero
 * status derived from @code (1..127) (x86: isa-debug-exit, riscv: SBI system
 * reset with reason "system failure").  Does not return.
 */
void __noreturn arch_exit_failure(int code);

/* arch_halt_forever - interrupts off, halt this CPU for good. */
void __noreturn arch_halt_forever(void);


/* ---- interrupt context (the arch's trap entry reports it) ---------------- */
/*
 * The arch's trap code calls irq_enter()/irq_exit() (kernel/core/percpu.c)
 * around every interrupt handler and nmi_enter()/nmi_exit() around NMIs
 * (x86) so generic code knows the context (recursion protection, trace
 * flags).  Exceptions that can happen anywhere (int3/ebreak for patching)
 * do not count as interrupts.
 */

/* ---- text patching (kernel/trace/text_poke.c decides, arch writes) ------- */

/*
 * arch_text_write - copy @len bytes to kernel text at @addr through a
 * separate writable alias mapping (text itself stays read-only).  Does not
 * check the old bytes (text_poke() does) and does not synchronise
 * instruction fetch.  Returns 0, or -EFAULT when @addr..+@len is not text.
 */
int arch_text_write(void *addr, const void *src, size_t len);

/*
 * arch_text_alias_flush - drop this CPU's TLB entries for the whole text
 * alias (x86: CR3 reload; riscv: sfence.vma).  text_poke.c's settle step
 * calls it before rewriting a batch's final bytes: QEMU keeps in each TLB
 * entry whether stores must invalidate translated code, and a race in QEMU
 * 7.2 can leave that mark off while the page holds code (cputlb.c:
 * notdirty_write()'s tlb_set_dirty() after a concurrent
 * tlb_protect_code()); a refilled entry is derived afresh from the page.
 */
void arch_text_alias_flush(void);

/*
 * arch_sync_core - make this CPU fetch the text as it is now (x86: a
 * serialising instruction; riscv: fence.i).  text_sync() (text_poke.c)
 * runs it on every CPU.
 */
static inline void arch_sync_core(void);

/*
 * arch_stale_code_possible - true when a CPU may go on executing code it
 * translated from bytes another CPU has since overwritten, whatever syncs
 * it takes: an emulator that caches translations, such as QEMU's
 * multi-threaded TCG (text_poke.c explains the race and its repair).  False
 * only where the arch can tell it is not emulated that way (x86: real
 * hardware or KVM, from CPUID); true when it cannot tell.  Boot CPU, once.
 */
bool arch_stale_code_possible(void);

/*
 * Breakpoint-sequenced patching (text_poke.c): the arch's breakpoint trap
 * handler first calls text_poke_bp_handler(regs); true means the trap was
 * a site being patched and has been dealt with.
 *
 * arch_bp_insn - the breakpoint instruction, ARCH_BP_INSN_SIZE bytes (the
 * first unit of every site: x86 int3, riscv ebreak).
 */
void arch_bp_insn(u8 *insn);

/* arch_bp_address - the address of the breakpoint that trapped in @regs. */
unsigned long arch_bp_address(const struct pt_regs *regs);

/*
 * arch_emulate_insn - make @regs continue as if @insn (@len bytes, meant
 * for @addr) had executed there: a call pushes / links the return address
 * and goes to its target, a jump jumps, a nop falls through.  Runs in the
 * breakpoint trap with interrupts off.  Returns the BP_EMU_* kind, or
 * -EINVAL for an instruction it cannot emulate.
 */
enum { BP_EMU_NOP, BP_EMU_CALL, BP_EMU_JMP, BP_EMU_KINDS };
int arch_emulate_insn(struct pt_regs *regs, unsigned long addr, const u8 *insn,
		      unsigned int len);

/* ---- dynamic ftrace call sites (kernel/trace/ftrace.c decides) --------- */

/*
 * arch_ftrace_site_insn - the bytes site @ip must hold to call @target, or
 * the disabled (nop) form when @target is 0.  Writes ARCH_FTRACE_SITE_SIZE
 * bytes to @insn.  Returns 0, or -ERANGE when @target is out of reach.
 */
int arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 *insn);

/*
 * arch_ftrace_boot_insn - the bytes the compiler left at site @ip (a nop for
 * fentry / patchable entries, a call to mcount for the classic flavour).
 */
void arch_ftrace_boot_insn(unsigned long ip, u8 *insn);

/*
 * arch_ftrace_site_func - the function a site belongs to (the site itself
 * for entry sites; the start of the enclosing function for mcount calls).
 */
unsigned long arch_ftrace_site_func(unsigned long ip);

/*
 * arch_call_insn - the ARCH_CALL_INSN_SIZE bytes of "call @target" placed
 * at @ip (x86 call rel32; riscv auipc ra + jalr ra): how a trampoline
 * template's call is retargeted in a copy.  Returns 0, or -ERANGE when
 * @target is out of reach.
 */
int arch_call_insn(unsigned long ip, unsigned long target, u8 *insn);

/*
 * The arch's entry code: ftrace_caller and ftrace_regs_caller call
 * ftrace_ops_list_func(ip, parent_ip, NULL, fregs); return_to_handler (the
 * function graph return hook) calls ftrace_return_to_handler(fp, retval)
 * with the returning function's return value register and returns to the
 * address it gives back, preserving return registers.
 *
 * Both callers are also templates the generic trampoline builder
 * (kernel/trace/ftrace.c) copies into the pool, one copy per ops.  Each
 * exports, beside its start:
 *   NAME_op_slot  an 8-byte word the code loads as its ops pointer (0 in
 *                 the template; the copy gets its ops there)
 *   NAME_call     the call of its callback, ARCH_CALL_INSN_SIZE bytes
 *                 (arch_call_insn() retargets it in the copy)
 *   NAME_end      the end of the template
 * and refers to nothing outside itself but through NAME_call, so a copy
 * runs anywhere in the pool.
 */
extern char ftrace_caller[], ftrace_regs_caller[], return_to_handler[];
extern char ftrace_caller_op_slot[], ftrace_caller_call[], ftrace_caller_end[];
extern char ftrace_regs_caller_op_slot[], ftrace_regs_caller_call[], ftrace_regs_caller_end[];

/* ---- BPF-style trampolines: the code emitter (kernel/bpf/ composes) ---- */

/*
 * A BPF trampoline is generated at run time by kernel/bpf/trampoline.c from
 * these steps, which each arch emits in its own machine code
 * (arch/<arch>/bpf_jit.c, Linux's arch_prepare_bpf_trampoline()).  The
 * trampoline is a direct-call trampoline (arch_ftrace.h's convention):
 * entered from the traced function's site, or from ftrace_regs_caller, with
 * the arguments in their registers and the address the function continues
 * at as its return address (x86: on the stack; riscv: t0).
 *
 * The generic code lays out a frame area of @gbytes (a multiple of 16) and
 * names its slots by byte offsets into it; after arch_tramp_prologue(), the
 * slot at offset @off is at sp + @off.  Each step appends code to @e; an
 * arch that cannot encode something sets e->err (-ERANGE) and the whole
 * trampoline is refused.  With e->buf NULL only e->pos advances (sizing);
 * code is generated for address e->at (0 while sizing: pc-relative fields
 * are then left 0).
 */
struct tramp_emit {
	u8 *buf;		/* NULL: count bytes only */
	size_t max, pos;	/* buffer size, bytes emitted */
	unsigned long at;	/* where the code will run */
	int err;		/* first error: -E2BIG, -ERANGE */
	unsigned int gbytes;	/* the arch's note of the generic area's size */
};

/* Frame and registers. */
void arch_tramp_prologue(struct tramp_emit *e, unsigned int gbytes);
/* store argument registers 0..@n-1 at @off, @off + 8, ... (n <= ARCH_FTRACE_REG_ARGS) */
void arch_tramp_save_args(struct tramp_emit *e, unsigned int n, unsigned int off);
void arch_tramp_restore_args(struct tramp_emit *e, unsigned int n, unsigned int off);
/* store the 64-bit constant @value at @off */
void arch_tramp_store_imm(struct tramp_emit *e, unsigned int off, u64 value);
/* store the traced site's address (its return address minus the site size) at @off */
void arch_tramp_store_site(struct tramp_emit *e, unsigned int off);
/* call @func with the first argument register = sp + @arg_off; the result is in
 * the return register afterwards */
void arch_tramp_call(struct tramp_emit *e, unsigned long func, unsigned int arg_off);
/* call the traced function's body: the address the trampoline would return to
 * (the site's successor, or where an IPMODIFY ops sent the call), with the
 * argument registers as they are */
void arch_tramp_call_orig(struct tramp_emit *e);
/* the return register to / from the slot at @off */
void arch_tramp_store_ret(struct tramp_emit *e, unsigned int off);
void arch_tramp_load_ret(struct tramp_emit *e, unsigned int off);
/* "if the return register is not 0, branch": returns the branch's position for
 * arch_tramp_fixup(), which points it at position @target */
size_t arch_tramp_branch_if_ret(struct tramp_emit *e);
void arch_tramp_fixup(struct tramp_emit *e, size_t branch, size_t target);
/* leave the frame and continue into the traced function (fentry only) */
void arch_tramp_return_to_func(struct tramp_emit *e);
/* leave the frame and return the return register to the traced function's caller */
void arch_tramp_return_to_parent(struct tramp_emit *e);

#include "arch_inline.h"	/* from arch/<arch>/include, by include path */

#endif /* ARCH_H */
