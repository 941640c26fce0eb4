/**
 * `.github/lockscope.yml`: what a repository tells the app. Read through Probot's
 * `context.config` (default branch, with the org `.github` repo and `_extends` honoured), then
 * validated here into a LockscopeConfig or a reason that the check run shows verbatim. Unknown
 * keys are errors: a misspelt `comment:` silently ignored would look like a broken bot.
 *
 *   enabled: true
 *   paths: { include: ["drivers/**"], exclude: ["**\/test/**"] }
 *   lockFunctions: [{ name: my_lock, effect: acquire, arg: 0 }]
 *   context: calls          # calls | touched | dir | tree
 *   comment: on-change      # always | on-change | never
 *   conclusionOnAdded: failure   # failure | neutral
 *   kinds: { sleep-in-atomic: false }   # or a list of the kinds to report; default all
 *   kernelConfig: arch/arm/configs/board_defconfig   # review for this build (read from the base)
 */
import { parseLockFunctions, type LockFunctionConfig } from '../analyzers/locks/catalogue-config.ts';
import type { FindingKind } from '../analyzers/report-types.ts';
import { ALL_KINDS, parseKinds } from '../finding-kinds.ts';
import { CONTEXT_MODES, type ContextMode } from '../context/types.ts';
import { globMatch } from './glob-match.ts';

export type CommentMode = 'always' | 'on-change' | 'never';

export interface LockscopeConfig {
  enabled: boolean;
  paths: { include: string[]; exclude: string[] };
  lockFunctions: LockFunctionConfig[];
  context: ContextMode;
  comment: CommentMode;
  conclusionOnAdded: 'failure' | 'neutral';
  /** The kinds of finding to report (src/finding-kinds.ts); every kind by default. */
  kinds: FindingKind[];
  /** A .config or defconfig in the repository (path from its root) the review is for; none: any build. */
  kernelConfig?: string;
}

export type ConfigResult = { ok: true; config: LockscopeConfig } | { ok: false; reason: string };

export const DEFAULT_CONFIG: LockscopeConfig = {
  enabled: true,
  paths: { include: [], exclude: [] },
  lockFunctions: [],
  context: 'calls',
  comment: 'on-change',
  conclusionOnAdded: 'failure',
  kinds: [...ALL_KINDS],
};

const TOP_KEYS = ['enabled', 'paths', 'lockFunctions', 'context', 'comment', 'conclusionOnAdded', 'kinds', 'kernelConfig'];

/**
 * Reads and validates the config; `read` is `() => context.config('lockscope.yml', {})`.
 * A YAML syntax error is a config problem (a value); an HTTP failure is rethrown for toOutcome.
 */
export async function loadLockscopeConfig(read: () => Promise<unknown>): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (err) {
    if (typeof (err as { status?: unknown }).status === 'number') throw err;
    return { ok: false, reason: `.github/lockscope.yml could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  return parseLockscopeConfig(raw);
}

/** Validates a parsed YAML value; null or {} gives the defaults. */
export function parseLockscopeConfig(raw: unknown): ConfigResult {
  if (raw === null || raw === undefined) return { ok: true, config: DEFAULT_CONFIG };
  if (!isRecord(raw)) return fail('the file must be a mapping of keys to values');
  const problems: string[] = [];
  for (const key of Object.keys(raw)) if (!TOP_KEYS.includes(key)) problems.push(`unknown key \`${key}\` (known: ${TOP_KEYS.join(', ')})`);

  const enabled = raw.enabled ?? DEFAULT_CONFIG.enabled;
  if (typeof enabled !== 'boolean') problems.push('`enabled` must be true or false');

  const paths = { include: [] as string[], exclude: [] as string[] };
  if (raw.paths !== undefined) {
    if (!isRecord(raw.paths)) problems.push('`paths` must be a mapping with `include` and/or `exclude`');
    else {
      for (const key of Object.keys(raw.paths)) if (key !== 'include' && key !== 'exclude') problems.push(`unknown key \`paths.${key}\``);
      for (const key of ['include', 'exclude'] as const) {
        const list = raw.paths[key] ?? [];
        if (!Array.isArray(list) || !list.every((g) => typeof g === 'string' && g.length > 0)) problems.push(`\`paths.${key}\` must be a list of glob strings`);
        else paths[key] = list as string[];
      }
    }
  }

  const fns = parseLockFunctions(raw.lockFunctions);
  const lockFunctions = fns.ok ? fns.value : [];
  if (!fns.ok) problems.push(...fns.problems);

  const context = oneOf(raw.context, CONTEXT_MODES, DEFAULT_CONFIG.context, 'context', problems);
  const comment = oneOf(raw.comment, ['always', 'on-change', 'never'] as const, DEFAULT_CONFIG.comment, 'comment', problems);
  const conclusionOnAdded = oneOf(raw.conclusionOnAdded, ['failure', 'neutral'] as const, DEFAULT_CONFIG.conclusionOnAdded, 'conclusionOnAdded', problems);

  const parsedKinds = parseKinds(raw.kinds);
  const kinds = parsedKinds.ok ? parsedKinds.value : DEFAULT_CONFIG.kinds;
  if (!parsedKinds.ok) problems.push(...parsedKinds.problems);

  const kernelConfig = raw.kernelConfig;
  if (kernelConfig !== undefined && (typeof kernelConfig !== 'string' || !/^[^/\0][^\0]*$/.test(kernelConfig) || kernelConfig.split('/').includes('..'))) problems.push('`kernelConfig` must be a path inside the repository, from its root (e.g. arch/arm/configs/board_defconfig)');

  if (problems.length > 0) return fail(problems.join('; '));
  return { ok: true, config: { enabled: enabled as boolean, paths, lockFunctions, context, comment, conclusionOnAdded, kinds, ...(typeof kernelConfig === 'string' ? { kernelConfig } : {}) } };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, key: string, problems: string[]): T {
  if (value === undefined) return fallback;
  if (allowed.includes(value as T)) return value as T;
  problems.push(`\`${key}\` must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  return fallback;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(reason: string): ConfigResult {
  return { ok: false, reason: `.github/lockscope.yml is invalid: ${reason}` };
}

/** True when `path` is a C source or header the config asks to review. */
export function configSelects(config: LockscopeConfig, path: string): boolean {
  if (!/\.[ch]$/.test(path)) return false;
  const { include, exclude } = config.paths;
  if (include.length > 0 && !include.some((g) => globMatch(g, path))) return false;
  return !exclude.some((g) => globMatch(g, path));
}
