#!/usr/bin/env bash
# Install what building and testing the testbed needs, from Debian/Ubuntu
# packages only.  Idempotent: checks every command/file first and runs apt
# only when something is missing.  Uses sudo when not root (if available).
set -euo pipefail

PY=/usr/bin/python3
FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
# clang-14 + libclang-rt-14-dev: the host sanitizer tests and libFuzzer
# (tests/host); the fuzzer and sanitizer runtimes are only a Recommends of
# clang-14, which --no-install-recommends skips.
PACKAGES=(qemu-system-x86 qemu-system-misc opensbi gcc-riscv64-linux-gnu
          binutils-riscv64-linux-gnu gcc make python3-pytest python3-pexpect
          python3-pytest-xdist python3-matplotlib gdb-multiarch dwarves clang-14
          libclang-rt-14-dev)

missing=()
for cmd in qemu-system-x86_64 qemu-system-riscv64 riscv64-linux-gnu-gcc \
           riscv64-linux-gnu-ld riscv64-linux-gnu-objcopy riscv64-linux-gnu-nm \
           gcc make gdb-multiarch pahole clang-14; do
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
[ -f "$FW" ] || missing+=("$FW")
compgen -G "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-$(uname -m).a" \
    >/dev/null || missing+=("libFuzzer runtime (libclang-rt-14-dev)")
if [ ! -x "$PY" ]; then
    missing+=("$PY")
elif ! "$PY" -c 'import pytest, pexpect, xdist, matplotlib' >/dev/null 2>&1; then
    missing+=("python modules pytest/pexpect/xdist/matplotlib for $PY")
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all tools present"
    exit 0
fi

echo "install-deps: missing: ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-deps: not root and no sudo; install: ${PACKAGES[*]}" >&2
        exit 1
    fi
fi
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${PACKAGES[@]}"
