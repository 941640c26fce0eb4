/**
 * Reads the MESSAGE arguments of `lockscope mail ingest` into raw messages: an .eml file, an
 * mbox (split with src/diff/mbox.ts), a maildir (its cur/ and new/), or stdin for `-` or no
 * argument (an MTA alias pipes one message). A path that cannot be read is reported as a value
 * and the others go on; it does not parse messages.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type MessageInput = { source: string; raw: string } | { source: string; error: string };

export interface ReadDeps {
  cwd: string;
  stdin: NodeJS.ReadableStream;
  splitMbox: (text: string) => string[];
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function isMaildir(path: string): Promise<boolean> {
  for (const sub of ['cur', 'new']) {
    try {
      if ((await stat(join(path, sub))).isDirectory()) return true;
    } catch {
      // not there: try the other
    }
  }
  return false;
}

async function readMaildir(dir: string): Promise<MessageInput[]> {
  const out: MessageInput[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = (await readdir(join(dir, sub))).filter((n) => !n.startsWith('.')).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = join(dir, sub, name);
      try {
        out.push({ source: file, raw: await readFile(file, 'utf8') });
      } catch (err) {
        out.push({ source: file, error: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
      }
    }
  }
  return out;
}

/** Every message named by `args`, in order; mbox members are `file#n` (1-based). */
export async function readMessages(args: string[], deps: ReadDeps): Promise<MessageInput[]> {
  if (args.length === 0) args = ['-'];
  const out: MessageInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push({ source: 'stdin', raw: await readStream(deps.stdin) });
      continue;
    }
    const path = resolve(deps.cwd, arg);
    try {
      const st = await stat(path);
      if (st.isDirectory()) {
        if (await isMaildir(path)) out.push(...(await readMaildir(path)));
        else out.push({ source: arg, error: 'is a directory but not a maildir (no cur/ or new/)' });
        continue;
      }
      const text = await readFile(path, 'utf8');
      const parts = deps.splitMbox(text);
      if (parts.length === 1) out.push({ source: arg, raw: parts[0] as string });
      else parts.forEach((raw, i) => out.push({ source: `${arg}#${i + 1}`, raw }));
    } catch (err) {
      out.push({ source: arg, error: `cannot read: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  return out;
}
