/**
 * `lockscope check` reads the kernel tree's headers the analysed files include, as `analyze`
 * does (header-prototypes.test.ts, header-constants.test.ts): a patch to net/frag makes find()
 * read-lock the table and call frag_find(), which `include/net/frag.h` declares
 * `__releases(&f->lock)` and no analysed file defines, before evict() write-locks it; a patch to
 * net/nfq makes flush() call reinject(e, NF_DROP) under the queue lock, where reinject's masked
 * switch takes the case that locks it again only for NF_QUEUE, a value `include/linux/nf.h`
 * gives. Without the headers both read as an added recursion.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';
import { testRepo } from './git-repo.ts';
import { TREE_ROOT, writeTree } from './write-tree.ts';
import { FLUSH, FRAG, NF_H, QUEUE } from './header-sources.ts';

const FRAG_H = [
  '#ifndef _FRAG_H',
  '#define _FRAG_H',
  'struct frags { rwlock_t lock; int rnd; };',
  'struct queue *frag_find(struct frags *f,',
  '\t\tint key)',
  '\t__releases(&f->lock);',
  '#endif',
  '',
].join('\n');
const PLAIN_FRAG_H = FRAG_H.replace('\t__releases(&f->lock);', ';');

const FRAG_BEFORE = [
  '#include <net/frag.h>',
  'struct queue { spinlock_t qlock; int len; };',
  'static struct frags table;',
  'static void evict(struct queue *q)',
  '{',
  '\twrite_lock(&table.lock);',
  '\tq->len = 0;',
  '\twrite_unlock(&table.lock);',
  '}',
  'int gather(struct queue *q)',
  '{',
  '\tevict(q);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(gather);',
  '',
].join('\n');

/** The patch: gather() looks its queue up, read-locking the table around frag_find(). */
const FRAG_AFTER = FRAG;

/** The patch: flush() drops an entry under the queue lock. */
const QUEUE_BEFORE = QUEUE;
const QUEUE_AFTER = `${QUEUE}${FLUSH}`;

interface CheckJson {
  verdict: string;
  inversions: { added: { locks: string[] }[] };
  findings: { added: { kind: string; locks: string[] }[] };
}

/**
 * `lockscope check --repo` of the patch that turns `before` into `after` (each path -> text), in
 * a git repository holding the tree `base`: the lock classes of the findings the patch adds.
 */
async function checkPatch(base: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): Promise<{ verdict: string; added: string[] }> {
  const seed = writeTree('lockscope-check-headers-', { ...TREE_ROOT, ...base });
  const repo = testRepo(seed);
  rmSync(seed, { recursive: true, force: true });
  try {
    for (const [path, text] of Object.entries(after)) writeFileSync(join(repo.dir, path), text);
    const patch = `${repo.git(['diff'])}\n`;
    repo.git(['checkout', '-q', '--', '.']);
    const r = await cli(['check', '--repo', repo.dir, '--format', 'json', '-'], { stdin: patch, env: { HOME: repo.dir } });
    expect(r.err).toBe('');
    const json = JSON.parse(r.out) as CheckJson;
    const added = [...json.inversions.added.map((i) => i.locks), ...json.findings.added.map((f) => f.locks)].map((locks) => [...new Set(locks)].sort().join(' <-> '));
    return { verdict: json.verdict, added: [...new Set(added)].sort() };
  } finally {
    repo.remove();
  }
}

describe('check: the kernel headers the patched files include', () => {
  it('a call the header declares __releases(&f->lock) leaves the read lock unheld: the patch adds no recursion', async () => {
    const frag = (header: string): Record<string, string> => ({ 'net/Makefile': 'obj-y += frag/\n', 'net/frag/frag.c': FRAG_BEFORE, 'include/net/frag.h': header });
    const annotated = await checkPatch(frag(FRAG_H), { 'net/frag/frag.c': FRAG_AFTER });
    expect(annotated).toEqual({ verdict: 'no-change', added: [] });
    // Without the annotation find() returns holding the read lock, and evict() write-locks it.
    // frag.c is the same as above: the process's analysis cache must not answer for the other header.
    const plain = await checkPatch(frag(PLAIN_FRAG_H), { 'net/frag/frag.c': FRAG_AFTER });
    expect(plain.added).toEqual(['frags.lock']);
    // A patch that annotates the header itself is reviewed with its annotation.
    const patched = await checkPatch(frag(PLAIN_FRAG_H), { 'net/frag/frag.c': FRAG_AFTER, 'include/net/frag.h': FRAG_H });
    expect(patched.added).toEqual([]);
  });

  it('a constant verdict masked in a switch takes only its own case, by the header\'s values', async () => {
    const nfq = (header: Record<string, string>): Record<string, string> => ({ 'net/Makefile': 'obj-y += nfq/\n', 'net/nfq/queue.c': QUEUE_BEFORE, ...header });
    expect((await checkPatch(nfq({ 'include/linux/nf.h': NF_H }), { 'net/nfq/queue.c': QUEUE_AFTER })).added).toEqual([]);
    // Without the values NF_DROP may be NF_QUEUE: the case that locks the queue again is walked.
    expect((await checkPatch(nfq({}), { 'net/nfq/queue.c': QUEUE_AFTER })).added).toEqual(['inst.lock']);
  });
});
