/**
 * `lockscope serve --help`. The serve command's parser lives in serve.ts; test/commands/help.test.ts
 * checks that this help names exactly the options it takes.
 */
import type { CommandHelp } from './help.ts';

export const serveHelp: CommandHelp = {
  usage: ['lockscope serve [--port N] [--host H] [--db FILE] [--no-example] [--review-concurrency N] [--webhook-max-bytes N]'],
  about:
    'Serves the dashboard and, when APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are set, the GitHub App webhooks, until SIGINT or SIGTERM.',
  options: [
    { name: 'port', value: 'N', help: 'the port to listen on (default $PORT, else 3000)' },
    { name: 'host', value: 'H', help: 'the address to listen on (default $HOST, else 0.0.0.0)' },
    { name: 'db', value: 'FILE', help: 'the review store (default $LOCKSCOPE_DB, else ./lockscope.db)' },
    { name: 'no-example', help: 'do not review the bundled example into an empty store' },
    { name: 'review-concurrency', value: 'N', help: 'GitHub reviews run at once, the rest wait (default $LOCKSCOPE_REVIEW_CONCURRENCY, else 2)' },
    { name: 'webhook-max-bytes', value: 'N', help: 'largest webhook body accepted (default $LOCKSCOPE_WEBHOOK_MAX_BYTES, else 5 MiB)' },
  ],
  footer: ['environment: see docs/github.md (GitHub App) and docs/dashboard.md (PUBLIC_URL, LOCKSCOPE_CODE_URL)'],
};
