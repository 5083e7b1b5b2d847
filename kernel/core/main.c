/*
 * main.c - generic boot sequence, from the arch's entry code to the shell.
 */
#include "kernel.h"
#include "version.h"
#include "arch.h"
#include "ftrace.h"
#include "trace.h"
#include "percpu.h"
#include "smp.h"
#include "module.h"
#include "bpf.h"
#include "btf.h"

void shell_run(void);

/*
 * kmain - called once on the boot CPU by the arch entry code (interrupts
 * off, boot stack, .bss zeroed).  Order matters: console first (printk),
 * then free memory (page tables need pages), then the arch's traps, MMU and
 * interrupts, then the shell with interrupts on.
 */
void __noreturn kmain(unsigned long boot_info)
{
	arch_early_init(boot_info);
	printk("testbed: booting on %s\n", arch_name());
	page_alloc_init();
	arch_init();
	printk("memory: %lu KiB free of %lu KiB\n", pages_free() * 4,
	       pages_total() * 4);
	printk("kallsyms: %u functions\n", kallsyms_count());
	text_poke_init();
	ftrace_init();
	trace_init();
	module_init_cmds();
	bpf_init();
	btf_init_cmds();
	cpu_state[0].comm = "sh";
	cpu_state[0].pid = 1;
	arch_irq_enable();
	smp_init();
	printk_raw("testbed %s %s smp=%u\n", TESTBED_VERSION, arch_name(),
		   num_online_cpus());
	shell_run();
	panic("kmain: shell returned");
}
