/*
 * ftrace.c - riscv64 encodings for dynamic ftrace and the text writer.
 * Generic code (kernel/trace/ftrace.c) decides; this file only builds
 * instruction bytes (include/arch_ftrace.h draws them) and writes them
 * through the text alias mm.c maps.  Never traced (arch.mk): the writer
 * runs while sites are half changed.
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "riscv_private.h"

extern char ftrace_caller_op_slot[], ftrace_caller_call[], ftrace_caller_end[];
extern char ftrace_regs_caller_op_slot[], ftrace_regs_caller_call[];
extern char ftrace_regs_caller_end[];
extern char _mcount[];

/* mcount-dyn.S addresses these slots by their PT_* offsets. */
_Static_assert(__builtin_offsetof(struct pt_regs, sepc) == PT_SEPC, "PT_SEPC");
_Static_assert(__builtin_offsetof(struct pt_regs, sp) == PT_SP, "PT_SP");
_Static_assert(__builtin_offsetof(struct pt_regs, t1) == PT_T1, "PT_T1");
_Static_assert(__builtin_offsetof(struct pt_regs, s0) == PT_S0, "PT_S0");
_Static_assert(__builtin_offsetof(struct pt_regs, a0) == PT_X(10), "PT_X(10)");
_Static_assert(__builtin_offsetof(struct pt_regs, a7) == PT_X(17), "PT_X(17)");
_Static_assert(__builtin_offsetof(struct pt_regs, frame_fp) == PT_FRAME_FP, "PT_FRAME_FP");
_Static_assert(sizeof(struct ftrace_regs) == PT_SIZE, "ftrace_regs is a pt_regs");

#define AUIPC_LO12_ROUND	0x800	/* jalr adds a signed lo12: round hi20 up */
#define HI20_MIN		(-(1L << 19))
#define HI20_MAX		((1L << 19) - 1)

/*
 * encode_auipc_jalr - "auipc rd, hi20; jalr rd, lo12(rd)" placed at @ip,
 * reaching @target: @auipc and @jalr are the opcodes with their registers
 * (AUIPC_T0 / JALR_T0 for sites, AUIPC_RA / JALR_RA for calls).  Writes 8
 * bytes to @insn.  Returns 0, or -ERANGE beyond the +-2 GiB auipc reach.
 */
static int notrace encode_auipc_jalr(unsigned long ip, unsigned long target,
				     u32 auipc, u32 jalr, u8 *insn)
{
	long off = (long)(target - ip);
	long hi20 = (off + AUIPC_LO12_ROUND) >> 12;	/* arithmetic shift */
	long lo12 = off - (hi20 << 12);			/* -2048 .. 2047 */
	u32 words[2];

	if (hi20 < HI20_MIN || hi20 > HI20_MAX)
		return -ERANGE;
	words[0] = auipc | RISCV_U_IMM(hi20);
	words[1] = jalr | RISCV_I_IMM(lo12);
	memcpy(insn, words, sizeof(words));
	return 0;
}

/* arch_ftrace_site_insn - see arch.h: NOP4, or auipc t0 + jalr t0. */
int notrace arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 *insn)
{
	static const u32 nop4[2] = { RISCV_NOP4_WORD, RISCV_NOP4_WORD };

	if (!target) {
		memcpy(insn, nop4, sizeof(nop4));
		return 0;
	}
	return encode_auipc_jalr(ip, target, AUIPC_T0, JALR_T0, insn);
}

/*
 * arch_ftrace_boot_insn - the compiler's -fpatchable-function-entry nops,
 * which are also the disabled form; classic flavour: "call _mcount".
 */
void notrace arch_ftrace_boot_insn(unsigned long ip, u8 *insn)
{
#ifdef CONFIG_FTRACE_MCOUNT
	if (encode_auipc_jalr(ip, (unsigned long)_mcount, AUIPC_RA, JALR_RA, insn))
		memset(insn, ARCH_TEXT_FILL_BYTE, ARCH_FTRACE_SITE_SIZE); /* cannot match */
#else
	arch_ftrace_site_insn(ip, 0, insn);
#endif
}

/*
 * arch_ftrace_site_func - -fpatchable-function-entry=N (M = 0) puts the
 * nops at the function's symbol: the site is the function start.  Classic
 * flavour: the site follows the prologue, the function is the symbol
 * containing it.
 */
unsigned long notrace arch_ftrace_site_func(unsigned long ip)
{
#ifdef CONFIG_FTRACE_MCOUNT
	unsigned long start;

	return kallsyms_lookup(ip, &start, NULL) ? start : ip;
#else
	return ip;
#endif
}

#ifdef CONFIG_FTRACE_MCOUNT
extern unsigned long __start_mcount_mv_loc[], __stop_mcount_mv_loc[];

/*
 * riscv_mcount_init - turn every "c.mv a0, ra" that feeds a -pg site into a
 * c.nop, so that a0 still holds the first argument when the site calls the
 * tracer (include/arch_ftrace.h).  Safe before ftrace_init(): _mcount, the
 * only reader, ignores a0.  scripts/mcount_sites.py listed them after
 * checking nothing else writes a0-a7 before the site.  arch_init(), boot
 * hart, interrupts off, after the text alias exists.
 */
void notrace riscv_mcount_init(void)
{
	static const u16 c_nop = RISCV_INSN_C_NOP;
	unsigned long n = __stop_mcount_mv_loc - __start_mcount_mv_loc;

	if (!n)
		panic("riscv_mcount_init: no -pg sites recorded (kernel/build.mk did not "
		      "run ARCH_LINK2_GEN)");
	for (unsigned long i = 0; i < n; i++) {
		u16 *mv = (u16 *)__start_mcount_mv_loc[i];

		if (*mv != RISCV_INSN_C_MV_A0_RA)
			panic("riscv_mcount_init: %pS holds 0x%04x, not c.mv a0, ra",
			      mv, *mv);
		if (arch_text_write(mv, &c_nop, sizeof(c_nop)))
			panic("riscv_mcount_init: %pS is not text", mv);
	}
	arch_text_sync();
}
#endif

/*
 * arch_ftrace_tramp_build - see arch.h.  Copies ftrace_caller (or
 * ftrace_regs_caller), stores @op in the copy's op slot and re-encodes the
 * call at *_call to @func for a copy running at @at (@at == 0: only the
 * size is wanted).  Every other reference in a template is pc-relative
 * inside it (mcount-dyn.S), so the copy works anywhere in the pool.
 */
long notrace arch_ftrace_tramp_build(u8 *buf, size_t max, unsigned long at, bool regs,
				     unsigned long func, void *op)
{
	char *start = regs ? ftrace_regs_caller : ftrace_caller;
	char *end = regs ? ftrace_regs_caller_end : ftrace_caller_end;
	char *slot = regs ? ftrace_regs_caller_op_slot : ftrace_caller_op_slot;
	char *call = regs ? ftrace_regs_caller_call : ftrace_caller_call;
	size_t size = end - start;
	unsigned long opv = (unsigned long)op;

	if (size > max)
		return -E2BIG;
	memcpy(buf, start, size);
	memcpy(buf + (slot - start), &opv, sizeof(opv));
	if (at && encode_auipc_jalr(at + (call - start), func, AUIPC_RA, JALR_RA,
				    buf + (call - start)))
		return -ERANGE;
	return (long)size;
}

/*
 * write_site - store one 4-byte aligned 8-byte site as two 32-bit words, in
 * the order that keeps every intermediate state harmless to a hart that
 * fetches it (the SMP issue relies on this; on one hart interrupts are off
 * anyway):
 *
 *  1. nop -> call: the auipc word first.  In between the site reads
 *     "auipc t0; c.nop; c.nop", which only changes t0 (dead at entry).
 *  2. call -> nop: the jalr word first.  In between: "auipc t0; c.nop;
 *     c.nop" again.
 *  3. call -> call: the jalr word first, then the auipc word.  In between
 *     the pair may reach neither target; only a hart that cannot run the
 *     site meanwhile is safe (this one, interrupts off).  Other harts will
 *     need the site taken through nop (steps 2, 1) or stopped (SMP issue).
 */
static void notrace write_site(volatile u32 *dst, const u8 *src)
{
	u32 w[2];

	memcpy(w, src, sizeof(w));
	if (w[0] == RISCV_NOP4_WORD || dst[0] != RISCV_NOP4_WORD) {
		dst[1] = w[1];		/* steps 2 and 3 */
		dst[0] = w[0];
	} else {
		dst[0] = w[0];		/* step 1 */
		dst[1] = w[1];
	}
}

/*
 * arch_text_write - see arch.h.  Writes through the alias mm.c maps at
 * RISCV_TEXT_ALIAS + pa (read-write, never executable; pa == va).  With
 * interrupts off and a fence.i before they come back, so no interrupt
 * handler on this hart ever runs a half-written site; arch_text_sync()
 * still has to follow for the other harts.  Classic mcount sites (2-byte
 * aligned) are copied like any other bytes, which is safe on this one hart
 * only (the SMP issue must stop the other harts for them).
 */
int notrace arch_text_write(void *addr, const void *src, size_t len)
{
	unsigned long a = (unsigned long)addr, flags;
	void *alias = (void *)(RISCV_TEXT_ALIAS + a);

	if (a < (unsigned long)_text_start || a + len > (unsigned long)_text_end ||
	    a + len < a)
		return -EFAULT;
	flags = arch_irq_save();
	if (len == 2 * sizeof(u32) && !(a & 3))	/* an entry site */
		write_site(alias, src);
	else
		memcpy(alias, src, len);
	fence_i();
	arch_irq_restore(flags);
	return 0;
}

/*
 * arch_text_sync - fence.i makes this hart's instruction fetch see its own
 * stores.  Only the boot hart runs for now; the SMP issue adds the remote
 * part (an IPI making every other hart run fence.i, or SBI remote fence.i,
 * and waiting for them).
 */
void notrace arch_text_sync(void)
{
	fence_i();
}
