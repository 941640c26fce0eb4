/**
 * Sends replies over SMTP with nodemailer's SMTP client, as raw RFC 5322 text with an explicit
 * envelope, so the bytes built in reply.ts are the bytes sent. No retries here: a thrown error
 * leaves the reply queued in the outbox.
 *
 * It owns the TCP socket instead of leaving it to nodemailer, so no server can keep the process
 * alive: every network step is bounded (connect, greeting and each command by `timeoutMs`, the
 * whole send by `sendTimeoutMs`), and after QUIT the connection is closed by us within
 * `closeGraceMs` even when the server never closes its side (a socket left in FIN-WAIT-2 kept
 * `mail ingest` alive for minutes after the reply was accepted).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import type { Envelope, Mailer } from './types.ts';

export interface SmtpOptions {
  /** Skip STARTTLS even when the server offers it (a local MTA with a self-signed or expired certificate). */
  ignoreTLS: boolean;
  /** Bound of each step: connecting, the greeting, each command's answer. Default 30 s. */
  timeoutMs?: number;
  /** Bound of one whole send, from connecting to the server's answer to the message. Default 120 s. */
  sendTimeoutMs?: number;
  /** How long the server gets to close its side after QUIT before we drop the connection. Default 2 s. */
  closeGraceMs?: number;
}

/** A network step ran out of time; `code` like nodemailer's own timeouts. */
export class SmtpTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
}

interface Target {
  host: string;
  port: number;
  secure: boolean;
  auth: { user: string; pass: string } | null;
}

function target(url: string): Target {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  if (!secure && u.protocol !== 'smtp:') throw new TypeError(`not an smtp:// or smtps:// URL: ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const auth = u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : null;
  return { host, port: Number(u.port) || (secure ? 465 : 25), secure, auth };
}

/** Opens the TCP (or TLS, for smtps) connection within `ms`. */
function openSocket(t: Target, ms: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = t.secure ? tlsConnect({ host: t.host, port: t.port, servername: t.host }) : netConnect({ host: t.host, port: t.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmtpTimeoutError(`no connection to ${t.host}:${t.port} within ${ms} ms`));
    }, ms);
    socket.once(t.secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}

/** Resolves once `socket` is closed, destroying it after `ms` if the peer has not closed by then. */
function closeWithin(socket: Socket, ms: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs one SMTP transaction on an open socket: greeting, EHLO (STARTTLS), AUTH, MAIL/RCPT/DATA, QUIT. */
function transact(socket: Socket, t: Target, mail: Envelope, options: Required<Pick<SmtpOptions, 'ignoreTLS' | 'timeoutMs'>>): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = new SMTPConnection({
      host: t.host,
      port: t.port,
      secure: t.secure,
      secured: t.secure,
      ignoreTLS: options.ignoreTLS,
      connection: socket,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
      logger: false,
    });
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      conn.close();
      reject(err);
    };
    conn.on('error', fail);
    conn.once('end', () => fail(new Error('the SMTP server closed the connection')));
    const sendMessage = (): void =>
      conn.send({ from: mail.envelope.from, to: mail.envelope.to }, mail.raw, (err) => {
        if (err) return fail(err);
        settled = true;
        // Accepted: say goodbye; closeWithin bounds how long the server may take to hang up.
        conn.quit();
        resolve();
      });
    conn.connect((err) => {
      if (err) return fail(err);
      if (t.auth) conn.login(t.auth, (e) => (e ? fail(e) : sendMessage()));
      else sendMessage();
    });
  });
}

/** A Mailer for `smtp://host:port` (or `smtps://`, with user:pass in the URL when needed). */
export function smtpMailer(url: string, options: SmtpOptions): Mailer {
  const t = target(url);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 120_000;
  const closeGraceMs = options.closeGraceMs ?? 2_000;
  const open = new Set<Socket>();
  return {
    async send(mail: Envelope): Promise<void> {
      const deadline = Date.now() + sendTimeoutMs;
      const socket = await openSocket(t, Math.min(timeoutMs, sendTimeoutMs));
      open.add(socket);
      let timer: NodeJS.Timeout | undefined;
      try {
        const bound = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            socket.destroy();
            reject(new SmtpTimeoutError(`sending to ${t.host}:${t.port} did not finish within ${sendTimeoutMs} ms`));
          }, Math.max(deadline - Date.now(), 0));
        });
        await Promise.race([transact(socket, t, mail, { ignoreTLS: options.ignoreTLS, timeoutMs }), bound]);
      } finally {
        clearTimeout(timer);
        await closeWithin(socket, closeGraceMs);
        open.delete(socket);
      }
    },
    describe: () => url.replace(/\/\/[^@/]*@/, '//***@'),
    close: () => {
      for (const socket of open) socket.destroy();
      open.clear();
    },
  };
}
