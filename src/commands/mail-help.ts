/**
 * `lockscope mail --help`. The mail command's parser lives in mail.ts (the mail bot's owners
 * keep it); test/commands/help.test.ts checks that this help names exactly the options it takes.
 */
import type { CommandHelp } from './help.ts';

export const mailHelp: CommandHelp = {
  usage: [
    'lockscope mail ingest (--base DIR | --repo GITDIR [--branch REV]) (--outbox DIR | --smtp URL) [options] [MESSAGE...]',
    'lockscope mail flush (--smtp URL | --outbox DIR) [--db FILE] [--config FILE] [--base DIR | --repo GITDIR [--branch REV]]',
  ],
  about:
    'The mailing-list bot: ingest reviews each patch series it is given and replies in the thread like a kernel CI robot; flush retries replies held in the outbox. MESSAGE is an .eml file, an mbox or a maildir; none or - reads one message from stdin. See docs/mail.md.',
  options: [
    { name: 'base', value: 'DIR', help: 'review against the files in DIR (base-commit: trailers are ignored)' },
    { name: 'repo', value: 'GITDIR', help: "review against GITDIR at each series' base-commit: trailer" },
    { name: 'branch', value: 'REV', help: 'with --repo: the revision used when the trailer is missing or unknown (default HEAD)' },
    { name: 'smtp', value: 'URL', help: 'send replies through this SMTP server (smtp://host:25)' },
    { name: 'outbox', value: 'DIR', help: 'write replies as .eml files into DIR instead of sending them' },
    { name: 'db', value: 'FILE', help: 'the review store (default $LOCKSCOPE_DB, else ./lockscope.db)' },
    { name: 'config', value: 'FILE', help: 'the mail bot configuration (YAML)' },
    { name: 'list', value: 'ADDR', help: 'the list reviews are filed under and replies Cc (default from the message)' },
  ],
  footer: ['exit status: 0 once the message is recorded, 2 usage or config error, 75 database unavailable (the MTA retries)'],
};
