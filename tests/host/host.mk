# tests/host/host.mk - the kernel's generic C (no hardware in it) built for
# the host with AddressSanitizer and UndefinedBehaviorSanitizer: one
# unit-test program and one libFuzzer program per target.  Included by the
# top Makefile.
#
#   make host-tests         build images/host/unit and images/host/fuzz_*
#   make fuzz               run every fuzz target FUZZ_TIME seconds (300)
#                           FUZZ_TARGETS='vsnprintf glob' picks some
#
# The kernel sources are compiled unmodified: tests/host/include/host.h is
# force-included (it renames the kernel's libc-named functions) and its
# directory supplies host stubs of the arch headers.

HOST_CC    ?= clang-14
HOST_OUT   := images/host
HOST_DIR   := tests/host

# The kernel files under test (each must stay free of hardware access).
HOST_KSRCS := kernel/lib/vsnprintf.c kernel/lib/string.c kernel/lib/errno.c \
	kernel/core/kallsyms.c kernel/core/console.c kernel/trace/hash.c \
	kernel/shell/line_edit.c \
	kernel/shell/parse.c
HOST_ENV   := $(HOST_DIR)/env.c $(HOST_DIR)/ref.c
HOST_UNIT  := $(wildcard $(HOST_DIR)/unit/*.c)
FUZZ_ALL   := $(patsubst $(HOST_DIR)/fuzz/fuzz_%.c,%,$(wildcard $(HOST_DIR)/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_TIME  ?= 300

HOST_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wno-missing-field-initializers -MMD -MP \
	$(HOST_SAN) -fsanitize=fuzzer-no-link \
	-iquote $(HOST_DIR)/include -iquote kernel/include -iquote kernel/trace \
	-iquote $(HOST_DIR)/unit
# Kernel sources: freestanding semantics as in the kernel build.
HOST_KFLAGS := $(HOST_CFLAGS) -fno-builtin -include $(HOST_DIR)/include/host.h

HOST_KOBJS := $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(HOST_KSRCS) $(HOST_ENV)) \
	$(HOST_OUT)/obj/kallsyms_table.o
HOST_UOBJS := $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(HOST_UNIT))
FUZZ_BINS  := $(addprefix $(HOST_OUT)/fuzz_,$(FUZZ_ALL))
FUZZ_OBJS  := $(patsubst %,$(HOST_OUT)/obj/$(HOST_DIR)/fuzz/fuzz_%.o,$(FUZZ_ALL))
.SECONDARY: $(FUZZ_OBJS) $(HOST_OUT)/kallsyms_table.c

.PHONY: host-tests fuzz
host-tests: $(HOST_OUT)/unit $(FUZZ_BINS)

# The compiler comes from ci/install-deps.sh, like the cross toolchains.
$(HOST_OUT)/obj/kernel/%.o: kernel/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC [host] $<"
	@$(HOST_CC) $(HOST_KFLAGS) -c $< -o $@

$(HOST_OUT)/obj/$(HOST_DIR)/%.o: $(HOST_DIR)/%.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	@echo "  CC [host] $<"
	@$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

# The kallsyms table of a made-up image (kallsyms.nm), by the real generator.
$(HOST_OUT)/kallsyms_table.c: $(HOST_DIR)/kallsyms.nm kernel/scripts/gen_kallsyms.py
	@mkdir -p $(@D)
	@$(PYTHON) kernel/scripts/gen_kallsyms.py --c < $< > $@

$(HOST_OUT)/obj/kallsyms_table.o: $(HOST_OUT)/kallsyms_table.c
	@$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_OUT)/unit: $(HOST_KOBJS) $(HOST_UOBJS)
	@echo "  LD [host] $@"
	@$(HOST_CC) $(HOST_SAN) -fsanitize=fuzzer-no-link $^ -o $@

$(HOST_OUT)/fuzz_%: $(HOST_OUT)/obj/$(HOST_DIR)/fuzz/fuzz_%.o $(HOST_KOBJS)
	@echo "  LD [host] $@"
	@$(HOST_CC) $(HOST_SAN) -fsanitize=fuzzer $^ -o $@

# make fuzz: each target in turn for FUZZ_TIME seconds, growing its corpus
# in images/host/corpus/<target> from the committed seeds and regression
# inputs.  A crash stops make; its input is in images/host/crashes/<target>/
# and, once fixed, belongs in tests/host/regressions/<target>/.
fuzz: host-tests
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(HOST_OUT)/corpus/$$t $(HOST_OUT)/crashes/$$t \
			$(HOST_DIR)/seeds/$$t $(HOST_DIR)/regressions/$$t; \
		echo "fuzz: $$t for $(FUZZ_TIME)s"; \
		$(HOST_OUT)/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 \
			-rss_limit_mb=2048 -print_final_stats=1 \
			$$( [ -f $(HOST_DIR)/fuzz/$$t.dict ] && echo -dict=$(HOST_DIR)/fuzz/$$t.dict ) \
			-artifact_prefix=$(HOST_OUT)/crashes/$$t/ \
			$(HOST_OUT)/corpus/$$t $(HOST_DIR)/seeds/$$t $(HOST_DIR)/regressions/$$t \
			2>&1 | tee $(HOST_OUT)/fuzz-$$t.log | grep -E '^(#[0-9]+ +DONE|stat::|==[0-9]+==|SUMMARY|INFO: a corpus|Done)'; \
		[ $${PIPESTATUS[0]} -eq 0 ] || { echo "fuzz: $$t FAILED: see $(HOST_OUT)/fuzz-$$t.log"; exit 1; }; \
	done

-include $(shell find $(HOST_OUT)/obj -name '*.d' 2>/dev/null)
