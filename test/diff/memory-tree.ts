/** A BaseTree over a plain object, for tests: `{ 'a/x.c': 'text' }`. Counts reads to check memoization. */
import type { BaseTree } from '../../src/diff/base-tree.ts';

export class MemoryTree implements BaseTree {
  readonly reads: string[] = [];
  constructor(private readonly files: Record<string, string>) {}
  async read(path: string): Promise<string | undefined> {
    this.reads.push(path);
    return this.files[path];
  }
  async list(dir: string): Promise<string[]> {
    const prefix = dir === '' ? '' : `${dir}/`;
    return Object.keys(this.files)
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .sort();
  }
  async listAll(): Promise<string[]> {
    return Object.keys(this.files).sort();
  }
  describe(): string {
    return 'memory';
  }
}
