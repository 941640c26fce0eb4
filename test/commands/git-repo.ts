/**
 * A throwaway git repository for CLI tests, seeded from a fixture directory and committed once,
 * with a fixed identity and no user or system git configuration leaking in.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRepo {
  dir: string;
  /** Runs git in the repository and returns its trimmed stdout; `input` goes to stdin. */
  git(args: string[], input?: string): string;
  remove(): void;
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.org',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.org',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function testRepo(seed: string): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-cli-repo-'));
  cpSync(seed, dir, { recursive: true });
  const git = (args: string[], input?: string): string =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', input, env: { ...process.env, ...GIT_ENV }, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
  git(['init', '-q', '-b', 'main']);
  git(['add', '.']);
  git(['commit', '-qm', 'base']);
  return { dir, git, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A test repository whose first commit holds `files` (path -> text). */
export function testRepoOf(files: Record<string, string>): TestRepo {
  const seed = mkdtempSync(join(tmpdir(), 'lockscope-seed-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(seed, path, '..'), { recursive: true });
    writeFileSync(join(seed, path), text);
  }
  const repo = testRepo(seed);
  rmSync(seed, { recursive: true, force: true });
  return repo;
}
