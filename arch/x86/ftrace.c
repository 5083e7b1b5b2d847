/*
 * ftrace.c - x86_64 encodings for dynamic ftrace and the text writer.
 * Generic code (kernel/trace/ftrace.c) decides; this file only builds
 * instruction bytes and writes them through the text alias.
 */
#include "kernel.h"
#include "arch.h"
#include "ftrace.h"
#include "x86.h"
#include "smp.h"
#include "asm-offsets.h"

#define MOVABS_IMM_OFF	2	/* 48 ba <imm64>: movabs $imm64, %rdx */

extern char ftrace_caller_op[], ftrace_caller_call[], ftrace_caller_end[];
extern char ftrace_regs_caller_op[], ftrace_regs_caller_call[], ftrace_regs_caller_end[];
extern char mcount[];

_Static_assert(__builtin_offsetof(struct pt_regs, rbp) == PT_RBP, "PT_RBP");
_Static_assert(__builtin_offsetof(struct pt_regs, rax) == PT_RAX, "PT_RAX");
_Static_assert(__builtin_offsetof(struct pt_regs, rip) == PT_RIP, "PT_RIP");
_Static_assert(__builtin_offsetof(struct pt_regs, cs) == PT_CS, "PT_CS");
_Static_assert(__builtin_offsetof(struct pt_regs, rsp) == PT_RSP, "PT_RSP");
_Static_assert(__builtin_offsetof(struct pt_regs, ss) == PT_SS, "PT_SS");
_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "PT_REGS_SIZE");

/* encode_call - "call @target" placed at @ip; -ERANGE beyond rel32. */
static int notrace encode_call(unsigned long ip, unsigned long target, u8 *insn)
{
	long rel = (long)target - (long)(ip + ARCH_FTRACE_SITE_SIZE);
	s32 rel32 = (s32)rel;

	if (rel != rel32)
		return -ERANGE;
	insn[0] = X86_CALL_OPCODE;
	memcpy(insn + 1, &rel32, 4);
	return 0;
}

int notrace arch_ftrace_site_insn(unsigned long ip, unsigned long target, u8 *insn)
{
	static const u8 nop5[ARCH_FTRACE_SITE_SIZE] = X86_NOP5;

	if (!target) {
		memcpy(insn, nop5, sizeof(nop5));
		return 0;
	}
	return encode_call(ip, target, insn);
}

void arch_ftrace_boot_insn(unsigned long ip, u8 *insn)
{
#ifdef CONFIG_FTRACE_MCOUNT
	encode_call(ip, (unsigned long)mcount, insn);
#else
	arch_ftrace_site_insn(ip, 0, insn);
#endif
}

unsigned long arch_ftrace_site_func(unsigned long ip)
{
	unsigned long start;

	return kallsyms_lookup(ip, &start, NULL) ? start : ip;
}

/*
 * arch_ftrace_tramp_build - copy ftrace_caller (or ftrace_regs_caller) and
 * make the copy load @op and call @func.  The template's only references
 * outside itself are the call (re-encoded here) and none else.
 */
long arch_ftrace_tramp_build(u8 *buf, size_t max, unsigned long at, bool regs,
			     unsigned long func, void *op)
{
	char *start = regs ? ftrace_regs_caller : ftrace_caller;
	char *end = regs ? ftrace_regs_caller_end : ftrace_caller_end;
	char *op_insn = regs ? ftrace_regs_caller_op : ftrace_caller_op;
	char *call = regs ? ftrace_regs_caller_call : ftrace_caller_call;
	size_t size = end - start;
	unsigned long opv = (unsigned long)op;

	if (size > max)
		return -E2BIG;
	memcpy(buf, start, size);
	memcpy(buf + (op_insn - start) + MOVABS_IMM_OFF, &opv, sizeof(opv));
	if (at && encode_call(at + (call - start), func, buf + (call - start)))
		return -ERANGE;
	return (long)size;
}

void arch_bp_insn(u8 *insn)
{
	insn[0] = X86_INT3;
}

/* arch_bp_address - int3 is a trap: rip is already past its one byte. */
unsigned long notrace arch_bp_address(const struct pt_regs *regs)
{
	return regs->rip - ARCH_BP_INSN_SIZE;
}

/*
 * arch_emulate_insn - the new instruction of a site hit during patching:
 * call rel32 (push the return address into the gap the int3 entry left
 * below the interrupted stack, then go to the target), jmp rel32, or NOP5.
 */
int notrace arch_emulate_insn(struct pt_regs *regs, unsigned long addr, const u8 *insn,
			      unsigned int len)
{
	static const u8 nop5[ARCH_FTRACE_SITE_SIZE] = X86_NOP5;
	s32 rel;

	if (len != ARCH_FTRACE_SITE_SIZE)
		return -EINVAL;
	memcpy(&rel, insn + 1, sizeof(rel));
	if (insn[0] == X86_CALL_OPCODE) {
		regs->rsp -= 8;
		*(unsigned long *)regs->rsp = addr + len;
		regs->rip = addr + len + rel;
		return BP_EMU_CALL;
	}
	if (insn[0] == X86_JMP_OPCODE) {
		regs->rip = addr + len + rel;
		return BP_EMU_JMP;
	}
	if (!memcmp(insn, nop5, len)) {
		regs->rip = addr + len;
		return BP_EMU_NOP;
	}
	return -EINVAL;
}

/*
 * arch_text_write - through the alias mm.c maps at X86_TEXT_ALIAS + pa
 * (read-write, never executable).  Identity mapping: pa == va.
 */
/*
 * arch_text_alias_flush - see arch.h.  No mapping is global (mm.c), so
 * reloading CR3 drops every TLB entry, the alias's included: one flush
 * whatever the number of alias pages.
 */
void notrace arch_text_alias_flush(void)
{
	write_cr3(read_cr3());
}

int notrace arch_text_write(void *addr, const void *src, size_t len)
{
	unsigned long a = (unsigned long)addr;

	if (a < (unsigned long)_text_start || a + len > (unsigned long)_text_end ||
	    a + len < a)
		return -EFAULT;
	memcpy((void *)(X86_TEXT_ALIAS + a), src, len);
	return 0;
}
