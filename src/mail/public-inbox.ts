/**
 * Reads a public-inbox archive (a lore mirror) as git, for `lockscope mail watch --public-inbox`:
 * v2 keeps `DIR/git/0.git`, `1.git`, ... epochs and every commit adds one message as the blob
 * `m` at the tree root, in arrival order; v1 is one repository whose commits add a message each
 * under a hashed path. Either way a commit's message is the blob it adds (a commit that only
 * deletes, public-inbox's spam removal, has none). git runs with argument arrays, never a shell.
 *
 * It reads and fetches; it does not remember positions (the mail store does) or ingest anything.
 */
import { execFile } from 'node:child_process';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIG = 1024 * 1024 * 1024;

async function git(gitDir: string, args: string[], timeoutMs = 120_000): Promise<string> {
  const { stdout } = await run('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: BIG, timeout: timeoutMs });
  return stdout;
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: unknown; message?: unknown };
  const text = typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr : String(e.message ?? err);
  return text.trim().split('\n')[0] ?? '';
}

/** One git repository of the archive: `git/0.git` (v2) or `.` (v1), relative to the inbox. */
export interface Epoch {
  name: string;
  gitDir: string;
}

export class PublicInbox {
  private constructor(
    /** The inbox directory, resolved (symlinks too): the key its positions are stored under. */
    readonly dir: string,
    readonly version: 1 | 2,
  ) {}

  /** Opens `dir` as a v2 inbox (it has `git/N.git`) or a v1 one (it is a git repository). */
  static async open(dir: string): Promise<{ ok: true; inbox: PublicInbox } | { ok: false; reason: string }> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      return { ok: false, reason: `cannot read ${dir}: ${firstLine(err)}` };
    }
    if ((await stat(join(real, 'git')).catch(() => null))?.isDirectory()) return { ok: true, inbox: new PublicInbox(real, 2) };
    try {
      await run('git', ['-C', real, 'rev-parse', '--git-dir'], { encoding: 'utf8' });
      return { ok: true, inbox: new PublicInbox(real, 1) };
    } catch {
      return { ok: false, reason: `${dir} is not a public-inbox archive (no git/N.git epochs, and not a git repository)` };
    }
  }

  /** The epochs, oldest first (read again each time: new ones appear as the archive grows). */
  async epochs(): Promise<Epoch[]> {
    if (this.version === 1) {
      const gitDir = (await run('git', ['-C', this.dir, 'rev-parse', '--absolute-git-dir'], { encoding: 'utf8' })).stdout.trim();
      return [{ name: '.', gitDir }];
    }
    const names = (await readdir(join(this.dir, 'git'))).filter((n) => /^\d+\.git$/.test(n));
    names.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    return names.map((n) => ({ name: relative(this.dir, join(this.dir, 'git', n)), gitDir: join(this.dir, 'git', n) }));
  }

  /**
   * Fetches every epoch that is a clone with a remote (`git clone --mirror`); returns the failures
   * as sentences (a mirror that cannot reach lore now is not fatal: it is fetched again next time).
   */
  async fetch(): Promise<string[]> {
    const failures: string[] = [];
    for (const e of await this.epochs()) {
      let remotes: string;
      try {
        remotes = (await git(e.gitDir, ['remote'])).trim();
      } catch {
        continue;
      }
      if (remotes === '') continue;
      try {
        await git(e.gitDir, ['fetch', '--quiet', '--prune'], 10 * 60_000);
      } catch (err) {
        failures.push(`git fetch in ${e.name} failed: ${firstLine(err)}`);
      }
    }
    return failures;
  }

  /**
   * Commits of `epoch` after `since` (a commit it already read), oldest first. When `since` is no
   * longer in the history (the archive was rewritten, e.g. purged), every commit is returned and
   * `rewritten` is set: messages already stored are recognised by Message-ID.
   */
  async commitsSince(epoch: Epoch, since: string | undefined): Promise<{ commits: string[]; rewritten: boolean }> {
    let head: string;
    try {
      head = (await git(epoch.gitDir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim();
    } catch {
      return { commits: [], rewritten: false }; // an epoch with no commit yet
    }
    let rewritten = false;
    if (since !== undefined) {
      try {
        await git(epoch.gitDir, ['merge-base', '--is-ancestor', since, head]);
      } catch {
        rewritten = true;
      }
    }
    const range = since !== undefined && !rewritten ? [`${since}..${head}`] : [head];
    const out = await git(epoch.gitDir, ['rev-list', '--reverse', '--first-parent', ...range]);
    return { commits: out.split('\n').filter(Boolean), rewritten };
  }

  /** The raw message `commit` adds, or null when it adds none (a deletion). */
  async message(epoch: Epoch, commit: string): Promise<string | null> {
    const diff = await git(epoch.gitDir, ['diff-tree', '-r', '--root', '--no-commit-id', '-z', '--diff-filter=AM', commit]);
    // ":100644 100644 <old> <new> M\0path\0" per entry.
    const fields = diff.split('\0');
    let blob: string | null = null;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const meta = (fields[i] as string).split(' ');
      const path = fields[i + 1] as string;
      const sha = meta[3];
      if (!sha) continue;
      if (path === 'm') {
        blob = sha;
        break;
      }
      blob ??= sha;
    }
    if (blob === null) return null;
    return git(epoch.gitDir, ['cat-file', 'blob', blob]);
  }
}
