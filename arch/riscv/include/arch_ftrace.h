/*
 * arch_ftrace.h - riscv64 call-site encodings and the ftrace_regs accessors
 * (the contract in kernel/include/ftrace.h).
 *
 * A site is the 8 bytes gcc leaves at every traced function's entry with
 * -fpatchable-function-entry=4 (four 2-byte c.nop, RVC).  Functions are
 * 4-byte aligned (-falign-functions=4), so each half of a site is one aligned
 * 32-bit word, written with one store and fetched atomically (Ziccif: a
 * naturally aligned 32-bit instruction is fetched in one piece):
 *
 *             site + 0          site + 4
 *   boot:     +--------+--------+--------+--------+
 *             | c.nop  | c.nop  | c.nop  | c.nop  |   RISCV_C_NOP_PAIR x 2
 *             +--------+--------+--------+--------+
 *   disabled: | nop             | nop             |   NOP4 NOP4
 *             +-----------------+-----------------+
 *   enabled:  | auipc t0, hi20  | jalr t0, lo12(t0)|   AUIPC_T0 + JALR_T0
 *             +-----------------+-----------------+
 *   patching: | c.ebreak | old or new tail of the site  |   C_EBREAK (first unit)
 *             +--------+--------+-----------------+
 *
 * ftrace_init() turns every boot site into the disabled form once, on the
 * boot CPU before any other runs: with four c.nop a hart could stop at
 * site + 2 or + 6 (between two of them) and no breakpoint store could
 * cover "the instruction it will execute next" atomically.  With NOP4 NOP4
 * and auipc + jalr, site + 0 always starts one instruction, whose low half
 * text_poke (kernel/trace/text_poke.c) replaces by c.ebreak in step 1; the
 * breakpoint handler emulates the new pair (arch_emulate_insn, ftrace.c).
 *
 * Why c.ebreak (2 bytes, one 16-bit store) and not ebreak (4 bytes), though
 * site + 0 is 4-byte aligned: QEMU's translator reads a 32-bit instruction
 * as two 16-bit loads, and under multi-threaded TCG a translation can run
 * while a store to those bytes lands (README, "A QEMU finding").  A 4-byte
 * ebreak written over "auipc t0, hi20" was then translated as the upper
 * half of ebreak (0x0010) joined to the lower half of the auipc: "auipc
 * t0, 0x10X", a call 1 MiB away into data, taken by every hart that ran
 * the stale block (`klp_stress` on riscv64 hit it in 3 of 8 boots); the
 * other mixes decode as ecall or illegal instructions.  A 16-bit store
 * cannot tear that way: the translator sees the old low half (and then the
 * unchanged high half: the old instruction) or c.ebreak, a 16-bit
 * instruction it reads no further than.  The rest of the site is written
 * only behind the c.ebreak (step 2), and step 3's new low half joins a
 * high half that step 2 already wrote and synced.
 * A hart can still stand at site + 4, between the two instructions, when an
 * interrupt arrives: the IPI handler moves it back to site + 0 (ftrace.c,
 * riscv_ftrace_restart_site) so it never runs a tail that text_poke is
 * about to rewrite.
 *
 * The enabled site calls ftrace_caller / ftrace_regs_caller / a trampoline
 * at site + sext(hi20 << 12) + sext(lo12) with t0 = site + 8 (the return
 * into the function body) and ra untouched: the site runs before the
 * prologue, so ra still returns into the parent.  t0 is free at a function
 * entry (a caller-saved temporary that no calling convention passes
 * anything in), and the jalr/jr pair through t0 is what the ISA's
 * return-address-stack hints treat as an alternate link register.  The
 * auipc + jalr pair reaches +-2 GiB around the site.
 *
 * Sites are ahead of the prologue, so an IPMODIFY callback can send a call
 * to another function's entry (ARCH_FTRACE_ENTRY_SITES).
 *
 * Classic flavour (make MCOUNT=1, CONFIG_FTRACE_MCOUNT): gcc -pg puts
 * "mv a0, ra; call _mcount" after the prologue (the c.mv not always right
 * before the call) and records nothing; scripts/mcount_sites.py finds the
 * calls in the linked image.  A site is the 8-byte call, 2-byte aligned only
 * (RVC code around it):
 *
 *   boot:      | auipc ra, hi20  | jalr ra, lo12(ra)|   AUIPC_RA + JALR_RA
 *                                                        to _mcount (a ret)
 *   disabled:  NOP4 NOP4;  enabled: AUIPC_T0 + JALR_T0 as above
 *   patching:  | c.ebreak | rest of the old or new site  |
 *
 * A 32-bit instruction at a 2-byte aligned address may straddle two words:
 * neither a 4-byte store nor its fetch is atomic there.  So this flavour's
 * first unit is the 2-byte c.ebreak (ARCH_BP_INSN_SIZE 2): one aligned
 * halfword store, and whatever upper half a hart fetches with it, a low
 * half of c.ebreak decodes as a 16-bit instruction.  The 6-byte tail is
 * only written while every hart sees c.ebreak at site + 0 (after step 1's
 * sync), and site + 2 is never an instruction boundary, so the protocol is
 * the same as above and no flavour needs stop_machine.
 *
 * The prologue has run: ra is saved at s0 - 8 (the frame record), which is
 * where the function graph hook must replace it.  s0 is the entry sp except
 * in varargs functions (see ftrace_regs_entry_sp).
 * gcc treats the site as a call, so t0 is free there.  The "c.mv a0, ra"
 * only feeds _mcount, which ignores it: ftrace.c turns each into a c.nop at
 * boot (the script lists them too, and checks that nothing between the
 * function's entry and its site writes a0-a7 or branches), so a0-a7 hold
 * the arguments at the site in both flavours.
 *
 * The "single-store" method (Linux riscv since 6.x keeps the auipc fixed and
 * toggles only the jalr slot between jalr and nop with one aligned 4-byte
 * store, no breakpoint).  When is that sound?
 *
 *  - nop <-> call with the same hi20: a hart may run the site at any moment
 *    and see the jalr slot old or new, but the auipc it ran before is the
 *    same either way, so it gets "auipc; nop" (t0 clobbered, harmless at a
 *    function entry or, -pg, at a call) or "auipc; jalr" to the right
 *    target.  No third outcome, no sync needed between the two words.
 *  - call -> call where both targets share hi20: only lo12 changes, again
 *    one store; sound.
 *  - call -> call to a target with another hi20 (ftrace_caller -> a
 *    trampoline in the pool, or ftrace_regs_caller 4 KiB further on): both
 *    words change, and a hart between them would combine the old auipc
 *    with the new jalr and jump to neither target.  The disabled form would
 *    also have to keep an auipc (paying for it on every untraced call).
 *
 * So it cannot be the general method here, where sites move between
 * ftrace_caller, ftrace_regs_caller and per-ops trampolines anywhere in a
 * 256 KiB pool.  Linux makes it general by never changing hi20: every site
 * calls the one common ftrace_caller, and the per-site ops comes from a
 * literal in front of the function (CALL_OPS) instead of a per-ops
 * trampoline.  This port keeps its trampolines and uses the breakpoint
 * protocol for every site.
 */
#ifndef ARCH_FTRACE_H
#define ARCH_FTRACE_H

#include "ptrace.h"
#include "riscv.h"

/* The constants up to ARCH_TEXT_FILL_BYTE are used by mcount-dyn.S too. */
#define ARCH_FTRACE_SITE_SIZE	8		/* MCOUNT_INSN_SIZE: 2 x NOP4 */
/*
 * ARCH_BP_INSN_SIZE - text_poke's first unit of a site: c.ebreak in both
 * flavours (entry sites: the torn-translation reason above; classic sites:
 * they are only 2-byte aligned, see above).
 */
#define ARCH_BP_INSN_SIZE	2		/* c.ebreak */
/*
 * ARCH_FTRACE_ENTRY_SITES - 1 when sites sit before the prologue, so an
 * IPMODIFY callback can send the call to another function's entry.
 */
#ifdef CONFIG_FTRACE_MCOUNT
#define ARCH_FTRACE_ENTRY_SITES	0
#else
#define ARCH_FTRACE_ENTRY_SITES	1
#endif
/* 0x0000 is c.unimp, defined to be illegal: free trampoline space traps. */
#define ARCH_FTRACE_REG_ARGS	8		/* a0 .. a7 */
#define ARCH_CALL_INSN_SIZE	8		/* auipc ra + jalr ra */
#define ARCH_TEXT_FILL_BYTE	0x00

#ifndef __ASSEMBLY__

/* Instruction encodings (little endian in memory). */
#define RISCV_INSN_C_NOP	0x0001u		/* c.nop (addi x0, x0, 0), 16 bits */
#define RISCV_INSN_C_MV_A0_RA	0x8506u		/* c.mv a0, ra, 16 bits */
#define RISCV_C_NOP_PAIR	0x00010001u	/* two c.nop: one half of a boot site */
#define RISCV_INSN_NOP4		0x00000013u	/* nop (addi x0, x0, 0), 32 bits */
#define RISCV_INSN_EBREAK	0x00100073u	/* ebreak, 32 bits */
#define RISCV_INSN_C_EBREAK	0x9002u		/* c.ebreak, 16 bits */
#define RISCV_OPC_AUIPC		0x17u
#define RISCV_OPC_JALR		0x67u
#define RISCV_REG_RA		1u
#define RISCV_REG_T0		5u
#define RISCV_RD(r)		((r) << 7)
#define RISCV_RS1(r)		((r) << 15)
#define RISCV_U_IMM(hi20)	((u32)(hi20) << 12)			/* auipc */
#define RISCV_I_IMM(lo12)	(((u32)(lo12) & 0xfffu) << 20)		/* jalr */
/* What is left of an auipc / a jalr once its immediate is masked off. */
#define RISCV_U_OPS_MASK	0x00000fffu	/* opcode, rd */
#define RISCV_I_OPS_MASK	0x000fffffu	/* opcode, rd, funct3, rs1 */
#define AUIPC_T0	(RISCV_OPC_AUIPC | RISCV_RD(RISCV_REG_T0))	/* 0x00000297 */
#define JALR_T0		(RISCV_OPC_JALR | RISCV_RD(RISCV_REG_T0) | \
			 RISCV_RS1(RISCV_REG_T0))			/* 0x000282e7 */
#define AUIPC_RA	(RISCV_OPC_AUIPC | RISCV_RD(RISCV_REG_RA))	/* 0x00000097 */
#define JALR_RA		(RISCV_OPC_JALR | RISCV_RD(RISCV_REG_RA) | \
			 RISCV_RS1(RISCV_REG_RA))			/* 0x000080e7 */

/*
 * struct ftrace_regs - the frame ftrace_caller / ftrace_regs_caller build
 * (drawn in mcount-dyn.S): a struct pt_regs laid out like a trap frame.
 *
 *  - ftrace_caller fills only a0-a7, ra, sp, s0, t0, sepc and stores
 *    sstatus = 0: a partial frame (ftrace_get_regs() gives NULL).
 *  - ftrace_regs_caller fills every GPR and makes the frame look like a trap
 *    taken at the site from S-mode: sstatus.SPP = 1, sstatus.SPIE = SIE at
 *    the site.  No trap frame of this kernel has SPP = 0 (there is no
 *    U-mode), so sstatus.SPP is the "full frame" mark (x86: cs != 0).
 *
 * sp is the traced function's sp at entry (classic flavour: its sp after
 * the prologue; s0 is the entry sp); ra the return into its parent; sepc
 * (and t0) the return into the function body, site + 8.
 */
struct ftrace_regs {
	struct pt_regs regs;
};

static inline struct pt_regs *ftrace_get_regs(struct ftrace_regs *f)
{
	return (f->regs.sstatus & SSTATUS_SPP) ? &f->regs : (struct pt_regs *)0;
}

/* The n-th integer argument: a0..a7 (lp64 passes eight in registers). */
static inline unsigned long ftrace_regs_get_argument(struct ftrace_regs *f, int n)
{
	switch (n) {
	case 0: return f->regs.a0;
	case 1: return f->regs.a1;
	case 2: return f->regs.a2;
	case 3: return f->regs.a3;
	case 4: return f->regs.a4;
	case 5: return f->regs.a5;
	case 6: return f->regs.a6;
	case 7: return f->regs.a7;
	}
	return 0;
}

#ifdef CONFIG_FTRACE_MCOUNT
/* The return address slot of the function's frame record (graph hook). */
static inline unsigned long *ftrace_regs_parent_loc(struct ftrace_regs *f)
{
	return (unsigned long *)f->regs.s0 - 1;
}

/*
 * The key fgraph matches F's return with (fgraph.c's "entry sp"): the
 * caller's frame pointer, saved in F's frame record at s0 - 16.  Not s0
 * itself: in a varargs function gcc puts the argument save area between
 * the record and the entry sp, so s0 lies below the sp F returns with.
 * return_to_handler passes the s0 that F's epilogue restored - the same
 * value - and callers' frame pointers order frames as entry sps do.
 */
static inline unsigned long ftrace_regs_entry_sp(struct ftrace_regs *f)
{
	return ((unsigned long *)f->regs.s0)[-2];
}
#else
/*
 * The slot holding the traced function's return address (graph hook): the
 * saved ra, which the callers load back into ra before resuming the function.
 */
static inline unsigned long *ftrace_regs_parent_loc(struct ftrace_regs *f)
{
	return &f->regs.ra;
}

/* The traced function's sp at entry (= sp when the caller was entered). */
static inline unsigned long ftrace_regs_entry_sp(struct ftrace_regs *f)
{
	return f->regs.sp;
}
#endif

/*
 * IPMODIFY: where the traced call continues after the callbacks.
 * ftrace_regs_caller jumps to sepc; ftrace_caller (never used for IPMODIFY
 * ops) always resumes at the saved t0.
 */
static inline void ftrace_regs_set_ip(struct ftrace_regs *f, unsigned long ip)
{
	f->regs.sepc = ip;
}

static inline unsigned long ftrace_regs_get_ip(struct ftrace_regs *f)
{
	return f->regs.sepc;
}

/*
 * Direct calls: ftrace_regs_caller jumps to @addr (t1) instead of resuming,
 * with t0 = where the traced call continues (mcount-dyn.S).
 */
static inline void arch_ftrace_set_direct_caller(struct ftrace_regs *f, unsigned long addr)
{
	f->regs.t1 = addr;
}

#endif /* !__ASSEMBLY__ */

#endif /* ARCH_FTRACE_H */
