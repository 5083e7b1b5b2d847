/*
 * asm-offsets.h - struct pt_regs offsets for assembly (include/ptrace.h);
 * ftrace.c checks each against offsetof() at build time.
 */
#ifndef X86_ASM_OFFSETS_H
#define X86_ASM_OFFSETS_H

#define PT_R15		0
#define PT_R14		8
#define PT_R13		16
#define PT_R12		24
#define PT_R11		32
#define PT_R10		40
#define PT_R9		48
#define PT_R8		56
#define PT_RBP		64
#define PT_RDI		72
#define PT_RSI		80
#define PT_RDX		88
#define PT_RCX		96
#define PT_RBX		104
#define PT_RAX		112
#define PT_VECTOR	120
#define PT_ERROR	128
#define PT_RIP		136
#define PT_CS		144
#define PT_RFLAGS	152
#define PT_RSP		160
#define PT_SS		168

#endif
