/**
 * Opens the one SQLite file all front ends share and applies versioned migrations. Each part of
 * the product owns a migration namespace ("reviews", "mail"...), so a module adds its tables
 * without editing another's list. Not a query layer: stores keep their own SQL.
 *
 * better-sqlite3 is synchronous: while another process holds the write lock, a write here waits
 * up to the busy timeout, blocking this thread, then throws SQLITE_BUSY (see database-error.ts
 * for what each front end makes of that). Write transactions should start with BEGIN IMMEDIATE
 * (`db.transaction(fn).immediate()`): a deferred one that reads first and then writes can fail
 * with SQLITE_BUSY at once, without waiting, when another writer got in between (WAL mode).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** How long a write waits for another process's write lock by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** Milliseconds a statement waits for a lock held by another connection before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** The default store path, overridable with LOCKSCOPE_DB. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCKSCOPE_DB ?? 'lockscope.db';
}

/** Opens (creating if needed) the database file; ':memory:' works for tests. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const timeout = Math.max(0, Math.round(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS));
  const db = new Database(file, { timeout });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE IF NOT EXISTS migrations (
      namespace TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
      PRIMARY KEY (namespace, version))`);
  } catch (err) {
    // A busy or damaged file: do not leak the handle (and its -wal/-shm) to a caller that bails out.
    db.close();
    throw err;
  }
  return db;
}

/**
 * Applies the steps of `namespace` not yet applied, in order, each in a transaction.
 * steps[0] is version 1. Never edit a released step: append a new one.
 */
export function migrate(db: Db, namespace: string, steps: readonly string[]): void {
  const done = (): number =>
    (db.prepare('SELECT MAX(version) AS v FROM migrations WHERE namespace = ?').get(namespace) as { v: number | null }).v ?? 0;
  if (done() >= steps.length) return;
  const record = db.prepare('INSERT INTO migrations (namespace, version, applied_at) VALUES (?, ?, ?)');
  db.transaction(() => {
    // Re-read under the write lock: two processes starting at once must not both apply a step.
    for (let i = done(); i < steps.length; i++) {
      db.exec(steps[i] as string);
      record.run(namespace, i + 1, new Date().toISOString());
    }
  }).immediate();
}
