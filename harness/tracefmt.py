"""Reading what the kernel's tracing files print (Linux's formats).

function_graph lines are Linux's, so they are parsed by column, the way
Linux lays them out (kernel/trace/trace_functions_graph.c):

    [ABSTIME |  ][ CPU) ][ COMM-PID  | ][MARK DURATION |  ]INDENT CALL

and turned into Chrome trace-event JSON (one track per CPU) for Perfetto.
KTAP (the in-kernel selftest's output) is parsed into one result per case.
Pure functions on text; nothing here talks to QEMU.
"""
import json
import re
from dataclasses import dataclass, field

# The duration column: a mark and "<us>[.<ns digits>] us", padded, then
# "|  "; or the blank fill of a line without a duration; or an irq arrow.
_PROLOGUE = (r'^(?:(?P<abstime>\s*\d+\.\d{6}) \|  )?'
             r'(?: +(?P<cpu>\d+)\) )?')
_PROC = r'(?P<proc>.{14,}?) \| '     # funcgraph-proc: "comm-pid" centred in 14
_DURATION = (r'(?:(?P<mark>[ +!#*@$]) (?P<dur>\d+(?:\.\d+)?) us +\|  '
             r'|(?P<fill> {14}\|  )'
             r'|  (?P<irq>==========>|<==========) \|)')
GRAPH_RE = re.compile(_PROLOGUE + _DURATION + r'(?P<body>.*)$')
GRAPH_PROC_RE = re.compile(_PROLOGUE + _PROC + _DURATION + r'(?P<body>.*)$')

LEAF_RE = re.compile(r'^(?P<func>[\w.$]+)\(\);(?: /\* = (?P<ret>\S+) \*/)?$')
ENTRY_RE = re.compile(r'^(?P<func>[\w.$]+)\(\) \{$')
RETURN_RE = re.compile(r'^\}(?: /\* (?P<func>[\w.$]+)(?: = (?P<ret>\S+))? \*/)?$')
COMMENT_RE = re.compile(r'^/\* (?P<text>.*) \*/$')

# Linux's trace_find_mark(): (threshold in ns, mark), first exceeded wins.
MARKS = ((1_000_000_000, '$'), (100_000_000, '@'), (10_000_000, '*'),
         (1_000_000, '#'), (100_000, '!'), (10_000, '+'))


def find_mark(ns):
    """The overhead mark Linux prints for a duration of `ns` nanoseconds."""
    for limit, mark in MARKS:
        if ns > limit:
            return mark
    return ' '


@dataclass
class GraphLine:
    """One parsed function_graph line.  kind is 'entry' ("f() {"), 'leaf'
    ("f();"), 'return' ("}"), 'irq_enter' / 'irq_exit' (the arrows) or
    'comment' (a marker); depth counts two-space indents."""
    kind: str
    text: str
    cpu: int | None = None
    abstime: float | None = None     # seconds, with funcgraph-abstime
    proc: str | None = None
    mark: str | None = None
    duration_us: float | None = None
    depth: int = 0
    func: str | None = None
    retval: str | None = None
    comment: str | None = None


def parse_graph_line(line, proc=False):
    """A GraphLine for one function_graph body line (`proc`: printed with
    funcgraph-proc); ValueError if the line is not in Linux's shape."""
    m = (GRAPH_PROC_RE if proc else GRAPH_RE).match(line)
    if not m:
        raise ValueError(f'not a function_graph line: {line!r}')
    g = GraphLine(kind='', text=line)
    if m['cpu'] is not None:
        g.cpu = int(m['cpu'])
    if m['abstime'] is not None:
        g.abstime = float(m['abstime'])
    if proc:
        g.proc = m['proc'].strip()
    if m['irq']:
        g.kind = 'irq_enter' if m['irq'] == '==========>' else 'irq_exit'
        return g
    if m['dur'] is not None:
        g.mark, g.duration_us = m['mark'], float(m['dur'])
    body = m['body']
    stripped = body.lstrip(' ')
    g.depth = (len(body) - len(stripped)) // 2
    for kind, regex in (('leaf', LEAF_RE), ('entry', ENTRY_RE), ('return', RETURN_RE),
                        ('comment', COMMENT_RE)):
        c = regex.match(stripped)
        if c:
            g.kind = kind
            d = c.groupdict()
            g.func, g.retval, g.comment = d.get('func'), d.get('ret'), d.get('text')
            break
    else:
        raise ValueError(f'unknown function_graph call text {stripped!r} in {line!r}')
    return g


def graph_body(trace_text):
    """The non-header, non-empty lines of a `cat trace` listing."""
    return [l for l in trace_text.splitlines() if l.strip() and not l.startswith('#')]


def parse_graph(trace_text, proc=False):
    """GraphLines of every body line of a function_graph listing."""
    return [parse_graph_line(l, proc) for l in graph_body(trace_text)]


@dataclass
class _Track:
    open: list = field(default_factory=list)     # names of open B events
    last_ts: float = 0.0                         # us; events stay in order


def chrome_trace(lines, process_name='testbed', cpus=()):
    """Chrome trace-event JSON (a dict) from parsed function_graph lines
    that carry funcgraph-abstime: one track (tid) per CPU, a B/E pair per
    call.  A return whose entry was not recorded gets its B at
    return time - duration; calls still open at the end are closed at the
    track's last timestamp, so every B has its E.  Timestamps are in
    microseconds, kept non-decreasing per track (the listing's times are
    microsecond-truncated while durations are finer).  `cpus` names a
    track for each of these CPUs even when it recorded nothing."""
    events, tracks = [], {}

    def emit(ph, name, cpu, ts):
        t = tracks.setdefault(cpu, _Track())
        ts = max(ts, t.last_ts)
        t.last_ts = ts
        events.append({'name': name, 'cat': 'function', 'ph': ph, 'ts': round(ts, 3),
                       'pid': 1, 'tid': cpu})

    for g in lines:
        if g.abstime is None or g.kind not in ('entry', 'leaf', 'return'):
            continue
        cpu, ts = g.cpu or 0, g.abstime * 1e6
        track = tracks.setdefault(cpu, _Track())
        if g.kind == 'entry':
            emit('B', g.func, cpu, ts)
            track.open.append(g.func)
        elif g.kind == 'leaf':
            emit('B', g.func, cpu, ts)
            emit('E', g.func, cpu, ts + (g.duration_us or 0))
        else:
            if not track.open:      # entry lost: it began `duration` earlier
                name = g.func or '?'
                start = ts - (g.duration_us or 0)
                events.append({'name': name, 'cat': 'function', 'ph': 'B',
                               'ts': round(max(start, 0), 3), 'pid': 1, 'tid': cpu})
                track.open.append(name)
            emit('E', track.open.pop(), cpu, ts)
    for cpu, t in tracks.items():
        while t.open:
            emit('E', t.open.pop(), cpu, t.last_ts)
    meta = [{'name': 'process_name', 'ph': 'M', 'pid': 1, 'args': {'name': process_name}}]
    meta += [{'name': 'thread_name', 'ph': 'M', 'pid': 1, 'tid': cpu,
              'args': {'name': f'CPU {cpu}'}} for cpu in sorted(set(tracks) | set(cpus))]
    events.sort(key=lambda e: (e['tid'], e['ts']))     # stable: B before its E
    return {'traceEvents': meta + events, 'displayTimeUnit': 'ns'}


def write_chrome_trace(path, lines, process_name='testbed', cpus=()):
    """chrome_trace() written to `path`; returns the dict."""
    data = chrome_trace(lines, process_name, cpus)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(data, f, indent=1)
    return data


# ---- KTAP -----------------------------------------------------------------

KTAP_RESULT_RE = re.compile(r'^(ok|not ok) (\d+) (\S+)(?: # (\w+)(?: (.*))?)?$')
KTAP_PLAN_RE = re.compile(r'^1\.\.(\d+)$')


@dataclass
class KtapResult:
    number: int
    name: str
    ok: bool
    directive: str | None          # 'SKIP', 'TODO' or None
    reason: str | None
    diagnostics: list              # the '# ...' lines printed before the result


def parse_ktap(text):
    """(plan or None, [KtapResult]) from KTAP output.  Diagnostic lines
    belong to the result that follows them, as the kernel prints a case's
    diagnostics before its result line."""
    plan, results, diags = None, [], []
    for line in text.splitlines():
        line = line.rstrip()
        p = KTAP_PLAN_RE.match(line)
        if p:
            plan = int(p.group(1))
            continue
        r = KTAP_RESULT_RE.match(line)
        if r:
            results.append(KtapResult(int(r.group(2)), r.group(3), r.group(1) == 'ok',
                                      r.group(4), r.group(5), diags))
            diags = []
        elif line.startswith('#'):
            diags.append(line)
    return plan, results
