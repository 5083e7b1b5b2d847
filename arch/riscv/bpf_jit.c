/*
 * bpf_jit.c - riscv64 code for the BPF trampoline steps (arch.h, "BPF-style
 * trampolines"; kernel/bpf/trampoline.c composes them).
 *
 * Entered like a direct trampoline (arch_ftrace.h, seed 004): t0 = where
 * the traced function F continues (its body, or where an IPMODIFY ops sent
 * the call), ra = the return into F's caller, a0-a7 = F's arguments.  The
 * frame (FRAME = gbytes + OWN, a multiple of 16):
 *
 *  sp + FRAME  +----------------------------+  F's entry sp
 *              | ra: return into F's caller |  \ a frame record {fp, ra}:
 *              | s0: the caller's fp        |  / s0 points past it
 *              | pad                        |
 *              | t0: return into F          |  arch_tramp_call_orig()
 *  sp + gbytes +----------------------------+
 *              | generic slots              |  ctx[-2] ip, ctx[-1] nr_args,
 *  sp          +----------------------------+  ctx[0..n-1] args, ctx[n] ret
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"

#define OWN		32	/* t0, pad, s0, ra */
#define OWN_T0		0
#define OWN_S0		16
#define OWN_RA		24

enum { ZERO = 0, RA = 1, SP = 2, T0 = 5, T1 = 6, S0 = 8, A0 = 10 };

/* Opcodes and funct3 values (RV64I). */
#define OPC_OP_IMM	0x13u	/* addi (f3 0), slli (f3 1) */
#define OPC_OP_IMM_32	0x1bu	/* addiw (f3 0) */
#define OPC_LOAD	0x03u	/* ld (f3 3) */
#define OPC_STORE	0x23u	/* sd (f3 3) */
#define OPC_LUI		0x37u
#define OPC_AUIPC	0x17u
#define OPC_JALR	0x67u
#define OPC_BRANCH	0x63u	/* bne (f3 1) */
#define F3_ADD		0u
#define F3_SLL		1u
#define F3_D		3u
#define F3_BNE		1u

#define I_TYPE(opc, f3, rd, rs1, imm) \
	((opc) | (rd) << 7 | (f3) << 12 | (rs1) << 15 | ((u32)(imm) & 0xfffu) << 20)
#define S_TYPE(opc, f3, rs1, rs2, imm) \
	((opc) | ((u32)(imm) & 0x1fu) << 7 | (f3) << 12 | (rs1) << 15 | (rs2) << 20 | \
	 (((u32)(imm) >> 5) & 0x7fu) << 25)
#define U_TYPE(opc, rd, imm20)	((opc) | (rd) << 7 | ((u32)(imm20) & 0xfffffu) << 12)
#define B_TYPE(opc, f3, rs1, rs2, off) \
	((opc) | (((u32)(off) >> 11) & 1u) << 7 | (((u32)(off) >> 1) & 0xfu) << 8 | (f3) << 12 | \
	 (rs1) << 15 | (rs2) << 20 | (((u32)(off) >> 5) & 0x3fu) << 25 | \
	 (((u32)(off) >> 12) & 1u) << 31)

#define ADDI(rd, rs, imm)	I_TYPE(OPC_OP_IMM, F3_ADD, rd, rs, imm)
#define ADDIW(rd, rs, imm)	I_TYPE(OPC_OP_IMM_32, F3_ADD, rd, rs, imm)
#define SLLI(rd, rs, sh)	I_TYPE(OPC_OP_IMM, F3_SLL, rd, rs, sh)
#define LD(rd, rs, imm)		I_TYPE(OPC_LOAD, F3_D, rd, rs, imm)
#define SD(rs2, rs1, imm)	S_TYPE(OPC_STORE, F3_D, rs1, rs2, imm)
#define LUI(rd, imm20)		U_TYPE(OPC_LUI, rd, imm20)
#define AUIPC(rd, imm20)	U_TYPE(OPC_AUIPC, rd, imm20)
#define JALR(rd, rs, imm)	I_TYPE(OPC_JALR, F3_ADD, rd, rs, imm)
#define BNE(rs1, rs2, off)	B_TYPE(OPC_BRANCH, F3_BNE, rs1, rs2, off)

#define IMM12_MIN	(-2048)
#define IMM12_MAX	2047
#define BRANCH_REACH	4096	/* bne: +-4 KiB */

static void emit(struct tramp_emit *e, u32 insn)
{
	if (e->buf && e->pos + 4 > e->max) {
		e->err = e->err ? e->err : -E2BIG;
		return;
	}
	if (e->buf)
		memcpy(e->buf + e->pos, &insn, 4);
	e->pos += 4;
}

/* sext12 - the low 12 bits of @v as the signed immediate an I-type adds. */
static long sext12(long v)
{
	return (long)((unsigned long)v << 52) >> 52;
}

/*
 * li - load the 64-bit constant @v into @rd: lui + addiw for 32-bit
 * values; otherwise the upper part recursively, shifted left, plus the
 * low 12 bits (the usual RISC-V materialisation).
 */
static void li(struct tramp_emit *e, unsigned int rd, long v)
{
	long lo = sext12(v), hi;
	unsigned int shift = 12;

	if (v == (s32)v) {
		hi = (v - lo) >> 12;
		if (hi) {
			emit(e, LUI(rd, hi));
			if (lo)
				emit(e, ADDIW(rd, rd, lo));
		} else {
			emit(e, ADDI(rd, ZERO, lo));
		}
		return;
	}
	hi = (v - lo) >> 12;
	while (!(hi & 1)) {
		hi >>= 1;
		shift++;
	}
	li(e, rd, hi);
	emit(e, SLLI(rd, rd, shift));
	if (lo)
		emit(e, ADDI(rd, rd, lo));
}

/* own - the offset of one of the arch's own frame slots. */
static unsigned int own(const struct tramp_emit *e, unsigned int slot)
{
	return e->gbytes + slot;
}

static void check_imm12(struct tramp_emit *e, long v)
{
	if (v < IMM12_MIN || v > IMM12_MAX)
		e->err = e->err ? e->err : -ERANGE;
}

void notrace arch_tramp_prologue(struct tramp_emit *e, unsigned int gbytes)
{
	long frame = gbytes + OWN;

	e->gbytes = gbytes;
	check_imm12(e, frame);
	emit(e, ADDI(SP, SP, -frame));
	emit(e, SD(T0, SP, own(e, OWN_T0)));
	emit(e, SD(S0, SP, own(e, OWN_S0)));
	emit(e, SD(RA, SP, own(e, OWN_RA)));
	emit(e, ADDI(S0, SP, frame));		/* s0 -> past the record {s0, ra} */
}

void notrace arch_tramp_save_args(struct tramp_emit *e, unsigned int n, unsigned int off)
{
	for (unsigned int i = 0; i < n; i++)
		emit(e, SD(A0 + i, SP, off + 8 * i));
}

void notrace arch_tramp_restore_args(struct tramp_emit *e, unsigned int n, unsigned int off)
{
	for (unsigned int i = 0; i < n; i++)
		emit(e, LD(A0 + i, SP, off + 8 * i));
}

void notrace arch_tramp_store_imm(struct tramp_emit *e, unsigned int off, u64 value)
{
	li(e, T1, (long)value);
	emit(e, SD(T1, SP, off));
}

void notrace arch_tramp_store_site(struct tramp_emit *e, unsigned int off)
{
	emit(e, LD(T1, SP, own(e, OWN_T0)));
	emit(e, ADDI(T1, T1, -ARCH_FTRACE_SITE_SIZE));
	emit(e, SD(T1, SP, off));
}

void notrace arch_tramp_call(struct tramp_emit *e, unsigned long func, unsigned int arg_off)
{
	long off = (long)func - (long)(e->at + e->pos + 4), lo = sext12(off), hi = (off - lo) >> 12;

	emit(e, ADDI(A0, SP, arg_off));
	if (e->at && (hi < -(1L << 19) || hi >= (1L << 19))) {
		e->err = e->err ? e->err : -ERANGE;
		return;
	}
	emit(e, AUIPC(RA, e->at ? hi : 0));
	emit(e, JALR(RA, RA, e->at ? lo : 0));
}

void notrace arch_tramp_call_orig(struct tramp_emit *e)
{
	emit(e, LD(T0, SP, own(e, OWN_T0)));
	emit(e, JALR(RA, T0, 0));
}

void notrace arch_tramp_store_ret(struct tramp_emit *e, unsigned int off)
{
	emit(e, SD(A0, SP, off));
}

void notrace arch_tramp_load_ret(struct tramp_emit *e, unsigned int off)
{
	emit(e, LD(A0, SP, off));
}

size_t notrace arch_tramp_branch_if_ret(struct tramp_emit *e)
{
	size_t at = e->pos;

	emit(e, BNE(A0, ZERO, 0));
	return at;
}

void notrace arch_tramp_fixup(struct tramp_emit *e, size_t branch, size_t target)
{
	long off = (long)target - (long)branch;
	u32 insn = BNE(A0, ZERO, off);

	if (off <= -BRANCH_REACH || off >= BRANCH_REACH) {
		e->err = e->err ? e->err : -ERANGE;
		return;
	}
	if (e->buf && branch + 4 <= e->max)
		memcpy(e->buf + branch, &insn, 4);
}

/* leave - restore s0 and ra, pop the frame. */
static void leave(struct tramp_emit *e)
{
	emit(e, LD(S0, SP, own(e, OWN_S0)));
	emit(e, LD(RA, SP, own(e, OWN_RA)));
	emit(e, ADDI(SP, SP, e->gbytes + OWN));
}

void notrace arch_tramp_return_to_func(struct tramp_emit *e)
{
	emit(e, LD(T0, SP, own(e, OWN_T0)));
	leave(e);
	emit(e, JALR(ZERO, T0, 0));		/* jr t0 */
}

void notrace arch_tramp_return_to_parent(struct tramp_emit *e)
{
	leave(e);
	emit(e, JALR(ZERO, RA, 0));		/* ret */
}
