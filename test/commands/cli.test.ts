/**
 * The CLI as a user runs it: `lockscope analyze` and `lockscope check` through main(), with
 * their exit statuses (0 ran / no inversion added, 1 inversion added, 2 usage or input error).
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, root } from './run-cli.ts';

describe('lockscope analyze', () => {
  it('prints the lockdep-style report of the seed scenario and exits 0', async () => {
    const r = await cli(['analyze', 'examples/intel-iommu/base']);
    expect(r.code).toBe(0);
    // lockdep prints "Chain exists of" for three or more locks only; an AB-BA pair is the CPU table.
    expect(r.out).toMatch(/is trying to acquire lock:\n \(device_domain_lock\)/);
    expect(r.out).not.toContain('Chain exists of:');
    expect(r.out).toMatch(/CPU0\s+CPU1/);
  });

  it('prints lockscope.analysis/1 JSON with paths relative to the PATH given', async () => {
    const r = await cli(['analyze', '--format', 'json', 'examples/intel-iommu/base']);
    const json = JSON.parse(r.out);
    expect(json.schema).toBe('lockscope.analysis/1');
    expect(json.inversions[0].locks).toEqual(['device_domain_lock', 'intel_iommu.lock']);
    expect(json.inversions[0].edges[0].chain[0].file).toBe('drivers/iommu/dmar-lite.c');
    expect(json.locks.find((l: { name: string }) => l.name === 'intel_iommu.lock')).toMatchObject({ kind: 'spinlock', seenAs: ['&iommu->lock'] });
  });

  it('exits 2 with a clear message on a missing path or a bad option', async () => {
    expect((await cli(['analyze', 'no/such/dir'])).err).toMatch(/cannot read no\/such\/dir/);
    expect((await cli(['analyze', '--format', 'xml', 'examples'])).code).toBe(2);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('keeps parsed files in the user cache directory, or in --cache DIR, and prints the same report from them', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lockscope-home-'));
    const env = { HOME: home };
    const cold = await cli(['analyze', '--format', 'json', 'examples/intel-iommu/base'], { env });
    const stored = join(home, '.cache', 'lockscope', 'facts');
    expect(readdirSync(stored).length).toBeGreaterThan(0);
    const warm = await cli(['analyze', '--format', 'json', 'examples/intel-iommu/base'], { env });
    expect(warm.out).toBe(cold.out);

    const dir = join(home, 'elsewhere');
    const xdg = join(home, 'xdg');
    expect((await cli(['analyze', '--cache', dir, 'examples/intel-iommu/base'], { env: { ...env, XDG_CACHE_HOME: xdg } })).code).toBe(0);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    expect(existsSync(xdg)).toBe(false);
    const none = mkdtempSync(join(tmpdir(), 'lockscope-home-'));
    expect((await cli(['analyze', '--no-cache', 'examples/intel-iommu/base'], { env: { HOME: none } })).code).toBe(0);
    expect(readdirSync(none)).toEqual([]);
    const both = await cli(['analyze', '--cache', dir, '--no-cache', 'examples']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--cache and --no-cache exclude each other/);
  });
});

describe('lockscope check', () => {
  const base = ['--base', 'test/fixtures/review/base'];

  it('exits 0 for a fix and says so in one sentence', async () => {
    const r = await cli(['check', ...base, 'test/fixtures/review/fix-3lock.patch']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('This patch removes the lock-order inversion fw_mutex -> power_mutex -> hub_list_mutex -> fw_mutex.');
  });

  it('exits 1 when an inversion is added, in every format', async () => {
    for (const format of ['text', 'markdown', 'json', 'sarif']) {
      const r = await cli(['check', ...base, '--format', format, 'test/fixtures/review/adds-call-chain.diff']);
      expect(r.code, format).toBe(1);
      expect(r.out, format).toMatch(/port_table_lock/);
    }
  });

  // Issue 11: the exit code follows the outcome over every kind, not only inversions.
  it('exits 1 when a finding of another kind is added, 0 when one is removed, in every format', async () => {
    const kinds = ['--base', 'test/fixtures/review/kinds/base', '--context', 'touched'];
    for (const format of ['text', 'markdown', 'json', 'sarif', 'checkpatch', 'email']) {
      const added = await cli(['check', ...kinds, '--format', format, 'test/fixtures/review/kinds/sleep-add.patch']);
      expect(added.code, format).toBe(1);
      expect(added.out, format).toMatch(/gizmo\.fifo_lock|fifo_lock/);
      expect((await cli(['check', ...kinds, '--format', format, 'test/fixtures/review/kinds/sleep-fix.patch'])).code, format).toBe(0);
    }
    const json = JSON.parse((await cli(['check', ...kinds, '--format', 'json', 'test/fixtures/review/kinds/leak-add.patch'])).out) as { verdict: string; outcome: string };
    expect(json).toMatchObject({ verdict: 'no-change', outcome: 'adds' });
  });

  it('reads the patch from stdin with -', async () => {
    const { readFileSync } = await import('node:fs');
    const patch = readFileSync(join(root, 'test/fixtures/review/moves-code.diff'), 'utf8');
    const r = await cli(['check', ...base, '--format', 'json', '-'], { stdin: patch });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).verdict).toBe('no-change');
  });

  it('exits 2 with the reason when the patch does not apply', async () => {
    const r = await cli(['check', ...base, 'test/fixtures/review/does-not-apply.diff']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/hunk 1 .* does not apply/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli(['check', 'test/fixtures/review/fix-3lock.patch'])).err).toMatch(/exactly one of --base/);
    expect((await cli(['check', ...base])).code).toBe(2);
    expect((await cli(['check', ...base, '--context', 'galaxy', 'x'])).code).toBe(2);
  });

  // A maintainer's clone: the base is read from git at the patch's base-commit, no checkout.
  it('reviews against a git revision, and falls back to HEAD with a note when base-commit is unknown', async () => {
    const { execFileSync } = await import('node:child_process');
    const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const repo = mkdtempSync(join(tmpdir(), 'lockscope-repo-'));
    try {
      cpSync(join(root, 'test/fixtures/review/base'), repo, { recursive: true });
      const git = (...args: string[]): string =>
        execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { encoding: 'utf8' }).trim();
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'base');
      const sha = git('rev-parse', 'HEAD');
      // The working tree changes after the commit: the review must read the commit, not the files.
      writeFileSync(join(repo, 'drivers/hub/hub.c'), '/* emptied after the commit */\n');

      const patch = readFileSync(join(root, 'test/fixtures/review/fix-3lock.patch'), 'utf8');
      const withBase = join(repo, 'with-base.patch');
      writeFileSync(withBase, patch.replace(/^-- $/m, `base-commit: ${sha}\n-- `));
      const ok = await cli(['check', '--repo', repo, '--format', 'json', withBase]);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out).verdict).toBe('removes-inversion');

      const unknown = join(repo, 'unknown-base.patch');
      writeFileSync(unknown, patch.replace(/^-- $/m, `base-commit: ${'f'.repeat(40)}\n-- `));
      const fallback = await cli(['check', '--repo', repo, '--format', 'json', unknown]);
      expect(fallback.err).toBe('');
      const json = JSON.parse(fallback.out);
      expect(json.verdict).toBe('removes-inversion');
      expect(json.base).toEqual({ tree: `git ${sha.slice(0, 12)}`, rev: 'HEAD', chosenBy: 'default', note: `the patch's base-commit: ${'f'.repeat(40)} is not in ${repo}; reviewed against HEAD instead (pass --rev to choose)` });

      const bad = await cli(['check', '--repo', repo, '--rev', 'no-such-rev', withBase.replace('with-base', 'missing')]);
      expect(bad.code).toBe(2);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  // A maintainer checking patches by hand wants them on the dashboard next to the bot's.
  it('records the review in the store with --db', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { openDatabase } = await import('../../src/store/database.ts');
    const { openReviewStore } = await import('../../src/store/review-store.ts');
    const dir = mkdtempSync(join(tmpdir(), 'lockscope-db-'));
    try {
      const file = join(dir, 'reviews.db');
      const r = await cli(['check', ...base, '--db', file, 'test/fixtures/review/fix-3lock.patch']);
      expect(r.code).toBe(0);
      expect(r.err).toMatch(/recorded as review #1/);
      const db = openDatabase(file);
      const stored = openReviewStore(db).get(1);
      db.close();
      expect(stored).toMatchObject({ source: 'cli', status: 'done', verdict: 'removes-inversion', subject: '[PATCH] hub: do not nest fw_mutex under hub_list_mutex', author: 'Ada Reviewer <ada@example.org>' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
