/*
 * kbuild.h - the macros an arch's asm-offsets.c uses to hand C layout to
 * assembly (as Linux's include/linux/kbuild.h).  asm-offsets.c is compiled
 * to assembler only; each DEFINE leaves a "->NAME value expression" marker
 * that kernel/build.mk turns into "#define NAME value" in the generated
 * $(OUT)/include/asm-offsets.h, which .S files and C alike include.  No
 * offset shared with assembly is written by hand.
 */
#ifndef KBUILD_H
#define KBUILD_H

#define DEFINE(sym, val) \
	__asm__ volatile("\n.ascii \"->" #sym " %0 " #val "\"" : : "i" (val))
#define OFFSET(sym, str, mem)	DEFINE(sym, __builtin_offsetof(struct str, mem))
#define BLANK()			__asm__ volatile("\n.ascii \"->\"" : : )

#endif /* KBUILD_H */
