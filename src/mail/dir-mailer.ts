/**
 * `--outbox DIR`: writes each reply as an .eml file named after its Message-ID instead of sending
 * it (for a dry run, or for an MTA that picks files up). The same reply always lands in the same
 * file, so writing it again changes nothing.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Envelope, Mailer } from './types.ts';

/** `<lockscope-ab12@example.org>` -> `lockscope-ab12@example.org.eml`; nothing that could leave the folder. */
export function emlFileName(messageId: string): string {
  const bare = messageId.trim().replace(/^<|>$/g, '');
  const safe = bare.replace(/[^A-Za-z0-9@._+-]/g, '_').replace(/^\.+/, '_').slice(0, 200);
  return `${safe || 'message'}.eml`;
}

/** A Mailer that writes into `dir` (created when missing). */
export function dirMailer(dir: string): Mailer {
  return {
    async send(mail: Envelope): Promise<void> {
      await mkdir(dir, { recursive: true });
      const file = join(dir, emlFileName(mail.messageId));
      // Write then rename, so a reader polling the folder never sees half a message.
      const tmp = `${file}.tmp-${process.pid}`;
      await writeFile(tmp, mail.raw);
      await rename(tmp, file);
    },
    describe: () => `outbox ${dir}`,
    close: () => undefined,
  };
}
