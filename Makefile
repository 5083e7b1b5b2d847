# Tracing testbed kernel: build both images, run, debug and test them.
#
#   make                 build images/x86_64/kernel.elf and images/riscv64/kernel.elf
#   make run-x86         boot x86_64 with the console on this terminal (Ctrl-A X quits)
#   make run-riscv       the same on riscv64
#   make debug-x86       QEMU halted with its gdb stub, gdb-multiarch attached
#   make debug-riscv
#   make test            build both and run every scenario on both architectures
#   make bench           per-call cost tables (instructions under -icount, and time),
#                        also as JSON and SVG plots in images/results (COMPARE=OLD.json)
#   make stress          long live-patching run under load (2, 4, 8 CPUs; FLIPS=N per run)
#   make host-tests      the kernel's generic C for the host under ASan/UBSan
#   make fuzz            libFuzzer on it, FUZZ_TIME seconds per target (300)
#
# Variables: SMP=N (CPUs; default 1 for run/debug, 4 for test, 2,4,8 for stress),
# ACCEL=tcg-mt|tcg|kvm (default: tcg-mt with more than one CPU, else tcg),
# TEST_ARCH=all|x86_64|riscv64, PYTEST_ARGS=...

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
# ACCEL unset: tcg-mt (parallel vCPUs) for SMP machines, tcg for one CPU.
ACCEL      ?=
ACCEL_OPT  := $(if $(ACCEL),--accel $(ACCEL))
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
# Each image builds with $(JOBS) jobs unless make was given its own -j.
SUBJOBS = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(JOBS))
images: $(DEPS_STAMP)
	@for a in $(ARCHES); do $(MAKE) $(SUBJOBS) --no-print-directory ARCH=$$a kernel || exit 1; done
	@for a in $(MCOUNT_ARCHES); do \
		$(MAKE) $(SUBJOBS) --no-print-directory ARCH=$$a MCOUNT=1 kernel || exit 1; done

ifneq ($(ARCH),)
include kernel/build.mk
endif

# ---- host sanitizer tests and fuzzing (tests/host) --------------------------
include tests/host/host.mk

# ---- run / debug -----------------------------------------------------------
HARNESS = $(PYTHON) -m harness

run-x86:
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel
	$(HARNESS) run --arch x86_64 --smp $(SMP) $(ACCEL_OPT)
run-riscv:
	@$(MAKE) --no-print-directory ARCH=riscv64 kernel
	$(HARNESS) run --arch riscv64 --smp $(SMP) $(ACCEL_OPT)
debug-x86:
	@$(MAKE) --no-print-directory ARCH=x86_64 kernel
	$(HARNESS) debug --arch x86_64 --smp $(SMP) $(ACCEL_OPT)
debug-riscv:
	@$(MAKE) --no-print-directory ARCH=riscv64 kernel
	$(HARNESS) debug --arch riscv64 --smp $(SMP) $(ACCEL_OPT)

# ---- tests -----------------------------------------------------------------
test: images host-tests
	@mkdir -p images/results
	$(PYTHON) -m pytest tests --arch $(TEST_ARCH) --smp $(TEST_SMP) $(ACCEL_OPT) \
		-n $(JOBS) --junitxml=images/results/junit.xml $(PYTEST_ARGS)

# ---- benchmarks (numbers, not pass/fail) ------------------------------------
# Results also as images/results/bench.json and bench-*.svg; COMPARE=OLD.json
# prints each figure's ratio to an earlier run.
bench: images
	@mkdir -p images/results
	$(PYTHON) -m harness.bench --arch $(TEST_ARCH) $(ACCEL_OPT) \
		--json images/results/bench.json --plots images/results \
		$(if $(COMPARE),--compare $(COMPARE))

# The long live-patching run (tests run a bounded one): FLIPS per method and
# mode, on STRESS_SMP CPU counts under tcg-mt, 4 CPUs under tcg, NMIs, riscv
# -singlestep, and a negative control (harness/stress.py).
FLIPS ?=
STRESS_SMP ?= $(if $(filter command line environment,$(origin SMP)),$(SMP),2,4,8)
stress: images
	$(PYTHON) -m harness.stress --arch $(TEST_ARCH) --smp $(STRESS_SMP) $(if $(FLIPS),--flips $(FLIPS)) \
		$(ACCEL_OPT)

clean:
	rm -rf $(addprefix images/,$(ARCHES) $(addsuffix -mcount,$(ARCHES))) images/results \
		images/host
