/**
 * A hub function (a tree search) is called from everywhere with a key whose members each caller
 * fills with its own constants, and a path object freshly zeroed, whose mode flags (`p->split`)
 * are 0 unless the caller set them. The key's constants exhaust the hub's specialisations on
 * members known as constants; past that cap, which members of the zeroed object are still 0
 * must still pick the hub's branches, or a read-only search is taken to split and allocate.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

function hub(callers: number): string {
  const lines = [
    'struct key { int type; int id; };',
    'struct path { int split; int reada; };',
    'struct trans { int n; };',
    'static DEFINE_MUTEX(alloc_lock);',
    'static DEFINE_MUTEX(commit_sem);',
    'void note(int type);',
    'static void grow(struct trans *t)',
    '{',
    '\tmutex_lock(&alloc_lock);',
    '\tt->n++;',
    '\tmutex_unlock(&alloc_lock);',
    '}',
    'int search(struct trans *t, struct key *k, struct path *p, int ins)',
    '{',
    '\tif (k->type == 3)',
    '\t\tnote(k->id);',
    '\tif (p->split || ins > 0)',
    '\t\tgrow(t);',
    '\treturn 0;',
    '}',
  ];
  // Every caller its own key: a constant stored into a member the hub tests.
  for (let i = 0; i < callers; i++) {
    lines.push(
      `int lookup${i}(struct trans *t)`,
      '{',
      '\tstruct key k;',
      '\tstruct path *p = kzalloc(sizeof(*p), GFP_KERNEL);',
      `\tk.type = ${i};`,
      `\tk.id = ${i};`,
      `\treturn search(t, &k, p, ${i % 2});`,
      '}',
    );
  }
  lines.push(
    'void cache_thread(void)',
    '{',
    '\tstruct key k;',
    '\tstruct path *p = kzalloc(sizeof(*p), GFP_KERNEL);',
    '\tp->reada = 1;',
    '\tk.type = 1000;',
    '\tmutex_lock(&commit_sem);',
    '\tsearch(NULL, &k, p, 0);',
    '\tmutex_unlock(&commit_sem);',
    '}',
    'void commit(struct trans *t)',
    '{',
    '\tmutex_lock(&alloc_lock);',
    '\tmutex_lock(&commit_sem);',
    '\tt->n = 0;',
    '\tmutex_unlock(&commit_sem);',
    '\tmutex_unlock(&alloc_lock);',
    '}',
  );
  return `${lines.join('\n')}\n`;
}

describe('zeroed objects past the specialisation caps', () => {
  it('a read-only search with a fresh path does not reach the allocation, however many keys came before', async () => {
    const result = await analyzeSources([{ path: 'hub.c', text: hub(90) }]);
    const edges = result.json.edges.map((e) => `${e.from} -> ${e.to}`);
    expect(edges).toContain('alloc_lock -> commit_sem');
    expect(edges).not.toContain('commit_sem -> alloc_lock');
    expect(result.json.inversions).toEqual([]);
  });
});
