/**
 * The value of an `#if` expression where the build decides the macros it asks about:
 * `defined(CONFIG_A) && !defined(CONFIG_B)`, `IS_ENABLED(CONFIG_X)`, `CONFIG_NR > 1`, bit
 * tests (`NR & 4`: created-values.ts also reads a constructor's `flags & F_SPIN` with it). Unknown
 * names make the value unknown, except where the other side decides (`0 && x`, `1 || x`), as
 * the preprocessor would. The text is the condition with its whitespace removed (the form
 * lowering keys `#if` atoms by). Pure.
 */

export interface MacroAnswers {
  /** Whether `#ifdef NAME` is on, or undefined when the build does not say. */
  defined(name: string): boolean | undefined;
  /** What `#if NAME` sees, or undefined. */
  value(name: string): number | undefined;
}

type V = number | undefined;

/** The condition's value, or undefined when it depends on what the build does not say (or does not parse). */
export function evalPreprocCondition(text: string, macros: MacroAnswers): V {
  const source = text.replace(/\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b/g, '$1');
  const tokens = source.match(/0[xX][0-9a-fA-F]+|\d+|[A-Za-z_]\w*|&&|\|\||==|!=|<=|>=|<<|>>|[!~&|^()<>+\-*]/g);
  if (!tokens || tokens.join('') !== source) return undefined;
  let at = 0;
  const peek = (): string | undefined => tokens[at];
  const take = (t: string): boolean => (tokens[at] === t ? (at++, true) : false);
  let bad = false;

  const primary = (): V => {
    const t = tokens[at++];
    if (t === undefined) return ((bad = true), undefined);
    if (t === '(') {
      const v = or();
      if (!take(')')) bad = true;
      return v;
    }
    if (t === '!') return not(primary());
    if (t === '~') {
      const v = primary();
      return v === undefined ? undefined : ~v;
    }
    if (t === '-') {
      const v = primary();
      return v === undefined ? undefined : -v;
    }
    if (/^\d/.test(t)) return Number(t);
    if (t === 'defined' || t === 'IS_ENABLED' || t === 'IS_BUILTIN' || t === 'IS_MODULE') {
      if (!take('(')) return ((bad = true), undefined);
      const name = tokens[at++] ?? '';
      if (!take(')') || !/^[A-Za-z_]\w*$/.test(name)) return ((bad = true), undefined);
      if (t === 'defined') return bit(macros.defined(name));
      const builtin = macros.defined(name);
      const module = macros.defined(`${name}_MODULE`);
      if (t === 'IS_BUILTIN') return bit(builtin);
      if (t === 'IS_MODULE') return bit(module);
      return builtin === true || module === true ? 1 : builtin === false && module === false ? 0 : undefined;
    }
    // `defined X` (its space gone with the rest).
    if (/^defined[A-Za-z_]/.test(t)) return bit(macros.defined(t.slice('defined'.length)));
    // A function-like macro the build does not know (`KERNEL_VERSION(3,0,0)`): unknown.
    if (peek() === '(') return ((bad = true), undefined);
    return macros.value(t);
  };
  const binary = (next: () => V, ops: Record<string, (a: number, b: number) => number>): (() => V) => () => {
    let v = next();
    for (let op = peek(); op !== undefined && op in ops; op = peek()) {
      at++;
      const w = next();
      v = v === undefined || w === undefined ? undefined : (ops[op] as (a: number, b: number) => number)(v, w);
    }
    return v;
  };
  const sum = binary(binary(primary, { '*': (a, b) => a * b }), { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const shift = binary(sum, { '<<': (a, b) => a << b, '>>': (a, b) => a >> b });
  const compare = binary(shift, { '<': (a, b) => +(a < b), '>': (a, b) => +(a > b), '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b) });
  const equal = binary(compare, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const bitOr = binary(binary(binary(equal, { '&': (a, b) => a & b }), { '^': (a, b) => a ^ b }), { '|': (a, b) => a | b });
  const and = (): V => {
    let v = bitOr();
    while (take('&&')) {
      const w = bitOr();
      v = v === 0 || w === 0 ? 0 : v === undefined || w === undefined ? undefined : 1;
    }
    return v;
  };
  function or(): V {
    let v = and();
    while (take('||')) {
      const w = and();
      v = (v !== undefined && v !== 0) || (w !== undefined && w !== 0) ? 1 : v === undefined || w === undefined ? undefined : 0;
    }
    return v;
  }
  const v = or();
  return bad || at !== tokens.length ? undefined : v;
}

const not = (v: V): V => (v === undefined ? undefined : +(v === 0));
const bit = (b: boolean | undefined): V => (b === undefined ? undefined : +b);
