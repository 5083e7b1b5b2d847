#!/usr/bin/python3
"""mcount_sites.py - find the classic -pg call sites of a riscv64 image and
print them as an assembler file for the MCOUNT=1 flavour: section
__mcount_loc (one .quad per site: the call) and section __mcount_mv_loc
(one .quad per site: the "c.mv a0, ra" that feeds _mcount).

  mcount_sites.py IMAGE           > mcount_loc.S   the tables for pass 2
  mcount_sites.py --check IMAGE                    exit 1 unless IMAGE's tables
                                                   equal a fresh scan of it

gcc -pg on riscv emits "mv a0, ra; call _mcount" after the prologue but,
unlike x86 (-mrecord-mcount), does not record where.  This reads the pass-1
image and walks every function (ELF STT_FUNC symbols, start to start + size)
instruction by instruction - RVC lengths from the low bits, so it never
matches in the middle of an instruction - and takes each

    auipc ra, hi20          00000097 | hi20 << 12
    jalr  ra, lo12(ra)      000080e7 | lo12 << 20

whose target is _mcount.  Between the function's entry and that call it
requires straight-line code in which the only write to a0-a7 is one
"c.mv a0, ra" (8506): the kernel turns that into a c.nop at boot, so a0-a7
still hold the arguments when the site calls the tracer.  Anything else (a
branch, another write to an argument register, a second _mcount call in one
function) fails the build, naming the function.

The tables live after all code (kernel.lds), so linking them in pass 2
cannot move a site; --check verifies the final image.
"""
import struct
import sys

SHT_SYMTAB = 2
STT_FUNC = 2
SHF_EXECINSTR = 0x4

OPC_MASK, RD_MASK, RS1_MASK, FUNCT3_MASK = 0x7f, 0xf80, 0xf8000, 0x7000
AUIPC_RA = 0x00000097      # auipc ra, 0
JALR_RA = 0x000080e7       # jalr ra, 0(ra)
C_MV_A0_RA = 0x8506        # c.mv a0, ra
CALL_SIZE = 8
A_REGS = set(range(10, 18))  # a0..a7 = x10..x17
JUMP = 'jump'                # dest_reg(): a control transfer

# 32-bit major opcodes that write rd (bits 11:7), and those that write none.
OPC_WRITE_RD = {0x03, 0x0f, 0x13, 0x17, 0x1b, 0x2f, 0x33, 0x37, 0x3b, 0x73}
OPC_NO_RD = {0x23}           # STORE
OPC_JUMP = {0x63, 0x67, 0x6f}  # BRANCH, JALR, JAL


def sext(v, bits):
    return v - (1 << bits) if v & (1 << (bits - 1)) else v


class Elf:
    """Just enough of an ELF64 little-endian reader: sections and symbols."""

    def __init__(self, path):
        self.data = open(path, 'rb').read()
        if self.data[:4] != b'\x7fELF' or self.data[4] != 2 or self.data[5] != 1:
            sys.exit(f'{path}: not an ELF64 little-endian file')
        shoff, = struct.unpack_from('<Q', self.data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from('<HHH', self.data, 0x3a)
        self.sections = []
        for i in range(shnum):
            (name, typ, flags, addr, off, size, link, info, align,
             entsize) = struct.unpack_from('<IIQQQQIIQQ', self.data, shoff + i * shentsize)
            self.sections.append(dict(name=name, type=typ, flags=flags, addr=addr,
                                      off=off, size=size, link=link, entsize=entsize))
        strtab = self.sections[shstrndx]
        for s in self.sections:
            s['name'] = self.cstr(strtab['off'] + s['name'])

    def cstr(self, off):
        return self.data[off:self.data.index(b'\0', off)].decode()

    def section(self, name):
        return next((s for s in self.sections if s['name'] == name), None)

    def symbols(self):
        """(name, value, size, type) of every symbol."""
        symtab = next(s for s in self.sections if s['type'] == SHT_SYMTAB)
        strtab = self.sections[symtab['link']]
        for off in range(symtab['off'], symtab['off'] + symtab['size'], symtab['entsize']):
            name, info, _, _, value, size = struct.unpack_from('<IBBHQQ', self.data, off)
            yield self.cstr(strtab['off'] + name), value, size, info & 0xf

    def read(self, addr, n):
        for s in self.sections:
            if s['addr'] <= addr and addr + n <= s['addr'] + s['size'] and s['type'] != 8:
                return self.data[s['off'] + addr - s['addr']:s['off'] + addr - s['addr'] + n]
        raise ValueError(f'0x{addr:x} is in no section with contents')

    def is_code(self, addr):
        return any(s['flags'] & SHF_EXECINSTR and s['addr'] <= addr < s['addr'] + s['size']
                   for s in self.sections)


def mcount_call_target(word0, word1, pc):
    """The target of "auipc ra; jalr ra" at pc, or None for anything else."""
    if word0 & (OPC_MASK | RD_MASK) != AUIPC_RA:
        return None
    if word1 & (OPC_MASK | RD_MASK | RS1_MASK | FUNCT3_MASK) != JALR_RA:
        return None
    hi = sext(word0 >> 12, 20) << 12
    lo = sext(word1 >> 20, 12)
    return (pc + hi + lo) & (2**64 - 1)


def dest_reg(insn, length):
    """The integer register an instruction writes: a number, None (none),
    JUMP for a control transfer; ValueError when not decoded here."""
    if length == 4:
        opc = insn & OPC_MASK
        if opc in OPC_JUMP:
            return JUMP
        if opc in OPC_NO_RD:
            return None
        if opc in OPC_WRITE_RD:
            return (insn >> 7) & 31 or None
        raise ValueError('opcode 0x%02x' % opc)
    quadrant, funct3 = insn & 3, insn >> 13
    rd, rd_prime = (insn >> 7) & 31, 8 + ((insn >> 7) & 7)
    rs2 = (insn >> 2) & 31
    if quadrant == 0:
        if funct3 in (0, 2, 3):     # c.addi4spn, c.lw, c.ld: rd' in bits 4:2
            return 8 + ((insn >> 2) & 7)
        if funct3 in (1, 5, 6, 7):  # c.fld, c.fsd, c.sw, c.sd
            return None
    elif quadrant == 1:
        if funct3 in (0, 1, 2, 3):  # c.addi, c.addiw, c.li, c.lui / c.addi16sp
            return rd or None
        if funct3 == 4:             # c.srli ... c.and: rd' in bits 9:7
            return rd_prime
        return JUMP                 # c.j, c.beqz, c.bnez
    else:
        if funct3 in (0, 2, 3):     # c.slli, c.lwsp, c.ldsp
            return rd or None
        if funct3 in (1, 5, 6, 7):  # c.fldsp, c.fsdsp, c.swsp, c.sdsp
            return None
        if funct3 == 4:
            if rs2 == 0:            # c.jr, c.jalr, c.ebreak
                return JUMP if rd else None
            return rd               # c.mv, c.add
    raise ValueError('compressed 0x%04x' % insn)


def instructions(code):
    """(offset, length, encoding) of each instruction, in order."""
    off = 0
    while off + 2 <= len(code):
        half, = struct.unpack_from('<H', code, off)
        if half & 3 != 3:                           # RVC: 16 bits
            yield off, 2, half
            off += 2
        elif off + 4 <= len(code):
            yield off, 4, struct.unpack_from('<I', code, off)[0]
            off += 4
        else:
            return


def scan_function(code, start, name, mcount):
    """(site, c.mv address) of the function's _mcount call, or None."""
    insns = list(instructions(code))
    calls = [i for i, (off, length, w0) in enumerate(insns[:-1])
             if length == 4 and insns[i + 1][1] == 4 and
             mcount_call_target(w0, insns[i + 1][2], start + off) == mcount]
    if not calls:
        return None
    if len(calls) > 1:
        sys.exit(f'mcount_sites: {name} calls _mcount {len(calls)} times')
    mv = None
    for off, length, insn in insns[:calls[0]]:
        where = f'mcount_sites: {name}+0x{off:x}'
        try:
            rd = dest_reg(insn, length)
        except ValueError as e:
            sys.exit(f'{where}: {e} before the _mcount call')
        if rd == JUMP:
            sys.exit(f'{where}: a jump before the _mcount call')
        if length == 2 and insn == C_MV_A0_RA and mv is None:
            mv = off
        elif rd in A_REGS:
            sys.exit(f'{where} writes x{rd} before the _mcount call: the site would '
                     'not see the arguments')
    if mv is None:
        sys.exit(f'mcount_sites: {name}: no "c.mv a0, ra" before the _mcount call')
    return start + insns[calls[0]][0], start + mv


def find_sites(elf):
    """[(site, c.mv address)] of every function calling _mcount, by site."""
    syms = list(elf.symbols())
    mcount = next((v for n, v, _, _ in syms if n == '_mcount'), None)
    if mcount is None:
        sys.exit('mcount_sites: the image has no _mcount')
    funcs = sorted({(v, s, n) for n, v, s, t in syms
                    if t == STT_FUNC and s and elf.is_code(v)})
    sites = []
    for start, size, name in funcs:
        found = scan_function(elf.read(start, size), start, name, mcount)
        if found:
            sites.append(found)
    return sorted(sites)


def emit(sites):
    out = ['/* generated by arch/riscv/scripts/mcount_sites.py: do not edit */',
           '\t.section __mcount_loc, "a"', '\t.balign 8']
    out += ['\t.quad 0x%x' % site for site, _ in sites]
    out += ['\t.section __mcount_mv_loc, "a"', '\t.balign 8']
    out += ['\t.quad 0x%x' % mv for _, mv in sites]
    return '\n'.join(out) + '\n'


def table(elf, syms, name):
    start, stop = syms['__start_' + name], syms['__stop_' + name]
    return list(struct.unpack('<%dQ' % ((stop - start) // 8), elf.read(start, stop - start)))


def check(elf):
    """The final image's tables equal a fresh scan of it."""
    syms = {n: v for n, v, _, _ in elf.symbols()}
    sites = find_sites(elf)
    if (table(elf, syms, 'mcount_loc') != [s for s, _ in sites] or
            table(elf, syms, 'mcount_mv_loc') != [m for _, m in sites]):
        sys.exit('mcount_sites: the image\'s tables differ from a scan of it '
                 '(the final link moved code?)')
    return len(sites)


def main(argv):
    if len(argv) == 3 and argv[1] == '--check':
        check(Elf(argv[2]))
        return 0
    if len(argv) != 2:
        sys.exit(__doc__)
    sys.stdout.write(emit(find_sites(Elf(argv[1]))))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
