/**
 * A worker thread running the module `name` beside the caller's (`import.meta.url`): the `.js`
 * file when built, the `.ts` one under tsx (tests, bench), which needs the same loader.
 */
import { Worker } from 'node:worker_threads';

export function moduleWorker(name: string, callerUrl: string): Worker {
  const isTs = callerUrl.endsWith('.ts');
  const url = new URL(`./${name}.${isTs ? 'ts' : 'js'}`, callerUrl);
  return isTs ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true }) : new Worker(url);
}
