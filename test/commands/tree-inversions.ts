/** `lockscope analyze --format json DIR/SUB` in a test kernel tree: its inversions, each as its sorted locks. */
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli } from './run-cli.ts';

export async function treeInversions(dir: string, sub: string): Promise<string[]> {
  const r = await cli(['analyze', '--no-cache', '--format', 'json', join(dir, sub)], { env: { HOME: dir } });
  expect(r.code).toBe(0);
  const json = JSON.parse(r.out) as { inversions: { locks: string[] }[] };
  return json.inversions.map((i) => [...new Set(i.locks)].sort().join(' <-> '));
}
