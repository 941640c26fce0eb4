/**
 * Where a file names its static functions as values (`.ioctl = foo_ioctl`, `&foo_cb`): such a
 * function runs from calls the program may not see. A name in a comment or an `#if 0` block is no
 * use, and neither is one inside a static table nothing else in the file names (`static struct
 * file_operations foo_fops = { .unlocked_ioctl = foo_ioctl }` whose only `cdev_init(.., &foo_fops)`
 * sits in `#if 0`): a static table is reachable only through its name in its own file, so a
 * function stored only there is never called. Text in, names out.
 */

export interface ValueUses {
  /** Named as a value in code the file compiles. */
  valued: string[];
  /** Named as a value only inside static tables the file's compiled code never names. */
  onlyInUnusedTables: string[];
}

export function valueUses(source: string, statics: ReadonlySet<string>): ValueUses {
  if (statics.size === 0) return { valued: [], onlyInUnusedTables: [] };
  const { live, tables, unused } = compiled(source);
  const valued = new Set<string>();
  const inUnused = new Set<string>();
  // One pass for all of them: each name as a whole word not followed by `(` (spaces aside).
  // A pasted name (`FNAME(fetch)`, syntax.ts) as written, spaces allowed around its words.
  const names = [...statics].sort((a, b) => b.length - a.length).map((n) => n.replace(/[(),]/g, (c) => (c === ',' ? '\\s*,\\s*' : `\\s*\\${c}\\s*`))).join('|');
  for (const m of live.matchAll(new RegExp(`(?<![\\w])(?:${names})(?![\\w])(?!\\s*\\()`, 'g'))) {
    const table = tableAt(tables, m.index);
    const name = m[0].replace(/\s+/g, '');
    if (table && unused.has(table.name)) inUnused.add(name);
    else valued.add(name);
  }
  return { valued: [...valued].sort(), onlyInUnusedTables: [...inUnused].filter((n) => !valued.has(n)).sort() };
}

/**
 * The source with what no build compiles or calls blanked, every other character where it was:
 * `#if 0` blocks and the static tables nothing compiled names (with what they store). Comments
 * and strings are kept.
 */
export function withoutUnusedCode(source: string, includedElsewhere = false): string {
  if (!/^\s*#\s*if\s*\(?\s*0\b/m.test(source) && !/\bstatic\b/.test(source)) return source;
  const { tables, unused, dropped } = compiled(source, includedElsewhere);
  let out = blankLines(source, dropped);
  for (const t of tables) if (unused.has(t.name)) out = out.slice(0, t.start) + blank(out.slice(t.start, t.end + 1)) + out.slice(t.end + 1);
  return out;
}

/**
 * `includedElsewhere`: another `.c` file `#include`s this one (one translation unit with it),
 * and so may name its tables; so may a `.c` file this one includes (`#include "scsi_module.c"`
 * registering the `driver_template` its includer defines). Then no table is unused.
 */
function compiled(source: string, includedElsewhere = false): { live: string; tables: Table[]; unused: Set<string>; dropped: Set<number> } {
  const stripped = blankCommentsAndStrings(source);
  const dropped = ifZeroLines(stripped);
  const live = blankLines(stripped, dropped);
  const tables = staticTables(live);
  const unit = includedElsewhere || /^[ \t]*#[ \t]*include[ \t]+"[^"\n]+\.c"/m.test(source);
  return { live, tables, unused: unit ? new Set() : unusedTables(live, tables), dropped };
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

const blankLines = (text: string, lines: ReadonlySet<number>): string => (lines.size ? text.split('\n').map((l, i) => (lines.has(i) ? blank(l) : l)).join('\n') : text);

interface Table {
  name: string;
  /** Where its definition starts (`static`) and its initialiser ends (`}`). */
  start: number;
  end: number;
}

/** `static [const] struct x name[..] = { ... }` and `static const T name = { ... }`: each static table with an initialiser. */
function staticTables(text: string): Table[] {
  const out: Table[] = [];
  for (const m of text.matchAll(/\bstatic\s+(?:const\s+)?(?:struct\s+)?\w+\s+(?:const\s+)?(\w+)\s*(?:\[[^\]=;{}]*\]\s*)*=\s*\{/g)) {
    let depth = 0;
    let i = m.index + m[0].length - 1;
    for (; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) break;
    }
    out.push({ name: m[1] as string, start: m.index, end: i });
  }
  return out;
}

/**
 * The tables no compiled text names outside their own definition, or outside other such tables:
 * a driver table named only in an unused one is unused too. A name `##` pasting could make
 * (`&n##_ops` in a macro, with the table `foo_ops`) counts as named.
 */
function unusedTables(text: string, tables: readonly Table[]): Set<string> {
  const suffixes = [...text.matchAll(/##\s*(\w+)/g)].map((p) => p[1] as string);
  const prefixes = [...text.matchAll(/(\w+)\s*##/g)].map((p) => p[1] as string);
  const own = new Map<string, Table>();
  for (const t of tables) if (!suffixes.some((x) => t.name.endsWith(x)) && !prefixes.some((x) => t.name.startsWith(x))) own.set(t.name, t);
  if (own.size === 0) return new Set();
  // One pass over the words: where each table's name appears outside its own definition, and in which table if any.
  const uses = new Map<string, (Table | undefined)[]>([...own.keys()].map((n) => [n, []]));
  for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
    const t = own.get(m[0]);
    if (t && (m.index < t.start || m.index > t.end)) uses.get(m[0])?.push(tableAt(tables, m.index));
  }
  const unused = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, at] of uses) {
      if (unused.has(name)) continue;
      if (at.every((inside) => inside !== undefined && unused.has(inside.name))) {
        unused.add(name);
        grew = true;
      }
    }
  }
  return unused;
}

/** The table whose definition holds position `i` (tables in the order of their starts), if any. */
function tableAt(tables: readonly Table[], i: number): Table | undefined {
  let lo = 0;
  let hi = tables.length - 1;
  let found: Table | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tables[mid] as Table;
    if (t.start < i) {
      found = t;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && i < found.end ? found : undefined;
}

/** The text with comments and the insides of string and character literals as spaces, lines kept. */
function blankCommentsAndStrings(source: string): string {
  return source.replace(/"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))|\/\/[^\n]*/g, (m) => (m[0] === '/' ? blank(m) : `${m[0]}${blank(m.slice(1, -1))}${m[m.length - 1]}`));
}

/** The lines `#if 0` (or `#if (0)`) leaves out, up to its `#else`, `#elif` or `#endif`, the directives with them. */
function ifZeroLines(text: string): Set<number> {
  const out = new Set<number>();
  if (!/^\s*#\s*if\s*\(?\s*0\b/m.test(text)) return out;
  const lines = text.split('\n');
  /** For each open conditional: whether it is an `#if 0` whose false branch we are in. */
  const stack: boolean[] = [];
  const dropping = (): boolean => stack.includes(true);
  for (let n = 0; n < lines.length; n++) {
    const d = /^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/.exec(lines[n] as string);
    const was = dropping();
    if (d) {
      const [, word, rest] = d as unknown as [string, string, string];
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') stack.push(word === 'if' && /^\s*\(?\s*0\s*\)?\s*$/.test(rest));
      else if (word === 'endif') stack.pop();
      else if (stack.length) stack[stack.length - 1] = false;
    }
    if (was || dropping()) out.add(n);
  }
  return out;
}
