import { describe, expect, it } from 'vitest';
import { afterListCall, walkingList } from '../../src/analyzers/flow/local-lists.ts';
import { joinFacts, type Facts } from '../../src/analyzers/flow/facts.ts';
import { N, P, type AccessPath, type CallEvent } from '../../src/analyzers/c/ir.ts';

const path = (text: string): AccessPath => {
  const m = /^&?(\w+)(?:->(\w+))?$/.exec(text) as RegExpExecArray;
  return { root: m[1] as string, fields: m[2] ? [m[2]] : [], text };
};
const call = (callee: string, ...args: string[]): CallEvent => ({ callee, args: args.map(path), line: 1 });
const lists = new Set(['msgs']);
const userSet: Facts = [{ key: 'm->user', mask: P | N, reads: ['m'], memory: true }];

describe('local lists', () => {
  const empty = afterListCall([], call('INIT_LIST_HEAD', '&msgs'), lists);

  it('a list just initialised is empty: its walk runs no body', () => {
    expect(walkingList(empty, 'msgs', 'x')).toBeNull();
  });

  it('an element added carries what the path knew of it into the walk', () => {
    const one = afterListCall([...empty, ...userSet], call('list_add_tail', '&m->link', '&msgs'), lists);
    const walked = walkingList(one, 'msgs', 'x');
    expect(walked?.find((f) => f.key === 'x->user')?.mask).toBe(P | N);
  });

  it('an element of unknown members makes the members unknown', () => {
    const one = afterListCall([...empty, ...userSet], call('list_add_tail', '&m->link', '&msgs'), lists);
    const two = afterListCall(one, call('list_add_tail', '&g->link', '&msgs'), lists);
    expect(walkingList(two, 'msgs', 'x')?.some((f) => f.key === 'x->user')).toBe(false);
  });

  it('a path that added nothing joins without losing the other path\'s elements', () => {
    const one = afterListCall([...empty, ...userSet], call('list_add_tail', '&m->link', '&msgs'), lists);
    const joined = joinFacts(empty, one);
    expect(walkingList(joined, 'msgs', 'x')?.find((f) => f.key === 'x->user')?.mask).toBe(P | N);
  });

  it('any other use of the list address forgets it', () => {
    const one = afterListCall([...empty, ...userSet], call('list_add_tail', '&m->link', '&msgs'), lists);
    const spliced = afterListCall(one, call('collect', '&msgs'), lists);
    expect(spliced.some((f) => f.key.startsWith('msgs[]'))).toBe(false);
    expect(walkingList(spliced, 'msgs', 'x')).toEqual(spliced);
  });

  it('a list nobody initialised here is not known empty', () => {
    expect(walkingList([], 'msgs', 'x')).toEqual([]);
  });
});
