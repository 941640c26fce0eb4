/**
 * An immutable view of the code at one point of a series: a base tree plus an overlay of the files
 * the applied patches changed. `apply` returns a new Snapshot and never writes to the base, so the
 * pipeline can keep "before" and "after" side by side. Base reads are memoized and shared by every
 * snapshot derived from the same base.
 *
 * It is not a file system: no directories, no modes, no symlinks (a mode change is a no-op). A
 * binary file a patch changes reads as undefined afterwards: its bytes are unknown, and C analysis
 * has no use for them.
 */
import { applyHunks, UnsafePathError } from './apply.ts';
import type { BaseTree } from './base-tree.ts';
import { checkPatchPath } from './safe-path.ts';
import type { Patch } from './types.ts';

export type SnapshotApply =
  | { ok: true; snapshot: Snapshot; touched: string[] }
  | { ok: false; reason: string; code: 'PATCH_APPLY' | 'UNSAFE_PATH' | 'TOO_LARGE' };

/** How far `#include "x.h"` is followed from the touched files; kernel headers nest a few levels. */
const MAX_INCLUDE_DEPTH = 6;
/** At most this many files come back from the include closure; beyond it the analysis would not be "around the patch". */
const MAX_INCLUDED_FILES = 2000;

const isC = (path: string): boolean => path.endsWith('.c') || path.endsWith('.h');
const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const INCLUDE_QUOTED = /^[ \t]*#[ \t]*include[ \t]*"([^"\n]{1,512})"/gm;

/** `dir` + `rel`, with `.` and `..` resolved; null when it leaves the repository. */
function joinInside(dir: string, rel: string): string | null {
  const out = dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(seg);
  }
  const joined = out.join('/');
  const safe = checkPatchPath(joined);
  return safe.ok ? safe.path : null;
}

export class Snapshot {
  private constructor(
    private readonly base: BaseTree,
    /** Files the patches changed: text, or undefined for deleted / binary. */
    private readonly overlay: ReadonlyMap<string, string | undefined>,
    private readonly baseReads: Map<string, Promise<string | undefined>>,
  ) {}

  /** The snapshot of an unpatched base. */
  static fromBase(base: BaseTree): Snapshot {
    return new Snapshot(base, new Map(), new Map());
  }

  /** The file's text in this snapshot, undefined when it does not exist (or is binary). Throws UnsafePathError for a path checkPatchPath refuses. */
  async read(path: string): Promise<string | undefined> {
    const safe = checkPatchPath(path);
    if (!safe.ok) throw new UnsafePathError(safe.reason, path);
    if (this.overlay.has(safe.path)) return this.overlay.get(safe.path);
    let pending = this.baseReads.get(safe.path);
    if (!pending) {
      pending = this.base.read(safe.path);
      this.baseReads.set(safe.path, pending);
    }
    return pending;
  }

  /**
   * Applies one patch, all files or none, and returns the new snapshot and the paths it changed
   * (both names of a rename). `touched` is sorted.
   */
  async apply(patch: Patch): Promise<SnapshotApply> {
    const overlay = new Map(this.overlay);
    const next = new Snapshot(this.base, overlay, this.baseReads);
    const touched = new Set<string>();
    const where = patch.subject ? `${patch.subject}: ` : '';

    for (const file of patch.files) {
      const paths: { old: string | null; new: string | null } = { old: null, new: null };
      for (const side of ['old', 'new'] as const) {
        const raw = side === 'old' ? file.oldPath : file.newPath;
        if (raw === null) continue;
        const safe = checkPatchPath(raw);
        if (!safe.ok) return { ok: false, code: 'UNSAFE_PATH', reason: `${where}refusing the patch: ${safe.reason}` };
        paths[side] = safe.path;
      }
      const name = (paths.new ?? paths.old)!;

      if (file.status === 'renamed' && paths.new !== paths.old && (await next.read(paths.new!)) !== undefined) {
        return { ok: false, code: 'PATCH_APPLY', reason: `${where}${name}: the patch renames ${paths.old} to it but it already exists` };
      }
      const before = file.status === 'added' ? await next.read(paths.new!) : await next.read(paths.old!);
      // The base has the file but would not read it (too large, a symlink out): say that, not "does not exist".
      const refused = before === undefined && file.status !== 'added' && !overlay.has(paths.old!) ? this.base.refusal?.(paths.old!) : undefined;
      if (refused) return { ok: false, code: refused.code, reason: `${where}${refused.reason}` };
      let after: string | undefined;
      if (file.binary) {
        if (file.status !== 'added' && before === undefined) {
          return { ok: false, code: 'PATCH_APPLY', reason: `${where}${name}: the patch changes this binary file but it does not exist` };
        }
        // A binary change: the file exists afterwards (unless deleted), its bytes are unknown.
        after = file.status === 'renamed' && file.hunks.length === 0 ? before : undefined;
      } else if (file.hunks.length === 0 && file.status !== 'added') {
        if (before === undefined) return { ok: false, code: 'PATCH_APPLY', reason: `${where}${name}: the patch changes this file but it does not exist` };
        after = file.status === 'deleted' ? undefined : before;
      } else {
        const result = applyHunks(before, file);
        if (!result.ok) return { ok: false, code: 'PATCH_APPLY', reason: `${where}${result.reason}` };
        after = result.content;
      }

      if (paths.old !== null && paths.old !== paths.new) {
        overlay.set(paths.old, undefined);
        touched.add(paths.old);
      }
      if (paths.new !== null) {
        overlay.set(paths.new, after);
        touched.add(paths.new);
      }
    }
    return { ok: true, snapshot: next, touched: [...touched].sort() };
  }

  /**
   * The C files to analyze around `touched`: the touched .c/.h files that exist here, the headers
   * they include with quotes (relative to the includer, then the root, then `include/`;
   * transitively, at most 6 levels and 2000 files), and for 'dir' the other .c/.h files of their
   * directories (and what those include); 'tree' is every .c/.h. `extraDirs` (`--context-dir`,
   * '' is the root) add the .c/.h files directly inside them in any mode but 'tree', which has
   * them already; a path checkPatchPath refuses adds nothing. Sorted, no duplicates.
   */
  async contextFiles(touched: string[], mode: 'touched' | 'dir' | 'tree', extraDirs: readonly string[] = []): Promise<string[]> {
    if (mode === 'tree') return this.allCFiles();
    const seeds = new Set<string>();
    for (const t of touched) {
      const safe = checkPatchPath(t);
      if (safe.ok && isC(safe.path) && (await this.read(safe.path)) !== undefined) seeds.add(safe.path);
    }
    const dirs = new Set<string>();
    for (const d of extraDirs) {
      const safe = d === '' ? { ok: true as const, path: '' } : checkPatchPath(d);
      if (safe.ok) dirs.add(safe.path);
    }
    if (mode === 'dir') {
      for (const t of touched) {
        const safe = checkPatchPath(t);
        if (safe.ok && isC(safe.path)) dirs.add(dirOf(safe.path));
      }
    }
    for (const dir of dirs) for (const f of await this.listDir(dir)) if (isC(f)) seeds.add(f);
    const result = new Set(seeds);
    let frontier = [...seeds];
    for (let depth = 0; depth < MAX_INCLUDE_DEPTH && frontier.length > 0 && result.size < MAX_INCLUDED_FILES; depth++) {
      const nextFrontier: string[] = [];
      for (const file of frontier) {
        for (const header of await this.quotedIncludes(file)) {
          if (result.has(header) || result.size >= MAX_INCLUDED_FILES) continue;
          result.add(header);
          nextFrontier.push(header);
        }
      }
      frontier = nextFrontier;
    }
    return [...result].sort();
  }

  /** The files `#include "..."` names in `file`, resolved to paths that exist here. */
  private async quotedIncludes(file: string): Promise<string[]> {
    const text = await this.read(file);
    if (text === undefined) return [];
    const out: string[] = [];
    for (const m of text.matchAll(INCLUDE_QUOTED)) {
      const name = m[1]!;
      if (!isC(name)) continue;
      for (const candidate of [joinInside(dirOf(file), name), joinInside('', name), joinInside('include', name)]) {
        if (candidate !== null && (await this.read(candidate)) !== undefined) {
          out.push(candidate);
          break;
        }
      }
    }
    return out;
  }

  private async listDir(dir: string): Promise<string[]> {
    const files = new Set(await this.base.list(dir));
    for (const [path, content] of this.overlay) {
      if (dirOf(path) !== dir) continue;
      if (content === undefined) files.delete(path);
      else files.add(path);
    }
    return [...files];
  }

  private async allCFiles(): Promise<string[]> {
    const files = new Set((await this.base.listAll()).filter(isC));
    for (const [path, content] of this.overlay) {
      if (!isC(path)) continue;
      if (content === undefined) files.delete(path);
      else files.add(path);
    }
    return [...files].sort();
  }
}
