/**
 * Sends replies over SMTP with nodemailer, as raw RFC 5322 text with an explicit envelope, so
 * the bytes built in reply.ts are the bytes sent (nodemailer does not re-encode a raw message).
 * No retries here: a thrown error leaves the reply queued in the outbox.
 */
import { createTransport } from 'nodemailer';
import type { Envelope, Mailer } from './types.ts';

export interface SmtpOptions {
  /** Skip STARTTLS even when the server offers it (a local MTA with a self-signed or expired certificate). */
  ignoreTLS: boolean;
  /** Fail fast when the MTA is down: the outbox retries later anyway. */
  timeoutMs?: number;
}

/** A Mailer for `smtp://host:port` (or `smtps://`, with user:pass in the URL when needed). */
export function smtpMailer(url: string, options: SmtpOptions): Mailer {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = createTransport({
    url,
    ignoreTLS: options.ignoreTLS,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 4,
  });
  return {
    async send(mail: Envelope): Promise<void> {
      await transport.sendMail({ envelope: mail.envelope, raw: mail.raw });
    },
    describe: () => url.replace(/\/\/[^@/]*@/, '//***@'),
    close: () => transport.close(),
  };
}
