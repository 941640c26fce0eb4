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
