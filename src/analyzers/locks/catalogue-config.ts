/**
 * How a project names its own lock functions (in `.github/lockscope.yml`, `--config`, or the
 * mail bot's config). `arg` is the 0-based argument holding the lock; omit it for a function
 * that takes no lock argument (it then stands for a lock class named after `class`).
 */
export interface LockFunctionConfig {
  name: string;
  effect: 'acquire' | 'release' | 'tryAcquire' | 'acquireRead' | 'releaseRead';
  arg?: number;
  /** The lock class for argument-less functions, e.g. "big_kernel_lock". */
  class?: string;
}

const EFFECTS: readonly LockFunctionConfig['effect'][] = ['acquire', 'release', 'tryAcquire', 'acquireRead', 'releaseRead'];

/**
 * Validates a config file's `lockFunctions` list (GitHub's .github/lockscope.yml, the mail bot's
 * config): each problem is a sentence naming the entry, so users see exactly what to fix.
 */
export function parseLockFunctions(raw: unknown, where = 'lockFunctions'): { ok: true; value: LockFunctionConfig[] } | { ok: false; problems: string[] } {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return { ok: false, problems: [`\`${where}\` must be a list`] };
  const value: LockFunctionConfig[] = [];
  const problems: string[] = [];
  raw.forEach((fn: unknown, i) => {
    const parsed = lockFunction(fn, `${where}[${i}]`);
    if (typeof parsed === 'string') problems.push(parsed);
    else value.push(parsed);
  });
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

function lockFunction(fn: unknown, where: string): LockFunctionConfig | string {
  if (typeof fn !== 'object' || fn === null || Array.isArray(fn)) return `\`${where}\` must be a mapping like { name: my_lock, effect: acquire, arg: 0 }`;
  const f = fn as Record<string, unknown>;
  for (const key of Object.keys(f)) if (!['name', 'effect', 'arg', 'class'].includes(key)) return `unknown key \`${where}.${key}\``;
  if (typeof f.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) return `\`${where}.name\` must be a C identifier`;
  if (!EFFECTS.includes(f.effect as LockFunctionConfig['effect'])) return `\`${where}.effect\` must be one of ${EFFECTS.join(', ')}`;
  if (f.arg !== undefined && (!Number.isInteger(f.arg) || (f.arg as number) < 0 || (f.arg as number) > 15)) return `\`${where}.arg\` must be a 0-based argument index`;
  if (f.class !== undefined && (typeof f.class !== 'string' || f.class.length === 0)) return `\`${where}.class\` must be a lock class name`;
  if (f.arg === undefined && f.class === undefined) return `\`${where}\` needs \`arg\` (the lock argument) or \`class\` (for a function taking no lock)`;
  const out: LockFunctionConfig = { name: f.name, effect: f.effect as LockFunctionConfig['effect'] };
  if (f.arg !== undefined) out.arg = f.arg as number;
  if (f.class !== undefined) out.class = f.class as string;
  return out;
}
