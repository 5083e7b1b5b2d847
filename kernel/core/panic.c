/*
 * panic.c - fatal errors, oops reports, backtraces and the machine's exit.
 *
 * Every way the kernel stops ends with the status line
 * "TESTBED-EXIT: <code>" followed by an exit through the arch, so the harness
 * can check the console and QEMU's exit status against each other.
 */
#include "kernel.h"
#include "arch.h"

#define MAX_FRAMES 24

static volatile int panicking;

/*
 * dump_backtrace - print " <symbol>" for @pc, then one line per frame-pointer
 * frame starting at @fp, at most MAX_FRAMES.  Safe in trap context: the
 * arch's unwinder refuses frames outside the known stacks.
 */
void dump_backtrace(unsigned long pc, unsigned long fp)
{
	unsigned long ret;
	int n = 0;

	printk("Call Trace:\n");
	printk(" %pS\n", (void *)pc);
	while (arch_unwind_frame(&fp, &ret) == 0 && ret) {
		if (++n > MAX_FRAMES) {
			printk(" ... (more frames)\n");
			break;
		}
		/* ret points after the call: show the call itself. */
		printk(" %pS\n", (void *)(ret - 1));
	}
}

/* dump_stack - backtrace of the caller. */
void __noinline dump_stack(void)
{
	dump_backtrace((unsigned long)__builtin_return_address(0),
		       arch_current_fp());
}

static void __noreturn exit_machine(int code)
{
	printk_raw("TESTBED-EXIT: %d\n", code);
	if (code == 0)
		arch_poweroff();
	arch_exit_failure(code);
}

/*
 * panic - print the reason and a backtrace, then stop the machine with a
 * failure status.  A panic while panicking exits at once.
 */
void __noreturn panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	arch_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		exit_machine(1);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("Kernel panic - not syncing: %s\n", msg);
	dump_stack();
	printk("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	exit_machine(1);
}

/*
 * die - an unrecoverable trap: called by the arch's trap handler with the
 * trapped register frame.  Prints the Linux-style oops report and panics.
 */
void __noreturn die(const char *reason, unsigned long addr,
		    const struct pt_regs *regs)
{
	arch_irq_disable();
	printk("Oops: %s at address 0x%016lx\n", reason, addr);
	printk("CPU: %u PC: %pS\n", arch_cpu_id(), (void *)arch_regs_pc(regs));
	arch_show_regs(regs);
	dump_backtrace(arch_regs_pc(regs), arch_regs_fp(regs));
	panic("Fatal exception");
}

/* kernel_poweroff - clean shutdown: QEMU exits with status 0. */
void __noreturn kernel_poweroff(void)
{
	arch_irq_disable();
	printk("reboot: Power down\n");
	exit_machine(0);
}
