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
ARCH_SRCS    := head.S entry.S setup.c fdt.c uart.c mm.c plic.c time.c sbi.c trap.c \
	smp.c ftrace.c mcount-dyn.S bpf_jit.c

# Call sites: 4 x c.nop (8 bytes) at every function's entry, listed by the
# compiler in __patchable_function_entries (kernel.lds gathers them between
# __start/__stop_mcount_loc); ftrace_init() makes them two 4-byte nops.
# Functions 4-byte aligned, so each half of a site is one aligned 32-bit
# word (include/arch_ftrace.h).
#
# MCOUNT=1: the classic "mv a0, ra; call _mcount" after the prologue, which
# gcc does not record: ARCH_LINK2_GEN reads the pass-1 image and prints the
# __mcount_loc table linked into pass 2 (needs that hook in kernel/build.mk).
ifeq ($(MCOUNT),1)
ARCH_FTRACE_CFLAGS := -pg
ARCH_CFLAGS += -DCONFIG_FTRACE_MCOUNT
ARCH_LINK2_GEN := $(PYTHON) arch/riscv/scripts/mcount_sites.py
else
ARCH_FTRACE_CFLAGS := -fpatchable-function-entry=4 -falign-functions=4
endif

# Never traced: early boot (setup.c, fdt.c run before ftrace exists), trap
# handling, the page tables, the trace clock, secondary bring-up and the IPI
# (smp.c), and ftrace.c (the text writer, the breakpoint emulation and the
# encoders the patching path calls while sites are half changed).
ARCH_NOTRACE_SRCS := setup.c fdt.c trap.c mm.c time.c smp.c ftrace.c bpf_jit.c
