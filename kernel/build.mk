# kernel/build.mk - build one image for $(ARCH); included by the top Makefile
# as `make ARCH=<arch> kernel`.
#
# Sources: every kernel/*/*.c and the arch's list from arch/<dir>/arch.mk.
# Link: pass 1 with an empty symbol table, gen_kallsyms.py reads its
# functions, pass 2 links the real table.  The table lives in .kallsyms at the
# end of the read-only data, after all text, so pass 2 cannot move a function;
# the build checks that it did not.

ARCHDIR_x86_64  := arch/x86
ARCHDIR_riscv64 := arch/riscv
ARCHDIR := $(ARCHDIR_$(ARCH))
ifeq ($(ARCHDIR),)
$(error unknown ARCH '$(ARCH)': use x86_64 or riscv64)
endif

OUT := images/$(ARCH)
OBJ := $(OUT)/obj

include $(ARCHDIR)/arch.mk

CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy

CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fno-common \
	-Ikernel/include -I$(ARCHDIR)/include -MMD -MP \
	-DTESTBED_VERSION='"$(shell git describe --always --dirty 2>/dev/null || echo 0)"' \
	$(ARCH_CFLAGS)
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments $(ARCH_LDFLAGS)

GEN_SRCS  := $(wildcard kernel/core/*.c kernel/lib/*.c kernel/shell/*.c kernel/samples/*.c)
SRCS      := $(GEN_SRCS) $(addprefix $(ARCHDIR)/,$(ARCH_SRCS))
OBJS      := $(patsubst %,$(OBJ)/%.o,$(basename $(SRCS)))

.PHONY: kernel
kernel: $(OUT)/kernel.elf

$(OBJ)/%.o: %.c $(OUT)/flags
	@mkdir -p $(@D)
	@echo "  CC [$(ARCH)] $<"
	@$(CC) $(CFLAGS) -c $< -o $@

$(OBJ)/%.o: %.S $(OUT)/flags
	@mkdir -p $(@D)
	@echo "  AS [$(ARCH)] $<"
	@$(CC) $(ASFLAGS) -c $< -o $@

# Rebuild everything when the compiler flags change.
$(OUT)/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(CFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS)' > $@
.PHONY: FORCE

KALLSYMS := $(PYTHON) kernel/scripts/gen_kallsyms.py

$(OUT)/kernel.elf: $(OBJS) $(ARCHDIR)/kernel.lds kernel/scripts/gen_kallsyms.py
	@echo "  LD [$(ARCH)] $@"
	@$(KALLSYMS) --empty > $(OUT)/kallsyms0.S
	@$(CC) $(ASFLAGS) -c $(OUT)/kallsyms0.S -o $(OUT)/kallsyms0.o
	@$(LD) $(LDFLAGS) -T $(ARCHDIR)/kernel.lds -o $(OUT)/kernel.pass1.elf $(OBJS) $(OUT)/kallsyms0.o
	@$(NM) -n -S --defined-only $(OUT)/kernel.pass1.elf | $(KALLSYMS) > $(OUT)/kallsyms.S
	@$(CC) $(ASFLAGS) -c $(OUT)/kallsyms.S -o $(OUT)/kallsyms.o
	@$(LD) $(LDFLAGS) -T $(ARCHDIR)/kernel.lds -o $@.tmp $(OBJS) $(OUT)/kallsyms.o
	@$(NM) -n -S --defined-only $@.tmp | $(KALLSYMS) --check $(OUT)/kallsyms.S
	@mv $@.tmp $@
	@echo "  OK [$(ARCH)] $@ ($$($(KALLSYMS) --count < $(OUT)/kallsyms.S) functions)"

-include $(OBJS:.o=.d)
