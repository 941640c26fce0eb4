import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/diff/mbox.ts';
import { readMessages } from '../../src/mail/read-messages.ts';
import { FIXTURES } from './helpers.ts';

const deps = (stdin = '') => ({ cwd: FIXTURES, stdin: Readable.from([Buffer.from(stdin)]), splitMbox });

describe('readMessages', () => {
  // An MTA alias pipes one message on stdin with no arguments.
  it('reads one message from stdin when no MESSAGE or - is given', async () => {
    expect(await readMessages([], deps('Subject: x\n\nbody\n'))).toEqual([{ source: 'stdin', raw: 'Subject: x\n\nbody\n' }]);
    expect(await readMessages(['-'], deps('a'))).toEqual([{ source: 'stdin', raw: 'a' }]);
  });

  it('splits an mbox into its messages and reads an .eml whole', async () => {
    const got = await readMessages(['series-v1.mbox', 'single-fix.eml'], deps());
    expect(got.map((m) => m.source)).toEqual(['series-v1.mbox#1', 'series-v1.mbox#2', 'series-v1.mbox#3', 'single-fix.eml']);
  });

  // fetchmail/procmail setups leave a maildir; a dotfile there is not mail.
  it('reads the cur/ and new/ of a maildir, and reports unreadable paths as values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockscope-maildir-'));
    await mkdir(join(dir, 'cur'));
    await mkdir(join(dir, 'new'));
    await mkdir(join(dir, 'tmp'));
    await writeFile(join(dir, 'cur', '1.host:2,S'), 'Subject: one\n\n1\n');
    await writeFile(join(dir, 'new', '2.host'), 'Subject: two\n\n2\n');
    await writeFile(join(dir, 'new', '.hidden'), 'no');
    const got = await readMessages([dir, 'missing.eml', FIXTURES], deps());
    expect(got.slice(0, 2).map((m) => ('raw' in m ? m.raw : m.error))).toEqual(['Subject: one\n\n1\n', 'Subject: two\n\n2\n']);
    expect(got[2]).toMatchObject({ source: 'missing.eml', error: expect.stringMatching(/^cannot read/) });
    expect(got[3]).toMatchObject({ error: 'is a directory but not a maildir (no cur/ or new/)' });
  });
});
