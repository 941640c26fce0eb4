/**
 * `lockscope mail ingest|flush|retry`: argument wiring only; src/mail/run-mail.ts does the work.
 *
 *   lockscope mail ingest (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL)
 *                         [--db FILE] [--config FILE] [--list ADDR] [MESSAGE...]
 *   lockscope mail flush  [--db FILE] (--smtp URL | --outbox DIR) [--config FILE] [--base DIR | --repo GITDIR] [--now]
 *   lockscope mail retry  (--all | ID) (--base DIR | --repo GITDIR) (--smtp URL | --outbox DIR) [--db FILE] [--config FILE]
 *   lockscope mail watch  (--public-inbox DIR | --maildir DIR) [--once] [--interval S] + the options of ingest
 */
import { defaultDbPath } from '../store/database.ts';
import { runFlush, runIngest, runRetry, runWatch, type MailCliOptions } from '../mail/run-mail.ts';
import { parseArgs } from './args.ts';
import type { CliIo, Command } from './types.ts';

const USAGE = `usage: lockscope mail ingest (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL)
                             [--db FILE] [--config FILE] [--list ADDR] [MESSAGE...]
       lockscope mail flush [--db FILE] (--smtp URL | --outbox DIR) [--config FILE] [--base DIR | --repo GITDIR [--branch REV]] [--now]
       lockscope mail retry (--all | ID) (--base DIR | --repo GITDIR [--branch REV]) (--smtp URL | --outbox DIR) [--db FILE] [--config FILE]
       lockscope mail watch (--public-inbox DIR | --maildir DIR) [--once] [--interval S]
                            (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL) [--db FILE] [--config FILE] [--list ADDR]
MESSAGE is an .eml file, an mbox or a maildir; none or - reads one message from stdin.
ID is a series number (as flush lists it) or the Message-ID of its cover letter or of one of its patches.
`;

// Every name mail --help lists (mail-help.ts; test/commands/help.test.ts keeps the two equal); the last three are flags.
const OPTIONS = ['base', 'repo', 'branch', 'outbox', 'smtp', 'db', 'config', 'list', 'public-inbox', 'maildir', 'interval', 'now', 'all', 'once'] as const;
const FLAGS: readonly string[] = ['now', 'all', 'once'];

function options(argv: string[], io: CliIo): MailCliOptions | string {
  const parsed = parseArgs(argv, { options: OPTIONS.filter((o) => !FLAGS.includes(o)), flags: FLAGS });
  if (!parsed.ok) return parsed.reason;
  const o = parsed.args.options;
  if (o.has('base') && o.has('repo')) return 'give only one of --base DIR and --repo GITDIR';
  if (o.has('outbox') && o.has('smtp')) return 'give only one of --outbox DIR and --smtp URL';
  if (o.has('branch') && !o.has('repo')) return '--branch goes with --repo';
  if (o.has('public-inbox') && o.has('maildir')) return 'give only one of --public-inbox DIR and --maildir DIR';
  const interval = o.get('interval') ?? '60';
  if (!/^\d{1,6}$/.test(interval) || Number(interval) < 1) return `--interval must be a whole number of seconds, got '${interval}'`;
  return {
    now: parsed.args.flags.has('now'),
    all: parsed.args.flags.has('all'),
    once: parsed.args.flags.has('once'),
    publicInbox: o.get('public-inbox') ?? null,
    maildir: o.get('maildir') ?? null,
    intervalSeconds: Number(interval),
    db: o.get('db') ?? defaultDbPath(io.env),
    config: o.get('config') ?? null,
    list: o.get('list') ?? null,
    base: o.get('base') ?? null,
    repo: o.get('repo') ?? null,
    branch: o.get('branch') ?? null,
    outbox: o.get('outbox') ?? null,
    smtp: o.get('smtp') ?? null,
    messages: parsed.args.positionals,
  };
}

function usage(io: CliIo, reason: string): number {
  io.stderr.write(`lockscope mail: ${reason}\n${USAGE}`);
  return 2;
}

export const mailCommand: Command = async ([sub, ...argv], io) => {
  const o = sub === 'ingest' || sub === 'flush' || sub === 'retry' || sub === 'watch' ? options(argv, io) : `unknown subcommand '${sub ?? ''}'`;
  if (typeof o === 'string') return usage(io, o);
  const watching = o.publicInbox !== null || o.maildir !== null;
  if (sub === 'watch') {
    if (!watching) return usage(io, 'watch needs --public-inbox DIR or --maildir DIR');
    if (o.messages.length > 0) return usage(io, 'watch takes no MESSAGE');
    return runWatch(o, io);
  }
  if (watching || o.once) return usage(io, '--public-inbox, --maildir and --once go with watch');
  if (o.now && sub !== 'flush') return usage(io, '--now goes with flush');
  if (o.all && sub !== 'retry') return usage(io, '--all goes with retry');
  if (sub === 'flush' && o.messages.length > 0) return usage(io, 'flush takes no MESSAGE');
  if (sub === 'retry') {
    if (o.all === (o.messages.length > 0) || o.messages.length > 1) return usage(io, 'retry takes --all or one ID');
    return runRetry(o, io, o.all ? 'all' : (o.messages[0] as string));
  }
  return sub === 'ingest' ? runIngest(o, io) : runFlush(o, io);
};
