/**
 * Helpers for the analyzer's unit tests: C snippets written in a test, lowered the way the
 * analysis lowers a file (macro rewrite, tree-sitter, lowering), and small walks over the IR to
 * pick out what a test asserts on. Not a test file itself; it holds no expectations.
 */
import type { CallEvent, FileFacts, FunctionIR, Op, Stmt } from '../../src/analyzers/c/ir.ts';
import { opsOf } from '../../src/analyzers/c/call-graph.ts';
import { lowerText } from '../../src/analyzers/c/extract-facts.ts';
import { loadCParser, type CParser } from '../../src/analyzers/c/parser.ts';
import { Program, type FunctionEntry } from '../../src/analyzers/c/program.ts';

let parser: Promise<CParser> | undefined;

/** One file's facts; the path matters for file-static keys (`lock@drivers:x:a.c`). */
export async function lower(text: string, path = 'drivers/x/a.c'): Promise<FileFacts> {
  parser ??= loadCParser();
  return lowerText(await parser, { path, text });
}

/** A program over several files, each given as { path: text }. */
export async function programOf(files: Record<string, string>): Promise<Program> {
  const facts: FileFacts[] = [];
  for (const [path, text] of Object.entries(files)) facts.push(await lower(text, path));
  return new Program(facts);
}

/** The one function of that name (the first, for #ifdef twins); fails the test when absent. */
export function fnNamed(facts: FileFacts, name: string): FunctionIR {
  const fn = facts.functions.find((f) => f.name === name);
  if (!fn) throw new Error(`no function ${name} in ${facts.functions.map((f) => f.name).join(', ')}`);
  return fn;
}

export function entryOf(program: Program, name: string): FunctionEntry {
  const e = program.functions.find((f) => f.fn.name === name);
  if (!e) throw new Error(`no function ${name} in the program`);
  return e;
}

/** A function body's statements, without the empty ones declarations without calls leave. */
export function topLevel(fn: FunctionIR): Stmt[] {
  if (fn.body.k !== 'block') return [fn.body];
  return fn.body.body.filter((s) => !(s.k === 'ops' && s.ops.length === 0));
}

/** Every statement under `s` (itself included), in pre-order. */
export function statements(s: Stmt): Stmt[] {
  const out: Stmt[] = [s];
  switch (s.k) {
    case 'block':
      for (const b of s.body) out.push(...statements(b));
      break;
    case 'if':
      out.push(...statements(s.then));
      if (s.else) out.push(...statements(s.else));
      break;
    case 'loop':
    case 'scoped':
      out.push(...statements(s.body));
      break;
    case 'switch':
      for (const c of s.cases) for (const b of c) out.push(...statements(b));
      break;
  }
  return out;
}

/** Every operation under `s`, conditions and loop updates included (the analyzer's own walk). */
export function opsUnder(s: Stmt): Op[] {
  const out: Op[] = [];
  opsOf(s, (o) => out.push(o));
  return out;
}

/** The calls under `s`, in order. */
export function callsUnder(s: Stmt): CallEvent[] {
  return opsUnder(s).filter((o): o is CallEvent => o.k === undefined);
}

/** The first call to `callee` in the function; fails the test when there is none. */
export function callTo(fn: FunctionIR, callee: string): CallEvent {
  const c = callsUnder(fn.body).find((e) => e.callee === callee);
  if (!c) throw new Error(`${fn.name}() makes no call to ${callee}()`);
  return c;
}

/** The first statement of kind `k` in the function. */
export function firstOf<K extends Stmt['k']>(fn: FunctionIR, k: K): Extract<Stmt, { k: K }> {
  const s = statements(fn.body).find((x) => x.k === k);
  if (!s) throw new Error(`${fn.name}() has no ${k} statement`);
  return s as Extract<Stmt, { k: K }>;
}
