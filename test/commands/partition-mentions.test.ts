/**
 * One walk of a kernel tree answers, for every directory, which of its non-static functions no
 * file outside it mentions (commands/partition-mentions.ts), with the rules of the walk for one
 * directory: a prototype or a comment mentions nothing, a directory with its own copy of the
 * function calls that copy, a name a macro may paste counts as mentioned.
 */
import { describe, expect, it } from 'vitest';
import { partitionMentions, partitionMentionsApart } from '../../src/commands/partition-mentions.ts';
import { writeTree } from './write-tree.ts';

const fn = (name: string, body = ''): string => `void ${name}(void)\n{\n${body}}\n`;

describe('partitionMentions', () => {
  it("names a directory's functions the rest of the tree does not mention", async () => {
    const root = writeTree('lockscope-mentions-', {
      'include/linux/one.h': 'void quiet(void);\nvoid called_elsewhere(void);\nvoid copied(void);\n',
      'one/a.c': `${fn('quiet')}${fn('called_elsewhere')}${fn('copied')}${fn('do_pasted')}${fn('called_from_assembly')}static ${fn('own_static')}`,
      'one/b.c': fn('caller', '\tquiet();\n'),
      // A comment, and another directory's own copy it calls.
      'two/c.c': `/* quiet() is one/'s */\n${fn('copied')}${fn('two_caller', '\tcopied();\n')}`,
      'three/d.c': fn('three_caller', '\tcalled_elsewhere();\n'),
      // A macro that makes names by pasting: `do_pasted` may be one of them.
      'four/e.c': '#define CALL(x) x##_pasted()\nvoid four(void) { CALL(do); }\n',
      'one/sub/f.c': fn('sub_only'),
      // Assembly beside the C files is no part of the directory's analysis: its call is from outside.
      'one/entry.S': '\tcall called_from_assembly\n',
    });
    const mentions = await partitionMentions(root);
    expect(mentions.unmentioned('one')).toEqual(['caller', 'copied', 'quiet']);
    // A sub-directory is a directory of its own: one/'s calls into it are from outside it.
    expect(mentions.unmentioned('one/sub')).toEqual(['sub_only']);
    expect(mentions.unmentioned('two')).toEqual(['copied', 'two_caller']);
    expect(mentions.unmentioned('five')).toEqual([]);
    // Walked in a thread of its own (as analyze --by-directory does): the same answers.
    const apart = await partitionMentionsApart(root);
    expect([...apart.answers()].sort()).toEqual([...mentions.answers()].sort());
    expect(apart.unmentioned('one')).toEqual(mentions.unmentioned('one'));
  });
});
