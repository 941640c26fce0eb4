/**
 * The same text at two paths is not the same file's facts: what a file includes is resolved from
 * its own directory. `a/classic.c` and `b/classic.c` both `#include "pinnacle.c"`, and each is
 * one translation unit with its own directory's pinnacle.c: the static lock that file defines is
 * one class per unit, named by the unit. With one facts cache shared by two programs (a worker
 * analysing one directory after another, a server reviewing one tree after another), the second
 * must not get the first one's includes.
 */
import { describe, expect, it } from 'vitest';
import { analyzeProgram } from '../../src/analyzers/analyze-program.ts';
import { FactsCache } from '../../src/analyzers/c/facts-cache.ts';
import { extractFacts } from '../../src/analyzers/c/extract-facts.ts';

const CLASSIC = '/* All the work is in pinnacle.c. */\n#define CLASSIC\n#include "pinnacle.c"\n';
const PINNACLE = `static DEFINE_MUTEX(card_mutex);
static DEFINE_SPINLOCK(card_lock);

int card_open(void)
{
	mutex_lock(&card_mutex);
	spin_lock(&card_lock);
	spin_unlock(&card_lock);
	mutex_unlock(&card_mutex);
	return 0;
}
`;

describe('facts of one text at two paths', () => {
  it('resolve their includes from their own directory, with a cache shared by both programs', async () => {
    const cache = new FactsCache();
    const [a] = await extractFacts([{ path: 'a/classic.c', text: CLASSIC }], { cache });
    const [b] = await extractFacts([{ path: 'b/classic.c', text: CLASSIC }], { cache });
    expect(a?.includesC).toEqual(['a/pinnacle.c']);
    expect(b?.includesC).toEqual(['b/pinnacle.c']);
  });

  it('name a static lock by the unit that includes its file, whichever program lowered the text first', async () => {
    const cache = new FactsCache();
    const program = async (dir: string): Promise<string[]> => {
      const facts = await extractFacts([{ path: `${dir}/classic.c`, text: CLASSIC }, { path: `${dir}/pinnacle.c`, text: PINNACLE }], { cache });
      return [...analyzeProgram(facts).locks.keys()].filter((k) => k.startsWith('card_')).sort();
    };
    expect(await program('a')).toEqual(['card_lock@a:classic.c', 'card_mutex@a:classic.c']);
    expect(await program('b')).toEqual(['card_lock@b:classic.c', 'card_mutex@b:classic.c']);
  });
});
