/**
 * Claims name a real process: one that exited (SIGKILL, OOM) must read as dead at once, a
 * running one as alive, one on another host as unknown (only its lease can expire).
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { claimantOf, claimantState, processClaims, REMOTE_LEASE_MS } from '../../src/store/process-claim.ts';

describe('process claims', () => {
  it('tells a running process from one that was killed, as soon as it is reaped', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((r) => child.once('spawn', r));
    const claim = claimantOf(child.pid as number) as string;
    expect(claim.startsWith(`${hostname()}/`)).toBe(true);
    expect(claimantState(claim)).toBe('alive');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(claimantState(claim)).toBe('dead');
    // A recycled pid has another start time: still not the claimant.
    expect(claimantState(claim.replace(/\/(\d+)$/, '/1'))).toBe('dead');
  });

  it('cannot judge another host, so its claims go stale only after the lease', () => {
    const claims = processClaims();
    const remote = 'some-other-host/boot/123/456';
    expect(claimantState(remote)).toBe('unknown');
    expect(claims.isStale(remote, 1_000, 1_000 + REMOTE_LEASE_MS - 1)).toBe(false);
    expect(claims.isStale(remote, 1_000, 1_000 + REMOTE_LEASE_MS)).toBe(true);
    expect(claims.isStale(claims.me, 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('treats a claim from a previous boot of this host as dead', () => {
    const me = processClaims().me;
    const [host, , pid, start] = me.split('/');
    expect(claimantState(`${host}/00000000-0000-0000-0000-000000000000/${pid}/${start}`)).toBe('dead');
  });
});
