/**
 * lockdep's "BUG: held lock freed!": memory freed (`kfree(p)`, `kmem_cache_free(c, p)`) while a
 * lock inside it is still held, as teardown code does when it takes an object's lock to shut
 * it down and frees it without unlocking. lockdep's debug_check_no_locks_freed() reports it at
 * the free; here the lock is one this function holds on the path to the free, reached through
 * the pointer it frees (`down_write(&root->sb.umount); ... kfree(root);`). Not when the object
 * was handed to another function after the lock was taken: that function may have released it
 * (`kill_anon_super(&root->sb)` ends in `up_write(&sb->s_umount)`), and a summary that misses
 * the release (or a body that is not here) must not turn into a report.
 */
import { isPseudo, lockInside } from '../locks/held-set.ts';
import { chainOf, step } from '../locks/witness.ts';
import { partFindings, type Checker, type Finding, type ProgramView, type Recorder, type RecorderEnv } from './types.ts';

export const HELD_LOCK_FREED = 'held-lock-freed';

interface FreedPart {
  findings: Finding[];
}

function recorder(env: RecorderEnv): Recorder {
  const findings = new Map<string, Finding>();
  const fn = env.entry.fn.name;
  /** Held locks whose object went to a function without a body here: maybe released there. */
  const handed = new Set<string>();
  return {
    call(d, info): void {
      const effect = env.catalogue.get(info.ev.callee);
      if (!effect) {
        for (const a of info.ev.args) for (const h of d.held) if (a && !a.rootCall && h.root === a.root) handed.add(h.key);
        return;
      }
      if (effect?.k !== 'free' || info.ev.indirect) return;
      const freed = info.ev.args[effect.arg];
      if (!freed || freed.fields.length > 0 || freed.rootCall) return;
      for (const h of d.held) {
        if (!lockInside(h, freed.root) || h.entry || h.phantom || isPseudo(h.key) || handed.has(h.key)) continue;
        const key = `${HELD_LOCK_FREED}:${fn}:${h.key}`;
        if (findings.has(key)) continue;
        findings.set(key, {
          kind: 'held-lock-freed', locks: [h.key], function: fn, file: env.entry.file, line: info.ev.line,
          title: `held lock freed: ${fn}() frees ${freed.text} while holding {0}`,
          evidence: [
            { label: '{0} taken at', chain: h.chain, lock: h.key },
            { label: 'freed while still held at', chain: chainOf(step('call', fn, env.entry.file, info.ev.line, { callee: info.ev.callee })) },
          ],
          key,
        });
      }
    },
    part(): FreedPart {
      return { findings: [...findings.values()] };
    },
  };
}

export function heldLockFreedChecker(): Checker {
  return {
    id: HELD_LOCK_FREED,
    recorder,
    shape: () => '',
    findings: (view: ProgramView): Finding[] => partFindings(view, HELD_LOCK_FREED),
  };
}
