/**
 * `#if LINUX_VERSION_CODE >= KERNEL_VERSION(3,0,0)`: a vendor driver carried across kernel
 * versions picks its code by the version of the tree it is built in. Inside a kernel tree that
 * version is known (its top Makefile's VERSION, PATCHLEVEL, SUBLEVEL), so a directive whose whole
 * condition is such comparisons (with `&&`, `||`, `!`, parentheses) becomes `#if 1` or `#if 0`,
 * padded to its length so lines and columns stay: the other branch is dropped as the compiler
 * drops it, also where the branches cannot be parsed together (conditional-branches.ts). A
 * condition that also names other macros is left as written.
 */

/** KERNEL_VERSION(a, b, c). */
export const kernelVersion = (a: number, b: number, c: number): number => a * 65536 + b * 256 + Math.min(c, 255);

/** LINUX_VERSION_CODE a tree's top Makefile says (VERSION, PATCHLEVEL, SUBLEVEL); undefined if it does not. */
export function makefileKernelVersion(text: string): number | undefined {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}[ \\t]*=[ \\t]*(\\d+)[ \\t]*$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const [v, p, s] = [field('VERSION'), field('PATCHLEVEL'), field('SUBLEVEL')];
  return v === undefined || p === undefined ? undefined : kernelVersion(v, p, s ?? 0);
}

const COMPARISON = /LINUX_VERSION_CODE\s*(<=|>=|<|>|==|!=)\s*KERNEL_VERSION\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)|KERNEL_VERSION\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)\s*(<=|>=|<|>|==|!=)\s*LINUX_VERSION_CODE/g;
const MIRROR: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

/** The text with every `#if`/`#elif` on version comparisons alone decided for `version`. */
export function foldVersionTests(text: string, version: number): string {
  if (!text.includes('LINUX_VERSION_CODE')) return text;
  return text.replace(/^([ \t]*#[ \t]*(?:if|elif)\b)([^\n]*)$/gm, (line, directive: string, condition: string) => {
    if (!condition.includes('LINUX_VERSION_CODE') || condition.trimEnd().endsWith('\\')) return line;
    const code = condition.replace(/\/\*.*?\*\/|\/\/.*$/g, '');
    const folded = code.replace(COMPARISON, (_m, op1?: string, a1?: string, b1?: string, c1?: string, a2?: string, b2?: string, c2?: string, op2?: string) => {
      const against = op1 ? kernelVersion(Number(a1), Number(b1), Number(c1)) : kernelVersion(Number(a2), Number(b2), Number(c2));
      const op = op1 ?? MIRROR[op2 as string] ?? '==';
      return compare(version, op, against) ? '1' : '0';
    });
    const value = evaluate(folded);
    if (value === undefined) return line;
    return `${directive}${` ${value ? 1 : 0}`.padEnd(condition.length, ' ')}`;
  });
}

/** `!(1 && 0) || 1`: the value of 0/1 joined by `!`, `&&`, `||` and parentheses, or undefined for anything else. */
function evaluate(expression: string): boolean | undefined {
  const tokens = expression.match(/\d+|&&|\|\||!|\(|\)|\S/g) ?? [];
  let i = 0;
  const primary = (): boolean | undefined => {
    const t = tokens[i++];
    if (t === '!') {
      const v = primary();
      return v === undefined ? undefined : !v;
    }
    if (t === '(') {
      const v = or();
      return tokens[i++] === ')' ? v : undefined;
    }
    return t === '0' ? false : t === '1' ? true : undefined;
  };
  const and = (): boolean | undefined => {
    let v = primary();
    while (v !== undefined && tokens[i] === '&&') {
      i++;
      const r = primary();
      v = r === undefined ? undefined : v && r;
    }
    return v;
  };
  const or = (): boolean | undefined => {
    let v = and();
    while (v !== undefined && tokens[i] === '||') {
      i++;
      const r = and();
      v = r === undefined ? undefined : v || r;
    }
    return v;
  };
  const v = or();
  return i === tokens.length ? v : undefined;
}
