/**
 * A BaseTree over a git repository at one commit, read without a checkout
 * (`lockscope check --repo GITDIR --rev REV`, or a patch's `base-commit:`). Blobs come from one
 * long-lived `git cat-file --batch` process, listings from `git ls-tree`. git runs with argument
 * arrays, never through a shell, and a revision that starts with `-` is refused.
 *
 * Files over 4 MiB read as absent and are listed in `skipped` (with `refusal` saying so), like
 * DirTree. Submodules read as
 * absent. Call `close()` when done; an idle tree does not keep the process alive either way.
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { promisify } from 'node:util';
import { UnsafePathError } from './apply.ts';
import type { BaseRefusal, BaseTree } from './base-tree.ts';
import { MAX_FILE_BYTES, tooLarge } from './dir-tree.ts';
import { checkPatchPath } from './safe-path.ts';

const run = promisify(execFile);

type Batch = ChildProcessByStdio<Writable, Readable, null>;

/** Pipes are sockets: unref'd, they let the process exit while the batch process idles. */
function holdLoop(child: Batch, hold: boolean): void {
  for (const handle of [child, child.stdin, child.stdout] as { ref?: () => void; unref?: () => void }[]) {
    if (hold) handle.ref?.();
    else handle.unref?.();
  }
}

/** Thrown by GitTree.open; `tryOpen` returns the same failure as a value. */
export class GitTreeError extends Error {
  constructor(
    message: string,
    readonly code: 'GIT_UNKNOWN_REV' | 'GIT_FAILED',
  ) {
    super(message);
    this.name = 'GitTreeError';
  }
}

export type GitTreeOpen = { ok: true; tree: GitTree } | { ok: false; reason: string; code: 'GIT_UNKNOWN_REV' | 'GIT_FAILED' };

interface Pending {
  resolve: (blob: Buffer | undefined) => void;
  reject: (err: Error) => void;
}

export class GitTree implements BaseTree {
  /** Paths not read because they are over 4 MiB. */
  readonly skipped: string[] = [];
  private readonly refusals = new Map<string, BaseRefusal>();
  private batch: Batch | undefined;
  private readonly queue: Pending[] = [];
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  private expect: { type: string; size: number } | null = null;
  private all: Promise<Map<string, string>> | undefined;
  /** The files of each directory, from `all` once something asked for every blob id. */
  private byDir: Promise<Map<string, string[]>> | undefined;
  private tree: Promise<string> | undefined;

  private constructor(
    readonly gitDir: string,
    /** The full commit id `rev` resolved to. */
    readonly commit: string,
  ) {}

  /** Resolves `rev` to a commit in `gitDir`; an unknown revision or a non-repository is a value. */
  static async tryOpen(gitDir: string, rev: string): Promise<GitTreeOpen> {
    if (rev === '' || rev.startsWith('-') || /[\s\0]/.test(rev)) {
      return { ok: false, code: 'GIT_UNKNOWN_REV', reason: `not a revision: ${JSON.stringify(rev)}` };
    }
    try {
      await run('git', ['-C', gitDir, 'rev-parse', '--git-dir'], { encoding: 'utf8' });
    } catch (err) {
      return { ok: false, code: 'GIT_FAILED', reason: `${gitDir} is not a git repository: ${firstLine(err)}` };
    }
    try {
      const { stdout } = await run('git', ['-C', gitDir, 'rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { encoding: 'utf8' });
      return { ok: true, tree: new GitTree(gitDir, stdout.trim()) };
    } catch {
      return { ok: false, code: 'GIT_UNKNOWN_REV', reason: `${gitDir} has no commit ${JSON.stringify(rev)} (fetch it, or pass --rev with a revision the repository has)` };
    }
  }

  /** Like tryOpen, for callers that treat a bad revision as fatal: throws GitTreeError. */
  static async open(gitDir: string, rev: string): Promise<GitTree> {
    const r = await GitTree.tryOpen(gitDir, rev);
    if (!r.ok) throw new GitTreeError(r.reason, r.code);
    return r.tree;
  }

  async read(path: string): Promise<string | undefined> {
    const safe = checkPatchPath(path);
    if (!safe.ok) throw new UnsafePathError(safe.reason, path);
    const blob = await this.catFile(`${this.commit}:${safe.path}`);
    if (blob === undefined) return undefined;
    if (blob.length > MAX_FILE_BYTES) {
      if (!this.skipped.includes(safe.path)) this.skipped.push(safe.path);
      this.refusals.set(safe.path, tooLarge(safe.path, blob.length));
      return undefined;
    }
    return blob.toString('utf8');
  }

  async list(dir: string): Promise<string[]> {
    let spec: string[] = [];
    let key = '';
    if (dir !== '') {
      const safe = checkPatchPath(dir);
      if (!safe.ok) throw new UnsafePathError(safe.reason, dir);
      spec = ['--', `${safe.path}/`];
      key = safe.path;
    }
    // A whole-tree build lists every directory: one `git ls-tree -r` already read them all.
    if (this.all) return [...((await this.filesByDir()).get(key) ?? [])];
    return [...(await this.lsTree([], spec)).keys()];
  }

  private filesByDir(): Promise<Map<string, string[]>> {
    this.byDir ??= this.blobIds().then((all) => {
      const out = new Map<string, string[]>();
      for (const path of all.keys()) {
        const slash = path.lastIndexOf('/');
        const dir = slash === -1 ? '' : path.slice(0, slash);
        const files = out.get(dir);
        if (files) files.push(path);
        else out.set(dir, [path]);
      }
      return out;
    });
    return this.byDir;
  }

  async listAll(): Promise<string[]> {
    return [...(await this.blobIds()).keys()];
  }

  blobIds(): Promise<ReadonlyMap<string, string>> {
    this.all ??= this.lsTree(['-r'], []);
    return this.all;
  }

  /** The commit's tree id: it names the content, so two commits (or clones) with one tree share caches. */
  cacheKey(): Promise<string> {
    this.tree ??= run('git', ['-C', this.gitDir, 'rev-parse', '--verify', `${this.commit}^{tree}`], { encoding: 'utf8' }).then(({ stdout }) => `git tree ${stdout.trim()}`);
    return this.tree;
  }

  describe(): string {
    return `git ${this.commit.slice(0, 12)}`;
  }

  refusal(path: string): BaseRefusal | undefined {
    const safe = checkPatchPath(path);
    return safe.ok ? this.refusals.get(safe.path) : undefined;
  }

  /** Ends the cat-file process; reads after this start a new one. */
  close(): void {
    const child = this.batch;
    if (!child) return;
    this.reset(new GitTreeError('the git tree was closed during a read', 'GIT_FAILED'));
    child.stdin.end();
    holdLoop(child, false);
  }

  private reset(err: Error): void {
    this.batch = undefined;
    this.chunks = [];
    this.chunkBytes = 0;
    this.expect = null;
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  /** Blob paths (sorted) -> blob ids. */
  private async lsTree(flags: string[], spec: string[]): Promise<Map<string, string>> {
    const { stdout } = await run('git', ['-C', this.gitDir, 'ls-tree', '-z', '--full-tree', ...flags, this.commit, ...spec], {
      encoding: 'buffer',
      maxBuffer: 512 * 1024 * 1024,
    });
    const out: [string, string][] = [];
    for (const entry of stdout.toString('utf8').split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab === -1) continue;
      const [, type, id] = entry.slice(0, tab).split(' ');
      if (type === 'blob' && id) out.push([entry.slice(tab + 1), id]);
    }
    return new Map(out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  }

  private startBatch(): Batch {
    const child = spawn('git', ['-C', this.gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (err: Error): void => {
      if (this.batch === child) this.reset(err);
    };
    child.on('error', fail);
    child.on('exit', (code) => fail(new GitTreeError(`git cat-file exited with ${code}`, 'GIT_FAILED')));
    child.stdin.on('error', () => undefined);
    return child;
  }

  private catFile(object: string): Promise<Buffer | undefined> {
    this.batch ??= this.startBatch();
    const child = this.batch;
    // Hold the event loop only while a read is pending, so an unclosed tree never hangs the CLI.
    holdLoop(child, true);
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      child.stdin.write(`${object}\n`);
    });
  }

  /**
   * Parses `<oid> <type> <size>\n<bytes>\n` and `<name> missing\n` answers, in request order.
   * Chunks of a large blob are collected and joined once (joining on every chunk is quadratic).
   */
  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    for (;;) {
      if (this.expect === null) {
        const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
        this.chunks = [joined];
        const nl = joined.indexOf(0x0a);
        if (nl === -1) break;
        const header = joined.subarray(0, nl).toString('utf8');
        this.take(nl + 1);
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          this.queue.shift()?.resolve(undefined);
          continue;
        }
        const [, type, sizeText] = header.split(' ');
        this.expect = { type: type ?? '', size: Number(sizeText) };
      }
      if (this.chunkBytes < this.expect.size + 1) break;
      const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
      const body = Buffer.from(joined.subarray(0, this.expect.size));
      this.chunks = [joined];
      this.take(this.expect.size + 1);
      const blob = this.expect.type === 'blob' ? body : undefined;
      this.expect = null;
      this.queue.shift()?.resolve(blob);
    }
    if (this.queue.length === 0 && this.batch) holdLoop(this.batch, false);
  }

  /** Drops `n` bytes from the front of the single joined chunk. */
  private take(n: number): void {
    const rest = this.chunks[0]!.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.chunkBytes = rest.length;
  }
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? ((err as { stderr?: string }).stderr || err.message) : String(err);
  return String(text).trim().split('\n')[0] ?? '';
}
