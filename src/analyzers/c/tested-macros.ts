/**
 * The macros the analysed files test with `#ifdef NAME`, `#if NAME` or `#if defined(NAME)` and
 * none of them defines: the names a front end with the whole kernel tree at hand looks for in
 * the rest of it (commands/analyze-paths.ts). One that no other file of the tree `#define`s and
 * no Makefile passes as `-D` is defined by no build, and its branch is never compiled
 * (`#ifdef CC_MTAL_MULTIPROCESS_CALLBACK` around a driver's unused variant, `#ifdef
 * rcu_read_lock` where the kernel has it as a function). Kconfig options (`CONFIG_*`), the
 * compiler's and kbuild's own names (a leading underscore, `MODULE`, `linux`) are decided
 * elsewhere and never asked.
 */
import { atomKeys } from './call-graph.ts';
import type { FileFacts } from './ir.ts';

const NAME = /\b[A-Za-z]\w*\b/g;
const NOT_ASKED = /^(?:CONFIG_\w*|MODULE|KBUILD_\w+|defined|IS_ENABLED|IS_BUILTIN|IS_MODULE|linux|unix|i386)$/;

export function testedMacros(files: readonly FileFacts[]): string[] {
  const defined = new Set(files.flatMap((f) => f.defines ?? []));
  const out = new Set<string>();
  const note = (condition: string): void => {
    // `!X`, `#if X`, `#if defined(A)&&B`: every name in it (numbers and operators aside).
    const text = condition.replace(/^!/, '').replace(/^#if /, '').replace(/^#/, '');
    for (const m of text.matchAll(NAME)) if (!NOT_ASKED.test(m[0]) && !defined.has(m[0])) out.add(m[0]);
  };
  for (const f of files) {
    for (const fn of f.functions) {
      for (const c of fn.config ?? []) note(c);
      for (const k of atomKeys(fn.body)) if (k.startsWith('#')) note(k);
    }
    for (const d of Object.values(f.lockDefs)) for (const c of d.config ?? []) note(c);
  }
  return [...out].sort();
}
