/**
 * Reads a lockdep report quoted in a commit message ("WARNING: possible circular locking
 * dependency detected", the older "[ INFO: ... ]" banner, or "possible recursive locking
 * detected") into the lock names and the functions of each dependency-chain entry, so the
 * pipeline can check that a patch which claims to fix the splat removes that cycle.
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
 * Tolerates what mail does to a log: `[  12.345678]` timestamps, `[ T123]` caller ids, `> `
 * quoting, no-break spaces, and a `[<` address wrapped onto the next line. Scans at most 1 MiB of
 * text and 1,000 characters of a line. It is not a general kernel log parser: other splat kinds
 * return null.
 */

export interface LockdepChain {
  /** N of `-> #N`; for a recursive report, 0 for the stack backtrace. */
  index: number;
  lock: string;
  /** Callers outward from where the lock was taken, lockdep internals and `?` frames left out. */
  functions: string[];
}

export interface LockdepSplat {
  kind: 'circular' | 'recursive';
  locks: string[];
  chains: LockdepChain[];
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

/** The function of a stack line: `[<ffff..>] name+0x1/0x2`, `name+0x1/0x2 [mod]`; null for `?` frames. */
function frameFunction(line: string): string | null {
  const m = /(?:^|\]\s*|\s)(\?\s+)?([A-Za-z_][\w.]*)\+0x[0-9a-f]+\/0x[0-9a-f]+/.exec(line);
  if (!m || m[1]) return null;
  // Compiler clones: foo.isra.0, foo.constprop.3, foo.part.1, foo.cold are foo in the source.
  return m[2]!.split('.')[0]!;
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
    line = line.replace(/^\s*(?:>\s*)*/, '').replace(/^\[\s*\d+\.\d+\]\s*/, '').replace(/^\[\s*[TC]\d+\]\s*/, '');
    const prev = out[out.length - 1];
    if (prev !== undefined && /(?:\[<|at:)\s*$/.test(prev)) {
      out[out.length - 1] = `${prev.trimEnd()}${prev.trimEnd().endsWith('[<') ? '' : ' '}${line.trim()}`;
      continue;
    }
    out.push(line);
  }
  return out;
}

/**
 * The lockdep report in `commitMessage`, or null when there is none.
 * The intel-iommu AB-BA report -> `{ kind: 'circular', locks: ['device_domain_lock', '&iommu->lock'], chains: [{ index: 1, lock: 'device_domain_lock', functions: ['domain_context_mapping_one', ...] }, { index: 0, ... }] }`
 */
export function parseLockdepSplat(commitMessage: string): LockdepSplat | null {
  const lines = cleanLines(commitMessage);
  const start = lines.findIndex((l) => /possible (?:circular locking dependency|recursive locking) detected/.test(l));
  if (start === -1) return null;
  const kind = /recursive/.test(lines[start]!) ? 'recursive' : 'circular';

  let acquiring: string | null = null;
  let holding: string | null = null;
  const chains: LockdepChain[] = [];
  let chain: LockdepChain | null = null;
  let backtrace: LockdepChain | null = null;
  let expect: 'acquiring' | 'holding' | null = null;

  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (expect !== null && trimmed !== '') {
      const name = firstParenthesized(trimmed);
      if (name !== null) {
        if (expect === 'acquiring') acquiring = reduceLockName(name);
        else holding = reduceLockName(name);
      }
      expect = null;
      continue;
    }
    if (/is trying to acquire(?: lock)?:$/.test(trimmed)) {
      expect = 'acquiring';
      continue;
    }
    if (/already holding(?: lock)?:$/.test(trimmed)) {
      expect = 'holding';
      continue;
    }
    const header = /^-> #(\d+) (.*):$/.exec(trimmed);
    if (header) {
      const name = firstParenthesized(header[2]!);
      chain = { index: Number(header[1]), lock: reduceLockName(name ?? header[2]!), functions: [] };
      chains.push(chain);
      continue;
    }
    if (/^(?:other info that might help|Chain exists of:|Possible unsafe locking scenario|\*\*\* DEADLOCK \*\*\*|\d+ locks? held by)/.test(trimmed)) {
      chain = null;
      continue;
    }
    if (/^(?:stack backtrace:|Call Trace:)$/.test(trimmed) && kind === 'recursive' && backtrace === null && acquiring !== null) {
      backtrace = { index: 0, lock: acquiring, functions: [] };
      chain = backtrace;
      continue;
    }
    if (/^(?:-+\[ end trace|={5,}$)/.test(trimmed) && i > start + 2 && chains.length + (backtrace ? 1 : 0) > 0 && chain === null) break;
    if (chain !== null) {
      const fn = frameFunction(trimmed);
      if (fn !== null && !isInternal(fn) && chain.functions[chain.functions.length - 1] !== fn) chain.functions.push(fn);
    }
  }

  if (backtrace) chains.push(backtrace);
  const locks: string[] = [];
  const add = (l: string | null): void => {
    if (l !== null && !locks.includes(l)) locks.push(l);
  };
  if (kind === 'circular') {
    add(holding);
    for (const c of [...chains].sort((a, b) => b.index - a.index)) add(c.lock);
    add(acquiring);
  } else {
    add(acquiring);
    add(holding);
  }
  if (locks.length === 0) return null;
  return { kind, locks, chains };
}
