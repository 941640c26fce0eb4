/**
 * A small argument parser for the subcommands: `--name value`, `--name=value`, boolean flags,
 * and positionals; unknown options are errors, not silently ignored.
 */
export interface ParsedArgs {
  /** The last value of each option. */
  options: Map<string, string>;
  /** Every value of each option, in order (`--context-dir a --context-dir b`). */
  values: Map<string, string[]>;
  flags: Set<string>;
  positionals: string[];
}

export type ArgsResult = { ok: true; args: ParsedArgs } | { ok: false; reason: string };

export function parseArgs(argv: readonly string[], spec: { options: readonly string[]; flags?: readonly string[] }): ArgsResult {
  const options = new Map<string, string>();
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '-') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
    if (spec.flags?.includes(name)) {
      flags.add(name);
      continue;
    }
    if (!spec.options.includes(name)) return { ok: false, reason: `unknown option --${name}` };
    const value = eq === -1 ? argv[++i] : a.slice(eq + 1);
    if (value === undefined) return { ok: false, reason: `--${name} needs a value` };
    options.set(name, value);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return { ok: true, args: { options, values, flags, positionals } };
}

/** Reads a value from a fixed set, or explains which values are allowed. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string): { ok: true; value: T } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, value: fallback };
  return (allowed as readonly string[]).includes(value) ? { ok: true, value: value as T } : { ok: false, reason: `--${name} must be one of ${allowed.join(', ')}` };
}
