/**
 * `lockscope serve [--port N] [--host H] [--db FILE] [--no-example] [--review-concurrency N]
 * [--webhook-max-bytes N]`: the long-running front end. Opens the review store, mounts the
 * GitHub App's webhook handler when APP_ID, a private key and WEBHOOK_SECRET are set (else says
 * what to set and serves the dashboard alone), mounts the dashboard, prints its URL, and runs
 * until SIGINT or SIGTERM, then closes the server, lets accepted deliveries finish (up to a
 * minute) and closes the database. At most N reviews run at once (ReviewQueue, default 2).
 *
 * On a fresh store it first reviews the bundled example (examples/intel-iommu: the fix for the
 * device_domain_lock <-> intel_iommu.lock inversion) so the dashboard has something to show.
 * Wiring only: it reviews nothing itself beyond calling recordReview.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDashboardHandler } from '../dashboard/server.ts';
import { openReviewStore } from '../store/review-store.ts';
import { DirTree } from '../diff/dir-tree.ts';
import { createGitHubHandler, WEBHOOKS_PATH } from '../github/middleware.ts';
import { DEFAULT_REVIEW_CONCURRENCY, ReviewQueue } from '../github/review-queue.ts';
import { recordReview } from '../record-review.ts';
import { review } from '../review.ts';
import { startServer, type Handler } from '../server.ts';
import { defaultDbPath, openDatabase, type Db } from '../store/database.ts';
import { factsCacheBeside } from '../store/facts-store.ts';
import { graphStoreBesideDb } from '../store/graph-store.ts';
import { analysisStoreBesideDb } from '../store/analysis-store.ts';
import type { ReviewStore } from '../store/types.ts';
import { parseArgs } from './args.ts';
import { cliReviewEntry } from './cli-review-entry.ts';
import type { CliIo, Command } from './types.ts';

const USAGE = 'usage: lockscope serve [--port N] [--host H] [--db FILE] [--no-example] [--review-concurrency N] [--webhook-max-bytes N]\n';

/** How long SIGTERM waits for reviews of deliveries already accepted (GitHub will not redeliver them). */
const DRAIN_MS = 60_000;

/** A positive integer option or variable; undefined when absent, a reason when malformed. */
function positiveInt(raw: string | undefined, name: string, max: number): number | undefined | { reason: string } {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) return { reason: `${name} must be a whole number from 1 to ${max}, got '${raw}'` };
  return Number(raw);
}

/** examples/intel-iommu from src/commands (tsx) or dist/src/commands (built); undefined if not shipped. */
export function exampleDir(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [resolve(here, '../../examples/intel-iommu'), resolve(here, '../../../examples/intel-iommu')].find((dir) =>
    existsSync(resolve(dir, 'fix.patch')),
  );
}

/** Reviews the bundled example into `store` as a CLI review; resolves the stored id. */
export async function reviewExample(store: ReviewStore, dir: string): Promise<number> {
  const patch = await readFile(resolve(dir, 'fix.patch'), 'utf8');
  const entry = cliReviewEntry([patch], 'examples/intel-iommu', 'examples/intel-iommu/fix.patch');
  const { id } = await recordReview({ store, review }, entry, { patches: [patch], base: new DirTree(resolve(dir, 'base')) });
  return id;
}

function fail(io: CliIo, message: string): number {
  io.stderr.write(`lockscope serve: ${message}\n${USAGE}`);
  return 2;
}

/** The first SIGINT or SIGTERM; the listeners are removed once one arrives. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const on = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      done(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCommand: Command = async (argv, io) => {
  const parsed = parseArgs(argv, { options: ['port', 'host', 'db', 'review-concurrency', 'webhook-max-bytes'], flags: ['no-example'] });
  if (!parsed.ok) return fail(io, parsed.reason);
  const { options, flags, positionals } = parsed.args;
  if (positionals.length > 0) return fail(io, `unexpected argument '${positionals[0]}'`);

  const rawPort = options.get('port') ?? io.env.PORT ?? '3000';
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535) return fail(io, `port must be 0..65535, got '${rawPort}'`);
  const port = Number(rawPort);
  // All interfaces by default: in a container, loopback is unreachable through a published port.
  const host = options.get('host') ?? io.env.HOST ?? '0.0.0.0';
  const dbFile = options.get('db') ?? defaultDbPath(io.env);
  const dbPath = dbFile === ':memory:' ? dbFile : resolve(io.cwd, dbFile);
  const publicUrl = io.env.PUBLIC_URL?.trim() || undefined;
  const concurrency = positiveInt(options.get('review-concurrency') ?? io.env.LOCKSCOPE_REVIEW_CONCURRENCY, 'review concurrency', 64);
  if (typeof concurrency === 'object') return fail(io, concurrency.reason);
  const maxBytes = positiveInt(options.get('webhook-max-bytes') ?? io.env.LOCKSCOPE_WEBHOOK_MAX_BYTES, 'webhook max bytes', 25 * 1024 * 1024);
  if (typeof maxBytes === 'object') return fail(io, maxBytes.reason);

  let db: Db;
  try {
    db = openDatabase(dbPath);
  } catch (err) {
    return fail(io, `cannot open the database ${dbPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const store = openReviewStore(db);
  const handlers: Handler[] = [];

  let github: Awaited<ReturnType<typeof createGitHubHandler>>;
  try {
    github = await createGitHubHandler(io.env, {
      store,
      log: (line) => io.stderr.write(`${line}\n`),
      reviewQueue: new ReviewQueue(concurrency ?? DEFAULT_REVIEW_CONCURRENCY),
      factsCache: factsCacheBeside(dbPath),
      ...withGraphs(graphStoreBesideDb(dbPath)),
      ...withAnalyses(analysisStoreBesideDb(dbPath)),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(publicUrl ? { publicUrl } : {}),
    });
  } catch (err) {
    db.close();
    return fail(io, `the GitHub App is configured but cannot start: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (github.ok) handlers.push(github.handler);
  else io.stdout.write(`GitHub App disabled; to enable it set ${github.missing.join(', ')}.\n`);
  // Mail and CLI reviews link their code through this pattern ({rev}, {path}, {line}), e.g. a cgit or lore mirror.
  const codeUrl = io.env.LOCKSCOPE_CODE_URL?.trim() || undefined;
  handlers.push(createDashboardHandler({ store, ...(publicUrl ? { publicUrl } : {}), ...(codeUrl ? { codeUrl } : {}) }));

  if (!flags.has('no-example') && store.list({}, 1, 1).total === 0) {
    const dir = exampleDir();
    if (dir === undefined) io.stdout.write('The bundled example is not installed; the dashboard starts empty.\n');
    else {
      io.stdout.write('Empty review store: reviewing the bundled example (examples/intel-iommu/fix.patch)...\n');
      try {
        const id = await reviewExample(store, dir);
        io.stdout.write(`Example reviewed: ${store.get(id)?.verdict ?? 'unknown'} (review #${id}).\n`);
      } catch (err) {
        // The example is a convenience; a broken one must not keep the bot from serving.
        io.stderr.write(`lockscope serve: the example review failed: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }

  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ port, host, handlers, log: (line) => io.stderr.write(`${line}\n`) });
  } catch (err) {
    db.close();
    return fail(io, `cannot listen on ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const stopped = untilSignal();
  // 0.0.0.0 is where we listen, not an address to browse to.
  const local = server.url.replace('//0.0.0.0:', '//localhost:').replace('//[::]:', '//localhost:');
  io.stdout.write(`lockscope dashboard: ${local}/\n`);
  if (publicUrl) io.stdout.write(`public URL: ${publicUrl}\n`);
  if (github.ok) io.stdout.write(`GitHub webhooks: ${publicUrl ?? local}${WEBHOOKS_PATH}\n`);

  const signal = await stopped;
  io.stdout.write(`${signal}: stopping\n`);
  await server.close();
  if (github.ok) {
    // Deliveries already answered 202 are not sent again by GitHub: let their reviews finish.
    const drained = await Promise.race([github.idle().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DRAIN_MS).unref())]);
    if (!drained) io.stderr.write(`lockscope serve: stopped with reviews still running after ${DRAIN_MS / 1000} s; they stay queued on the dashboard\n`);
  }
  db.close();
  return 0;
};

const withGraphs = (graphs: ReturnType<typeof graphStoreBesideDb>): { graphs?: NonNullable<typeof graphs> } => (graphs ? { graphs } : {});
const withAnalyses = (store: ReturnType<typeof analysisStoreBesideDb>): { analysisStore?: NonNullable<typeof store> } => (store ? { analysisStore: store } : {});
