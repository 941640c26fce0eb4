/**
 * Who holds a claim on a piece of work (a series being reviewed, a reply being sent), and
 * whether that holder still runs. A claim names the process as `host/boot/pid/start`: the boot
 * id and the process start time (from /proc) make a recycled pid, or a pid after a reboot, a
 * different claimant. So a claim left by a process that was SIGKILLed, OOM-killed or timed out
 * by its MTA is taken over by the next process at once, not after a lease.
 *
 * On another host nothing can be checked: such a claim is stale only after `leaseMs`. Without
 * /proc (not Linux) a pid that exists counts as alive. It does not take claims itself; the
 * stores do that with conditional UPDATEs naming the exact stale claimant, so two processes
 * taking over the same claim cannot both win.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Claims {
  /** This process as a claimant: "vm/a97a0fef-.../20519/74487". */
  me: string;
  /** True when the holder of `claimedBy`, who claimed at `claimedMs`, can no longer be working on it. */
  isStale(claimedBy: string, claimedMs: number, nowMs: number): boolean;
}

/** Default for claims by other hosts; a review or a send that takes longer is considered lost. */
export const REMOTE_LEASE_MS = 30 * 60_000;

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

/**
 * Field 22 of /proc/PID/stat (start time in clock ticks since boot) and the state letter; the
 * command name in field 2 may hold spaces and parentheses, so fields are counted after the last ')'.
 */
function procStat(pid: number): { start: string; zombie: boolean } | null {
  const text = readOr(`/proc/${pid}/stat`, '');
  const close = text.lastIndexOf(')');
  if (close === -1) return null;
  const fields = text.slice(close + 2).split(' ');
  const start = fields[19];
  return start === undefined ? null : { start, zombie: fields[0] === 'Z' || fields[0] === 'X' };
}

const bootId = (): string => readOr('/proc/sys/kernel/random/boot_id', 'no-boot-id');

/** The claimant string of process `pid` on this machine, or null when it does not exist. */
export function claimantOf(pid: number): string | null {
  const stat = procStat(pid);
  if (stat) return stat.zombie ? null : `${hostname()}/${bootId()}/${pid}/${stat.start}`;
  if (pid !== process.pid) return null;
  // No /proc: the start time is this process's own clock reading, stable for its lifetime.
  return `${hostname()}/${bootId()}/${pid}/t${Math.round((Date.now() - process.uptime() * 1000) / 1000)}`;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** Whether the claimant named by `claimedBy` runs: 'alive', 'dead', or 'unknown' (another host). */
export function claimantState(claimedBy: string): 'alive' | 'dead' | 'unknown' {
  const parts = claimedBy.split('/');
  const [host, boot, pidText, start] = parts;
  if (parts.length !== 4 || host === undefined || boot === undefined || pidText === undefined || start === undefined) return 'unknown';
  if (host !== hostname()) return 'unknown';
  if (boot !== bootId()) return 'dead'; // this machine rebooted since: every process of that boot is gone
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return 'unknown';
  if (start.startsWith('t')) return pidExists(pid) ? 'alive' : 'dead';
  const stat = procStat(pid);
  return stat !== null && !stat.zombie && stat.start === start ? 'alive' : 'dead';
}

/** Claims as this process makes and judges them. */
export function processClaims(leaseMs: number = REMOTE_LEASE_MS): Claims {
  const me = claimantOf(process.pid) as string;
  return {
    me,
    isStale(claimedBy, claimedMs, nowMs) {
      if (claimedBy === me) return false;
      const state = claimantState(claimedBy);
      return state === 'dead' || (state === 'unknown' && nowMs - claimedMs >= leaseMs);
    },
  };
}

/**
 * How to claim work held by `claimedBy` since `claimedMs`: `null` when nobody holds it (claim it
 * fresh), the holder's claimant string when the holder is gone (take it over, naming it), or
 * false when a live process holds it (leave it alone).
 */
export function claimOver(claims: Claims, claimedBy: string | null, claimedMs: number | null, nowMs: number): string | null | false {
  if (claimedBy === null) return null;
  return claims.isStale(claimedBy, claimedMs ?? 0, nowMs) ? claimedBy : false;
}
