# arch/riscv/arch.mk - riscv64 build settings, included by kernel/build.mk.
#
# rv64imac: no FPU state to save in traps.  medany: the image is linked at
# 0x80200000, outside the +-2 GiB around 0 that medlow can reach.  No linker
# relaxation: gp is never set up, and relaxation would let the symbol table
# (pass 2 of the link) shrink or move code.
CROSS        := riscv64-linux-gnu-
ARCH_CFLAGS  := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax -mstrict-align
ARCH_LDFLAGS := -m elf64lriscv --no-relax
ARCH_SRCS    := head.S entry.S setup.c fdt.c uart.c mm.c plic.c time.c sbi.c trap.c

# Never traced: early boot (setup.c, fdt.c run before ftrace exists), trap
# handling, the page tables (future text writer) and the trace clock.
# Call sites (ARCH_FTRACE_CFLAGS) and the ftrace hooks of arch.h come with the
# riscv ftrace port; until then the link fails on them rather than stubbing.
ARCH_NOTRACE_SRCS := setup.c fdt.c trap.c mm.c time.c
