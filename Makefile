# Tracing testbed kernel: build both images, run, debug and test them.
#
#   make                 build images/x86_64/kernel.elf and images/riscv64/kernel.elf
#   make run-x86         boot x86_64 with the console on this terminal (Ctrl-A X quits)
#   make run-riscv       the same on riscv64
#   make debug-x86       QEMU halted with its gdb stub, gdb-multiarch attached
#   make debug-riscv
#   make test            build both and run every scenario on both architectures
#   make bench           per-call cost tables (instructions under -icount, and time)
#   make stress          long live-patching run under load (FLIPS=500, 4 CPUs)
#   make host-tests      the kernel's generic C for the host under ASan/UBSan
#   make fuzz            libFuzzer on it, FUZZ_TIME seconds per target (300)
#
# Variables: SMP=N (CPUs; default 1 for run/debug, 4 for test and stress),
# ACCEL=tcg|tcg-mt|kvm, TEST_ARCH=all|x86_64|riscv64, PYTEST_ARGS=...

SHELL      := /bin/bash
MAKEFLAGS  += --no-builtin-rules
.SUFFIXES:
PYTHON     ?= /usr/bin/python3
ifeq ($(origin SMP),undefined)
SMP        := 1
TEST_SMP   := 4
else
TEST_SMP   := $(SMP)
endif
ACCEL      ?= tcg
TEST_ARCH  ?= all
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
ARCHES     := x86_64 riscv64
# Extra builds of the classic `-pg` call-site flavour (images/<arch>-mcount).
MCOUNT_ARCHES := x86_64 riscv64
DEPS_STAMP := images/.deps-ok

.PHONY: all images kernel run-x86 run-riscv debug-x86 debug-riscv test bench stress clean deps \
	host-tests fuzz

all: images

# ---- tools -------------------------------------------------------------
# Install missing tools once (Debian packages only); the stamp is refreshed
# when the install script changes.
deps: $(DEPS_STAMP)
$(DEPS_STAMP): ci/install-deps.sh
	bash ci/install-deps.sh
	@mkdir -p $(@D) && touch $@

# ---- images --------------------------------------------------------------
images: $(DEPS_STAMP)
	@for a in $(ARCHES); do $(MAKE) --no-print-directory ARCH=$$a kernel || exit 1; done
	@for a in $(MCOUNT_ARCHES); do \
		$(MAKE) --no-print-directory ARCH=$$a MCOUNT=1 kernel || exit 1; done

ifneq ($(ARCH),)
include kernel/build.mk
endif

# ---- host sanitizer tests and fuzzing (tests/host) --------------------------
include tests/host/host.mk

# ---- run / debug -----------------------------------------------------------
HARNESS = $(PYTHON) -m harness

run-x86:
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel
	$(HARNESS) run --arch x86_64 --smp $(SMP) --accel $(ACCEL)
run-riscv:
	@$(MAKE) --no-print-directory ARCH=riscv64 kernel
	$(HARNESS) run --arch riscv64 --smp $(SMP) --accel $(ACCEL)
debug-x86:
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel
	$(HARNESS) debug --arch x86_64 --smp $(SMP) --accel $(ACCEL)
debug-riscv:
	@$(MAKE) --no-print-directory ARCH=riscv64 kernel
	$(HARNESS) debug --arch riscv64 --smp $(SMP) --accel $(ACCEL)

# ---- tests -----------------------------------------------------------------
test: images host-tests
	@mkdir -p images/results
	$(PYTHON) -m pytest tests --arch $(TEST_ARCH) --smp $(TEST_SMP) --accel $(ACCEL) \
		-n $(JOBS) --junitxml=images/results/junit.xml $(PYTEST_ARGS)

# ---- benchmarks (numbers, not pass/fail) ------------------------------------
bench: images
	$(PYTHON) -m harness.bench --arch $(TEST_ARCH)

# The long live-patching run (tests run a bounded one): FLIPS per method/mode.
FLIPS ?= 500
stress: images
	$(PYTHON) -m harness.stress --arch $(TEST_ARCH) --smp $(TEST_SMP) --flips $(FLIPS)

clean:
	rm -rf $(addprefix images/,$(ARCHES) $(addsuffix -mcount,$(ARCHES))) images/results \
		images/host
