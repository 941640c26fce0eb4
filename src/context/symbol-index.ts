/**
 * A base tree's functions by name: where each is defined and which files call it, from the
 * pre-scan of every file (symbol-scan.ts). Immutable once built; SymbolIndexer builds and caches
 * them. Answers are candidates: the context lowers the files it picks and trusts only what the
 * lowering shows.
 *
 *   definitions('core_reset') -> [{ path: 'core.c', isStatic: false, isMacro: false }]
 *   callers('core_reset')     -> ['chip/main.c', 'channel.c']
 */
import type { FileSymbols } from './symbol-scan.ts';
import type { DefinitionSite } from './types.ts';

export class SymbolIndex {
  private readonly defs = new Map<string, DefinitionSite[]>();
  private readonly calls = new Map<string, string[]>();

  /**
   * `files`: each indexed path with what the scan found in it, in path order. `scope`: 'tree'
   * when every C file of the base was scanned, 'near' when only the directories around a patch.
   */
  constructor(
    files: Iterable<readonly [string, FileSymbols]>,
    readonly scope: 'tree' | 'near',
  ) {
    let count = 0;
    for (const [path, symbols] of files) {
      count++;
      for (const d of symbols.defs) {
        let list = this.defs.get(d.name);
        if (!list) this.defs.set(d.name, (list = []));
        if (!list.some((s) => s.path === path && s.isMacro === d.isMacro && s.isStatic === d.isStatic)) list.push({ path, isStatic: d.isStatic, isMacro: d.isMacro });
      }
      for (const name of symbols.calls) {
        let list = this.calls.get(name);
        if (!list) this.calls.set(name, (list = []));
        list.push(path);
      }
    }
    this.files = count;
  }

  /** How many files were scanned. */
  readonly files: number;

  /** Where `name` is defined (functions and function-like macros). */
  definitions(name: string): readonly DefinitionSite[] {
    return this.defs.get(name) ?? [];
  }

  /** The files that call `name` (by the scan: a `name(` outside its definition), in path order. */
  callers(name: string): readonly string[] {
    return this.calls.get(name) ?? [];
  }
}
