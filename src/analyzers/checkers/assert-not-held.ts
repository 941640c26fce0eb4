/**
 * lockdep_assert_held() at review time: a function asserts (lockdep_assert_held*, __must_hold)
 * that it runs with L held, and a caller calls it without L. The core already orders the
 * asserting function's acquisitions after L and passes the requirement up to callers that do
 * not hold L themselves; this checker reports where the requirement is surely not met:
 *   - a caller that dropped its caller's L before the call (L is gone on that path), or
 *   - a root (nothing in the program calls it, registers it or stores it in a struct member:
 *     no caller could be holding L for it). Not a root the program hands to a call made with L
 *     held (`iterate(hw, fn, data)` under L: an iterator runs it there, and the assertion says
 *     so), nor one that files outside the program call or that it exports to modules (what
 *     those callers hold is not here).
 * Names never decide it: `*_locked` or `__foo` without an assertion is not a requirement.
 */
import { baseKey } from '../locks/held-set.ts';
import { refKey } from '../locks/lock-ref.ts';
import type { Requirement } from '../locks/summary.ts';
import { prepend, step } from '../locks/witness.ts';
import { contextsOf } from './contexts.ts';
import { partFindings, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';

export const ASSERT_NOT_HELD = 'assert-not-held';

interface AssertPart {
  findings: Finding[];
  /** Functions handed to a call as an argument, with the classes held at that call. */
  handed: { fn: number; held: string[] }[];
}

function finding(fn: string, key: string, chain: Requirement['chain'], why: string): Finding {
  let last = chain;
  while (last.next) last = last.next;
  return {
    kind: 'assert-not-held', locks: [key], function: fn, file: last.step.file, line: last.step.line,
    title: `lockdep_assert_held({0}) fails: ${fn}() reaches it ${why}`,
    evidence: [{ label: `${fn}() does not hold {0} here; the assertion`, chain, lock: key }],
    key: `${ASSERT_NOT_HELD}:${fn}:${key}`,
  };
}

function recorder(env: RecorderEnv): Recorder {
  const findings = new Map<string, Finding>();
  const handed = new Map<number, Set<string>>();
  return {
    call(d, info): void {
      if (d.held.length) {
        for (const a of info.ev.args) {
          const target = env.program.functionArgument(a, env.entry.file);
          if (!target) continue;
          const held = handed.get(target.id) ?? new Set<string>();
          for (const h of d.held) held.add(baseKey(h.key));
          handed.set(target.id, held);
        }
      }
      for (const r of info.summary?.requires ?? []) {
        const ref = info.instantiate(r.ref);
        if (!ref) continue;
        const key = refKey(ref);
        if (d.held.some((h) => baseKey(h.key) === baseKey(key))) continue;
        if (!d.gone.includes(key) || d.relocked?.includes(key)) continue;
        // Asserted only in a state of the lock's object this path does not know it is in.
        if (r.when && info.bindsHere?.(r.when) !== true) continue;
        const f = finding(env.entry.fn.name, key, prepend(info.step, r.chain), 'after releasing it');
        if (!findings.has(f.key)) findings.set(f.key, f);
      }
    },
    part(): AssertPart {
      return { findings: [...findings.values()], handed: [...handed].map(([fn, held]) => ({ fn, held: [...held].sort() })) };
    },
  };
}

export function assertNotHeldChecker(): Checker {
  return {
    id: ASSERT_NOT_HELD,
    recorder,
    shape: () => '',
    forCallers: (part: unknown): AssertPart => ({ findings: (part as AssertPart).findings, handed: [] }),
    findings(view: ProgramView): Finding[] {
      const out = partFindings(view, ASSERT_NOT_HELD);
      const handedUnder = new Map<number, Set<string>>();
      for (const s of view.summaries.values()) {
        for (const h of (s.parts.get(ASSERT_NOT_HELD) as AssertPart | undefined)?.handed ?? []) {
          const held = handedUnder.get(h.fn) ?? new Set<string>();
          for (const k of h.held) held.add(k);
          handedUnder.set(h.fn, held);
        }
      }
      for (const root of contextsOf(view).roots) {
        if (view.program.isStored(root.fn.name) || view.program.isExported(root.fn.name) || view.calledOutside?.has(root.fn.name)) continue;
        const s = view.summaries.get(root.id);
        for (const r of s?.requires ?? []) {
          // An assertion in the root itself documents its callers' duty, outside the program.
          if (!r.chain.next) continue;
          // Asserted only in a state of the lock's object no caller here is known to be in.
          if (r.when) continue;
          // A lock named only by its access path (`c->nodes[n]->lock`, no declared type to give
          // its class) cannot be matched with what callers hold under another spelling.
          if (!('c' in r.ref) || r.ref.provenance === 'path') continue;
          if (handedUnder.get(root.id)?.has(baseKey(r.ref.c))) continue;
          // Already reported there as reached after releasing it: one finding per function and lock.
          const key = `${ASSERT_NOT_HELD}:${root.fn.name}:${r.ref.c}`;
          if (out.some((f) => f.key === key)) continue;

          out.push(finding(root.fn.name, r.ref.c, prepend(step('enter', root.fn.name, root.file, root.fn.line, { callee: root.fn.name }), r.chain), 'without it, and nothing calls it holding it'));
        }
      }
      return out;
    },
  };
}
