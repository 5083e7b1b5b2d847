# arch/x86/arch.mk - x86_64 build settings, included by kernel/build.mk.
CROSS        :=
ARCH_CFLAGS  := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only -mno-omit-leaf-frame-pointer \
	-mcmodel=small -mno-sse -mno-mmx -mno-80387
ARCH_LDFLAGS := -m elf_x86_64
ARCH_SRCS    := head.S entry.S cpu.c trap.c acpi.c apic.c uart.c mm.c time.c power.c \
	ftrace.c ftrace_64.S smp.c trampoline.S bpf_jit.c

# Call sites: fentry nops recorded in __mcount_loc, or (MCOUNT=1) the
# classic "call mcount" after the prologue, turned into nops at boot.
ifeq ($(MCOUNT),1)
ARCH_FTRACE_CFLAGS := -pg -mrecord-mcount
ARCH_CFLAGS += -DCONFIG_FTRACE_MCOUNT
else
ARCH_FTRACE_CFLAGS := -pg -mfentry -mrecord-mcount -mnop-mcount
endif
# Never traced: boot and early init run before ftrace exists, trap.c
# handles the breakpoints of live patching, ftrace.c is the text writer,
# time.c is the trace clock, apic.c/smp.c send the IPIs that synchronise
# CPUs while text is being patched.
ARCH_NOTRACE_SRCS := cpu.c trap.c acpi.c ftrace.c mm.c time.c apic.c smp.c bpf_jit.c
