/* power.c - leaving QEMU: ACPI S5 for success, isa-debug-exit for failure. */
#include "kernel.h"
#include "arch.h"
#include "x86.h"

void __noreturn arch_poweroff(void)
{
	outw(x86_plat.pm1a_cnt, (u16)(x86_plat.slp_typ_s5 << ACPI_SLP_TYP_SHIFT) | ACPI_SLP_EN);
	arch_halt_forever();	/* not reached when ACPI works */
}

/*
 * arch_exit_failure - QEMU's isa-debug-exit (iobase 0xf4) exits with
 * (code << 1) | 1, never 0.  Without that device we halt and the harness's
 * timeout reports the failure instead.
 */
void __noreturn arch_exit_failure(int code)
{
	outl(DEBUG_EXIT_PORT, (u32)code);
	arch_halt_forever();
}
