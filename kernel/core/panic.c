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

static const char *sprint_return(unsigned long ret);

static volatile int panicking;
static bool oops_printed;	/* die() already showed the trace */

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
		printk(" %s\n", sprint_return(ret));
	}
}

/*
 * sprint_return - "caller+off/size" for a return address.  The lookup uses
 * ret - 1 (a call that ends its function returns to the next function), the
 * printed offset is that of ret, as Linux's %pB does.
 */
static const char *sprint_return(unsigned long ret)
{
	static char buf[160];
	unsigned long start, size;
	const char *name = kallsyms_lookup(ret - 1, &start, &size);

	if (!name)
		snprintf(buf, sizeof(buf), "0x%lx", ret);
	else
		snprintf(buf, sizeof(buf), "%s+0x%lx/0x%lx", name, ret - start, size);
	return buf;
}

/* dump_stack - backtrace starting at the caller of dump_stack(). */
void __noinline dump_stack(void)
{
	unsigned long fp = arch_current_fp(), ret;

	if (arch_unwind_frame(&fp, &ret) == 0)
		dump_backtrace(ret, fp);
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
	va_list ap;
	struct va_format vaf = { fmt, &ap };

	arch_irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		exit_machine(1);
	va_start(ap, fmt);
	/* %pV: the message is printed whole, however long, with no buffer. */
	printk("Kernel panic - not syncing: %pV\n", &vaf);
	if (!oops_printed)
		dump_stack();
	printk("---[ end Kernel panic - not syncing: %pV ]---\n", &vaf);
	va_end(ap);
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
	oops_printed = true;
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
