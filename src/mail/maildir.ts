/**
 * A maildir as `lockscope mail watch --maildir` reads it: messages arrive in `new/`; once
 * ingested each is moved to `cur/` with the Seen flag (`name:2,S`, the maildir convention), so a
 * restart never reads it again and a mail client shows it read. A rename is atomic, and a
 * message is moved only after it was stored, so none is skipped; one stored but not yet moved
 * when the process died is read again and recognised as a duplicate.
 *
 * It lists, reads, moves and waits for new files (fs.watch, with polling as the fallback where
 * the file system has no events); it does not parse or ingest.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

/** `1700000000.M1P2.host` -> `1700000000.M1P2.host:2,S`; existing flags are kept, sorted, with S. */
export function seenName(name: string): string {
  const at = name.indexOf(':2,');
  const base = at === -1 ? name : name.slice(0, at);
  const flags = new Set(at === -1 ? '' : name.slice(at + 3));
  flags.add('S');
  return `${base}:2,${[...flags].sort().join('')}`;
}

export class Maildir {
  constructor(readonly dir: string) {}

  /** Messages waiting in new/, in delivery order (maildir names start with the time). */
  async waiting(): Promise<string[]> {
    const names = await readdir(join(this.dir, 'new'));
    return names.filter((n) => !n.startsWith('.')).sort();
  }

  read(name: string): Promise<string> {
    return readFile(join(this.dir, 'new', name), 'utf8');
  }

  /** new/NAME -> cur/NAME:2,S. */
  async markSeen(name: string): Promise<void> {
    await mkdir(join(this.dir, 'cur'), { recursive: true });
    await rename(join(this.dir, 'new', name), join(this.dir, 'cur', seenName(name)));
  }

  /**
   * Resolves when something changes in new/, or after `ms`, or when `signal` aborts, whichever
   * comes first. fs.watch is a hint: the caller lists new/ again either way.
   */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let watcher: FSWatcher | undefined;
      const done = (): void => {
        clearTimeout(timer);
        watcher?.close();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
      try {
        watcher = watch(join(this.dir, 'new'), () => done());
        watcher.on('error', () => undefined);
      } catch {
        // No events here (some network file systems): the timer polls.
      }
      // A message delivered after the last listing and before the watcher started has no event.
      void this.waiting().then((names) => names.length > 0 && done(), () => undefined);
    });
  }
}
