/**
 * Acquisitions a parameter decides: `if (lock) mutex_lock(&s->write_mutex);` in a function that
 * not every caller hands a constant (so no specialisation of the whole function says it, see
 * caller-constants.ts). The path's tests of the function's own parameters go with the
 * acquisition (Acquisition.given); a call passing a constant they exclude (`get_wblocks(s, 0)`)
 * takes nothing there, and one passing its own flags masked (`flags & WF_LOCK`), or one of its
 * own parameters, hands the test on in its terms, for its callers' constants to decide.
 */
import { P, N, Z, type CallEvent, type Mask } from '../c/ir.ts';
import type { ConstantNames } from '../c/comparison.ts';
import type { Fact, Facts } from '../flow/facts.ts';

/** `flags&WF_LOCK`: a variable tested for a named bit. */
const ANDED = /^([A-Za-z_]\w*)&([A-Za-z_]\w*)$/;

/** Which parameter a fact tests and how: its truth (`lock`) or a named bit of it (`flags&WF_LOCK`). */
function tested(f: Fact): { param: string; bit?: string } | undefined {
  if (f.memory || f.reads.length !== 1) return undefined;
  const p = f.reads[0] as string;
  if (f.key === p) return { param: p };
  const m = ANDED.exec(f.key);
  return m && m[1] === p ? { param: p, bit: m[2] as string } : undefined;
}

/** The path's tests of `params` (parameters the function never reassigns) that say something. */
export function paramTests(facts: Facts, params: ReadonlySet<string>): Facts | undefined {
  const out = facts.filter((f) => f.mask !== (P | N | Z) && f.mask !== 0 && params.has(tested(f)?.param ?? ''));
  return out.length ? out : undefined;
}

const truthOf = (v: number): Mask => (v === 0 ? Z : v > 0 ? P : N);

/** The number a constant argument is: a literal, or named constants or'ed (`WF_LOCK | WF_SYNC`). */
function constantValue(ev: CallEvent, i: number, names: ConstantNames): number | undefined {
  const lit = ev.lits?.[i];
  if (lit !== undefined && /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.test(lit)) return Number(lit.replace(/[uUlL]+$/, ''));
  const flags = ev.flags?.[i];
  if (flags?.length) {
    const vs = flags.map((n) => names.value(n));
    if (vs.every((v): v is number => typeof v === 'number')) return vs.reduce((a, b) => a | b, 0);
  }
  return ev.consts?.[i] === Z ? 0 : undefined;
}

const fact = (key: string, mask: Mask, read: string): Fact => ({ key, mask, reads: [read], memory: false });

/**
 * A callee acquisition's parameter tests at one call: null when a constant argument excludes
 * them (the callee takes nothing there), else those it hands on in terms of the caller's own
 * parameters (`ours`); undefined when none.
 */
export function givenAtCall(given: Facts, calleeParams: readonly string[], ev: CallEvent, ours: ReadonlySet<string>, names: ConstantNames): Facts | null | undefined {
  const out: Fact[] = [];
  for (const f of given) {
    const t = tested(f);
    const i = t ? calleeParams.indexOf(t.param) : -1;
    if (!t || i < 0) continue;
    const value = constantValue(ev, i, names);
    if (t.bit === undefined) {
      const truth = value !== undefined ? truthOf(value) : ev.consts?.[i];
      if (truth !== undefined) {
        if ((truth & f.mask) === 0) return null;
        continue;
      }
      const masked = ev.masked?.[i];
      if (masked && masked.mask.length === 1 && ours.has(masked.root)) out.push(fact(`${masked.root}&${masked.mask[0]}`, f.mask, masked.root));
      const negated = ev.negated?.[i];
      // `!error` is true where error is 0: the test flips, where it is only one of zero or not.
      if (negated && ours.has(negated) && (f.mask === Z || (f.mask & Z) === 0)) out.push(fact(negated, f.mask === Z ? P | N : Z, negated));
    } else {
      const bit = names.value(t.bit);
      if (value !== undefined && typeof bit === 'number') {
        if ((truthOf(value & bit) & f.mask) === 0) return null;
        continue;
      }
    }
    const arg = ev.args[i];
    if (arg && arg.fields.length === 0 && !arg.rootCall && !arg.cast && arg.text === arg.root && ours.has(arg.root)) {
      out.push(fact(t.bit === undefined ? arg.root : `${arg.root}&${t.bit}`, f.mask, arg.root));
    }
  }
  return out.length ? out : undefined;
}
