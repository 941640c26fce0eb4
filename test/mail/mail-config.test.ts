import { describe, expect, it } from 'vitest';
import { defaultMailConfig, mailIdentityProblem, parseMailConfig } from '../../src/mail/mail-config.ts';

describe('parseMailConfig', () => {
  // An empty or missing policy file means the documented defaults.
  it('fills defaults and overrides only what the file sets', () => {
    expect(parseMailConfig('')).toEqual({ ok: true, config: defaultMailConfig });
    const r = parseMailConfig('onApplyFailure: record\nseriesTimeoutMinutes: 30\nsmtp:\n  ignoreTLS: true\n');
    expect(r.ok && r.config).toMatchObject({ onApplyFailure: 'record', seriesTimeoutMinutes: 30, smtp: { ignoreTLS: true }, ccList: true });
    expect(defaultMailConfig.smtp.ignoreTLS).toBe(false);
  });

  // A typo in the policy must be an error, not a silently ignored setting.
  it('rejects unknown keys, wrong types and bad YAML with a reason', () => {
    expect(parseMailConfig('onApplyFailure: shout')).toEqual({ ok: false, reason: "config onApplyFailure must be 'reply' or 'record'" });
    expect(parseMailConfig('ccLists: true')).toEqual({ ok: false, reason: "unknown config key 'ccLists'" });
    expect(parseMailConfig('smtp:\n  tls: no')).toEqual({ ok: false, reason: 'unknown config key smtp.tls' });
    expect(parseMailConfig('smtp:\n  timeoutSeconds: 0')).toEqual({ ok: false, reason: 'config smtp.timeoutSeconds must be a number of seconds from 1 to 3600' });
    expect(parseMailConfig('- a\n- b')).toEqual({ ok: false, reason: 'config must be a YAML mapping' });
    expect(parseMailConfig('reviewRetries: 0')).toEqual({ ok: false, reason: 'config reviewRetries must be a whole number from 1 to 100' });
    expect(parseMailConfig('busyTimeoutSeconds: -1')).toEqual({ ok: false, reason: 'config busyTimeoutSeconds must be a number of seconds from 0 to 3600' });
    const bad = parseMailConfig('from: [unclosed');
    expect(bad.ok).toBe(false);
  });

  // A list tracked in patchwork: checks go there, under our context.
  it('reads the patchwork section with its defaults and names what is wrong in it', () => {
    const r = parseMailConfig('patchwork:\n  url: https://patchwork.example.org\n  project: linux-foo\n');
    expect(r.ok && r.config.patchwork).toEqual({ url: 'https://patchwork.example.org', token: null, context: 'lockscope', project: 'linux-foo', timeoutSeconds: 30, giveUpHours: 72 });
    expect(parseMailConfig('patchwork:\n  url: ftp://x\n')).toEqual({ ok: false, reason: 'config patchwork.url must be an http(s) URL' });
    expect(parseMailConfig('patchwork:\n  url: https://x\n  tokn: a\n')).toEqual({ ok: false, reason: 'unknown config key patchwork.tokn' });
  });

  // A list whose drivers wrap their locks in their own functions says so once, in the policy.
  it("reads the project's own lock functions and names a bad entry", () => {
    const r = parseMailConfig('lockFunctions:\n  - { name: hub_lock, effect: acquire, arg: 0 }\n  - { name: hub_unlock, effect: release, arg: 0 }\n');
    expect(r.ok && r.config.lockFunctions).toEqual([
      { name: 'hub_lock', effect: 'acquire', arg: 0 },
      { name: 'hub_unlock', effect: 'release', arg: 0 },
    ]);
    expect(parseMailConfig('lockFunctions:\n  - { name: hub_lock, effect: grab, arg: 0 }\n')).toEqual({
      ok: false,
      reason: 'config `lockFunctions[0].effect` must be one of acquire, release, tryAcquire, acquireRead, releaseRead',
    });
  });
});

describe('mail identity and report options', () => {
  // A bot that answers from lockscope@localhost cannot be answered, and looks forged.
  it('requires a From: others can answer, and a Message-Id domain that is not a local name', () => {
    expect(mailIdentityProblem(defaultMailConfig)).toMatch(/^replies need a From: address: set `from:/);
    expect(mailIdentityProblem({ ...defaultMailConfig, from: 'lockscope <lockscope@localhost>' })).toMatch(/is a local address/);
    expect(mailIdentityProblem({ ...defaultMailConfig, from: 'lockscope' })).toMatch(/has no address/);
    expect(mailIdentityProblem({ ...defaultMailConfig, from: 'lockscope <bot@example.org>', messageIdDomain: 'localhost' })).toMatch(/messageIdDomain/);
    expect(mailIdentityProblem({ ...defaultMailConfig, from: 'lockscope <bot@example.org>' })).toBeNull();
  });

  it('reads kernelConfig, a path inside the base tree', () => {
    expect(parseMailConfig('kernelConfig: arch/x86/configs/x86_64_defconfig\n')).toMatchObject({ ok: true, config: { kernelConfig: 'arch/x86/configs/x86_64_defconfig' } });
    expect(parseMailConfig('kernelConfig: /etc/passwd\n').ok).toBe(false);
    expect(parseMailConfig('kernelConfig: ../x\n').ok).toBe(false);
  });

  it('reads archiveUrl, reportedBy, audience and kinds, and rejects what it cannot use', () => {
    const r = parseMailConfig('from: "b <b@example.org>"\narchiveUrl: https://lore.kernel.org/all\nreportedBy: "lockscope <b@example.org>"\naudience: author\nkinds: { flush-under-lock: false }\n');
    expect(r.ok && r.config).toMatchObject({ archiveUrl: 'https://lore.kernel.org/all', reportedBy: 'lockscope <b@example.org>', audience: 'author' });
    expect(r.ok && r.config.kinds).not.toContain('flush-under-lock');
    expect(r.ok && r.config.kinds).toContain('sleep-in-atomic');
    expect(parseMailConfig('archiveUrl: lore.kernel.org')).toMatchObject({ ok: false, reason: 'config archiveUrl must be an http(s) URL' });
    expect(parseMailConfig('audience: everyone')).toMatchObject({ ok: false });
    expect(parseMailConfig('kinds: [deadlocks]')).toMatchObject({ ok: false, reason: expect.stringContaining('`kinds[0]` is not a kind of finding') });
  });
});

