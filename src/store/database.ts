/**
 * Opens the one SQLite file all front ends share and applies versioned migrations. Each part of
 * the product owns a migration namespace ("reviews", "mail"...), so a module adds its tables
 * without editing another's list. Not a query layer: stores keep their own SQL.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/** The default store path, overridable with LOCKSCOPE_DB. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.LOCKSCOPE_DB ?? 'lockscope.db';
}

/** Opens (creating if needed) the database file; ':memory:' works for tests. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (
    namespace TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (namespace, version))`);
  return db;
}

/**
 * Applies the steps of `namespace` not yet applied, in order, each in a transaction.
 * steps[0] is version 1. Never edit a released step: append a new one.
 */
export function migrate(db: Db, namespace: string, steps: readonly string[]): void {
  const row = db
    .prepare('SELECT MAX(version) AS v FROM migrations WHERE namespace = ?')
    .get(namespace) as { v: number | null };
  const done = row.v ?? 0;
  const record = db.prepare('INSERT INTO migrations (namespace, version, applied_at) VALUES (?, ?, ?)');
  for (let i = done; i < steps.length; i++) {
    db.transaction(() => {
      db.exec(steps[i] as string);
      record.run(namespace, i + 1, new Date().toISOString());
    })();
  }
}
