# arch/x86/arch.mk - x86_64 build settings, included by kernel/build.mk.
CROSS        :=
ARCH_CFLAGS  := -m64 -march=x86-64 -mno-red-zone -mgeneral-regs-only \
	-mcmodel=small -mno-sse -mno-mmx -mno-80387
ARCH_LDFLAGS := -m elf_x86_64
ARCH_SRCS    := head.S entry.S cpu.c trap.c acpi.c apic.c uart.c mm.c time.c power.c
