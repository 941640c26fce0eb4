/**
 * `lockscope check (--base DIR | --repo GITDIR | --github OWNER/REPO) [options] PATCH...`:
 * argument wiring only. choose-base.ts picks the base, review() does the work, a renderer formats
 * it. Exit 1 when the patch adds a finding of any kind (outcome adds or mixed), 2 on error, else 0. With --db the review is recorded in
 * the store the dashboard reads.
 */
import { readConfigOption } from './config-option.ts';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GitHubMirrorTree, GitHubRateLimitError } from '../diff/github-mirror/github-mirror.ts';
import { renderers, type Format } from '../render/index.ts';
import { CONTEXT_BUDGET } from '../context/choose-context.ts';
import { CONTEXT_MODES } from '../context/types.ts';
import { FactsCache } from '../analyzers/c/facts-cache.ts';
import { LIMITS, review, type ReviewDeps } from '../review.ts';
import { addsFinding } from '../review-outcome.ts';
import type { ReviewJson, ReviewRequest } from '../review-types.ts';
import { BASELINE_FILE, parseBaseline } from '../baseline/baseline-file.ts';
import { oneOf, parseArgs } from './args.ts';
import { baseSource } from './choose-base.ts';
import { cliReviewEntry } from './cli-review-entry.ts';
import { analysisStoreBeside, FACTS_STORE_OPTIONS, factsStoreOf, graphStoreBeside, symbolsStoreBeside } from './facts-store-option.ts';
import { SymbolIndexer } from '../context/symbol-indexer.ts';
import { argsSpec, usageText, type CommandHelp } from './help.ts';
import type { CliIo, Command } from './types.ts';

const FORMATS = ['text', 'markdown', 'json', 'sarif', 'checkpatch', 'email'] as const satisfies readonly Format[];

export const checkHelp: CommandHelp = {
  usage: ['lockscope check (--base DIR | --repo GITDIR | --github OWNER/REPO) [options] PATCH...'],
  about:
    'Reviews a patch: does it add or remove a lock-order inversion or another locking problem? PATCH is a unified diff, a git format-patch mail, an mbox series, or - for stdin.',
  options: [
    { name: 'base', value: 'DIR', help: 'review against the files in DIR' },
    { name: 'repo', value: 'GITDIR', help: 'review against a revision of the git repository GITDIR (no checkout)' },
    { name: 'github', value: 'OWNER/REPO', help: 'review against a GitHub repository, read through its REST API' },
    { name: 'rev', value: 'REV', help: "with --repo/--github: the base revision; wins over the patch's base-commit: trailer" },
    { name: 'github-api', value: 'URL', help: 'the GitHub API (default $GITHUB_API_URL, else https://api.github.com; GHE: https://HOST/api/v3)' },
    { name: 'cache-dir', value: 'DIR', help: 'where GitHub objects are cached (default ~/.cache/lockscope/github)' },
    { name: 'format', value: 'FORMAT', help: 'text (default), markdown, json (lockscope.review/2), sarif, checkpatch (b4), email (the mail bot\'s reply)' },
    { name: 'context', value: 'MODE', help: "what else is analyzed: calls (default: callees, callers), touched, dir, tree (calls + the tree's lock order)" },
    { name: 'context-dir', value: 'DIR', help: 'also analyze the C files directly inside DIR (repository-relative; repeatable)' },
    { name: 'max-context-files', value: 'N', help: `calls, tree: stop following calls at N files (default ${CONTEXT_BUDGET.files}); touched, dir: fail past N (${LIMITS.contextFiles})` },
    { name: 'max-context-bytes', value: 'N', help: `the same in bytes (default ${CONTEXT_BUDGET.bytes} for calls, ${LIMITS.contextBytes} otherwise)` },
    { name: 'db', value: 'FILE', help: 'also record the review in this store, for the dashboard (its directory must exist)' },
    { name: 'config', value: 'FILE', help: 'the kernel .config or defconfig to analyse for (default: any build, lockdep on)' },
    { name: 'baseline', value: 'FILE', help: `findings recorded as known (lockscope baseline write); default: the base's own ${BASELINE_FILE}` },
    ...FACTS_STORE_OPTIONS,
  ],
  footer: [
    "base: --rev, else the patch's base-commit: trailer, else HEAD (--repo) or the default branch (--github);",
    '      every format says which base was used and why.',
    'environment: GITHUB_TOKEN (private repositories, 5,000 requests an hour), GITHUB_API_URL',
    'exit status: 0 nothing added, 1 a finding of any kind added (outcome adds or mixed), 2 error',
  ],
};

export const checkCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, argsSpec(checkHelp));
  if (!parsed.ok) return usage(io, parsed.reason);
  const { options, values, positionals } = parsed.args;
  const format = oneOf(options.get('format'), FORMATS, 'text', 'format');
  if (!format.ok) return usage(io, format.reason);
  const context = oneOf(options.get('context'), CONTEXT_MODES, 'calls', 'context');
  if (!context.ok) return usage(io, context.reason);
  if (positionals.length === 0) return usage(io, 'no PATCH given (use - for stdin)');
  if (['base', 'repo', 'github'].filter((o) => options.has(o)).length !== 1) return usage(io, 'give exactly one of --base DIR, --repo GITDIR and --github OWNER/REPO');
  if (options.has('rev') && options.has('base')) return usage(io, '--rev goes with --repo or --github, not --base');
  for (const o of ['github-api', 'cache-dir']) if (options.has(o) && !options.has('github')) return usage(io, `--${o} goes with --github`);
  const maxFiles = options.get('max-context-files');
  if (maxFiles !== undefined && !/^[1-9]\d{0,8}$/.test(maxFiles)) return usage(io, `--max-context-files must be a positive whole number, got '${maxFiles}'`);
  const maxBytes = options.get('max-context-bytes');
  if (maxBytes !== undefined && !/^[1-9]\d{0,11}$/.test(maxBytes)) return usage(io, `--max-context-bytes must be a positive whole number, got '${maxBytes}'`);
  const contextDirs: string[] = [];
  for (const d of values.get('context-dir') ?? []) {
    const dir = repositoryDir(d);
    if (dir === null) return usage(io, `--context-dir ${d}: not a directory inside the repository`);
    contextDirs.push(dir);
  }
  let baseline: ReviewRequest['baseline'];
  const baselineFile = options.get('baseline');
  if (baselineFile !== undefined) {
    const text = await readFile(resolve(io.cwd, baselineFile), 'utf8').catch(() => undefined);
    if (text === undefined) return fail(io, `--baseline ${baselineFile}: cannot read it`);
    const parsedBaseline = parseBaseline(text, baselineFile);
    if (!parsedBaseline.ok) return fail(io, parsedBaseline.reason);
    baseline = { keys: [...parsedBaseline.keys], source: baselineFile };
  }
  const configFile = options.get('config');
  const config = configFile !== undefined ? await readConfigOption(configFile, io.cwd) : undefined;
  if (config && !config.ok) return fail(io, config.reason);
  const store = factsStoreOf(parsed.args, io);
  if (!store.ok) return usage(io, store.reason);
  const symbols = symbolsStoreBeside(store.store);
  const graphs = graphStoreBeside(store.store);
  const analysisStore = analysisStoreBeside(store.store);
  const deps: ReviewDeps = store.store
    ? { cache: new FactsCache(undefined, store.store), ...(symbols ? { symbols: new SymbolIndexer({ store: symbols }) } : {}), ...(graphs ? { graphs } : {}), ...(analysisStore ? { analysisStore } : {}) }
    : {};
  const dbFile = options.get('db');
  if (dbFile !== undefined) {
    // openDatabase would create the missing directories: a typo would start an empty store.
    const dir = dirname(resolve(io.cwd, dbFile));
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) return fail(io, `--db ${dbFile}: no such directory ${dir}`);
  }

  const source = await baseSource(
    { base: options.get('base'), repo: options.get('repo'), github: options.get('github'), rev: options.get('rev'), githubApi: options.get('github-api'), cacheDir: options.get('cache-dir') },
    io,
  );
  if (!source.ok) return fail(io, source.reason);

  const patches: string[] = [];
  for (const p of positionals) {
    try {
      patches.push(p === '-' ? await readStream(io.stdin) : await readFile(resolve(io.cwd, p), 'utf8'));
    } catch {
      return fail(io, `cannot read patch ${p}`);
    }
  }

  const base = await source.choose(patches);
  if (!base.ok) return fail(io, base.reason);
  try {
    for (const dir of contextDirs) {
      if (!(await base.tree.list(dir)).some((f) => /\.[ch]$/.test(f))) return fail(io, `--context-dir ${dir || '.'}: no .c or .h file directly inside it in ${base.used.tree}`);
    }
    const request: ReviewRequest = {
      patches,
      base: base.tree,
      context: context.value,
      baseUsed: base.used,
      ...(contextDirs.length > 0 ? { contextDirs } : {}),
      ...(maxFiles !== undefined ? { maxContextFiles: Number(maxFiles) } : {}),
      ...(maxBytes !== undefined ? { maxContextBytes: Number(maxBytes) } : {}),
      ...(baseline ? { baseline } : {}),
      ...(config ? { config: config.file } : {}),
    };

    const result = dbFile === undefined ? await review(request, deps) : await recorded(request, deps, dbFile, positionals, io);
    io.stdout.write((renderers.get(format.value) as NonNullable<ReturnType<typeof renderers.get>>)(result));
    if (result.json.verdict === 'error') {
      // The checkpatch format already carries the failure as a line, and b4 would list a stderr
      // copy as a failure of the patch.
      // A rate limit met halfway through reading the base is not an internal error: say it plainly.
      const cause = base.tree instanceof GitHubMirrorTree ? base.tree.lastError : undefined;
      const message = cause instanceof GitHubRateLimitError ? cause.message : (result.failure?.message ?? result.json.errors.join('; '));
      if (format.value !== 'checkpatch') io.stderr.write(`lockscope check: ${message}\n`);
      return 2;
    }
    return exitCodeOf(result.json);
  } finally {
    base.close();
  }
};

/** Reviews and records like every other front end, so the dashboard lists it (source "cli"). */
async function recorded(request: ReviewRequest, deps: ReviewDeps, dbFile: string, positionals: string[], io: CliIo): Promise<Awaited<ReturnType<typeof review>>> {
  // Loaded here: a plain check never opens SQLite.
  const [{ openDatabase }, { openReviewStore }, { recordReview }] = await Promise.all([
    import('../store/database.ts'),
    import('../store/review-store.ts'),
    import('../record-review.ts'),
  ]);
  const db = openDatabase(resolve(io.cwd, dbFile));
  try {
    const entry = cliReviewEntry(request.patches, request.base.describe(), positionals.join(' '));
    const result = await recordReview({ store: openReviewStore(db), review: (r) => review(r, deps) }, entry, request);
    io.stderr.write(`lockscope check: recorded as review #${result.id} in ${dbFile}\n`);
    return result.review;
  } finally {
    db.close();
  }
}

/**
 * 1 when the patch adds a finding of any kind (`outcome` adds or mixed; a review stored before /2
 * has only the inversion verdict), else 0. Errors are handled before.
 */
export function exitCodeOf(json: Pick<ReviewJson, 'outcome' | 'verdict'>): number {
  return addsFinding(json) ? 1 : 0;
}

/** "./drivers/iommu/" -> "drivers/iommu", "." -> "" (the root); null for a path leaving the repository. */
function repositoryDir(raw: string): string | null {
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (raw.startsWith('/') || parts.some((p) => p === '..' || p === '.git')) return null;
  return parts.join('/');
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function usage(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope check: ${reason}\n${usageText(checkHelp, 'check')}`);
  return 2;
}

/** An error that is not about usage: the reason alone. */
function fail(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope check: ${reason}\n`);
  return 2;
}
