/**
 * A BaseTree over a directory on disk (`lockscope check --base DIR`). Read-only. It refuses paths
 * checkPatchPath refuses and never reads through a symlink that resolves outside the base (a
 * checked-out tree from an untrusted PR may hold `drivers/x.c -> /etc/shadow`). Files over 4 MiB
 * are treated as absent and listed in `skipped`, as are symlinks that leave the base; `refusal`
 * says which limit kept each one out, for a patch that changes it.
 *
 * It does not follow symlinked directories when listing (no loops) and skips `.git`.
 */
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { UnsafePathError } from './apply.ts';
import type { BaseRefusal, BaseTree } from './base-tree.ts';
import { checkPatchPath } from './safe-path.ts';

/** Larger files are generated tables or firmware, not code worth parsing. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** The refusal of a file over MAX_FILE_BYTES: "drivers/x.c is 5452595 bytes in the base, over the 4 MiB (4194304-byte) limit ...". */
export function tooLarge(path: string, bytes: number): BaseRefusal {
  return { code: 'TOO_LARGE', reason: `${path} is ${bytes} bytes in the base, over the 4 MiB (${MAX_FILE_BYTES}-byte) limit on files lockscope reads` };
}

/** listAll stops here; a tree this big is not one repository's sources. */
const MAX_LISTED_FILES = 1_000_000;

export class DirTree implements BaseTree {
  /** Paths not read: over 4 MiB, or a symlink resolving outside the base. In the order met, once each. */
  readonly skipped: string[] = [];
  private readonly refusals = new Map<string, BaseRefusal>();
  private readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private async inside(full: string): Promise<string | undefined> {
    this.realRoot ??= realpath(this.root);
    const rootReal = await this.realRoot;
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      return undefined;
    }
    return real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep) ? real : undefined;
  }

  private skip(path: string, why: BaseRefusal): void {
    if (!this.skipped.includes(path)) this.skipped.push(path);
    this.refusals.set(path, why);
  }

  refusal(path: string): BaseRefusal | undefined {
    const safe = checkPatchPath(path);
    return safe.ok ? this.refusals.get(safe.path) : undefined;
  }

  async read(path: string): Promise<string | undefined> {
    const safe = checkPatchPath(path);
    if (!safe.ok) throw new UnsafePathError(safe.reason, path);
    const full = join(this.root, ...safe.path.split('/'));
    try {
      await lstat(full);
    } catch {
      return undefined;
    }
    const real = await this.inside(full);
    if (real === undefined) {
      // It exists (lstat saw it) but resolves outside the base, or is a dangling link.
      this.skip(safe.path, { code: 'UNSAFE_PATH', reason: `${safe.path} is a symlink that does not resolve to a file inside the base tree; lockscope does not follow symlinks out of the base` });
      return undefined;
    }
    const info = await stat(real);
    if (!info.isFile()) return undefined;
    if (info.size > MAX_FILE_BYTES) {
      this.skip(safe.path, tooLarge(safe.path, info.size));
      return undefined;
    }
    return readFile(real, 'utf8');
  }

  async list(dir: string): Promise<string[]> {
    let prefix = '';
    if (dir !== '') {
      const safe = checkPatchPath(dir);
      if (!safe.ok) throw new UnsafePathError(safe.reason, dir);
      prefix = `${safe.path}/`;
    }
    const full = join(this.root, ...prefix.split('/').filter(Boolean));
    if ((await this.inside(full)) === undefined) return [];
    let entries;
    try {
      entries = await readdir(full, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      if (e.isFile()) out.push(prefix + e.name);
      else if (e.isSymbolicLink()) {
        const real = await this.inside(join(full, e.name));
        if (real !== undefined && (await stat(real)).isFile()) out.push(prefix + e.name);
      }
    }
    return out.sort();
  }

  async listAll(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(this.root, ...rel.split('/').filter(Boolean)), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= MAX_LISTED_FILES) return;
        const path = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (e.name !== '.git') await walk(path);
        } else if (e.isFile() || e.isSymbolicLink()) {
          if (checkPatchPath(path).ok) out.push(path);
        }
      }
    };
    await walk('');
    return out.sort();
  }

  describe(): string {
    return `dir ${this.root}`;
  }
}
