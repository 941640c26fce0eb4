/**
 * The join of directories' graphs (order/tree-inversions.ts): a cycle whose witnesses mix two
 * architectures is shown through another witness of the same order when one keeps to one build,
 * and left out when none does; a cycle one directory makes whole is that directory's to report;
 * an inversion two directories both report (a header's inline function) is said once.
 */
import { describe, expect, it } from 'vitest';
import type { StoredEdge, StoredFinding, StoredGraph } from '../../../src/analyzers/order/stored-graph.ts';
import { TreeInversions } from '../../../src/analyzers/order/tree-inversions.ts';

const edge = (from: string, to: string, file: string, line = 1): StoredEdge => ({
  from,
  to,
  held: { read: false, steps: [{ function: 'f', file, line, op: 'acquire', lock: from }] },
  taken: { read: false, steps: [{ function: 'f', file, line: line + 1, op: 'acquire', lock: to }] },
});

const part = (edges: StoredEdge[], cycles: number[][] = []): StoredGraph => ({
  edges,
  kinds: Object.fromEntries(edges.flatMap((e) => [[e.from, 'spinlock'], [e.to, 'spinlock']])),
  cycles: cycles.map((c) => ({ edges: c })),
  counts: { files: 1, functions: 1 },
});

const said = (t: TreeInversions): string[] => {
  return t.result().cycles.map((c) => `${c.locks.join('>')}${c.acrossDirectories ? ` across ${c.acrossDirectories.join(',')}: ${c.edges.map((e) => e.held.chain.step.file).join(',')}` : ''}`);
};

describe('TreeInversions', () => {
  it('shows a cycle across directories through witnesses of one architecture, where the first found mix two', () => {
    const t = new TreeInversions();
    // p -> q made under arch/a (line 1, the shorter witness found first) and in mm; q -> p only under arch/b.
    t.add('arch/a/k', part([edge('p', 'q', 'arch/a/k/a.c')]));
    t.add('arch/b/k', part([edge('q', 'p', 'arch/b/k/b.c')]));
    t.add('mm', part([{ ...edge('p', 'q', 'mm/m.c', 5), taken: { read: false, steps: [{ function: 'g', file: 'mm/m.c', line: 6, op: 'call', callee: 'h' }, { function: 'h', file: 'mm/m.c', line: 9, op: 'acquire', lock: 'q' }] } }]));
    expect(said(t)).toEqual(['p>q across arch/b/k,mm: mm/m.c,arch/b/k/b.c']);
    expect(t.result().mixedBuilds).toBe(0);
  });

  it('leaves out a cycle only two architectures make, and counts it', () => {
    const t = new TreeInversions();
    t.add('arch/a/k', part([edge('p', 'q', 'arch/a/k/a.c')]));
    t.add('arch/b/k', part([edge('q', 'p', 'arch/b/k/b.c')]));
    expect(said(t)).toEqual([]);
    expect(t.result().mixedBuilds).toBe(1);
  });

  it("does not report a cycle one directory makes whole, unless that directory did; another's report of it is said once", () => {
    const t = new TreeInversions();
    // fs made both orders and reported nothing (a filter of its own left the cycle out).
    t.add('fs', part([edge('a', 'b', 'fs/x.c'), edge('b', 'a', 'fs/x.c', 10)]));
    expect(said(t)).toEqual([]);
    // Two directories report the one cycle of a header's inline functions.
    const shared = [edge('c', 'd', 'include/h.h'), edge('d', 'c', 'include/h.h', 10)];
    t.add('net', part(shared, [[0, 1]]));
    t.add('sound', part(shared, [[0, 1]]));
    expect(said(t)).toEqual(['c>d']);
    const r = t.result();
    expect({ files: r.files, functions: r.functions, directories: r.directories }).toEqual({ files: 3, functions: 3, directories: 3 });
  });

  it('leaves out a cycle across directories through a class some directory found lockdep splits by a key object, and counts it', () => {
    const t = new TreeInversions();
    t.add('fs', { ...part([edge('a', 'b', 'fs/x.c')]), reclassed: ['a'] });
    t.add('mm', part([{ ...edge('b', 'a', 'mm/y.c'), to: 'a/1' }, edge('b', 'c', 'mm/y.c', 20)]));
    t.add('net', part([edge('c', 'b', 'net/z.c')]));
    // b -> a/1 closes nothing (a subclass is its own class); a -> b -> ... needs a back to a.
    t.add('kernel', part([edge('b', 'a', 'kernel/k.c')]));
    expect(said(t)).toEqual(['b>c across mm,net: mm/y.c,net/z.c']);
    expect(t.result().reclassed).toBe(1);
  });

  it("leaves out a directory's own cycle through a class another directory found lockdep never validates; a split class's own cycle stays", () => {
    const t = new TreeInversions();
    // usb nests a parent's and a child's device mutex; base exempts every device mutex from validation.
    t.add('drivers/usb', part([edge('dev.mutex', 'dev.mutex', 'drivers/usb/hub.c'), edge('inode.i_mutex', 'x', 'drivers/usb/f.c'), edge('x', 'inode.i_mutex', 'drivers/usb/f.c', 10)], [[0], [1, 2]]));
    t.add('drivers/base', { ...part([]), reclassed: ['dev.mutex', 'inode.i_mutex'], unvalidated: ['dev.mutex'] });
    expect(said(t)).toEqual(['inode.i_mutex>x']);
    expect(t.result().unvalidated).toBe(1);
  });
  it('leaves out a cycle across directories through a mutex taken under a spinlock that a directory reports as a sleep, and counts it', () => {
    const t = new TreeInversions();
    const kinds = { s: 'spinlock', m: 'mutex' } as const;
    const sleep: StoredFinding = { kind: 'sleep-in-atomic', locks: ['s'], function: 'f', file: 'a/a.c', line: 2, title: 'sleeping function called from invalid context', evidence: [], key: 'k' };
    t.add('a', { ...part([edge('s', 'm', 'a/a.c')]), kinds, findings: [sleep] });
    t.add('b', { ...part([edge('m', 's', 'b/b.c')]), kinds });
    expect(said(t)).toEqual([]);
    expect(t.result().folded).toBe(1);
    // Without the sleep said (a condition the checker kept), the cycle stands.
    const u = new TreeInversions();
    u.add('a', { ...part([edge('s', 'm', 'a/a.c')]), kinds });
    u.add('b', { ...part([edge('m', 's', 'b/b.c')]), kinds });
    expect(said(u)).toEqual(['m>s across a,b: b/b.c,a/a.c']);
  });
});
