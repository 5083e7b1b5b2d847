# kernel/build.mk - build one image for $(ARCH); included by the top Makefile
# as `make ARCH=<arch> kernel`.
#
# Sources: every kernel/*/*.c and the arch's list from arch/<dir>/arch.mk.
# Link: pass 1 with an empty symbol table and empty BTF; gen_kallsyms.py
# reads its functions and pahole (Debian's dwarves) encodes its DWARF (-g) as
# BTF, the C types and prototypes of every function; pass 2 links the real
# table and the BTF.  Both live at the end of the read-only data (.kallsyms,
# .BTF), after all text, so pass 2 cannot move a function; the build checks
# that it did not.

ARCHDIR_x86_64  := arch/x86
ARCHDIR_riscv64 := arch/riscv
ARCHDIR := $(ARCHDIR_$(ARCH))
ifeq ($(ARCHDIR),)
$(error unknown ARCH '$(ARCH)': use x86_64 or riscv64)
endif

# The classic mcount flavour (MCOUNT=1) builds into images/<arch>-mcount.
OUT := images/$(ARCH)$(if $(filter 1,$(MCOUNT)),-mcount)
OBJ := $(OUT)/obj

include $(ARCHDIR)/arch.mk

CC      := $(CROSS)gcc
LD      := $(CROSS)ld
NM      := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
# pahole >= 1.22 encodes every function with an ELF symbol (1.24 in Debian 12),
# for any ELF machine libdw reads: the riscv64 image too.
#  --btf_gen_floats  float types as BTF_KIND_FLOAT (without it they become
#                    unsigned INTs), so kernel/bpf/btf.c can refuse them
#  --lang=...        C compilation units only: gas's DWARF for a .S file gives
#                    each `.type sym, @function` a subprogram without
#                    parameters, which would become a false void(void)
#                    prototype (riscv64's ftrace_caller); 1.24 cannot name
#                    the assembler language to exclude it
PAHOLE  := pahole
PAHOLE_FLAGS := --btf_gen_floats --lang=c89,c,c99,c11

# -Wno-missing-field-initializers: tables leave trailing fields out and get
# zeros (struct shell_cmd's `redirect`), a C guarantee, as Linux does.
CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers \
	-ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing -fno-common \
	-Ikernel/include -I$(ARCHDIR)/include -I$(OUT)/include -MMD -MP \
	$(ARCH_CFLAGS)
ASFLAGS := $(filter-out -std=gnu11,$(CFLAGS)) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -z max-page-size=4096 -z noexecstack \
	--no-warn-rwx-segments $(ARCH_LDFLAGS)

# Generic C, plus what samples and subsystems add in their own folders
# (kernel/livepatch, kernel/samples/ftrace, ...), plus samples written per
# arch in assembly (kernel/samples/<name>/<arch>/*.S, as a user writes a
# direct trampoline) and the test drivers' per-arch assembly
# (kernel/tests/<arch>/*.S: the direct trampoline `bench` measures, the
# live-patch tests' direct trampolines and module blobs).
GEN_SRCS  := $(wildcard kernel/core/*.c kernel/lib/*.c kernel/shell/*.c \
	kernel/samples/*.c kernel/trace/*.c kernel/tests/*.c \
	kernel/livepatch/*.c kernel/bpf/*.c kernel/samples/*/*.c \
	kernel/samples/*/$(ARCH)/*.S kernel/tests/$(ARCH)/*.S)
SRCS      := $(GEN_SRCS) $(addprefix $(ARCHDIR)/,$(ARCH_SRCS))

# Files compiled without call sites, and why:
#  kernel/trace: the tracer itself (its hot path would recurse into itself)
#  kernel/lib:   memcpy/vsnprintf and friends, called by the tracer's hot path
#  kernel/bpf:   trampolines' programs and helpers run inside trampolines
#  kernel/tests: the in-kernel test drivers (selftest, stress, bench, race);
#                what they trace lives in kernel/samples
#  arch files listed by the arch (early boot, traps, the text writer)
NOTRACE_SRCS := $(wildcard kernel/trace/*.c kernel/lib/*.c kernel/tests/*.c kernel/bpf/*.c) \
	$(addprefix $(ARCHDIR)/,$(ARCH_NOTRACE_SRCS))

# Generated traceable functions (kernel/scripts/gen_funcs.py), to patch
# at the scale of a real kernel.  GEN_FUNCS=0 builds none.
GEN_FUNCS ?= 20000
GEN_DIR   := $(OUT)/gen
GEN_FILES := $(shell $(PYTHON) kernel/scripts/gen_funcs.py --list $(GEN_FUNCS) $(GEN_DIR))
SRCS      += $(GEN_FILES)

OBJS      := $(patsubst %,$(OBJ)/%.o,$(basename $(SRCS)))

# asm-offsets.h: the C layout assembly needs, generated (as Kbuild does) from
# the arch's asm-offsets.c compiled to assembler, never written by hand.
ASM_OFFSETS := $(OUT)/include/asm-offsets.h
$(ASM_OFFSETS): $(ARCHDIR)/asm-offsets.c $(OUT)/flags
	@mkdir -p $(@D)
	@echo "  GEN [$(ARCH)] $@"
	@$(CC) $(filter-out -MMD -MP,$(CFLAGS)) -S $< -o $(OUT)/asm-offsets.s
	@{ echo '/* generated from $< by kernel/build.mk: do not edit */'; \
	   echo '#ifndef ASM_OFFSETS_H'; echo '#define ASM_OFFSETS_H'; \
	   sed -ne 's:^[[:space:]]*\.ascii[[:space:]]*"->\([A-Za-z_0-9]*\) [$$#]*\([-0-9]*\) \(.*\)":#define \1 \2 /* \3 */:p' \
		$(OUT)/asm-offsets.s; \
	   echo '#endif'; } > $@.tmp && mv $@.tmp $@
$(OBJS): | $(ASM_OFFSETS)

# version.h: the commit the image is built from, rewritten only when it
# changes, so a commit recompiles the two files that print it, not all.
VERSION_H := $(OUT)/include/version.h
$(VERSION_H): FORCE
	@mkdir -p $(@D)
	@v='#define TESTBED_VERSION "$(shell git describe --always --dirty 2>/dev/null || echo 0)"'; \
	 echo "$$v" | cmp -s - $@ || echo "$$v" > $@
$(OBJ)/kernel/core/main.o $(OBJ)/kernel/shell/fs.o: $(VERSION_H)

.SECONDARY: $(GEN_FILES)

TRACE_OBJS := $(filter-out $(patsubst %,$(OBJ)/%.o,$(basename $(NOTRACE_SRCS))),$(OBJS))
$(TRACE_OBJS): CFLAGS += $(ARCH_FTRACE_CFLAGS)

$(GEN_DIR)/%.c: kernel/scripts/gen_funcs.py $(OUT)/flags
	@mkdir -p $(@D)
	@$(PYTHON) kernel/scripts/gen_funcs.py --write $(GEN_FUNCS) $(GEN_DIR) $(notdir $@)

.PHONY: kernel
kernel: $(OUT)/kernel.elf

$(OBJ)/$(OUT)/%.o: $(OUT)/%.c $(OUT)/flags
	@mkdir -p $(@D)
	@echo "  CC [$(ARCH)] $<"
	@$(CC) $(CFLAGS) -c $< -o $@

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
	@echo '$(CC) $(CFLAGS) $(ARCH_FTRACE_CFLAGS) $(GEN_FUNCS)' | cmp -s - $@ || \
		echo '$(CC) $(CFLAGS) $(ARCH_FTRACE_CFLAGS) $(GEN_FUNCS)' > $@
.PHONY: FORCE

KALLSYMS := $(PYTHON) kernel/scripts/gen_kallsyms.py

# ARCH_LINK2_GEN (optional, from arch.mk): a command that reads the pass-1
# image (its argument) and prints an assembler file linked into pass 2, and
# with --check IMAGE verifies the final image (riscv MCOUNT=1: the table of
# -pg call sites, which gcc does not record there).  What it emits must be
# placed after all code by the arch's linker script, like .kallsyms.
LINK2_OBJ := $(if $(ARCH_LINK2_GEN),$(OUT)/link2.o)

# BTF: kernel/bpf/btf_embed.S assembled empty for pass 1, then around the
# raw BTF (kernel.btf) pahole writes from pass 1's DWARF for pass 2.
# Relink when the pahole command changes.
BTF_EMBED := kernel/bpf/btf_embed.S

$(OUT)/pahole-flags: FORCE
	@mkdir -p $(@D)
	@echo '$(PAHOLE) $(PAHOLE_FLAGS)' | cmp -s - $@ || echo '$(PAHOLE) $(PAHOLE_FLAGS)' > $@

$(OUT)/kernel.elf: $(OBJS) $(ARCHDIR)/kernel.lds kernel/scripts/gen_kallsyms.py \
		$(filter %.py,$(ARCH_LINK2_GEN)) $(BTF_EMBED) $(OUT)/pahole-flags
	@echo "  LD [$(ARCH)] $@"
	@$(KALLSYMS) --empty > $(OUT)/kallsyms0.S
	@$(CC) $(ASFLAGS) -c $(OUT)/kallsyms0.S -o $(OUT)/kallsyms0.o
	@$(CC) $(filter-out -MMD -MP,$(ASFLAGS)) -c $(BTF_EMBED) -o $(OUT)/btf0.o
	@$(LD) $(LDFLAGS) -T $(ARCHDIR)/kernel.lds -o $(OUT)/kernel.pass1.elf $(OBJS) \
		$(OUT)/kallsyms0.o $(OUT)/btf0.o
	@$(NM) -n -S --defined-only $(OUT)/kernel.pass1.elf | $(KALLSYMS) > $(OUT)/kallsyms.S
	@$(CC) $(ASFLAGS) -c $(OUT)/kallsyms.S -o $(OUT)/kallsyms.o
	@echo "  BTF [$(ARCH)] $(OUT)/kernel.btf"
	@rm -f $(OUT)/kernel.btf	# pahole 1.24 rewrites it in place, without truncating
	@$(PAHOLE) $(PAHOLE_FLAGS) --btf_encode_detached=$(OUT)/kernel.btf $(OUT)/kernel.pass1.elf
	@$(CC) $(filter-out -MMD -MP,$(ASFLAGS)) -DBTF_FILE='"$(OUT)/kernel.btf"' \
		-c $(BTF_EMBED) -o $(OUT)/btf.o
ifneq ($(ARCH_LINK2_GEN),)
	@$(ARCH_LINK2_GEN) $(OUT)/kernel.pass1.elf > $(OUT)/link2.S
	@$(CC) $(ASFLAGS) -c $(OUT)/link2.S -o $(LINK2_OBJ)
endif
	@$(LD) $(LDFLAGS) -T $(ARCHDIR)/kernel.lds -o $@.tmp $(OBJS) $(OUT)/kallsyms.o \
		$(OUT)/btf.o $(LINK2_OBJ)
	@$(NM) -n -S --defined-only $@.tmp | $(KALLSYMS) --check $(OUT)/kallsyms.S
ifneq ($(ARCH_LINK2_GEN),)
	@$(ARCH_LINK2_GEN) --check $@.tmp
endif
	@mv $@.tmp $@
	@echo "  OK [$(ARCH)] $@ ($$($(KALLSYMS) --count < $(OUT)/kallsyms.S) functions, $$(stat -c %s $(OUT)/kernel.btf) bytes of BTF)"

-include $(OBJS:.o=.d)
