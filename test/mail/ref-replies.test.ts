/**
 * Golden replies (b4's style of test): each main input in test/fixtures/mail/ has its expected
 * reply as `<input>.ref-reply.txt`, compared byte for byte after normalising only the Date
 * header and the review ids (they depend on insertion order). Regenerate after a deliberate
 * change with LOCKSCOPE_UPDATE_REFS=1 and read the diff before committing it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReviewStore } from '../../src/store/review-store.ts';
import { splitMbox } from '../../src/diff/mbox.ts';
import { parsePatchMessage } from '../../src/diff/patch-message.ts';
import { fixedBaseSource } from '../../src/mail/base-source.ts';
import { ingest, type IngestDeps } from '../../src/mail/ingest.ts';
import { defaultMailConfig } from '../../src/mail/mail-config.ts';
import { MailStore } from '../../src/mail/mail-store.ts';
import type { Envelope, Mailer } from '../../src/mail/types.ts';
import { renderers } from '../../src/render/index.ts';
import { review } from '../../src/review.ts';
import { processClaims } from '../../src/store/process-claim.ts';
import { openDatabase } from '../../src/store/database.ts';
import { FIXTURES, fixture, fixtureTree } from './helpers.ts';

function normalise(raw: string): string {
  return raw
    .replace(/\r\n/g, '\n')
    .replace(/^Date: .*$/m, 'Date: <date>')
    .replace(/^X-Lockscope-Review: \d+$/m, 'X-Lockscope-Review: <id>')
    .replace(/\/reviews\/\d+/g, '/reviews/<id>');
}

/** Ingests `inputs` in order into a fresh database; returns the replies sent, by the subject they answer. */
async function run(inputs: string[]): Promise<Map<string, string>> {
  const db = openDatabase(':memory:');
  const sent: Envelope[] = [];
  const mailer: Mailer = { send: async (m) => void sent.push(m), describe: () => 'memory', close: () => undefined };
  const deps: IngestDeps = {
    mailStore: new MailStore(db),
    reviewStore: openReviewStore(db),
    review: (r) => review(r),
    parse: parsePatchMessage,
    render: renderers.get('email') as NonNullable<ReturnType<typeof renderers.get>>,
    base: fixedBaseSource(fixtureTree(join(FIXTURES, 'base'))),
    mailer,
    config: { ...defaultMailConfig, from: 'lockscope <lockscope@bot.example.org>', publicUrl: 'https://lockscope.example.org' },
    now: () => Date.UTC(2026, 2, 6, 12, 0, 0),
    claims: processClaims(),
  };
  for (const name of inputs) await ingest(deps, splitMbox(await fixture(name)).map((raw, i) => ({ source: `${name}#${i}`, raw })));
  db.close();
  return new Map(sent.map((m) => [/^In-Reply-To: (.*)$/m.exec(m.raw.replace(/\r\n/g, '\n'))?.[1] ?? '', normalise(m.raw)]));
}

async function matchesRef(name: string, actual: string | undefined): Promise<void> {
  expect(actual, `no reply for ${name}`).toBeDefined();
  const file = join(FIXTURES, name);
  if (process.env.LOCKSCOPE_UPDATE_REFS === '1') await writeFile(file, actual as string);
  expect(actual).toBe(await readFile(file, 'utf8'));
}

describe('reference replies', () => {
  // A patch fixing an AB-BA deadlock: the reply kernel developers see.
  it('single-fix.eml', async () => {
    const replies = await run(['single-fix.eml']);
    await matchesRef('single-fix.ref-reply.txt', replies.get('<20260301100000.1001-1-ada@example.org>'));
  });

  // The summary on the cover letter of a series that adds one inversion and removes another.
  it('series-v1.mbox', async () => {
    const replies = await run(['series-v1.mbox']);
    await matchesRef('series-v1.ref-reply.txt', replies.get('<20260302090000.2000-0-grace@example.org>'));
  });

  // The v2 summary, which says what changed against v1.
  it('series-v2.mbox', async () => {
    const replies = await run(['series-v1.mbox', 'series-v2.mbox']);
    await matchesRef('series-v2.ref-reply.txt', replies.get('<20260305090000.3000-0-grace@example.org>'));
  });

  // The note a patch that does not apply gets with onApplyFailure: reply.
  it('no-apply.eml', async () => {
    const replies = await run(['no-apply.eml']);
    await matchesRef('no-apply.ref-reply.txt', replies.get('<20260302110000.1002-1-ada@example.org>'));
  });

  // The note a format=flowed patch gets.
  it('flowed.eml', async () => {
    const replies = await run(['flowed.eml']);
    await matchesRef('flowed.ref-reply.txt', replies.get('<20260303100000.1003-1-ada@example.org>'));
  });
});
