/**
 * `lockscope mail --help`. The mail command's parser lives in mail.ts (the mail bot's owners
 * keep it); test/commands/help.test.ts checks that this help names exactly the options it takes.
 */
import type { CommandHelp } from './help.ts';

export const mailHelp: CommandHelp = {
  usage: [
    'lockscope mail ingest (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL) [options] [MESSAGE...]',
    'lockscope mail flush (--smtp URL | --outbox DIR) [--db FILE] [--config FILE] [--base DIR | --repo GITDIR [--branch REV]] [--now]',
    'lockscope mail retry (--all | ID) (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL) [options]',
    'lockscope mail watch (--public-inbox DIR | --maildir DIR) [--once] [--interval S] (--base DIR | --repo GITDIR) (--outbox DIR | --smtp URL) [options]',
  ],
  about:
    'The mailing-list bot: ingest reviews each patch series it is given and replies in the thread like a kernel CI robot; flush finishes interrupted work and retries queued replies, checks and reviews; retry reviews again a series that failed on our side (ID: its number or a Message-ID); watch follows a public-inbox archive or a maildir. MESSAGE is an .eml file, an mbox or a maildir; none or - reads one message from stdin. See docs/mail.md.',
  options: [
    { name: 'base', value: 'DIR', help: 'review against the files in DIR (base-commit: trailers are ignored)' },
    { name: 'repo', value: 'GITDIR', help: "review against GITDIR at each series' base-commit: trailer" },
    { name: 'branch', value: 'REV', help: 'with --repo: the revision used when the trailer is missing or unknown (default HEAD)' },
    { name: 'smtp', value: 'URL', help: 'send replies through this SMTP server (smtp://host:25)' },
    { name: 'outbox', value: 'DIR', help: 'write replies as .eml files into DIR instead of sending them' },
    { name: 'db', value: 'FILE', help: 'the review store (default $LOCKSCOPE_DB, else ./lockscope.db)' },
    { name: 'config', value: 'FILE', help: 'the mail bot configuration (YAML)' },
    { name: 'list', value: 'ADDR', help: 'the list reviews are filed under and replies Cc (default from the message)' },
    { name: 'public-inbox', value: 'DIR', help: 'watch: a public-inbox archive (v2 git/N.git epochs, or v1), fetched first when it has a remote' },
    { name: 'maildir', value: 'DIR', help: 'watch: a maildir; messages in new/ are moved to cur/ (Seen) once stored' },
    { name: 'interval', value: 'S', help: 'watch: seconds between passes (default 60)' },
    { name: 'once', help: 'watch: one pass, then exit' },
    { name: 'now', help: 'flush: try every queued reply, check and failed review now, whatever its backoff' },
    { name: 'all', help: 'retry: every series whose review failed on our side' },
  ],
  footer: [
    'exit status: 0 once the message is recorded, 2 usage or config error, 75 (EX_TEMPFAIL: the MTA delivers again)',
    'when the database is busy, damaged or unwritable, or the review failed on our side; flush exits 75 when something it tried failed again',
    'without --base or --repo, base: { github: OWNER/REPO } in the --config file reviews against GitHub (GITHUB_TOKEN, GITHUB_API_URL)',
  ],
};
