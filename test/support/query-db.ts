/** Reads a store file the way an operator would with sqlite3: read-only, one query, closed again. */
import Database from 'better-sqlite3';

export function queryDb<T = Record<string, unknown>>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
