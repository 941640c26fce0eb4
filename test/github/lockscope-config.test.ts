/** `.github/lockscope.yml` as maintainers write it, and the mistakes they make in it. */
import { describe, expect, it } from 'vitest';
import { configSelects, DEFAULT_CONFIG, loadLockscopeConfig, parseLockscopeConfig } from '../../src/github/lockscope-config.ts';

describe('parseLockscopeConfig', () => {
  it('a repository without the file gets the defaults (on-change comments, failure on added inversions)', () => {
    expect(parseLockscopeConfig(null)).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(parseLockscopeConfig({})).toEqual({ ok: true, config: DEFAULT_CONFIG });
  });

  it('a full config with a project lock wrapper is taken as written', () => {
    const r = parseLockscopeConfig({
      enabled: true,
      paths: { include: ['drivers/**'], exclude: ['**/test/**'] },
      lockFunctions: [{ name: 'pool_lock_irq', effect: 'acquire', arg: 0 }, { name: 'big_lock', effect: 'acquire', class: 'big_kernel_lock' }],
      context: 'tree',
      comment: 'always',
      conclusionOnAdded: 'neutral',
      kinds: { 'sleep-in-atomic': false },
    });
    expect(r.ok && r.config).toEqual({
      enabled: true,
      paths: { include: ['drivers/**'], exclude: ['**/test/**'] },
      lockFunctions: [{ name: 'pool_lock_irq', effect: 'acquire', arg: 0 }, { name: 'big_lock', effect: 'acquire', class: 'big_kernel_lock' }],
      context: 'tree',
      comment: 'always',
      conclusionOnAdded: 'neutral',
      kinds: ['inversion', 'recursive', 'irq-inconsistent', 'irq-inversion', 'lock-leak', 'held-lock-freed', 'flush-under-lock', 'reclaim-under-lock', 'assert-not-held', 'bad-unlock-balance'],
    });
  });

  // A project that does not want one kind of report turns it off; a typo is an error, not a silent no-op.
  it('kinds: a mapping turns kinds off, a list keeps only those, and unknown kinds are errors', () => {
    const list = parseLockscopeConfig({ kinds: ['inversion', 'lock-leak'] });
    expect(list.ok && list.config.kinds).toEqual(['inversion', 'lock-leak']);
    const bad = parseLockscopeConfig({ kinds: { 'sleep-in-atomc': false, 'lock-leak': 'no' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.reason).toContain('unknown kind `kinds.sleep-in-atomc`');
    expect(bad.reason).toContain('`kinds.lock-leak` must be true or false');
    expect(parseLockscopeConfig({ kinds: 'inversion' }).ok).toBe(false);
    expect(parseLockscopeConfig({ kinds: ['deadlock'] }).ok).toBe(false);
  });

  it('kernelConfig: a path inside the repository', () => {
    expect(parseLockscopeConfig({ kernelConfig: 'arch/arm/configs/board_defconfig' })).toMatchObject({ ok: true, config: { kernelConfig: 'arch/arm/configs/board_defconfig' } });
    for (const bad of ['/etc/passwd', '../../secrets', 'a/../../b', 3]) expect(parseLockscopeConfig({ kernelConfig: bad }).ok).toBe(false);
  });

  it('every problem is named at once, so one fix-up commit is enough', () => {
    const r = parseLockscopeConfig({ enabled: 'yes', coment: 'never', context: 'repo', lockFunctions: [{ name: 'x y', effect: 'grab' }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('unknown key `coment`');
    expect(r.reason).toContain('`enabled` must be true or false');
    expect(r.reason).toContain('`context` must be one of calls, touched, dir, tree');
    expect(r.reason).toContain('`lockFunctions[0].name` must be a C identifier');
  });

  it('a lock function with neither arg nor class is rejected: it would name no lock', () => {
    const r = parseLockscopeConfig({ lockFunctions: [{ name: 'my_lock', effect: 'acquire' }] });
    expect(r.ok).toBe(false);
  });

  it('a YAML list at the top level is not a config', () => {
    expect(parseLockscopeConfig(['enabled']).ok).toBe(false);
  });
});

describe('loadLockscopeConfig', () => {
  it('a YAML syntax error becomes a reason, not an exception', async () => {
    const r = await loadLockscopeConfig(async () => {
      throw new Error('Configuration could not be parsed (invalid YAML)');
    });
    expect(r).toMatchObject({ ok: false });
  });

  it('an HTTP failure while reading it is rethrown for toOutcome (a 500 is not a config problem)', async () => {
    const err = Object.assign(new Error('boom'), { status: 500 });
    await expect(loadLockscopeConfig(async () => Promise.reject(err))).rejects.toBe(err);
  });
});

describe('configSelects', () => {
  it('only C sources and headers are reviewed, include narrows and exclude wins', () => {
    const config = { ...DEFAULT_CONFIG, paths: { include: ['drivers/**'], exclude: ['drivers/staging/**'] } };
    expect(configSelects(DEFAULT_CONFIG, 'README.md')).toBe(false);
    expect(configSelects(DEFAULT_CONFIG, 'kernel/locking/mutex.c')).toBe(true);
    expect(configSelects(config, 'kernel/locking/mutex.c')).toBe(false);
    expect(configSelects(config, 'drivers/iommu/dmar.h')).toBe(true);
    expect(configSelects(config, 'drivers/staging/foo.c')).toBe(false);
  });
});
