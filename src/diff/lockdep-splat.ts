/**
 * Reads a lockdep report quoted in a commit message into the lock names, the dependency it
 * reports and the functions of each dependency-chain entry, so the pipeline can check that a
 * patch which claims to fix the splat removes it. Every report the analyzer has a finding kind
 * for is recognised, with the "WARNING:" or the older "[ INFO: ... ]" banner, or without one:
 *   circular      "possible circular locking dependency detected", or a body that starts at
 *                 "... is trying to acquire lock:" (commit messages often quote only that)
 *   recursive     "possible recursive locking detected"
 *   inconsistent  "inconsistent lock state" ({IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage)
 *   irq-inversion "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected" (SOFTIRQ likewise) and
 *                 "possible irq lock inversion dependency detected"
 *   sleep         "BUG: sleeping function called from invalid context" (might_sleep's report)
 *
 * Lock names are reduced to what the code spells: `&(&iommu->lock)->rlock` -> `&iommu->lock`
 * (spinlock_t wraps a raw_spinlock `rlock`), `&(&priv->bus_notifier)->rwsem` -> `&priv->bus_notifier`,
 * with the `{+.+.}` usage state, `-{2:2}` wait types, `#3` class-instance and `/1` subclass
 * suffixes stripped.
 *
 * `locks` order, for a circular report: the lock already held first, then the chain entries from
 * the highest `-> #N` down to `#0` (the lock being acquired last), each once. For the classic
 * AB-BA report (holding A, trying B) that is [A, B]. For a recursive report: the one lock.
 *
 * Tolerates what mail does to a log: `[  12.345678]` timestamps, `[ T123]` caller ids, `> ` and
 * `|` quoting, no-break spaces, a `[<` address wrapped onto the next line, and ARM backtraces
 * (`[<c0..>] (callee+0x0/0x14) from [<c0..>] (caller+0x1c/0x30)`). Scans at most 1 MiB of text
 * and 1,000 characters of a line. It is not a general kernel log parser: other reports give null.
 */

export interface LockdepChain {
  /** N of `-> #N`; for a recursive report, 0 for the stack backtrace. */
  index: number;
  lock: string;
  /** Callers outward from where the lock was taken, lockdep internals and `?` frames left out. */
  functions: string[];
}

export type SplatKind = 'circular' | 'recursive' | 'inconsistent' | 'irq-inversion' | 'sleep';

export interface LockdepSplat {
  kind: SplatKind;
  /**
   * circular: the held lock, the chain's locks, the acquired one (see above); recursive and
   * inconsistent: the one lock; irq-inversion: the irq-safe lock, then the irq-unsafe one;
   * sleep: the locks the task held ("N locks held by"), possibly none.
   */
  locks: string[];
  chains: LockdepChain[];
  /** The dependency reported, held -> acquired: circular, and irq-inversion's new dependency. */
  dependency?: { from: string; to: string };
  /** irq reports: which irq ("HARDIRQ", "SOFTIRQ"). */
  irq?: 'HARDIRQ' | 'SOFTIRQ';
  /** inconsistent: the usage line, "{IN-HARDIRQ-W} -> {HARDIRQ-ON-W}". */
  usage?: string;
  /** The stack backtrace or call trace, innermost first, lockdep internals left out. */
  trace: string[];
}

const MAX_SCAN = 1024 * 1024;
const MAX_LINE = 1000;

/** Frames that are the lock implementation, not the code taking the lock. */
const INTERNAL = [
  /^_*lock_acquire/,
  /^_*lock_release/,
  /^_*raw_(?:spin|read|write)_/,
  /^do_raw_(?:spin|read|write)_/,
  /^_*mutex_lock/,
  /^_*ww_mutex_lock/,
  /^_*(?:down|up)(?:_read|_write|_interruptible|_killable|_trylock)?(?:_nested|_killable)?$/,
  /^percpu_down_(?:read|write)/,
  /^_*rt_(?:spin|mutex|read|write)_/,
  /^lockdep_/,
  /^(?:validate_chain|check_prevs?_add|check_noncircular|check_deadlock|print_circular_bug|print_deadlock_bug|mark_lock|mark_usage|dump_stack(?:_lvl)?|lock_is_held_type|__lock_is_held|__might_sleep|__might_resched)$/,
];

/** The text inside the first balanced parentheses of `text`: `(&(&a->b)->rlock){..}` -> `&(&a->b)->rlock`. */
function firstParenthesized(text: string): string | null {
  const open = text.indexOf('(');
  if (open === -1) return null;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return null;
}

/** Reduces a lockdep class name to the lock as the code names it (see the file header). */
export function reduceLockName(name: string): string {
  let n = name.trim();
  const brace = n.indexOf('{');
  if (brace > 0) n = n.slice(0, brace);
  n = n.replace(/(?:#\d+|\/\d+)+$/, '');
  // `&(&X)->member` is the lock embedded in X (spinlock_t's rlock, a notifier head's rwsem).
  for (let guard = 0; guard < 8; guard++) {
    if (n.startsWith('(') && firstParenthesized(n) === n.slice(1, -1)) {
      n = n.slice(1, -1);
      continue;
    }
    const m = /^&\((&.+)\)->\w+$/.exec(n);
    if (!m || firstParenthesized(n) !== m[1]) break;
    n = m[1]!.replace(/(?:#\d+|\/\d+)+$/, '');
  }
  return n;
}

/**
 * The functions of a stack line, callee first: `[<ffff..>] name+0x1/0x2`, `name+0x1/0x2 [mod]`,
 * ARM's `[<c0..>] (callee+0x0/0x14) from [<c0..>] (caller+0x1c/0x30)`; `?` frames left out.
 */
function frameFunctions(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/(?:^|\]\s*|\s|\()(\?\s+)?([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+/g)) {
    // Compiler clones: foo.isra.0, foo.constprop.3, foo.part.1, foo.cold are foo in the source.
    if (!m[1]) out.push(m[2]!.split('.')[0]!);
  }
  return out;
}

function isInternal(fn: string): boolean {
  return INTERNAL.some((re) => re.test(fn));
}

/** Log lines without timestamps and caller ids, with wrapped `[<` addresses joined back. */
function cleanLines(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.slice(0, MAX_SCAN).split('\n')) {
    // Mail clients turn the log's spaces into no-break spaces.
    let line = raw.slice(0, MAX_LINE).replace(/\r$/, '').replace(/[\u00a0\u2000-\u200b\u202f\u3000\t]/g, ' ');
    line = line.replace(/^\s*(?:[>|]\s?)*/, '').replace(/^\[\s*\d+\.\d+\]\s*/, '').replace(/^\[\s*[TC]\d+\]\s*/, '');
    const prev = out[out.length - 1];
    // Only a lock line's "}, at:" or an address cut after "[<" continues; "registered at:" does not.
    if (prev !== undefined && /(?:\[<|[)}], at:)\s*$/.test(prev)) {
      out[out.length - 1] = `${prev.trimEnd()}${prev.trimEnd().endsWith('[<') ? '' : ' '}${line.trim()}`;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** The report's banner line, and its kind; the body-only circular report has no banner. */
const BANNERS: { re: RegExp; kind: SplatKind }[] = [
  { re: /possible circular locking dependency detected/, kind: 'circular' },
  { re: /possible recursive locking detected/, kind: 'recursive' },
  { re: /inconsistent lock state/, kind: 'inconsistent' },
  { re: /(?:HARDIRQ|SOFTIRQ)-safe -> (?:HARDIRQ|SOFTIRQ)-unsafe lock order detected/, kind: 'irq-inversion' },
  { re: /possible irq lock inversion dependency detected/, kind: 'irq-inversion' },
  { re: /BUG: sleeping function called from invalid context/, kind: 'sleep' },
];

function findStart(lines: readonly string[]): { start: number; kind: SplatKind } | null {
  for (const [i, line] of lines.entries()) {
    for (const b of BANNERS) if (b.re.test(line)) return { start: i, kind: b.kind };
    // A circular report quoted from "X is trying to acquire lock:" on, without its banner.
    if (/is trying to acquire lock:$/.test(line.trim()) && lines.slice(i + 1, i + 12).some((l) => /which lock already depends on the new lock/.test(l))) return { start: i - 1, kind: 'circular' };
  }
  return null;
}

/** Which line announces the lock on the next non-empty line. */
type Expect = 'acquiring' | 'holding' | 'safe' | 'unsafe' | 'changed' | 'took' | 'takenBy' | 'takes';
const ANNOUNCE: { re: RegExp; what: Expect }[] = [
  { re: /is trying to acquire(?: lock)?:$/, what: 'acquiring' },
  { re: /already holding(?: lock)?:$/, what: 'holding' },
  { re: /connects a (?:HARDIRQ|SOFTIRQ)-irq-safe lock:$/, what: 'safe' },
  { re: /to a (?:HARDIRQ|SOFTIRQ)-irq-unsafe lock:$/, what: 'unsafe' },
  { re: /just changed the state of lock:$/, what: 'changed' },
  { re: /this lock took another, (?:HARDIRQ|SOFTIRQ)-(?:irq-)?unsafe lock in the past:$/, what: 'took' },
  { re: /this lock was taken by another, (?:HARDIRQ|SOFTIRQ)-(?:irq-)?safe lock in the past:$/, what: 'takenBy' },
  { re: /\] takes:$|^\S+ takes:$/, what: 'takes' },
];

/**
 * The lockdep report in `commitMessage`, or null when there is none.
 * The intel-iommu AB-BA report -> `{ kind: 'circular', locks: ['device_domain_lock', '&iommu->lock'], dependency: { from: 'device_domain_lock', to: '&iommu->lock' }, chains: [{ index: 1, lock: 'device_domain_lock', functions: ['domain_context_mapping_one', ...] }, { index: 0, ... }], trace: [...] }`
 */
export function parseLockdepSplat(commitMessage: string): LockdepSplat | null {
  const lines = cleanLines(commitMessage);
  const found = findStart(lines);
  if (!found) return null;
  const { start, kind } = found;
  const banner = lines[Math.max(0, start)] ?? '';
  const irqWord = /(HARDIRQ|SOFTIRQ)/.exec(banner)?.[1] as 'HARDIRQ' | 'SOFTIRQ' | undefined;

  const named: Partial<Record<Expect, string>> = {};
  let irq = irqWord;
  let usage: string | undefined;
  const held: string[] = [];
  const chains: LockdepChain[] = [];
  const trace: string[] = [];
  let chain: LockdepChain | null = null;
  let inTrace = false;
  let inHeld = false;
  let expect: Expect | null = null;

  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (expect !== null && trimmed !== '') {
      const name = firstParenthesized(trimmed.replace(/^\.\.\.\s*/, ''));
      if (name !== null) named[expect] = reduceLockName(name);
      expect = null;
      continue;
    }
    const announce = ANNOUNCE.find((a) => a.re.test(trimmed));
    if (announce) {
      expect = announce.what;
      const w = /(HARDIRQ|SOFTIRQ)/.exec(trimmed)?.[1] as 'HARDIRQ' | 'SOFTIRQ' | undefined;
      if (w && !irq) irq = w;
      continue;
    }
    const u = /^inconsistent (\{[A-Z_-]+\} -> \{[A-Z_-]+\}) usage\.?$/.exec(trimmed);
    if (u) {
      usage = u[1];
      irq ??= /(HARDIRQ|SOFTIRQ)/.exec(u[1]!)?.[1] as 'HARDIRQ' | 'SOFTIRQ' | undefined;
      continue;
    }
    const header = /^-> #(\d+) (.*):$/.exec(trimmed);
    if (header) {
      const name = firstParenthesized(header[2]!);
      chain = { index: Number(header[1]), lock: reduceLockName(name ?? header[2]!), functions: [] };
      chains.push(chain);
      inTrace = false;
      continue;
    }
    const state = /^(\{[A-Z-]+\}) state was registered at:$/.exec(trimmed);
    if (state) {
      chain = { index: 1, lock: named.takes ?? '', functions: [] };
      chains.push(chain);
      continue;
    }
    if (/^\.\.\. which became (?:HARDIRQ|SOFTIRQ)-irq-(?:un)?safe at:$/.test(trimmed)) {
      const safe = /-irq-safe/.test(trimmed);
      chain = { index: safe ? 1 : 0, lock: (safe ? named.safe : named.unsafe) ?? '', functions: [] };
      chains.push(chain);
      continue;
    }
    if (/^\d+ locks? held by /.test(trimmed)) {
      inHeld = true;
      chain = null;
      continue;
    }
    if (inHeld) {
      const h = /^#\d+:\s*(?:[0-9a-f]{8,}\s+)?(\(.*)$/.exec(trimmed);
      if (h) {
        const name = firstParenthesized(h[1]!);
        if (name !== null && !held.includes(reduceLockName(name))) held.push(reduceLockName(name));
        continue;
      }
      if (trimmed !== '') inHeld = false;
    }
    if (/^(?:other info that might help|Chain exists of:|Possible (?:interrupt )?unsafe locking scenario|\*\*\* DEADLOCK \*\*\*|irq event stamp:|the shortest dependencies between)/.test(trimmed)) {
      chain = null;
      inTrace = false;
      continue;
    }
    if (/^(?:stack backtrace:|Call Trace:|Backtrace:)$/.test(trimmed) || /\(dump_stack\+0x/.test(trimmed)) {
      chain = null;
      inTrace = true;
      if (/\(dump_stack\+0x/.test(trimmed)) pushFrames(trace, trimmed);
      continue;
    }
    if (/^(?:-+\[ end trace|={5,}$)/.test(trimmed) && i > start + 2 && (chains.length > 0 || trace.length > 0) && chain === null) break;
    if (chain !== null) pushFrames(chain.functions, trimmed);
    else if (inTrace) pushFrames(trace, trimmed);
  }

  const locks: string[] = [];
  const add = (l: string | null | undefined): void => {
    if (l && !locks.includes(l)) locks.push(l);
  };
  let dependency: { from: string; to: string } | undefined;
  switch (kind) {
    case 'circular':
      add(named.holding);
      for (const c of [...chains].sort((a, b) => b.index - a.index)) add(c.lock);
      add(named.acquiring);
      if (named.holding && named.acquiring) dependency = { from: named.holding, to: named.acquiring };
      break;
    case 'recursive':
      add(named.acquiring);
      add(named.holding);
      if (trace.length > 0 && named.acquiring) chains.push({ index: 0, lock: named.acquiring, functions: trace });
      break;
    case 'inconsistent':
      add(named.takes);
      break;
    case 'irq-inversion': {
      const safe = named.safe ?? named.takenBy ?? (named.took ? named.changed : undefined);
      const unsafe = named.unsafe ?? named.took ?? (named.takenBy ? named.changed : undefined);
      add(safe);
      add(unsafe);
      if (named.holding && named.acquiring) dependency = { from: named.holding, to: named.acquiring };
      else if (safe && unsafe) dependency = { from: safe, to: unsafe };
      break;
    }
    case 'sleep':
      for (const h of held) add(h);
      break;
  }
  if (locks.length === 0 && kind !== 'sleep') return null;
  if (kind === 'sleep' && trace.length === 0 && locks.length === 0) return null;
  return {
    kind,
    locks,
    chains,
    ...(dependency ? { dependency } : {}),
    ...(irq && (kind === 'inconsistent' || kind === 'irq-inversion') ? { irq } : {}),
    ...(usage ? { usage } : {}),
    trace,
  };
}

function pushFrames(into: string[], line: string): void {
  for (const fn of frameFunctions(line)) if (!isInternal(fn) && into[into.length - 1] !== fn) into.push(fn);
}
