/**
 * Which definition a call from one file reaches, by the analyzer's rule
 * (src/analyzers/c/program.ts `resolveCallee`), over the sites a symbol index found: the same
 * file, then the same directory, then the one global definition; definitions under different
 * `arch/<name>/` directories are alternatives that never mix; a file's `static` function is
 * visible outside it only from a header. Where the analyzer would not resolve the call (two
 * drivers defining the same name), neither does this: following either would analyze code the
 * call never reaches. One rule the analyzer does not need (it never sees those files unless the
 * context brings them): the user-space programs of a kernel tree (`tools/`, `scripts/`,
 * `samples/`, `usr/`, `Documentation/`) are other programs, reached only from inside the same
 * one; `tools/virtio/linux/virtio.h` defines a `kfree` no kernel code calls.
 *
 * It works on sites, not lowered functions, so the context can decide which file to lower
 * before lowering it.
 */
import { archOf } from '../analyzers/util/arch-dir.ts';
import type { DefinitionSite } from './types.ts';

const dirOf = (path: string): string => path.slice(0, path.lastIndexOf('/') + 1);
const isHeader = (path: string): boolean => path.endsWith('.h');
const programOf = (path: string): string => /^(tools|scripts|samples|usr|Documentation)\//.exec(path)?.[1] ?? '';

/** The site a call from `caller` reaches, or undefined (none, or no single one). */
export function pickDefinition(all: readonly DefinitionSite[], caller: string): DefinitionSite | undefined {
  const program = programOf(caller);
  const sites = all.filter((s) => programOf(s.path) === program);
  if (sites.length === 0) return undefined;
  const sameFile = sites.filter((s) => s.path === caller);
  if (sameFile.length) return sameFile[0];
  const callerArch = archOf(caller);
  const visible = sites.filter((s) => (!s.isStatic || isHeader(s.path)) && (callerArch ? !archOf(s.path) || archOf(s.path) === callerArch : true));
  const one = (list: readonly DefinitionSite[]): DefinitionSite | undefined => (new Set(list.map((s) => s.path)).size === 1 ? list[0] : undefined);
  if (sites.length === 1) {
    const only = sites[0] as DefinitionSite;
    return visible.includes(only) ? only : undefined;
  }
  const dir = dirOf(caller);
  const sameDir = visible.filter((s) => dirOf(s.path) === dir);
  if (sameDir.length) return sameDir.find((s) => !s.isMacro) ?? sameDir[0];
  const real = visible.filter((s) => !s.isMacro);
  const pool = real.length ? real : visible;
  const generic = pool.filter((s) => !archOf(s.path));
  if (one(generic)) return one(generic);
  if (generic.length === 0 && one(pool)) return one(pool);
  return one(generic.filter((s) => isHeader(s.path)));
}
