/**
 * Which base `lockscope check` reviews against, as a maintainer meets it: an explicit --rev wins
 * over the patch's base-commit: trailer, the trailer over HEAD, a patch already committed on the
 * branch (b4 prep --check) is reviewed against its commit's parent, and every output format says
 * which base was used and how it was chosen. Also the mistakes a user makes on the command line:
 * a missing --base directory, a --db in a directory that does not exist.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.ts';
import { testRepo, type TestRepo } from './git-repo.ts';

const fixture = (name: string): string => readFileSync(join(root, 'test/fixtures/review', name), 'utf8');
/** git format-patch --base puts the trailer after the diff, before the signature if there is one. */
const withTrailer = (patch: string, sha: string): string => (/^-- $/m.test(patch) ? patch.replace(/^-- $/m, `base-commit: ${sha}\n-- `) : `${patch}\nbase-commit: ${sha}\n`);

let repo: TestRepo;
/** The fixture base, where fix-3lock.patch applies. */
let good: string;
/** HEAD: hub.c emptied, so fix-3lock.patch does not apply. */
let broken: string;

beforeAll(() => {
  repo = testRepo(join(root, 'test/fixtures/review/base'));
  good = repo.git(['rev-parse', 'HEAD']);
  writeFileSync(join(repo.dir, 'drivers/hub/hub.c'), '/* rewritten */\n');
  repo.git(['commit', '-qam', 'rewrite hub.c']);
  broken = repo.git(['rev-parse', 'HEAD']);
});

afterAll(() => repo.remove());

async function check(args: string[], patch: string): Promise<{ code: number; json: Record<string, unknown> & { base?: unknown; verdict?: string }; err: string }> {
  const r = await cli(['check', '--repo', repo.dir, '--format', 'json', ...args, '-'], { stdin: patch });
  return { code: r.code, json: JSON.parse(r.out) as never, err: r.err };
}

describe('check: choosing the base', () => {
  it('uses the trailer over HEAD, and an explicit --rev over the trailer', async () => {
    const patch = withTrailer(fixture('fix-3lock.patch'), broken);
    const byTrailer = await check([], patch);
    expect(byTrailer.code).toBe(2);
    expect(byTrailer.json.base).toEqual({ tree: `git ${broken.slice(0, 12)}`, rev: broken, chosenBy: 'trailer' });

    const byRev = await check(['--rev', good], patch);
    expect(byRev.code).toBe(0);
    expect(byRev.json.verdict).toBe('removes-inversion');
    expect(byRev.json.base).toEqual({ tree: `git ${good.slice(0, 12)}`, rev: good, chosenBy: 'rev', note: `--rev ${good} wins over the patch's base-commit: ${broken}` });

    // Without either: HEAD.
    const byHead = await check([], fixture('fix-3lock.patch'));
    expect(byHead.json.base).toEqual({ tree: `git ${broken.slice(0, 12)}`, rev: 'HEAD', chosenBy: 'default' });
  });

  it('refuses an explicit --rev the repository lacks instead of replacing it', async () => {
    const r = await cli(['check', '--repo', repo.dir, '--rev', 'v9.9', '-'], { stdin: fixture('fix-3lock.patch') });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`lockscope check: ${repo.dir} has no commit "v9.9" (fetch it, or pass --rev with a revision the repository has)\n`);
  });

  // b4 prep --check: the series is committed on the branch and its patches carry no trailer.
  it('reviews a patch that is already a commit on the branch against that commit\'s parent', async () => {
    const branch = testRepo(join(root, 'test/fixtures/review/base'));
    try {
      const parent = branch.git(['rev-parse', 'HEAD']);
      branch.git(['am', '-q'], fixture('fix-3lock.patch'));
      const commit = branch.git(['rev-parse', 'HEAD']);
      const mail = branch.git(['format-patch', '-1', '--stdout', 'HEAD']);
      const r = await cli(['check', '--repo', '.', '--format', 'json', '-'], { stdin: mail, cwd: branch.dir });
      expect(r.code).toBe(0);
      const json = JSON.parse(r.out) as { verdict: string; base: unknown };
      expect(json.verdict).toBe('removes-inversion');
      expect(json.base).toEqual({ tree: `git ${parent.slice(0, 12)}`, rev: `${commit}^`, chosenBy: 'patch-commit' });
    } finally {
      branch.remove();
    }
  });

  it('says the base and how it was chosen in every format', async () => {
    const patch = withTrailer(fixture('adds-call-chain.diff'), broken);
    const expected: Record<string, RegExp> = {
      text: new RegExp(`^Base: git ${good.slice(0, 12)} \\(--rev ${good}\\)\\. Note: --rev ${good} wins over the patch's base-commit: ${broken}\\.$`, 'm'),
      markdown: new RegExp(`^Base: git ${good.slice(0, 12)} \\(--rev ${good}\\)\\. Note: --rev ${good} wins over the patch's base-commit: ${broken}\\.$`, 'm'),
      json: new RegExp(`"chosenBy": "rev"`),
      sarif: new RegExp(`"text": "Base: git ${good.slice(0, 12)} \\(--rev ${good}\\)\\.`),
      checkpatch: new RegExp(`: ERROR: possible circular locking dependency: port_hub\\.lock -> port_table_lock -> port_hub\\.lock \\(.*; base git ${good.slice(0, 12)} \\(--rev ${good}\\)\\)\\n$`),
    };
    for (const [format, pattern] of Object.entries(expected)) {
      const r = await cli(['check', '--repo', repo.dir, '--rev', good, '--format', format, '-'], { stdin: patch });
      expect(r.code, format).toBe(1);
      expect(r.out, format).toMatch(pattern);
    }
  });
});

describe('check: command-line mistakes', () => {
  it('says "no such directory" for a missing --base or --repo, before reading the patch', async () => {
    expect(await cli(['check', '--base', '/missing', 'also-missing.patch'])).toEqual({ code: 2, out: '', err: 'lockscope check: --base /missing: no such directory\n' });
    expect((await cli(['check', '--repo', '/missing', '-'])).err).toBe('lockscope check: --repo /missing: no such directory\n');
    expect((await cli(['check', '--base', 'package.json', '-'])).err).toBe('lockscope check: --base package.json: not a directory\n');
  });

  // A typo in --db must not start a new, empty store somewhere.
  it('refuses --db in a directory that does not exist, and creates nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-db-'));
    try {
      const db = join(dir, 'no', 'such', 'reviews.db');
      const r = await cli(['check', '--base', 'test/fixtures/review/base', '--db', db, 'test/fixtures/review/fix-3lock.patch']);
      expect(r).toEqual({ code: 2, out: '', err: `lockscope check: --db ${db}: no such directory ${join(dir, 'no', 'such')}\n` });
      expect(existsSync(join(dir, 'no'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pairs --rev, --github-api and --cache-dir with the base options they belong to', async () => {
    expect((await cli(['check', '--base', 'x', '--rev', 'v1', '-'])).err).toMatch(/--rev goes with --repo or --github/);
    expect((await cli(['check', '--repo', '.', '--cache-dir', 'x', '-'])).err).toMatch(/--cache-dir goes with --github/);
    expect((await cli(['check', '--repo', '.', '--github', 'a/b', '-'])).err).toMatch(/exactly one of --base DIR, --repo GITDIR and --github OWNER\/REPO/);
    expect((await cli(['check', '--github', 'torvalds', '-'])).err).toBe('lockscope check: not a GitHub repository: "torvalds" (expected OWNER/REPO, e.g. torvalds/linux)\n');
  });
});

describe('check: the context', () => {
  const base = ['check', '--base', 'test/fixtures/review/base', '--format', 'json'];
  const unchanged = (out: string): string[][] => (JSON.parse(out) as { inversions: { unchanged: { locks: string[] }[] } }).inversions.unchanged.map((i) => i.locks);

  // port.c holds a pre-existing inversion; the patch touches only hub.c.
  it('--context-dir adds the C files of a directory to a narrow context', async () => {
    const touched = await cli([...base, '--context', 'touched', 'test/fixtures/review/fix-3lock.patch']);
    expect(unchanged(touched.out)).toEqual([]);
    const added = await cli([...base, '--context', 'touched', '--context-dir', './drivers/hub/', 'test/fixtures/review/fix-3lock.patch']);
    expect(unchanged(added.out)).toEqual([['port.plock', 'port_hub.cfg_mutex']]);
  });

  it('refuses a --context-dir outside the repository or without C files', async () => {
    expect((await cli([...base, '--context-dir', '../etc', 'test/fixtures/review/fix-3lock.patch'])).err).toMatch(/--context-dir \.\.\/etc: not a directory inside the repository/);
    expect((await cli([...base, '--context-dir', 'drivers', 'test/fixtures/review/fix-3lock.patch'])).err).toMatch(/--context-dir drivers: no \.c or \.h file directly inside it in dir /);
  });

  it('--max-context-files sets the limit a directory context may not pass', async () => {
    const r = await cli([...base, '--context', 'dir', '--max-context-files', '2', 'test/fixtures/review/fix-3lock.patch']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).errors).toEqual(['context has 3 files, over the limit of 2; use a narrower --context or raise --max-context-files']);
    expect((await cli([...base, '--context', 'dir', '--max-context-files', '3', 'test/fixtures/review/fix-3lock.patch'])).code).toBe(0);
    // A directory keeps no whole-tree graph: past the limit, tree is refused rather than built in every review.
    const tree = await cli([...base, '--context', 'tree', '--format', 'json', '--max-context-files', '1', 'test/fixtures/review/fix-3lock.patch']);
    expect(tree.code).toBe(2);
    expect(JSON.parse(tree.out).errors[0]).toMatch(/^the tree has \d+ C files, over the limit of 1 for a graph built in every review; review against a git repository \(--repo\)/);
    expect((await cli([...base, '--max-context-files', '0', 'x'])).err).toMatch(/--max-context-files must be a positive whole number, got '0'/);
    expect((await cli([...base, '--max-context-bytes', '1e6', 'x'])).err).toMatch(/--max-context-bytes must be a positive whole number, got '1e6'/);
  });

  // The default `calls` context stops at its budget and says so instead of failing.
  it('--max-context-files and --max-context-bytes are the budget of the calls context', async () => {
    const driver = ['check', '--base', 'test/fixtures/context/driver', '--format', 'json'];
    const patch = 'test/fixtures/context/chip-irq-calls-core.diff';
    const json = (out: string): { verdict: string; context: unknown } => JSON.parse(out) as { verdict: string; context: unknown };
    const whole = await cli([...driver, patch]);
    expect(whole.code).toBe(1);
    expect(json(whole.out).context).toEqual({ mode: 'calls', files: 5, bytes: expect.any(Number), depth: 2, index: { scope: 'tree', files: 6 } });
    const cut = await cli([...driver, '--max-context-files', '3', patch]);
    expect(cut.code).toBe(0);
    expect(json(cut.out).context).toMatchObject({ files: 3, cutBy: 'files', leftCount: 1, left: [{ path: 'channel.c', as: 'caller', of: 'chip_irq', depth: 1 }] });
    const bytes = await cli([...driver, '--max-context-bytes', '500', patch]);
    expect(json(bytes.out).context).toMatchObject({ files: 2, cutBy: 'bytes' });
    const text = await cli(['check', '--base', 'test/fixtures/context/driver', '--max-context-files', '3', patch]);
    expect(text.out).toContain('Context: the calls were followed to 3 files (1 kB, 1 call deep) and the file budget ran out; 1 more was left out, the nearest: channel.c (calls chip_irq, 1 call away).');
    expect((await cli(['check', '--base', 'test/fixtures/context/driver', patch])).out).not.toContain('Context:');
  });
});
