/**
 * `lockscope check (--base DIR | --repo GITDIR [--rev REV]) [--format ...] [--context ...] [--db FILE] PATCH...`:
 * argument wiring only. Exit 1 when an inversion is added, 2 on error, else 0. With --db the
 * review is recorded in the store the dashboard reads.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DirTree } from '../diff/dir-tree.ts';
import { GitTree } from '../diff/git-tree.ts';
import type { BaseTree } from '../diff/base-tree.ts';
import { renderers } from '../render/index.ts';
import { review } from '../review.ts';
import { oneOf, parseArgs } from './args.ts';
import { cliReviewEntry } from './cli-review-entry.ts';
import type { CliIo, Command } from './types.ts';

const USAGE = 'usage: lockscope check (--base DIR | --repo GITDIR [--rev REV]) [--format text|markdown|json|sarif] [--context touched|dir|tree] [--db FILE] PATCH...\n';

export const checkCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, { options: ['base', 'repo', 'rev', 'format', 'context', 'db'] });
  if (!parsed.ok) return usage(io, parsed.reason);
  const { options, positionals } = parsed.args;
  const format = oneOf(options.get('format'), ['text', 'markdown', 'json', 'sarif'] as const, 'text', 'format');
  if (!format.ok) return usage(io, format.reason);
  const context = oneOf(options.get('context'), ['touched', 'dir', 'tree'] as const, 'dir', 'context');
  if (!context.ok) return usage(io, context.reason);
  if (positionals.length === 0) return usage(io, 'no PATCH given (use - for stdin)');
  if (options.has('base') === options.has('repo')) return usage(io, 'give exactly one of --base DIR and --repo GITDIR');

  const patches: string[] = [];
  for (const p of positionals) {
    try {
      patches.push(p === '-' ? await readStream(io.stdin) : await readFile(resolve(io.cwd, p), 'utf8'));
    } catch {
      return usage(io, `cannot read patch ${p}`);
    }
  }

  const base = await openBase(options, patches, io);
  if (!base) return 2;
  const request = { patches, base, context: context.value };
  const dbFile = options.get('db');
  let result;
  if (dbFile === undefined) {
    result = await review(request);
  } else {
    // Recorded like every other front end's reviews, so the dashboard lists it (source "cli").
    // Loaded here: a plain check never opens SQLite.
    const [{ openDatabase }, { openReviewStore }, { recordReview }] = await Promise.all([
      import('../store/database.ts'),
      import('../store/review-store.ts'),
      import('../record-review.ts'),
    ]);
    const db = openDatabase(resolve(io.cwd, dbFile));
    try {
      const entry = cliReviewEntry(patches, base.describe(), positionals.join(' '));
      const recorded = await recordReview({ store: openReviewStore(db), review }, entry, request);
      result = recorded.review;
      io.stderr.write(`lockscope check: recorded as review #${recorded.id} in ${dbFile}\n`);
    } finally {
      db.close();
    }
  }
  io.stdout.write((renderers.get(format.value) as NonNullable<ReturnType<typeof renderers.get>>)(result));
  if (result.json.verdict === 'error') {
    io.stderr.write(`lockscope check: ${result.failure?.message ?? result.json.errors.join('; ')}\n`);
    return 2;
  }
  return result.json.verdict === 'adds-inversion' || result.json.verdict === 'mixed' ? 1 : 0;
};

/** The base tree: a directory, or a git revision (the patch's base-commit trailer, else --rev, else HEAD). */
async function openBase(options: Map<string, string>, patches: string[], io: CliIo): Promise<BaseTree | undefined> {
  const dir = options.get('base');
  if (dir !== undefined) return new DirTree(resolve(io.cwd, dir));
  const repo = resolve(io.cwd, options.get('repo') as string);
  const trailer = patches.map((p) => /^base-commit: ([0-9a-f]{7,40})\s*$/m.exec(p)?.[1]).find((x) => x !== undefined);
  const rev = trailer ?? options.get('rev') ?? 'HEAD';
  const opened = await GitTree.tryOpen(repo, rev);
  if (opened.ok) return opened.tree;
  if (trailer && options.get('rev') !== trailer) {
    const fallback = await GitTree.tryOpen(repo, options.get('rev') ?? 'HEAD');
    if (fallback.ok) {
      io.stderr.write(`lockscope check: base-commit ${trailer} is not in ${repo}; using ${options.get('rev') ?? 'HEAD'}\n`);
      return fallback.tree;
    }
  }
  io.stderr.write(`lockscope check: ${opened.reason}\n`);
  return undefined;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function usage(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope check: ${reason}\n${USAGE}`);
  return 2;
}
