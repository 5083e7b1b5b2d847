/*
 * smp.c - x86_64 secondary CPU bring-up (INIT, SIPI, SIPI from the ACPI
 * MADT's list of local APICs) and the cross-CPU call IPI.
 */
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "smp.h"
#include "x86.h"

#define AP_TRAMP_PHYS	0x8000
#define ICR_INIT	0x00004500	/* INIT, level assert */
#define ICR_STARTUP	0x00004600	/* SIPI; | vector (start page) */
#define ICR_FIXED	0x00004000	/* fixed delivery, assert; | vector */
#define ICR_NMI		0x00004400	/* NMI delivery, assert */
#define AP_START_TIMEOUT_NS	(2000ULL * 1000 * 1000)

extern char ap_trampoline[], ap_trampoline_end[];
extern u64 ap_boot_cr3, ap_boot_stack, ap_boot_cpu;

static volatile unsigned int ap_started;

static void ndelay_spin(u64 ns)
{
	u64 end = arch_clock_ns() + ns;

	while (arch_clock_ns() < end)
		arch_cpu_relax();
}

/* x86_ap_main - first C code of a secondary CPU (from trampoline.S). */
void __noreturn x86_ap_main(unsigned int cpu)
{
	x86_cpu_load(cpu);
	x86_lapic_init_ap();
	__atomic_store_n(&ap_started, cpu, __ATOMIC_RELEASE);
	smp_secondary_entry();
}

/* start_ap - INIT, SIPI, SIPI to CPU @cpu; true once it reported in. */
static bool start_ap(unsigned int cpu)
{
	u8 apic = x86_plat.apic_ids[cpu];
	unsigned long top = x86_cpu_alloc(cpu);
	u64 deadline;

	if (!top) {
		printk("smp: no memory for cpu%u's stacks\n", cpu);
		return false;
	}
	memcpy((void *)AP_TRAMP_PHYS, ap_trampoline, ap_trampoline_end - ap_trampoline);
	ap_boot_cr3 = read_cr3();
	ap_boot_stack = top;
	ap_boot_cpu = cpu;
	__atomic_store_n(&ap_started, 0, __ATOMIC_RELEASE);
	x86_send_ipi(apic, ICR_INIT);
	ndelay_spin(10 * 1000 * 1000);			/* 10 ms, as the MP spec asks */
	for (int i = 0; i < 2; i++) {
		x86_send_ipi(apic, ICR_STARTUP | (AP_TRAMP_PHYS >> 12));
		ndelay_spin(200 * 1000);		/* 200 us */
		if (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) == cpu)
			break;
	}
	deadline = arch_clock_ns() + AP_START_TIMEOUT_NS;
	while (__atomic_load_n(&ap_started, __ATOMIC_ACQUIRE) != cpu)
		if (arch_clock_ns() > deadline)
			return false;
	while (!cpu_online(cpu))		/* it runs smp_secondary_entry() */
		arch_cpu_relax();
	return true;
}

/* arch_smp_boot - one CPU at a time, each with its own stacks. */
void arch_smp_boot(void)
{
	for (unsigned int cpu = 1; cpu < arch_nr_cpus(); cpu++)
		if (!start_ap(cpu))
			printk("smp: cpu%u (apic id %u) did not start\n", cpu,
			       x86_plat.apic_ids[cpu]);
}

void arch_send_ipi(unsigned int cpu)
{
	x86_send_ipi(x86_plat.apic_ids[cpu], ICR_FIXED | VEC_IPI);
}

/* arch_send_nmi - see arch.h: the ICR's NMI delivery mode (no vector). */
int arch_send_nmi(unsigned int cpu)
{
	x86_send_ipi(x86_plat.apic_ids[cpu], ICR_NMI);
	return 0;
}
