/**
 * Finds the commit a patch already is, in a local repository: `b4 prep --check` pipes each patch
 * of your series to the check command while the series is committed on the current branch, with
 * no base-commit: trailer on the patches of a multi-patch series, so HEAD already contains them
 * and is the wrong base. Two patches are the same change when `git patch-id --stable` says so
 * (it ignores line numbers and whitespace), so the first patch of the input is looked up among
 * HEAD's last non-merge commits, and its parent is the exact base. git runs without a shell.
 */
import { spawn } from 'node:child_process';

/** How far back from HEAD to look: a series under preparation sits at the tip. */
const DEPTH = 100;

/** Runs git with `input` on stdin (a string, or another git's stdout) and resolves its stdout. */
function git(gitDir: string, args: string[], input: string | NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('git', ['-C', gitDir, ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', () => resolve(''));
    child.on('close', (code) => resolve(code === 0 ? out : ''));
    child.stdin.on('error', () => undefined);
    if (typeof input === 'string') child.stdin.end(input);
    else input.pipe(child.stdin);
  });
}

/** The full id of the commit among HEAD's last 100 whose change equals the input's first patch; null when none. */
export async function findPatchCommit(gitDir: string, patchText: string): Promise<string | null> {
  const wanted = /^([0-9a-f]{40}) /.exec(await git(gitDir, ['patch-id', '--stable'], patchText))?.[1];
  if (!wanted) return null;
  const log = spawn('git', ['-C', gitDir, 'log', '-p', '--no-merges', `--max-count=${DEPTH}`, '--format=commit %H', 'HEAD', '--'], { stdio: ['ignore', 'pipe', 'ignore'] });
  log.on('error', () => undefined);
  const ids = await git(gitDir, ['patch-id', '--stable'], log.stdout);
  for (const line of ids.split('\n')) {
    const [id, commit] = line.split(' ');
    if (id === wanted && commit && /^[0-9a-f]{40}$/.test(commit)) return commit;
  }
  return null;
}
