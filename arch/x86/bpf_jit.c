/*
 * bpf_jit.c - x86_64 code for the BPF trampoline steps (arch.h, "BPF-style
 * trampolines"; kernel/bpf/trampoline.c composes them).
 *
 * Entered like a direct trampoline (arch_ftrace.h): the stack holds the
 * return into the traced function F (its body, or where an IPMODIFY ops
 * sent the call) and, above it, the return into F's caller.  The frame:
 *
 *      +--------------------------+
 *      | return into F's caller   |
 *      | return into F            |   [rbp + 8]: arch_tramp_call_orig()
 *  rbp | saved rbp                |
 *      | generic slots, gbytes    |   ctx[-2] ip, ctx[-1] nr_args, ctx[0..n-1]
 *  rsp +--------------------------+   args, ctx[n] return value
 *
 * rsp stays 16-byte aligned for every call (entry: 8 mod 16; push rbp; sub
 * a multiple of 16).  Slots are addressed rsp-relative with a 32-bit
 * displacement.  Every encoding used is named below.
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"

#define REX_W		0x48	/* 64-bit operand */
#define REX_WR		0x4c	/* 64-bit operand, ModRM.reg += 8 (r8..r15) */
#define OP_MOV_STORE	0x89	/* mov r/m64, r64 */
#define OP_MOV_LOAD	0x8b	/* mov r64, r/m64 */
#define OP_LEA		0x8d	/* lea r64, m */
#define OP_MOV_IMM64	0xb8	/* mov r64, imm64 (+ register) */
#define OP_SUB_IMM32	0x81	/* sub r/m64, imm32 (/5) */
#define OP_ARITH_IMM8	0x83	/* add (/0) / sub (/5) r/m64, imm8 */
#define OP_TEST		0x85	/* test r/m64, r64 */
#define OP_PUSH_RBP	0x55
#define OP_LEAVE	0xc9
#define OP_RET		0xc3
#define OP_CALL_REL32	0xe8
#define OP_GRP5		0xff	/* /2: call r/m64 */
#define OP_JCC_REL32	0x0f, 0x85	/* jnz rel32 */
#define MODRM_SIB_DISP32(reg)	(0x84 | ((reg) & 7) << 3)	/* [rsp + disp32] */
#define SIB_RSP		0x24
#define MODRM_RBP_DISP8(reg)	(0x45 | ((reg) & 7) << 3)	/* [rbp + disp8] */
#define MODRM_REG(reg, rm)	(0xc0 | ((reg) & 7) << 3 | ((rm) & 7))

enum { RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R8 = 8, R9 = 9 };

/* The System V argument registers, in order. */
static const u8 arg_regs[ARCH_FTRACE_REG_ARGS] = { RDI, RSI, RDX, RCX, R8, R9 };

static void emit(struct tramp_emit *e, const u8 *bytes, size_t n)
{
	if (e->buf && e->pos + n > e->max) {
		e->err = e->err ? e->err : -E2BIG;
		return;
	}
	if (e->buf)
		memcpy(e->buf + e->pos, bytes, n);
	e->pos += n;
}

static void emit32(struct tramp_emit *e, u32 v)
{
	u8 b[4] = { (u8)v, (u8)(v >> 8), (u8)(v >> 16), (u8)(v >> 24) };

	emit(e, b, 4);
}

/* mov [rsp + off], reg   or   mov reg, [rsp + off] */
static void mov_slot(struct tramp_emit *e, bool store, int reg, unsigned int off)
{
	u8 b[4] = { reg >= R8 ? REX_WR : REX_W, store ? OP_MOV_STORE : OP_MOV_LOAD,
		    MODRM_SIB_DISP32(reg), SIB_RSP };

	emit(e, b, 4);
	emit32(e, off);
}

void notrace arch_tramp_prologue(struct tramp_emit *e, unsigned int gbytes)
{
	const u8 b[] = { OP_PUSH_RBP, REX_W, OP_MOV_STORE, MODRM_REG(RSP, RBP),	/* mov rbp, rsp */
			 REX_W, OP_SUB_IMM32, MODRM_REG(5, RSP) };		/* sub rsp, imm32 */

	emit(e, b, sizeof(b));
	emit32(e, gbytes);
}

void notrace arch_tramp_save_args(struct tramp_emit *e, unsigned int n, unsigned int off)
{
	for (unsigned int i = 0; i < n; i++)
		mov_slot(e, true, arg_regs[i], off + 8 * i);
}

void notrace arch_tramp_restore_args(struct tramp_emit *e, unsigned int n, unsigned int off)
{
	for (unsigned int i = 0; i < n; i++)
		mov_slot(e, false, arg_regs[i], off + 8 * i);
}

void notrace arch_tramp_store_imm(struct tramp_emit *e, unsigned int off, u64 value)
{
	const u8 b[] = { REX_W, OP_MOV_IMM64 + RAX };			/* movabs rax, imm64 */

	emit(e, b, sizeof(b));
	emit32(e, (u32)value);
	emit32(e, (u32)(value >> 32));
	mov_slot(e, true, RAX, off);
}

void notrace arch_tramp_store_site(struct tramp_emit *e, unsigned int off)
{
	const u8 b[] = { REX_W, OP_MOV_LOAD, MODRM_RBP_DISP8(RAX), 8,		/* mov rax, [rbp+8] */
			 REX_W, OP_ARITH_IMM8, MODRM_REG(5, RAX), ARCH_FTRACE_SITE_SIZE };
									/* sub rax, 5 */
	emit(e, b, sizeof(b));
	mov_slot(e, true, RAX, off);
}

void notrace arch_tramp_call(struct tramp_emit *e, unsigned long func, unsigned int arg_off)
{
	const u8 lea[] = { REX_W, OP_LEA, MODRM_SIB_DISP32(RDI), SIB_RSP };	/* lea rdi, [rsp+d] */
	const u8 call = OP_CALL_REL32;
	long rel;

	emit(e, lea, sizeof(lea));
	emit32(e, arg_off);
	rel = (long)func - (long)(e->at + e->pos + 5);
	if (e->at && rel != (s32)rel) {
		e->err = e->err ? e->err : -ERANGE;
		return;
	}
	emit(e, &call, 1);
	emit32(e, e->at ? (u32)rel : 0);
}

void notrace arch_tramp_call_orig(struct tramp_emit *e)
{
	const u8 b[] = { OP_GRP5, MODRM_RBP_DISP8(2), 8 };		/* call [rbp + 8] */

	emit(e, b, sizeof(b));
}

void notrace arch_tramp_store_ret(struct tramp_emit *e, unsigned int off)
{
	mov_slot(e, true, RAX, off);
}

void notrace arch_tramp_load_ret(struct tramp_emit *e, unsigned int off)
{
	mov_slot(e, false, RAX, off);
}

size_t notrace arch_tramp_branch_if_ret(struct tramp_emit *e)
{
	const u8 b[] = { REX_W, OP_TEST, MODRM_REG(RAX, RAX), OP_JCC_REL32 };	/* test; jnz */
	size_t at;

	emit(e, b, sizeof(b));
	at = e->pos;
	emit32(e, 0);
	return at;			/* the rel32 field */
}

void notrace arch_tramp_fixup(struct tramp_emit *e, size_t branch, size_t target)
{
	s32 rel = (s32)((long)target - (long)(branch + 4));

	if (e->buf && branch + 4 <= e->max)
		memcpy(e->buf + branch, &rel, 4);
}

void notrace arch_tramp_return_to_func(struct tramp_emit *e)
{
	const u8 b[] = { OP_LEAVE, OP_RET };

	emit(e, b, sizeof(b));
}

void notrace arch_tramp_return_to_parent(struct tramp_emit *e)
{
	const u8 b[] = { OP_LEAVE, REX_W, OP_ARITH_IMM8, MODRM_REG(0, RSP), 8,	/* add rsp, 8 */
			 OP_RET };

	emit(e, b, sizeof(b));
}
