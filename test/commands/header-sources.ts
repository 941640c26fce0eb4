/**
 * The C sources the header tests share (header-constants, header-prototypes, check-headers):
 * a netfilter-like queue whose masked verdict switch only a header's values decide, and a
 * fragment table read-locked around a call that only a header's annotation says releases it.
 */

/** `include/linux/nf.h`: the verdicts and their mask. */
export const NF_H = ['#define NF_DROP 0', '#define NF_ACCEPT 1', '#define NF_QUEUE 3 /* queue it */', '#define NF_VERDICT_MASK 0x000000ff', '#define NF_MAX (NF_QUEUE + 1)', ''].join('\n');

/** net/nfq/queue.c without flush(): reinject() locks the queue again only for NF_QUEUE. */
export const QUEUE = [
  '#include <linux/nf.h>',
  'struct entry { int pf; };',
  'struct inst { spinlock_t lock; int total; };',
  'static struct inst *the;',
  'static void enqueue(struct entry *e)',
  '{',
  '\tspin_lock_bh(&the->lock);',
  '\tthe->total++;',
  '\tspin_unlock_bh(&the->lock);',
  '}',
  'void reinject(struct entry *e, unsigned int verdict)',
  '{',
  '\tswitch (verdict & NF_VERDICT_MASK) {',
  '\tcase NF_QUEUE:',
  '\t\tenqueue(e);',
  '\t\tbreak;',
  '\tdefault:',
  '\t\tbreak;',
  '\t}',
  '}',
  'EXPORT_SYMBOL(reinject);',
  '',
].join('\n');

/** flush(): drops an entry under the queue lock, NF_DROP. */
export const FLUSH = [
  'void flush(struct entry *e)',
  '{',
  '\tspin_lock_bh(&the->lock);',
  '\treinject(e, NF_DROP);',
  '\tspin_unlock_bh(&the->lock);',
  '}',
  'EXPORT_SYMBOL(flush);',
  '',
].join('\n');

/** net/frag/frag.c: find() read-locks the table and calls frag_find(), gather() then evicts under the write lock. */
export const FRAG = [
  '#include <net/frag.h>',
  'struct queue { spinlock_t qlock; int len; };',
  'static struct frags table;',
  'static struct queue *find(int key)',
  '{',
  '\tstruct queue *q;',
  '\tread_lock(&table.lock);',
  '\tq = frag_find(&table, key);',
  '\treturn q;',
  '}',
  'static void evict(struct queue *q)',
  '{',
  '\twrite_lock(&table.lock);',
  '\tq->len = 0;',
  '\twrite_unlock(&table.lock);',
  '}',
  'int gather(int key)',
  '{',
  '\tstruct queue *q = find(key);',
  '\tif (q == NULL)',
  '\t\treturn -1;',
  '\tevict(q);',
  '\treturn 0;',
  '}',
  'EXPORT_SYMBOL(gather);',
  '',
].join('\n');
