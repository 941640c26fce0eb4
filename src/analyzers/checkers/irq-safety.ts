/**
 * lockdep's irq-state checks, statically:
 *   - "inconsistent lock state" ({IN-HARDIRQ-W} -> {HARDIRQ-ON-W}): a spinning lock class taken
 *     in a hardirq handler (or a softirq callback) and, somewhere else, with that kind of irq
 *     enabled: the handler can interrupt the holder on its own CPU and spin forever.
 *   - "HARDIRQ-safe -> HARDIRQ-unsafe lock order detected": an order edge from a lock taken in
 *     irq context to one taken with irqs enabled (CPU0 holds B with irqs on; CPU1 holds A and
 *     waits for B; CPU0's irq waits for A).
 * Usage in irq context comes from the handlers the program registers (checkers/contexts.ts):
 * every lock a handler's summary takes. Usage with irqs enabled comes from the roots (hardirqs
 * on at entry; softirqs only at a root that shows it, softirqs-on.ts, and in work and kthreads):
 * every lock their summaries take where neither they nor a caller on the way disabled that kind
 * of irq (an acquisition's `irq` bits accumulate along the chain).
 * A lock still held where hardirqs are turned on whatever they were (`spin_unlock_irq()` of
 * another lock, `local_irq_enable()`, here or in a callee) is used with irqs enabled too: lockdep's
 * mark_held_locks() marks every held lock HARDIRQ-ON there (and SOFTIRQ-ON, softirqs being on).
 * Two read acquisitions of an rwlock_t do not conflict, as in lockdep.
 */
import { baseKey, IRQ_HARD, IRQ_SOFT, isPseudo, recursiveRead, SOFTIRQ_OFF, type Acquisition, type Held } from '../locks/held-set.ts';
import { isClass, refKey, refOfKey, type LockRef } from '../locks/lock-ref.ts';
import { chainOf, followedBy, prepend, step, type Chain } from '../locks/witness.ts';
import type { Disjunct } from '../flow/state.ts';
import type { ChainStep } from '../report-types.ts';
import { concat, LOCK_ORDER, type OrderPart } from './lock-order.ts';
import { contextsOf, SPINNING, type Registration } from './contexts.ts';
import { softirqsOn } from './softirqs-on.ts';
import type { Checker, Finding, ProgramView, Recorder } from './types.ts';

export const IRQ_SAFETY = 'irq-safety';

interface Usage {
  acq: Acquisition;
  chain: Chain;
  /** The handler (IN usage) or the root (ON usage) it was reached from. */
  from: string;
  reg?: Registration;
  /** An ON usage made by turning irqs on with the lock held, not by taking it. */
  enabled?: true;
}

/** A spinning lock held where hardirqs are turned on. */
interface HeldOn {
  ref: LockRef;
  key: string;
  kind: Acquisition['kind'];
  read: boolean;
  /** From its acquisition here to the op that turns irqs on. */
  chain: Chain;
  /** Softirqs were off there (`spin_lock_bh` held): no SOFTIRQ-ON usage. */
  bh?: true;
}

/** What callers need: whether this function may turn hardirqs on, and which locks it held then. */
interface IrqOnPart {
  /**
   * The shortest way to an unconditional hardirq enable; `after`: the caller's locks released
   * before it; `behind`: the lock its unlock lets go, taken on the way (a caller already holding
   * it hangs there, at the recursion, and never turns irqs on).
   */
  enables?: { chain: Chain; after?: readonly string[]; bh?: true; behind?: LockRef };
  heldOn: readonly HeldOn[];
}

/** Most functions never turn irqs on: one part for all of them. */
const NOTHING: IrqOnPart = { heldOn: [] };

function recorder(): Recorder {
  let enables: IrqOnPart['enables'];
  const heldOn = new Map<string, HeldOn>();
  const bhOff = (d: Disjunct): boolean => d.held.some((h) => h.key === SOFTIRQ_OFF);
  // One record per lock: the shortest witness.
  const keep = (h: HeldOn): void => {
    const old = heldOn.get(h.key);
    if (!old || old.chain.len > h.chain.len) heldOn.set(h.key, h);
  };
  const note = (held: readonly Held[], to: Chain, bh: boolean): void => {
    for (const h of held) {
      if (!h.kind || !SPINNING.has(h.kind) || h.entry || h.phantom || h.unnamed || isPseudo(h.key) || !isClass(h.ref)) continue;
      keep({ ref: h.ref, key: h.key, kind: h.kind, read: h.read, chain: followedBy(h.chain, to), ...(bh ? { bh: true } : {}) });
    }
  };
  const better = (chain: Chain, after: readonly string[], bh: boolean, behind: LockRef | undefined): void => {
    const n = enables?.after?.length ?? 0;
    if (enables && (n < after.length || (n === after.length && enables.chain.len <= chain.len))) return;
    enables = { chain, ...(after.length ? { after } : {}), ...(bh ? { bh: true } : {}), ...(behind && isClass(behind) ? { behind } : {}) };
  };
  return {
    irqsOn(d, at, released): void {
      const to = chainOf(at);
      note(d.held, to, bhOff(d));
      better(to, d.gone, bhOff(d), released);
    },
    call(d, info): void {
      const part = info.summary?.parts.get(IRQ_SAFETY) as IrqOnPart | undefined;
      if (!part) return;
      const bh = bhOff(d);
      const behind = part.enables?.behind ? info.instantiate(part.enables.behind) : null;
      const hangs = behind !== null && d.held.some((h) => baseKey(h.key) === baseKey(refKey(behind)));
      for (const u of part.heldOn) {
        const ref = info.instantiate(u.ref);
        if (ref && isClass(ref)) keep({ ...u, ref, key: refKey(ref), chain: prepend(info.step, u.chain), ...(bh ? { bh: true } : {}) });
      }
      if (!part.enables || hangs) return;
      const to = prepend(info.step, part.enables.chain);
      // The caller's locks the callee released before turning irqs on are not held there.
      const released = (part.enables.after ?? []).map((k) => info.instantiate(refOfKey(k))).filter((r) => r !== null).map((r) => refKey(r));
      const base = new Set(released.map(baseKey));
      note(released.length ? d.held.filter((h) => !base.has(baseKey(h.key))) : d.held, to, bh || part.enables.bh === true);
      // Released before it, for this function's callers: what we had released, and what the callee released that we do not hold (theirs).
      const theirs = released.filter((k) => !d.held.some((h) => baseKey(h.key) === baseKey(k)));
      better(to, theirs.length ? [...new Set([...d.gone, ...theirs])].sort() : d.gone, bh || part.enables.bh === true, behind ?? undefined);
    },
    part(): IrqOnPart {
      return enables || heldOn.size ? { ...(enables ? { enables } : {}), heldOn: [...heldOn.values()] } : NOTHING;
    },
  };
}

type Ctx = 'hardirq' | 'softirq';
const BIT: Record<Ctx, number> = { hardirq: IRQ_HARD, softirq: IRQ_SOFT };
const NAME: Record<Ctx, string> = { hardirq: 'HARDIRQ', softirq: 'SOFTIRQ' };

const shorter = (map: Map<string, Usage>, key: string, u: Usage): void => {
  const old = map.get(key);
  // A write usage beats a read one (read-read does not conflict), then the shorter witness.
  if (!old || (old.acq.read && !u.acq.read) || (old.acq.read === u.acq.read && old.chain.len > u.chain.len)) map.set(key, u);
};

function usages(view: ProgramView): { inIrq: Record<Ctx, Map<string, Usage>>; irqOn: Record<Ctx, Map<string, Usage>> } {
  const { registered, roots } = contextsOf(view);
  const inIrq: Record<Ctx, Map<string, Usage>> = { hardirq: new Map(), softirq: new Map() };
  const irqOn: Record<Ctx, Map<string, Usage>> = { hardirq: new Map(), softirq: new Map() };
  for (const [id, regs] of registered) {
    const summary = view.summaries.get(id);
    if (!summary) continue;
    for (const reg of regs) {
      if (reg.ctx === 'process') continue;
      for (const a of summary.acquires.values()) {
        // As lockdep's mark_usage(): a trylock in irq context is no IN-irq usage (it fails
        // rather than spin on the holder it interrupted); taken with irqs on, it still is ON.
        if (!a.kind || !SPINNING.has(a.kind) || !('c' in a.ref) || a.tryLock) continue;
        shorter(inIrq[reg.ctx], a.key,
 { acq: a, chain: prepend(step('enter', reg.fn.fn.name, reg.fn.file, reg.fn.fn.line, { callee: reg.fn.fn.name }), a.chain), from: reg.fn.fn.name, reg });
      }
    }
  }
  // Evidence of irqs enabled: work functions and kthreads, and roots something outside the file
  // can call (not static) or that are stored as callbacks. A static function nothing calls is
  // dead here or an #ifdef twin of one that is called: how it runs is not known.
  const processRegistered = [...registered.values()].flatMap((regs) => regs.filter((r) => r.ctx === 'process').map((r) => r.fn));
  // Softirqs on at a root only where it shows so (softirqs-on.ts); in work, kthreads and the
  // members the core calls from process context always, also where the program calls them too.
  const bh = softirqsOn(view);
  const worker = new Set([...processRegistered, ...bh.entries]);
  const enabledRoots = [...roots.filter((r) => !r.fn.isStatic || view.program.isStored(r.fn.name)), ...worker];
  for (const root of new Set(enabledRoots)) {
    const summary = view.summaries.get(root.id);
    if (!summary) continue;
    const contexts = worker.has(root) || bh.at(root) ? (['hardirq', 'softirq'] as const) : (['hardirq'] as const);
    for (const a of summary.acquires.values()) {
      if (!a.kind || !SPINNING.has(a.kind) || !('c' in a.ref)) continue;
      for (const ctx of contexts) {
        if (((a.irq ?? 0) & BIT[ctx]) === 0) shorter(irqOn[ctx], a.key, { acq: a, chain: a.chain, from: root.fn.name });
      }
    }
    for (const h of (summary.parts.get(IRQ_SAFETY) as IrqOnPart | undefined)?.heldOn ?? []) {
      const acq: Acquisition = { ref: h.ref, key: h.key, kind: h.kind, read: h.read, nested: false, chain: h.chain };
      for (const ctx of h.bh ? (['hardirq'] as const) : contexts) shorter(irqOn[ctx], h.key, { acq, chain: h.chain, from: root.fn.name, enabled: true });
    }
  }
  return { inIrq, irqOn };
}

const conflicts = (a: Usage, b: Usage): boolean => !(a.acq.read && b.acq.read && (recursiveRead(a.acq) || recursiveRead(b.acq)));
const mode = (u: Usage): string => (u.acq.read ? 'R' : 'W');
const endOf = (c: Chain): { file: string; line: number; function: string } => {
  let last = c;
  while (last.next) last = last.next;
  return last.step;
};

const acquiredAt = (c: Chain): ChainStep => {
  for (let x: Chain | null = c; x; x = x.next) if (x.step.op === 'acquire' || x.step.op === 'trylock') return x.step;
  return c.step;
};

export function irqSafetyChecker(): Checker {
  return {
    id: IRQ_SAFETY,
    recorder,
    shape(part: unknown): string {
      const p = part as IrqOnPart;
      return `${p.enables ? `E${p.enables.after?.join(',') ?? ''}${p.enables.bh ? 'b' : ''}` : ''}|${p.heldOn.map((h) => `${h.key}${h.bh ? 'b' : ''}`).sort().join(',')}`;
    },
    findings(view: ProgramView): Finding[] {
      const { inIrq, irqOn } = usages(view);
      const out: Finding[] = [];
      const inconsistent = new Set<string>();
      for (const ctx of ['hardirq', 'softirq'] as const) {
        for (const [key, inUse] of inIrq[ctx]) {
          const onUse = irqOn[ctx].get(key);
          if (!onUse || !conflicts(inUse, onUse) || inconsistent.has(key)) continue;
          inconsistent.add(key);
          // Held where irqs are turned on: lockdep names the held lock where it was taken.
          const at = onUse.enabled ? acquiredAt(onUse.chain) : endOf(onUse.chain);
          out.push({
            kind: 'irq-inconsistent', locks: [key], function: at.function, file: at.file, line: at.line,
            title: `inconsistent lock state: {IN-${NAME[ctx]}-${mode(inUse)}} -> {${NAME[ctx]}-ON-${mode(onUse)}} usage of {0}`,
            evidence: [
              { label: `{IN-${NAME[ctx]}-${mode(inUse)}} state was registered at (${inUse.from}() runs in ${ctx} context, registered at ${inUse.reg?.at.file}:${inUse.reg?.at.line})`, chain: inUse.chain, lock: key },
              { label: `{${NAME[ctx]}-ON-${mode(onUse)}} usage: ${onUse.enabled ? 'held where irqs are turned on' : `taken with ${ctx === 'hardirq' ? 'irqs' : 'softirqs'} enabled`}, from ${onUse.from}()`, chain: onUse.chain, lock: key },
            ],
            key: `irq-inconsistent:${key}`,
          });
        }
      }
      // Order edges from an irq-safe lock to an irq-unsafe one.
      const seen = new Set<string>();
      for (const s of view.summaries.values()) {
        const part = s.parts.get(LOCK_ORDER) as OrderPart | undefined;
        for (const e of part?.edges.values() ?? []) {
          if (e.from === e.to || !e.taken.kind || !SPINNING.has(e.taken.kind)) continue;
          for (const ctx of ['hardirq', 'softirq'] as const) {
            const safe = inIrq[ctx].get(e.from);
            const unsafe = irqOn[ctx].get(e.to);
            const id = `${ctx}:${e.from}>${e.to}`;
            // A reader of an rwlock_t with irqs on makes it no irq-unsafe lock (lockdep checks
            // read usages backwards only with STRICT_READ_CHECKS): readers nest, the writers wait.
            if (!safe || !unsafe || (unsafe.acq.read && recursiveRead(unsafe.acq)) || inIrq[ctx].has(e.to) || seen.has(id)) continue;
            // The edge itself made with irqs off on both ends is still an order: lockdep reports it too.
            seen.add(id);
            const at = endOf(e.taken.chain);
            out.push({
              kind: 'irq-inversion', locks: [e.from, e.to], function: at.function, file: at.file, line: at.line,
              title: `${NAME[ctx]}-safe -> ${NAME[ctx]}-unsafe lock order detected: {0} -> {1}`,
              evidence: [
                { label: '{0} -> {1}: the new dependency', chain: concat(e), lock: e.to },
                { label: `{0} is ${NAME[ctx]}-safe: taken in ${ctx} context by ${safe.from}()`, chain: safe.chain, lock: e.from },
                { label: `{1} is ${NAME[ctx]}-unsafe: ${unsafe.enabled ? 'held where irqs are turned on' : `taken with ${ctx === 'hardirq' ? 'irqs' : 'softirqs'} enabled`} from ${unsafe.from}()`, chain: unsafe.chain, lock: e.to },
              ],
              key: `irq-inversion:${ctx}:${e.from}>${e.to}`,
            });
          }
        }
      }
      return out;
    },
  };
}
