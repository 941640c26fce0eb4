/**
 * Lock classes as lockdep prints them. lockdep names a class by the expression of its
 * initialisation (`&iommu->lock`) or, for a static lock, by its symbol (`device_domain_lock`);
 * lockscope's class names are `struct.member` (`intel_iommu.lock`). In lockdep-style blocks a
 * member class is shown by the shortest expression it was taken as, with the class in brackets
 * where they differ: `(&iommu->lock) [intel_iommu.lock]`. Classes with no recorded expression, globals and
 * inferred classes are shown by their class name. Names only; it decides nothing.
 */
import type { LockJson } from '../analyzers/report-types.ts';
import { oneLine } from './one-line.ts';

export interface LockdepNames {
  /** `&iommu->lock`: what lockdep would print, for scenario tables and "Chain exists of". */
  short(cls: string): string;
  /** `(&iommu->lock) [intel_iommu.lock]`, `(lock_fw) (inferred)`: lockdep's `(name){....}` with the class in brackets. */
  label(cls: string): string;
}

/** The expression lockdep would name `cls` by, or null when the class name is it. */
function expressionOf(cls: string, lock: LockJson | undefined): string | null {
  if (!lock || lock.inferred) return null;
  const slash = cls.indexOf('/');
  const base = slash < 0 ? cls : cls.slice(0, slash);
  const dot = base.lastIndexOf('.');
  // A global (`device_domain_lock`) is named by its symbol; a qualified one (`lock (a.c)`) keeps its qualifier.
  if (dot < 0 || / \(/.test(base)) return null;
  const member = base.slice(dot + 1);
  const forms = lock.seenAs.filter((s) => s.startsWith('&') && (s.endsWith(`->${member}`) || s.endsWith(`.${member}`)) && !/\s/.test(s));
  if (forms.length === 0) return null;
  const best = [...forms].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0] as string;
  return best + (slash < 0 ? '' : cls.slice(slash));
}

/** Namer over the review's lock table; `escape` makes a name safe for the medium. */
export function lockdepNames(locks: readonly LockJson[], escape: (text: string) => string = (t) => oneLine(t)): LockdepNames {
  const byName = new Map(locks.map((l) => [l.name, l]));
  return {
    short(cls) {
      return escape(expressionOf(cls, byName.get(cls)) ?? cls);
    },
    label(cls) {
      const lock = byName.get(cls);
      const expr = expressionOf(cls, lock);
      const inferred = lock?.inferred === true ? ' (inferred)' : '';
      return expr === null || expr === cls ? `(${escape(cls)})${inferred}` : `(${escape(expr)}) [${escape(cls)}]`;
    },
  };
}
