/**
 * What a failed SQLite call means for the work in hand, read from better-sqlite3's error `code`
 * (never its message): `busy` passes by itself (another process held the lock past the busy
 * timeout), `damaged` needs an operator (the file is corrupt or not a database), `unavailable`
 * is the disk or the file system (full, read-only, I/O error, cannot open). Each front end's
 * toOutcome decides what to do with the kind; nothing here retries.
 */

export type DatabaseTrouble = { kind: 'busy' | 'damaged' | 'unavailable'; code: string; message: string };

const BUSY = /^SQLITE_(BUSY|LOCKED)(_|$)/;
const DAMAGED = /^SQLITE_(CORRUPT|NOTADB)(_|$)/;
const UNAVAILABLE = /^SQLITE_(IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|PERM|AUTH)(_|$)/;

/** The trouble `err` reports, or null when it is not an SQLite error. `SqliteError('database is locked', 'SQLITE_BUSY')` -> busy. */
export function databaseTrouble(err: unknown): DatabaseTrouble | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const message = err instanceof Error ? err.message : String(err);
  if (BUSY.test(code)) return { kind: 'busy', code, message };
  if (DAMAGED.test(code)) return { kind: 'damaged', code, message };
  if (UNAVAILABLE.test(code)) return { kind: 'unavailable', code, message };
  return null;
}

/** The operator's next step for a damaged file, said the same way by every front end and `lockscope doctor`. */
export function repairAdvice(file: string): string {
  const q = `'${file.replace(/'/g, `'\\''`)}'`;
  return [
    `Check it with: sqlite3 ${q} 'pragma integrity_check'   (or: lockscope doctor --db ${q})`,
    `To repair, stop every lockscope process using it, then: sqlite3 ${q} '.recover' | sqlite3 recovered.db`,
    `and move recovered.db into place (keep the damaged copy).`,
  ].join('\n');
}
