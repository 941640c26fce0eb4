/**
 * A health check of the store file for `lockscope doctor` and for operators after a crash: is
 * the file a readable SQLite database, does `pragma integrity_check` pass, and what work is
 * waiting in it (series under review, replies not sent, reviews still queued). Read-only: it
 * repairs nothing and never creates the file.
 */
import Database from 'better-sqlite3';
import { databaseTrouble } from './database-error.ts';

export interface DatabaseHealth {
  /** True when the file opened and integrity_check said ok. */
  ok: boolean;
  /** integrity_check's findings, or why the file could not be read. */
  problems: string[];
  /** Counts by table and state, for the tables that exist: `{ "mail_replies queued": 2 }`. */
  pending: Record<string, number>;
}

const PENDING: [table: string, column: string, states: string[]][] = [
  ['mail_series', 'state', ['collecting', 'reviewing']],
  ['mail_replies', 'status', ['queued', 'sending']],
  ['reviews', 'status', ['queued']],
  ['patchwork_checks', 'status', ['queued', 'sending', 'abandoned']],
];

/** Checks `file` (which must exist). */
export function checkDatabase(file: string, busyTimeoutMs = 5_000): DatabaseHealth {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  } catch (err) {
    return { ok: false, problems: [`cannot open ${file}: ${err instanceof Error ? err.message : String(err)}`], pending: {} };
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((line) => line !== 'ok');
    const pending: Record<string, number> = {};
    if (problems.length === 0) {
      const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
      for (const [table, column, states] of PENDING) {
        if (!tables.has(table)) continue;
        for (const state of states) pending[`${table} ${state}`] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).get(state) as { n: number }).n;
      }
    }
    return { ok: problems.length === 0, problems, pending };
  } catch (err) {
    const trouble = databaseTrouble(err);
    return { ok: false, problems: [trouble ? `${trouble.code}: ${trouble.message}` : String(err)], pending: {} };
  } finally {
    db.close();
  }
}
