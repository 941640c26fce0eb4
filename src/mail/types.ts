/**
 * What the mail bot's delivery side needs from a transport. Two implementations live next to it:
 * smtp-mailer.ts (nodemailer) and dir-mailer.ts (.eml files for --outbox). Nothing here queues
 * or retries: outbox.ts does.
 */

/** One ready-to-send message: the RFC 5322 text and the SMTP envelope. */
export interface Envelope {
  messageId: string;
  raw: string;
  envelope: { from: string; to: string[] };
}

/** Delivers one message or throws (the outbox turns the throw into a retry with backoff). */
export interface Mailer {
  send(mail: Envelope): Promise<void>;
  /** "smtp://localhost:25", "outbox /var/spool/lockscope": for logs. */
  describe(): string;
  close(): void;
}
