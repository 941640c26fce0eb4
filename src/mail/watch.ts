/**
 * `lockscope mail watch`: follows a list archive instead of being fed by an MTA. Each cycle
 * fetches (a public-inbox mirror with a remote), reads what is new since the stored position,
 * feeds each message through the same ingest as stdin mail, one at a time, and records that it
 * was read only after ingest stored it; then it runs what flush runs (retries, timed-out series,
 * the outbox). Without `once` it sleeps `intervalMs` (a maildir wakes up on new files) and goes
 * again, until `signal` aborts: the message in hand is finished first.
 *
 * A restart resumes at the stored position: a message is never skipped, and one read again
 * after a crash between ingest and the position update is a duplicate by Message-ID, so it is
 * never reviewed twice. A failing fetch or a busy database is logged and retried next cycle,
 * never fatal (with `once` a database failure ends the run, for the caller's exit status).
 */
import type { MessageInput } from './read-messages.ts';
import { flush, ingest, type IngestDeps, type IngestReport } from './ingest.ts';
import type { Maildir } from './maildir.ts';
import type { PublicInbox } from './public-inbox.ts';

/** Where messages come from, and how to say one was read. */
export interface WatchSource {
  describe(): string;
  /** Log lines about the source itself (fetch failures, a rewritten history). */
  prepare(): Promise<string[]>;
  /** Messages not read yet, oldest first, each with `read` to call once ingest has stored it. */
  unread(): AsyncIterable<{ input: MessageInput; read: () => void | Promise<void> }>;
  /** Resolves when there may be something new, after `ms` at the latest, or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
}

export interface WatchOptions {
  once: boolean;
  intervalMs: number;
  signal: AbortSignal;
  list: string | null;
  /** One ingested message's report. */
  report: (r: IngestReport) => void;
  /** What flush did at the end of a cycle. */
  flushed: (r: Awaited<ReturnType<typeof flush>>) => void;
  log: (line: string) => void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** A public-inbox archive, read from the positions stored per epoch in the mail store. */
export function publicInboxSource(deps: IngestDeps, inbox: PublicInbox): WatchSource {
  const key = `public-inbox:${inbox.dir}`;
  const notes: string[] = [];
  return {
    describe: () => `public-inbox ${inbox.dir}`,
    prepare: async () => [...(await inbox.fetch()), ...notes.splice(0)],
    async *unread() {
      for (const epoch of await inbox.epochs()) {
        const since = deps.mailStore.position(key, epoch.name);
        const { commits, rewritten } = await inbox.commitsSince(epoch, since);
        if (rewritten) notes.push(`${epoch.name}: the history no longer contains ${since}; reading the epoch again (stored messages are skipped as duplicates)`);
        for (const commit of commits) {
          const raw = await inbox.message(epoch, commit);
          const read = (): void => deps.mailStore.setPosition(key, epoch.name, commit, deps.now());
          if (raw === null) read(); // a deletion: nothing to ingest
          else yield { input: { source: `${epoch.name}@${commit.slice(0, 12)}`, raw }, read };
        }
      }
    },
    wait: sleep,
  };
}

/** A maildir: new/ in name order, each message moved to cur/ with the Seen flag once stored. */
export function maildirSource(maildir: Maildir): WatchSource {
  return {
    describe: () => `maildir ${maildir.dir}`,
    prepare: async () => [],
    async *unread() {
      for (const name of await maildir.waiting()) {
        let raw: string;
        try {
          raw = await maildir.read(name);
        } catch (err) {
          if ((err as { code?: string }).code === 'ENOENT') continue; // another reader took it meanwhile
          // Unreadable (permissions): reported, and left in new/ for the next cycle.
          yield { input: { source: `new/${name}`, error: `cannot read: ${err instanceof Error ? err.message : String(err)}` }, read: () => undefined };
          continue;
        }
        yield { input: { source: `new/${name}`, raw }, read: () => maildir.markSeen(name) };
      }
    },
    wait: (ms, signal) => maildir.wait(ms, signal),
  };
}

/**
 * Runs cycles until `once` is done or `signal` aborts. Resolves with the error that ended a
 * `once` run (the caller maps it to an exit status), or null.
 */
export async function watchMail(deps: IngestDeps, source: WatchSource, o: WatchOptions): Promise<unknown> {
  for (;;) {
    let failure: unknown = null;
    try {
      for (const line of await source.prepare()) o.log(line);
      for await (const { input, read } of source.unread()) {
        if (o.signal.aborted) break;
        o.report(await ingest(deps, [input], o.list));
        await read();
      }
      if (!o.signal.aborted) o.flushed(await flush(deps, true));
    } catch (err) {
      // The database or the archive failed: nothing past the last stored position counts as read.
      failure = err;
      if (!o.once) o.log(`cycle failed, trying again in ${Math.round(o.intervalMs / 1000)} s: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (o.once || o.signal.aborted) return failure;
    await (failure === null ? source.wait(o.intervalMs, o.signal) : sleep(o.intervalMs, o.signal));
    if (o.signal.aborted) return null;
  }
}
