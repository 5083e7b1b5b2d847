"""Parsing what the kernel prints (docs/console-protocol.md).

Pure functions on console text that has already been normalised (`\\r\\n`
turned into `\\n`); they never talk to QEMU.
"""
import re

PROMPT = 'tb# '

# `[    0.012345] ` in front of every printk line.
TIMESTAMP_RE = re.compile(r'^\[\s*\d+\.\d+\] ', re.MULTILINE)

# Either crash marker.  The oops header is matched only at a line start
# (optionally after a timestamp) so that a command merely echoing the word
# does not count; the panic line may follow a prompt that printed no newline.
CRASH_RE = re.compile(r'(?:^|(?<=\n))(?:\[\s*\d+\.\d+\] )?Oops: |Kernel panic - not syncing: ')

# The status line, always the last line the kernel prints.
STATUS_RE = re.compile(r'^TESTBED-EXIT: (-?\d+)\s*$', re.MULTILINE)

# `testbed <version> <arch> smp=<N>` printed just before the first prompt.
BANNER_RE = re.compile(r'^testbed (\S+) (\S+) smp=(\d+)\s*$', re.MULTILINE)


def normalise(text):
    """`\\r\\n` -> `\\n`, as the tests compare output line by line (also
    `\\r\\r\\n`, should a terminal layer add its own CR)."""
    return re.sub(r'\r+\n', '\n', text)


def strip_timestamps(text):
    """Remove the printk `[seconds.micros] ` stamp from every line."""
    return TIMESTAMP_RE.sub('', text)


def status_code(text):
    """The code of the last `TESTBED-EXIT: <code>` line, or None."""
    codes = STATUS_RE.findall(normalise(text))
    return int(codes[-1]) if codes else None


def crash_report(text):
    """Console text from the first Oops/panic marker to the end, or ''."""
    m = CRASH_RE.search(text)
    return text[m.start():].lstrip('\n') if m else ''


def call_trace(text):
    """Function names of the first `Call Trace:` block, innermost first.

    A trace line is ` name+0xoff/0xsize` (or a bare ` 0xaddr` for an unknown
    return address, kept as is); the block ends at the first line that does
    not start with a blank.
    """
    names, inside = [], False
    for line in strip_timestamps(normalise(text)).split('\n'):
        if not inside:
            inside = line.strip() == 'Call Trace:'
            continue
        if not line.startswith(' '):
            break
        names.append(line.strip().split('+', 1)[0])
    return names


def printable(text):
    """`text` with control characters other than newline and tab shown as
    `\\xNN`, so escape sequences and stray bytes are visible in reports."""
    return re.sub(r'[\x00-\x08\x0b-\x1f\x7f]',
                  lambda m: f'\\x{ord(m.group()):02x}', text)


def tail(text, lines=40):
    """The last `lines` lines of console `text`, made printable."""
    return '\n'.join(printable(normalise(text)).split('\n')[-lines:])


KV_RE = re.compile(r'(?<!\S)([A-Za-z_][\w.-]*)=(\S*)')


def key_values(line):
    """The `key=value` fields of one line as a dict of strings (values are
    the text up to the next blank); words without `=` are ignored."""
    return dict(KV_RE.findall(line))


def records(text, prefix):
    """key_values() of every line of `text` starting with `prefix`, in order."""
    return [key_values(line) for line in text.split('\n') if line.startswith(prefix)]
