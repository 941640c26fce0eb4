/**
 * `lockscope check --format checkpatch` as b4 runs it: the exact commands README.md puts in
 * `.b4-config`, started as a process with one patch on stdin and the repository's top directory
 * as the working directory, and the output read the way b4's LoreMessage.run_local_check reads
 * it (each stdout line a failure if it holds "ERROR:", else a warning; each stderr line a
 * failure; silence with exit 0 is "passed all checks"; silence with another exit is a failure).
 *
 *   b4 prep --check: a two-patch series committed on the branch; b4 pipes each commit as a mail
 *     (git show --format=email, without the mbox "From " line) and no base-commit: trailer.
 *   b4 am --check / shazam: patches from the list, against the maintainer's tree, with the
 *     trailer git format-patch --base wrote.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRepo, type TestRepo } from './git-repo.ts';
import { root } from './run-cli.ts';

/** `<key> = <command>` from the .b4-config block of README.md. */
function documentedCommand(key: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const line = new RegExp(`^\\s*${key} = (.+)$`, 'm').exec(readme)?.[1];
  if (!line) throw new Error(`README.md documents no ${key}`);
  return line.trim().split(/\s+/);
}

/** The documented command, with `lockscope` run from this checkout's sources. */
function resolved(command: string[]): string[] {
  expect(command[0]).toBe('lockscope');
  // tsx by absolute URL: the working directory is the kernel tree, not this checkout.
  return [process.execPath, '--import', pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href, join(root, 'src/cli.ts'), ...command.slice(1)];
}

/** What b4 reports for one patch. */
function runLikeB4(command: string[], patch: string, topdir: string): [string, string][] {
  const [bin, ...args] = resolved(command);
  const r = spawnSync(bin as string, args, { cwd: topdir, input: patch, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const report: [string, string][] = [];
  const out = r.stdout.trim();
  for (const line of out ? out.split('\n') : []) report.push([line.includes('ERROR:') ? 'fail' : 'warning', line]);
  const err = r.stderr.trim();
  for (const line of err ? err.split('\n') : []) report.push(['fail', line]);
  if (report.length === 0) report.push(r.status === 0 ? ['success', 'passed all checks'] : ['fail', `Exited with error code ${r.status}`]);
  return report;
}

const fixture = (name: string): string => readFileSync(join(root, 'test/fixtures/review', name), 'utf8');
/** b4 pipes headers and body only (LoreMessage.get_msg_as_bytes): no mbox "From <sha>" line. */
const asB4Pipes = (mail: string): string => mail.replace(/^From [0-9a-f]{40} .*\n/, '');

let series: TestRepo;
let base: string;

beforeAll(() => {
  series = testRepo(join(root, 'test/fixtures/review/base'));
  base = series.git(['rev-parse', 'HEAD']);
  series.git(['am', '-q'], fixture('fix-3lock.patch'));
  series.git(['apply'], fixture('adds-call-chain.diff'));
  series.git(['commit', '-qam', 'hub: sync the port table while the hub is quiet']);
});

afterAll(() => series.remove());

describe('b4 per-patch checks', () => {
  it('b4 prep --check: a fix passes, a patch adding an inversion fails with a checkpatch line', () => {
    const command = documentedCommand('prep-perpatch-check-cmd');
    expect(command).toEqual(['lockscope', 'check', '--repo', '.', '--format', 'checkpatch', '-']);
    const [first, second] = [series.git(['rev-parse', 'HEAD~']), series.git(['rev-parse', 'HEAD'])];
    const mail = (commit: string): string => asB4Pipes(series.git(['format-patch', '-1', '--stdout', commit]));

    expect(runLikeB4(command, mail(first), series.dir)).toEqual([['success', 'passed all checks']]);
    const report = runLikeB4(command, mail(second), series.dir);
    expect(report).toHaveLength(1);
    expect(report[0]?.[0]).toBe('fail');
    expect(report[0]?.[1]).toMatch(/^drivers\/hub\/hub\.c:\d+: ERROR: possible circular locking dependency: port_hub\.lock -> port_table_lock -> port_hub\.lock \(see drivers\/hub\/hub\.c:\d+ \w+; /);
    expect(report[0]?.[1]).toContain(`base git ${first.slice(0, 12)} (the parent of ${second.slice(0, 12)}, the commit this patch already is))`);
  });

  it('b4 am --check: patches from the list, against the tree their base-commit: names', () => {
    const command = documentedCommand('am-perpatch-check-cmd');
    const maintainer = testRepo(join(root, 'test/fixtures/review/base'));
    try {
      const fromList = asB4Pipes(series.git(['format-patch', '-1', '--stdout', `--base=${series.git(['rev-parse', 'HEAD~'])}`, 'HEAD']));
      const fix = asB4Pipes(series.git(['format-patch', '-1', '--stdout', `--base=${base}`, 'HEAD~']));
      expect(runLikeB4(command, fix, maintainer.dir)).toEqual([['success', 'passed all checks']]);
      // Its base is the fix, which this tree does not have yet: reviewed against HEAD, and said so on the line.
      const report = runLikeB4(command, fromList, maintainer.dir);
      expect(report.map(([flag]) => flag)).toEqual(['fail']);
      expect(report[0]?.[1]).toMatch(/: ERROR: possible circular locking dependency: port_hub\.lock -> port_table_lock -> port_hub\.lock \(.*; base git [0-9a-f]{12} \(HEAD, the default\)\)$/);
    } finally {
      maintainer.remove();
    }
  });

  // A later patch of a series, piped alone, often does not apply to HEAD: not the patch's fault.
  it('a patch lockscope cannot check is a warning, with nothing on stderr', () => {
    const command = documentedCommand('am-perpatch-check-cmd');
    const report = runLikeB4(command, fixture('does-not-apply.diff'), series.dir);
    expect(report).toHaveLength(1);
    expect(report[0]?.[0]).toBe('warning');
    expect(report[0]?.[1]).toMatch(/^WARNING: lockscope could not check this patch: .*does not apply.* \[PATCH_APPLY\] \(base git [0-9a-f]{12} \(HEAD, the default\)\)$/);
  });
});
