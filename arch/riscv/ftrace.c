/*
 * ftrace.c - riscv64 encodings for dynamic ftrace, the breakpoint emulation
 * text_poke needs, and the text writer.  Generic code
 * (kernel/trace/ftrace.c, text_poke.c) decides; this file only builds and
 * decodes instruction bytes (include/arch_ftrace.h draws them) and writes
 * them through the text alias mm.c maps.  Never traced (arch.mk): the
 * writer runs while sites are half changed.
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "smp.h"
#include "riscv_private.h"

extern char _mcount[];


_Static_assert(sizeof(struct ftrace_regs) == sizeof(struct pt_regs), "ftrace_regs is a pt_regs");

#define AUIPC_LO12_ROUND	0x800	/* jalr adds a signed lo12: round hi20 up */
#define HI20_MIN		(-(1L << 19))
#define HI20_MAX		((1L << 19) - 1)
#define SITE_TAIL_OFF		4	/* the second instruction of a site */

/* insn32 - the 32-bit instruction at @p (byte loads: any alignment, no call). */
static inline u32 insn32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* auipc_offset - what auipc adds to its pc: sext(hi20 << 12). */
static inline long auipc_offset(u32 auipc)
{
	return (long)(s32)(auipc & ~RISCV_U_OPS_MASK);
}

/* jalr_offset - the sign-extended lo12 jalr adds to rs1. */
static inline long jalr_offset(u32 jalr)
{
	return (long)((s32)jalr >> 20);
}

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

/*
 * arch_ftrace_site_insn - see arch.h: NOP4 NOP4 (two whole instructions,
 * so a breakpoint over the first covers what any hart runs next), or
 * auipc t0 + jalr t0.
 */
int notrace arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 *insn)
{
	static const u32 nops[2] = { RISCV_INSN_NOP4, RISCV_INSN_NOP4 };

	if (!target) {
		memcpy(insn, nops, sizeof(nops));
		return 0;
	}
	return encode_auipc_jalr(ip, target, AUIPC_T0, JALR_T0, insn);
}

/*
 * arch_ftrace_boot_insn - the compiler's four -fpatchable-function-entry
 * c.nop; classic flavour: "call _mcount".  ftrace_init() turns both into
 * NOP4 NOP4 before a second CPU runs.
 */
void notrace arch_ftrace_boot_insn(unsigned long ip, u8 *insn)
{
#ifdef CONFIG_FTRACE_MCOUNT
	if (encode_auipc_jalr(ip, (unsigned long)_mcount, AUIPC_RA, JALR_RA, insn))
		memset(insn, ARCH_TEXT_FILL_BYTE, ARCH_FTRACE_SITE_SIZE); /* cannot match */
#else
	static const u32 c_nops[2] = { RISCV_C_NOP_PAIR, RISCV_C_NOP_PAIR };

	memcpy(insn, c_nops, sizeof(c_nops));
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
	text_sync();
}
#endif

/* arch_call_insn - see arch.h: "auipc ra, hi20; jalr ra, lo12(ra)". */
int notrace arch_call_insn(unsigned long ip, unsigned long target, u8 *insn)
{
	return encode_auipc_jalr(ip, target, AUIPC_RA, JALR_RA, insn);
}

/*
 * arch_bp_insn - see arch.h: c.ebreak, one 16-bit store that no fetch or
 * translation can see half of (include/arch_ftrace.h says why not ebreak).
 */
void notrace arch_bp_insn(u8 *insn)
{
	u16 bp = RISCV_INSN_C_EBREAK;

	_Static_assert(sizeof(bp) == ARCH_BP_INSN_SIZE, "breakpoint size");
	memcpy(insn, &bp, sizeof(bp));
}

/* arch_bp_address - ebreak traps with sepc at itself (it is not skipped). */
unsigned long notrace arch_bp_address(const struct pt_regs *regs)
{
	return regs->sepc;
}

/*
 * arch_emulate_insn - see arch.h; the breakpoint trap, interrupts off.  A
 * site's new bytes are one of:
 *
 *   auipc t0, hi20; jalr t0, lo12(t0)   the call: t0 = the return into the
 *                                       function (@addr + 8), pc = the target
 *                                       decoded from the pair
 *   nop; nop                            pc = @addr + 8
 *
 * The call is made, not skipped: a site moving call -> call must not lose
 * one (skipping it is what made Linux's old x86 int3 handler briefly
 * revert live patches).  ra is left alone, as the real pair leaves it.
 */
int notrace arch_emulate_insn(struct pt_regs *regs, unsigned long addr, const u8 *insn,
			      unsigned int len)
{
	u32 first, second;

	if (len != ARCH_FTRACE_SITE_SIZE)
		return -EINVAL;
	first = insn32(insn);
	second = insn32(insn + SITE_TAIL_OFF);
	if (first == RISCV_INSN_NOP4 && second == RISCV_INSN_NOP4) {
		regs->sepc = addr + ARCH_FTRACE_SITE_SIZE;
		return BP_EMU_NOP;
	}
	if ((first & RISCV_U_OPS_MASK) == AUIPC_T0 && (second & RISCV_I_OPS_MASK) == JALR_T0) {
		regs->t0 = addr + ARCH_FTRACE_SITE_SIZE;
		regs->sepc = addr + auipc_offset(first) + jalr_offset(second);
		return BP_EMU_CALL;
	}
	return -EINVAL;
}

/*
 * riscv_ftrace_restart_site - from the IPI handler (interrupts off, before
 * the call is acknowledged): a hart interrupted at site + 4 of an ftrace
 * site has run the site's first instruction but not its second.  Why that
 * matters, for text_poke's breakpoint protocol (and stop_machine):
 *
 *  1. text_poke writes ebreak over site + 0 and syncs: every online hart
 *     must take the sync IPI.  A hart that runs site + 0 afterwards traps,
 *     and the handler emulates the new pair as a whole.
 *  2. But a hart that ran the OLD site + 0 just before (nop, or auipc t0
 *     with the old hi20) may take that IPI at site + 4 and go back there.
 *     text_poke then rewrites site + 4 (step 2), and that hart would run
 *     the NEW tail after the OLD head: "nop; jalr t0" jumps through a stale
 *     t0, "auipc hi_A; jalr lo_B" to neither target.
 *  3. So the IPI moves it back to site + 0 (sepc = site) before the sync
 *     completes.  The first instruction is always nop, auipc or ebreak,
 *     which have no effect but t0 (rewritten when it runs again): running
 *     it twice is running it once.  Back from the IPI the hart finds
 *     ebreak (a sync) or the site whole (any other IPI) - either way it
 *     runs one version of the site, and the call, if any, happens once.
 *  4. Nobody can be at site + 4 after step 1's sync any more: to get there
 *     a hart must run site + 0, which is the ebreak.  A hart at site + 4
 *     with interrupts off cannot take the IPI, but then the sync waits for
 *     it, and it runs the old tail it belongs to before leaving.
 *
 * stop_machine likewise: a hart parked at site + 4 resumes at site + 0 and
 * runs the site as rewritten.  Sites left alone at boot (unexpected bytes)
 * are not touched.
 */
void notrace riscv_ftrace_restart_site(struct pt_regs *regs)
{
	unsigned long site = regs->sepc - SITE_TAIL_OFF;
	struct dyn_ftrace *rec = ftrace_location(site);

	if (rec && !(rec->flags & FTRACE_FL_DISABLED)) {
		regs->sepc = site;
		__atomic_add_fetch(&text_poke_stats.restarts, 1, __ATOMIC_RELAXED);
	}
}

/*
 * arch_stale_code_possible - see arch.h.  S-mode cannot tell an emulator
 * from hardware or KVM (QEMU's virt machine looks the same under all, and
 * mvendorid/marchid are 0 there), so assume the worst: the settle step
 * costs one sync per batch.
 */
bool arch_stale_code_possible(void)
{
	return true;
}

/*
 * arch_text_write - see arch.h.  Writes through the alias mm.c maps at
 * RISCV_TEXT_ALIAS + pa (read-write, never executable; pa == va), with the
 * widest stores the address and length allow.  What text_poke writes on
 * live sites where a hart may fetch - the 2-byte c.ebreak and the 2-byte
 * new first unit - is thus each one aligned store, which a hart fetching
 * there sees whole or not at all.  Whole 8-byte sites are only written
 * where no other hart runs them (stop_machine, text_poke() of a block
 * nobody calls), and the 6-byte tail only behind the c.ebreak, so no
 * order among stores matters any more.
 */
/*
 * arch_text_alias_flush - see arch.h: one sfence.vma for all of the
 * alias (QEMU flushes the whole TLB for any sfence.vma anyway).
 */
void notrace arch_text_alias_flush(void)
{
	sfence_vma();
}

int notrace arch_text_write(void *addr, const void *src, size_t len)
{
	unsigned long a = (unsigned long)addr;
	const u8 *s = src;

	if (a < (unsigned long)_text_start || a + len > (unsigned long)_text_end ||
	    a + len < a)
		return -EFAULT;
	a += RISCV_TEXT_ALIAS;
	if (!((a | len) & 3)) {
		for (size_t i = 0; i < len; i += 4)
			*(volatile u32 *)(a + i) = insn32(s + i);
	} else if (!((a | len) & 1)) {
		for (size_t i = 0; i < len; i += 2)
			*(volatile u16 *)(a + i) = s[i] | (u16)(s[i + 1] << 8);
	} else {
		memcpy((void *)a, src, len);
	}
	return 0;
}
