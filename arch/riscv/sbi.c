/*
 * sbi.c - calls into the SBI firmware (OpenSBI): timer, legacy console and
 * system reset; and the machine's exits, arch_poweroff() and
 * arch_exit_failure().
 */
#include "kernel.h"
#include "arch.h"
#include "riscv_private.h"

static bool have_time_ext;	/* SBI TIME extension present */
static bool have_srst_ext;	/* SBI SRST extension present */

/* sbi_probe - true if the firmware implements extension @ext (SBI >= 0.2). */
static bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, ext, 0, 0);

	return r.error == SBI_SUCCESS && r.value != 0;
}

/*
 * riscv_sbi_init - find out which extensions exist (first thing in
 * arch_early_init()).  A legacy-only SBI 0.1 answers the base extension
 * with an error, leaving both false.
 */
void riscv_sbi_init(void)
{
	have_time_ext = sbi_probe(SBI_EXT_TIME);
	have_srst_ext = sbi_probe(SBI_EXT_SRST);
}

/* riscv_sbi_set_timer - raise the timer interrupt when time >= @deadline. */
void riscv_sbi_set_timer(u64 deadline)
{
	if (have_time_ext)
		sbi_ecall(SBI_EXT_TIME, SBI_TIME_SET_TIMER, deadline, 0, 0);
	else
		sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, deadline, 0, 0);
}

/* riscv_sbi_legacy_putchar - the console before the UART is known. */
void riscv_sbi_legacy_putchar(char c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (u8)c, 0, 0);
}

/* sbi_shutdown - SRST shutdown with @reason; returns only if unsupported. */
static void sbi_shutdown(unsigned long reason)
{
	if (have_srst_ext)
		sbi_ecall(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_TYPE_SHUTDOWN, reason, 0);
	sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0);
}

/* arch_poweroff - see arch.h: SBI shutdown, QEMU exits with status 0. */
void __noreturn arch_poweroff(void)
{
	sbi_shutdown(SBI_SRST_REASON_NONE);
	arch_halt_forever();
}

/*
 * arch_exit_failure - see arch.h.  SBI SRST alone is not enough: OpenSBI
 * (1.1 here) shuts QEMU virt down through the sifive,test finisher and
 * writes PASS whatever the reason, so "system failure" still exits QEMU
 * with status 0.  The finisher is plain MMIO that OpenSBI leaves open to
 * S-mode, so write FAIL with the code ourselves: QEMU exits with status
 * @code.  SRST with reason "system failure" remains for machines without a
 * finisher.  Prints nothing: the caller printed the status line.
 */
void __noreturn arch_exit_failure(int code)
{
	if (code < 1 || code > 127)
		code = 1;	/* never let a bad code read as success */
	if (riscv_plat.test_base)
		mmio_write32(riscv_plat.test_base,
			     (u32)code << SIFIVE_TEST_CODE_SHIFT | SIFIVE_TEST_FAIL);
	sbi_shutdown(SBI_SRST_REASON_SYSFAIL);
	arch_halt_forever();
}
