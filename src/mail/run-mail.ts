/**
 * The process edge of `lockscope mail ingest` and `lockscope mail flush`: opens the database,
 * reads the config file, picks the base tree and the mailer, wires the real pipeline into
 * ingest.ts and prints one line per message and series. It decides nothing about mail itself.
 *
 * Exit status: 0 when every message was recorded (skipped ones included: a bounce would only
 * annoy the list), 2 for a usage or config error, 75 (EX_TEMPFAIL) when the run could not
 * finish (a busy, damaged or unwritable database, a bug: see to-outcome.ts), so an MTA keeps
 * the message and delivers it again later instead of losing it. `flush` also exits 75 when a
 * reply it tried is still queued.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { CliIo } from '../commands/types.ts';
import { DirTree } from '../diff/dir-tree.ts';
import { GitTree } from '../diff/git-tree.ts';
import { defaultGitHubCacheDir, gitHubMirror } from '../diff/github-mirror/github-mirror.ts';
import { splitMbox } from '../diff/mbox.ts';
import { parsePatchMessage } from '../diff/patch-message.ts';
import { renderers } from '../render/index.ts';
import { review } from '../review.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { factsCacheBeside } from '../store/facts-store.ts';
import { graphStoreBesideDb } from '../store/graph-store.ts';
import { analysisStoreBesideDb } from '../store/analysis-store.ts';
import { symbolIndexerBeside } from '../store/symbols-store.ts';
import { processClaims } from '../store/process-claim.ts';
import { openReviewStore } from '../store/review-store.ts';
import { fixedBaseSource, gitBaseSource, gitHubBaseSource, type BaseSource } from './base-source.ts';
import type { ChecksResult } from './check-outbox.ts';
import { CheckStore } from './check-store.ts';
import { dirMailer } from './dir-mailer.ts';
import { flush, ingest, retrySeries, waitingForRetry, type IngestDeps, type IngestReport, type SeriesOutcome } from './ingest.ts';
import { defaultMailConfig, mailIdentityProblem, parseMailConfig, type MailConfig } from './mail-config.ts';
import { MailStore } from './mail-store.ts';
import type { FlushResult } from './outbox.ts';
import { Maildir } from './maildir.ts';
import { patchworkClient } from './patchwork-client.ts';
import { pauseAtFromEnv } from './pause-at.ts';
import { PublicInbox } from './public-inbox.ts';
import { readMessages } from './read-messages.ts';
import { smtpMailer } from './smtp-mailer.ts';
import { EX_TEMPFAIL, toOutcome } from './to-outcome.ts';
import type { Mailer } from './types.ts';
import { maildirSource, publicInboxSource, watchMail, type WatchSource } from './watch.ts';
import { BOT_GRAPH_NEW_DIRS } from '../review/tree-graph-build.ts';

export { EX_TEMPFAIL } from './to-outcome.ts';

export interface MailCliOptions {
  db: string;
  /** flush --now: ignore the backoff of queued replies and failed reviews. */
  now: boolean;
  /** retry --all. */
  all: boolean;
  /** watch: the archive or maildir, one cycle only, seconds between cycles. */
  publicInbox: string | null;
  maildir: string | null;
  once: boolean;
  intervalSeconds: number;
  config: string | null;
  list: string | null;
  base: string | null;
  repo: string | null;
  branch: string | null;
  outbox: string | null;
  smtp: string | null;
  messages: string[];
}

async function loadConfig(file: string | null, cwd: string): Promise<{ ok: true; config: MailConfig } | { ok: false; reason: string }> {
  if (file === null) return { ok: true, config: defaultMailConfig };
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    return { ok: false, reason: `cannot read config ${file}: ${err instanceof Error ? err.message : String(err)}` };
  }
  return parseMailConfig(text);
}

/** --base, else --repo, else the config's GitHub base; null when none is given, a reason when the GitHub base is unusable. */
function baseSource(o: MailCliOptions, config: MailConfig, io: CliIo): BaseSource | null | { reason: string } {
  if (o.base !== null) return fixedBaseSource(new DirTree(resolve(io.cwd, o.base)));
  if (o.repo !== null) {
    const repo = resolve(io.cwd, o.repo);
    return gitBaseSource((rev) => GitTree.tryOpen(repo, rev), o.branch ?? config.branch);
  }
  if (config.base === null) return null;
  const api = config.base.api ?? io.env.GITHUB_API_URL;
  const mirror = gitHubMirror({
    repository: config.base.github,
    cacheDir: config.base.cacheDir !== null ? resolve(io.cwd, config.base.cacheDir) : defaultGitHubCacheDir(io.env, homedir()),
    ...(io.env.GITHUB_TOKEN ? { token: io.env.GITHUB_TOKEN } : {}),
    ...(api ? { apiUrl: api } : {}),
    onWait: (ms, reason) => io.stderr.write(`lockscope mail: ${reason}; waiting ${Math.ceil(ms / 1000)} s for the reset\n`),
  });
  if (!mirror.ok) return { reason: `config base: ${mirror.reason}` };
  return gitHubBaseSource((rev) => mirror.mirror.open(rev), config.branch);
}

function mailer(o: MailCliOptions, config: MailConfig, cwd: string): Mailer | null {
  if (o.outbox !== null) return dirMailer(resolve(cwd, o.outbox));
  if (o.smtp !== null) return smtpMailer(o.smtp, { ignoreTLS: config.smtp.ignoreTLS, timeoutMs: config.smtp.timeoutSeconds * 1000, sendTimeoutMs: config.smtp.sendTimeoutSeconds * 1000 });
  return null;
}

const dbPath = (o: MailCliOptions, cwd: string): string => (o.db === ':memory:' ? o.db : resolve(cwd, o.db));

/** Everything but the database, which `withDatabase` opens so its failures map through toOutcome. */
async function setup(o: MailCliOptions, io: CliIo, needBase: boolean): Promise<{ ok: true; config: MailConfig; base: BaseSource | null; send: Mailer } | { ok: false; code: number; reason: string }> {
  const loaded = await loadConfig(o.config, io.cwd);
  if (!loaded.ok) return { ok: false, code: 2, reason: loaded.reason };
  const config = loaded.config;
  const base = baseSource(o, config, io);
  if (base !== null && 'reason' in base) return { ok: false, code: 2, reason: base.reason };
  if (needBase && base === null) return { ok: false, code: 2, reason: 'give one of --base DIR and --repo GITDIR (or base: { github: OWNER/REPO } in the config)' };
  // Commands that review may reply: they need an identity others can answer.
  const identity = needBase ? mailIdentityProblem(config) : null;
  if (identity) return { ok: false, code: 2, reason: identity };
  if (config.patchwork && !config.patchwork.token && !io.env.LOCKSCOPE_PATCHWORK_TOKEN) {
    return { ok: false, code: 2, reason: 'patchwork needs a token: patchwork.token in the config, or LOCKSCOPE_PATCHWORK_TOKEN' };
  }
  const send = mailer(o, config, io.cwd);
  if (send === null) return { ok: false, code: 2, reason: 'give one of --outbox DIR and --smtp URL' };
  return { ok: true, config, base, send };
}

/** The patchwork side of the deps, when the config has a patchwork section. */
function patchworkDeps(config: MailConfig, db: Db, env: NodeJS.ProcessEnv): IngestDeps['patchwork'] {
  const pw = config.patchwork;
  if (!pw) return undefined;
  return {
    store: new CheckStore(db),
    client: patchworkClient({ url: pw.url, token: pw.token ?? env.LOCKSCOPE_PATCHWORK_TOKEN ?? '', project: pw.project, timeoutMs: pw.timeoutSeconds * 1000 }),
    context: pw.context,
    giveUpMs: pw.giveUpHours * 3_600_000,
  };
}

/**
 * Sets up, opens the database and runs `work` with the wired pipeline; every failure after setup
 * goes through toOutcome (printed as `lockscope mail <name>: ...`).
 */
async function run(name: string, o: MailCliOptions, io: CliIo, needBase: boolean, work: (deps: IngestDeps, haveBase: boolean) => Promise<number>): Promise<number> {
  const s = await setup(o, io, needBase);
  if (!s.ok) {
    io.stderr.write(`lockscope mail ${name}: ${s.reason}\n`);
    return s.code;
  }
  let db: Db | undefined;
  try {
    db = openDatabase(dbPath(o, io.cwd), { busyTimeoutMs: s.config.busyTimeoutSeconds * 1000 });
    const cache = factsCacheBeside(dbPath(o, io.cwd));
    const symbols = symbolIndexerBeside(dbPath(o, io.cwd));
    const graphs = graphStoreBesideDb(dbPath(o, io.cwd));
    const analysisStore = analysisStoreBesideDb(dbPath(o, io.cwd));
    const render = renderers.get('email');
    if (!render) throw new Error('the email renderer is not registered');
    const deps: IngestDeps = {
      mailStore: new MailStore(db),
      reviewStore: openReviewStore(db),
      review: (request) => review(request, { cache, symbols, ...(graphs ? { graphs } : {}), ...(analysisStore ? { analysisStore } : {}), graphsMaxNew: BOT_GRAPH_NEW_DIRS }),
      parse: parsePatchMessage,
      render,
      // Only flush runs without a base, and then it does not review series (see runFlush).
      base: s.base ?? { open: async () => ({ ok: false, reason: 'no --base or --repo given' }) },
      mailer: s.send,
      config: s.config,
      now: Date.now,
      claims: processClaims(),
      checkpoint: pauseAtFromEnv(io.env, io.stderr),
    };
    const pw = patchworkDeps(s.config, db, io.env);
    if (pw) deps.patchwork = pw;
    return await work(deps, s.base !== null);
  } catch (err) {
    const outcome = toOutcome(err, o.db, s.config.busyTimeoutSeconds, io.env);
    io.stderr.write(`lockscope mail ${name}: ${outcome.message}\n`);
    return outcome.exit;
  } finally {
    s.send.close();
    db?.close();
  }
}

const when = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function printSeries(io: CliIo, series: SeriesOutcome[]): void {
  for (const s of series) {
    const replies = s.replies.map((r) => `${r.status} ${r.messageId}`).join(', ') || 'no reply';
    const retry = s.retryAtMs !== null ? `; will retry at ${when(s.retryAtMs)} (lockscope mail retry ${s.seriesId} to retry now)` : '';
    io.stdout.write(
      `series ${s.key}: ${s.reviewId !== null ? `review #${s.reviewId} ${s.verdict ?? ''}` : 'not reviewed'}${s.partial ? ' (partial)' : ''}${s.resumed ? ' (resumed after an interrupted run)' : ''}; ${replies}${s.error ? `; ${s.error}` : ''}${retry}\n`,
    );
  }
}

/** Every series whose review failed on our side and waits for a retry. */
function printFailed(io: CliIo, deps: IngestDeps): void {
  for (const s of deps.mailStore.failed()) {
    io.stderr.write(`series ${s.id} <${s.key}>: review failed ${s.attempts} time${s.attempts === 1 ? '' : 's'}, next at ${s.retryAtMs !== null ? when(s.retryAtMs) : 'once due'}, last error: ${s.lastError ?? 'unknown'}\n`);
  }
}

function printFlush(io: CliIo, f: FlushResult): void {
  for (const id of f.sent) io.stdout.write(`outbox: sent ${id}\n`);
  for (const id of f.resent) io.stdout.write(`outbox: sent ${id} again (an earlier send was interrupted; same Message-ID)\n`);
  for (const x of f.failed) io.stderr.write(`outbox: ${x.messageId} not sent: ${x.error}\n`);
  if (f.failed.length === 0 && f.pending === 0) return;
  io.stderr.write(`outbox: ${f.pending} repl${f.pending === 1 ? 'y' : 'ies'} still queued\n`);
  for (const w of f.waiting) {
    io.stderr.write(`  ${w.messageId} (reply to <${w.inReplyTo.replace(/^<|>$/g, '')}>): ${w.attempts} attempt${w.attempts === 1 ? '' : 's'}, next at ${when(w.nextAttemptMs)}${w.lastError ? `, last error: ${w.lastError}` : ''}\n`);
  }
}

/** What the check outbox did, and every check still waiting (or given up). */
function printChecks(io: CliIo, c: ChecksResult | null): void {
  if (!c) return;
  for (const p of c.posted) io.stdout.write(`patchwork: ${p.state} on <${p.messageId}> (patch ${p.patches.join(', ')})\n`);
  for (const f of c.failed) io.stderr.write(`patchwork: ${f.state} on <${f.messageId}> not posted: ${f.error}${f.abandoned ? '; given up' : ''}\n`);
  for (const w of c.waiting) {
    io.stderr.write(`  check ${w.state} on <${w.messageId}>: ${w.status === 'abandoned' ? 'given up' : `${w.attempts} attempt${w.attempts === 1 ? '' : 's'}, next at ${when(w.nextAttemptMs)}`}${w.lastError ? `, last error: ${w.lastError}` : ''}\n`);
  }
}

function printReport(io: CliIo, r: IngestReport): void {
  for (const m of r.messages) io.stdout.write(`${m.source}: ${m.status}${m.messageId ? ` <${m.messageId}>` : ''}${m.reason ? `: ${m.reason}` : ''}\n`);
  for (const n of r.notes) io.stdout.write(`note: ${n.status} ${n.messageId}\n`);
  printSeries(io, r.series);
  printFlush(io, r.flushed);
  printChecks(io, r.checks);
}

/** `lockscope mail ingest`. */
export function runIngest(o: MailCliOptions, io: CliIo): Promise<number> {
  return run('ingest', o, io, true, async (deps) => {
    const inputs = await readMessages(o.messages, { cwd: io.cwd, stdin: io.stdin, splitMbox });
    const report = await ingest(deps, inputs, o.list);
    printReport(io, report);
    // The message is stored, but its review failed on our side: the MTA's re-delivery is the retry.
    const waiting = waitingForRetry(deps, report.messages);
    for (const s of waiting) {
      io.stderr.write(`lockscope mail ingest: the review of series ${s.id} <${s.key}> failed (${s.lastError ?? 'unknown'}); exiting 75 so the MTA delivers again (or: lockscope mail retry ${s.id})\n`);
    }
    return waiting.length > 0 ? EX_TEMPFAIL : 0;
  });
}

/** Aborts when SIGINT or SIGTERM arrives; `dispose` removes the listeners. */
function stopOnSignal(io: CliIo): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const on = (name: NodeJS.Signals): void => {
    if (!controller.signal.aborted) io.stderr.write(`lockscope mail watch: ${name}: finishing the current message, then stopping\n`);
    controller.abort();
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

/** `lockscope mail watch (--public-inbox DIR | --maildir DIR) [--once] [--interval S]`. */
export function runWatch(o: MailCliOptions, io: CliIo): Promise<number> {
  return run('watch', o, io, true, async (deps) => {
    let source: WatchSource;
    if (o.publicInbox !== null) {
      const opened = await PublicInbox.open(resolve(io.cwd, o.publicInbox));
      if (!opened.ok) {
        io.stderr.write(`lockscope mail watch: ${opened.reason}\n`);
        return 2;
      }
      source = publicInboxSource(deps, opened.inbox);
    } else source = maildirSource(new Maildir(resolve(io.cwd, o.maildir as string)));
    const stop = stopOnSignal(io);
    try {
      const failure = await watchMail(deps, source, {
        once: o.once,
        intervalMs: o.intervalSeconds * 1000,
        signal: stop.signal,
        list: o.list,
        report: (r) => printReport(io, r),
        flushed: (r) => {
          printSeries(io, r.series);
          printFlush(io, r.flushed);
          printChecks(io, r.checks);
        },
        log: (line) => io.stderr.write(`lockscope mail watch: ${line}\n`),
      });
      if (failure !== null) throw failure;
      return 0;
    } finally {
      stop.dispose();
    }
  });
}

/** `lockscope mail retry (--all | ID)`: reviews again a series that failed on our side (base tree, git). */
export function runRetry(o: MailCliOptions, io: CliIo, which: string | 'all'): Promise<number> {
  return run('retry', o, io, true, async (deps) => {
    const r = await retrySeries(deps, which);
    if ('error' in r) {
      io.stderr.write(`lockscope mail retry: ${r.error}\n`);
      return 1;
    }
    printSeries(io, r.series);
    printFlush(io, r.flushed);
    printChecks(io, r.checks);
    return r.series.some((s) => s.retryAtMs !== null) || r.flushed.failed.length > 0 || (r.checks?.failed.length ?? 0) > 0 ? EX_TEMPFAIL : 0;
  });
}

/** `lockscope mail flush` (cron): finishes interrupted work, reviews series past their timeout, retries queued replies. */
export function runFlush(o: MailCliOptions, io: CliIo): Promise<number> {
  return run('flush', o, io, false, async (deps, haveBase) => {
    const r = await flush(deps, haveBase, o.now);
    printSeries(io, r.series);
    if (r.waiting > 0) io.stderr.write(`lockscope mail flush: ${r.waiting} series ready for review; give --base DIR or --repo GITDIR to review them\n`);
    printFlush(io, r.flushed);
    printChecks(io, r.checks);
    printFailed(io, deps);
    // The MTA-style contract for cron and systemd: nonzero when work this run tried is still not done.
    return r.flushed.failed.length > 0 || (r.checks?.failed.length ?? 0) > 0 || r.series.some((s) => s.retryAtMs !== null) ? EX_TEMPFAIL : 0;
  });
}
