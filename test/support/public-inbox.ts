/**
 * Builds public-inbox archives with git, the way public-inbox writes them, for the watch tests:
 * v2 is `DIR/git/N.git` bare epochs where every commit adds one message as the blob `m` at the
 * tree root; v1 is one bare repository whose commits add each message under a hashed path
 * (`ab/cdef...`, the sha1 of its Message-ID) next to the earlier ones.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ENV = { ...process.env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@example.org', GIT_COMMITTER_NAME: 'c', GIT_COMMITTER_EMAIL: 'c@example.org', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(gitDir: string, args: string[], input?: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { input, encoding: 'utf8', env: { ...ENV, ...env } }).trim();
}

export class TestInbox {
  constructor(
    readonly dir: string,
    readonly version: 1 | 2 = 2,
  ) {
    if (version === 1) this.init(dir);
    else mkdirSync(join(dir, 'git'), { recursive: true });
  }

  /** The git directory of epoch `n` (v2), created on first use; the repository itself for v1. */
  epoch(n = 0): string {
    if (this.version === 1) return this.dir;
    const gitDir = join(this.dir, 'git', `${n}.git`);
    this.init(gitDir);
    return gitDir;
  }

  private init(gitDir: string): void {
    execFileSync('git', ['init', '-q', '--bare', '-b', 'master', gitDir], { env: ENV });
  }

  private head(gitDir: string): string | null {
    try {
      return git(gitDir, ['rev-parse', '--verify', '--quiet', 'refs/heads/master']);
    } catch {
      return null;
    }
  }

  private commit(gitDir: string, tree: string, subject: string): string {
    const parent = this.head(gitDir);
    const commit = git(gitDir, ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', subject]);
    git(gitDir, ['update-ref', 'refs/heads/master', commit]);
    return commit;
  }

  /** Appends `raw` as the next message of epoch `n`; returns the commit. */
  add(raw: string, n = 0): string {
    const gitDir = this.epoch(n);
    const blob = git(gitDir, ['hash-object', '-w', '--stdin'], raw);
    const index = join(gitDir, 'test-index');
    const msgid = /^Message-ID:\s*(.*)$/im.exec(raw)?.[1]?.trim() ?? raw;
    const path = this.version === 2 ? 'm' : (() => {
      const h = createHash('sha1').update(msgid).digest('hex');
      return `${h.slice(0, 2)}/${h.slice(2)}`;
    })();
    const parent = this.head(gitDir);
    const env = { GIT_INDEX_FILE: index };
    if (parent) git(gitDir, ['read-tree', parent], undefined, env);
    else git(gitDir, ['read-tree', '--empty'], undefined, env);
    git(gitDir, ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], undefined, env);
    const tree = git(gitDir, ['write-tree'], undefined, env);
    return this.commit(gitDir, tree, msgid);
  }

  /** A commit that removes the message (public-inbox's spam removal in v2): it adds nothing. */
  remove(n = 0): string {
    const gitDir = this.epoch(n);
    const empty = git(gitDir, ['mktree'], '');
    return this.commit(gitDir, empty, 'remove');
  }
}
