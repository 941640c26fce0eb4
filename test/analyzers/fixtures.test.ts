/**
 * The C fixture corpus: each file (or directory, for multi-file programs) under
 * test/fixtures/c carries its own expectations as comments:
 *   // EXPECT-CYCLE: a b          an inversion over exactly these classes (`a <-> b c` when a name has spaces)
 *   // EXPECT-NO-CYCLE: a b       none over exactly these classes
 *   // EXPECT-EDGE: a -> b        b may be taken while a is held
 *   // EXPECT-NO-EDGE: a -> b
 *   // EXPECT-CHAIN: a -> b: f g  the witness of a -> b passes through these functions, in order
 *   // EXPECT-STEPS: a -> b: 4    the witness of a -> b has exactly that many steps
 *   // EXPECT-INFERRED: name      the class is marked inferred
 *   // EXPECT-SKIPPED             some part was reported as not parsed
 *   // EXPECT-SKIPPED-REASON: t   a skipped entry's reason contains t
 *   // EXPECT-NO-SKIPPED          every line was parsed and every lock named
 *   // EXPECT-FINDING: kind a b   a finding of that kind over exactly these classes
 *   // EXPECT-NO-FINDING: kind    no finding of that kind (over these classes, when given)
 *   // EXPECT-FINDING-IN: kind f  a finding of that kind reported in function f
 *   // EXPECT-CONFIDENCE: high a b  the inversion over exactly these classes has that confidence
 *   // EXPECT-NO-FINDING-IN: kind f  none of that kind reported in function f
 * A directory's Makefiles, where it has any, say which module each source is linked into
 * (context/kbuild.ts compositeModules), as the command line reads them.
 * All inversions of the corpus are also kept in one golden file (UPDATE_GOLDEN=1 rewrites it).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';
import { compositeModules } from '../../src/context/kbuild.ts';
import type { AnalysisJson } from '../../src/analyzers/report-types.ts';
import { stepText } from '../../src/render/step-text.ts';

const root = join(import.meta.dirname, '../fixtures/c');
const golden = join(root, 'inversions.golden.txt');
/** The bundled example (the seed scenario rebuilt) carries its expectations too. */
const example = join(import.meta.dirname, '../../examples/intel-iommu/base');
const EXAMPLE = 'examples/intel-iommu';

function filesOf(entry: string, pattern: RegExp): { path: string; text: string }[] {
  const full = entry === EXAMPLE ? example : join(root, entry);
  if (!statSync(full).isDirectory()) return pattern.test(entry) ? [{ path: entry, text: readFileSync(full, 'utf8') }] : [];
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push({ path: relative(entry === EXAMPLE ? example : root, p), text: readFileSync(p, 'utf8') });
    }
  };
  walk(full);
  return out;
}

const sourcesOf = (entry: string): { path: string; text: string }[] => filesOf(entry, /\.[ch]$/);

const entries = [...readdirSync(root).filter((e) => e.endsWith('.c') || statSync(join(root, e)).isDirectory()).sort(), EXAMPLE];
const setKey = (locks: string[]): string => [...locks].sort().join(' ');
const names = (arg: string): string[] => (arg.includes(' <-> ') ? arg.split(' <-> ') : arg.split(/\s+/)).map((s) => s.trim());


async function analyze(entry: string): Promise<AnalysisJson> {
  const makefiles = filesOf(entry, /^(Makefile|Kbuild)$/);
  return (await analyzeSources(sourcesOf(entry), makefiles.length ? { modules: compositeModules(makefiles) } : {})).json;
}

describe('C fixture corpus', () => {
  it('has fixtures for every behaviour the analyzer promises', () => {
    expect(entries.length).toBeGreaterThanOrEqual(48);

  });

  for (const entry of entries) {
    it(entry, async () => {
      const text = sourcesOf(entry).map((s) => s.text).join('\n');
      const expectations = [...text.matchAll(/\/\/ EXPECT-([A-Z-]+)(?::\s*(.*))?$/gm)];
      expect(expectations.length, 'a fixture without expectations proves nothing').toBeGreaterThan(0);
      const json = await analyze(entry);
      const cycles = new Set(json.inversions.map((i) => setKey(i.locks)));
      const edges = new Map(json.edges.map((e) => [`${e.from} -> ${e.to}`, e]));
      for (const [, kind, arg = ''] of expectations) {
        switch (kind) {
          case 'CYCLE':
            expect([...cycles], `cycle ${arg}`).toContain(setKey(names(arg.trim())));
            break;
          case 'NO-CYCLE':
            expect([...cycles], `no cycle ${arg}`).not.toContain(setKey(names(arg.trim())));
            break;
          case 'EDGE':
            expect([...edges.keys()], `edge ${arg}`).toContain(arg.trim());
            break;
          case 'NO-EDGE':
            expect([...edges.keys()], `no edge ${arg}`).not.toContain(arg.trim());
            break;
          case 'CHAIN': {
            const [edge = '', fns = ''] = arg.split(/:\s*/);
            const e = edges.get(edge.trim());
            expect(e, `edge ${edge}`).toBeDefined();
            const seen = [...new Set(e?.chain.map((s) => s.function))];
            expect(seen).toEqual(fns.trim().split(/\s+/));
            break;
          }
          case 'STEPS': {
            const [edge = '', n = ''] = arg.split(/:\s*/);
            const e = edges.get(edge.trim());
            expect(e, `edge ${edge}`).toBeDefined();
            expect(e?.chain.map((s) => `${s.function}:${s.line}`), `witness of ${edge} within ${n} steps`).toHaveLength(Number(n));
            break;
          }
          case 'INFERRED':
            expect(json.locks.find((l) => l.name === arg.trim())?.inferred).toBe(true);
            break;
          case 'SKIPPED':
            expect(json.skipped.length).toBeGreaterThan(0);
            break;
          case 'NO-SKIPPED':
            expect(json.skipped).toEqual([]);
            break;
          case 'SKIPPED-REASON':
            expect(json.skipped.map((s) => s.reason).join('\n')).toContain(arg.trim());
            break;
          case 'FINDING':
          case 'NO-FINDING': {
            const [findingKind, ...locks] = arg.trim().split(/\s+/);
            const matching = json.findings.filter((f) => f.kind === findingKind && (locks.length === 0 || setKey(f.locks) === setKey(locks)));
            if (kind === 'FINDING') expect(matching.map((f) => f.title), `finding ${arg}`).not.toEqual([]);
            else expect(matching.map((f) => f.title), `no finding ${arg}`).toEqual([]);
            break;
          }
          case 'FINDING-IN':
          case 'NO-FINDING-IN': {
            const [findingKind, fn] = arg.trim().split(/\s+/);
            const matching = json.findings.filter((f) => f.kind === findingKind && f.function === fn);
            if (kind === 'FINDING-IN') expect(matching.map((f) => f.title), `finding ${arg}`).not.toEqual([]);
            else expect(matching.map((f) => f.title), `no finding ${arg}`).toEqual([]);
            break;
          }
          case 'CONFIDENCE': {
            const [level, ...locks] = arg.trim().split(/\s+/);
            const inv = json.inversions.find((i) => setKey(i.locks) === setKey(locks));
            expect(inv, `cycle ${locks.join(' ')}`).toBeDefined();
            expect(inv?.confidence?.level, `confidence of ${locks.join(' ')}`).toBe(level);
            break;
          }
          default:
            throw new Error(`unknown expectation ${kind}`);
        }
      }
      // Every edge carries a witness that starts by taking `from` and ends by taking `to`.
      for (const e of json.edges) {
        expect(e.chain.length).toBeGreaterThanOrEqual(2);
        expect(e.chain[e.chain.length - 1]?.op).toMatch(/^(acquire|trylock)$/);
      }
      // An assertion's witness (one call path) never returns to a frame it left (a recursive
      // cycle walked twice). Other kinds join two paths (where held, where taken).
      for (const f of json.findings.filter((x) => x.kind === 'assert-not-held')) {
        for (const ev of f.evidence) {
          const frames = ev.chain.map((s) => s.function).filter((fn, i, all) => i === 0 || all[i - 1] !== fn);
          expect(frames, `${f.title}: frames of its witness`).toEqual([...new Set(frames)]);
        }
      }
    });
  }

  it('matches the golden list of inversions', async () => {
    const lines: string[] = [];
    for (const entry of entries) {
      const json = await analyze(entry);
      for (const inv of json.inversions) {
        lines.push(`${entry}: ${inv.locks.join(' -> ')} -> ${inv.locks[0]}`);
        for (const e of inv.edges) lines.push(`  ${e.from} -> ${e.to}: ${e.chain.map((s) => `${s.function}:${s.line} ${stepText(s)}`).join(' | ')}`);
      }
    }
    const text = `${lines.join('\n')}\n`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });
});
