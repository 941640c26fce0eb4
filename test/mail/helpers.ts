/**
 * Shared pieces of the mail bot tests: a real SMTP server on loopback that keeps what it
 * receives, the fixture folder, and an in-memory database wired to the real stores.
 */
import { readFile, readdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { BaseTree } from '../../src/diff/base-tree.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/mail/', import.meta.url));

export function fixture(name: string): Promise<string> {
  return readFile(join(FIXTURES, name), 'utf8');
}

export interface Received {
  envelope: { from: string; to: string[] };
  raw: string;
}

export interface SmtpSink {
  port: number;
  received: Received[];
  stop(): Promise<void>;
  /** Starts again on the same port (after stop). */
  start(): Promise<void>;
  parsed(i: number): Promise<ParsedMail>;
}

/** A real SMTP server on 127.0.0.1 (STARTTLS off: its bundled certificate is expired). */
export async function smtpSink(port = 0): Promise<SmtpSink> {
  const received: Received[] = [];
  let server: SMTPServer | null = null;
  let boundPort = port;
  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        authOptional: true,
        logger: false,
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const from = session.envelope.mailFrom;
            received.push({
              envelope: { from: from ? from.address : '', to: session.envelope.rcptTo.map((r) => r.address) },
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      server.on('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
        resolve();
      });
    });
  await start();
  return {
    get port() {
      return boundPort;
    },
    received,
    start,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    parsed: (i) => simpleParser((received[i] as Received).raw),
  };
}

/** A read-only BaseTree over a fixture directory (the base the fixture patches apply to). */
export function fixtureTree(dir: string): BaseTree {
  const walk = async (d: string): Promise<string[]> => {
    const out: string[] = [];
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) out.push(...(await walk(p)));
      else out.push(relative(dir, p).split('\\').join('/'));
    }
    return out;
  };
  return {
    async read(path) {
      try {
        return await readFile(join(dir, path), 'utf8');
      } catch {
        return undefined;
      }
    },
    async list(sub) {
      try {
        return (await readdir(join(dir, sub), { withFileTypes: true })).filter((e) => e.isFile()).map((e) => (sub ? `${sub}/${e.name}` : e.name));
      } catch {
        return [];
      }
    },
    listAll: () => walk(dir),
    describe: () => `dir ${dir}`,
  };
}
