/**
 * The GitHub App's base tree (src/github/github-tree.ts) against a small in-memory GitHub API:
 * a pull request that changes a file over 4 MiB, or a symlink, at its merge base. Before, the
 * tree fetched a file of any size (a 4 MB C file then took about 1 GB to analyse) and a symlink
 * read as absent, so the review said the file "does not exist".
 */
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/diff/dir-tree.ts';
import { createBlobCache } from '../../src/github/blob-cache.ts';
import { GitHubTree } from '../../src/github/github-tree.ts';
import type { GitHubApi } from '../../src/github/types.ts';
import { review } from '../../src/review.ts';
import { blobSha } from './fake-github.ts';

const SMALL = 'int a;\n';
const HUGE_BYTES = MAX_FILE_BYTES + 1;

interface Item {
  path: string;
  type: 'file' | 'symlink';
  text: string;
  size: number;
}

const items: Item[] = [
  { path: 'drivers/demo/a.c', type: 'file', text: SMALL, size: SMALL.length },
  { path: 'drivers/demo/huge.c', type: 'file', text: SMALL, size: HUGE_BYTES },
  { path: 'drivers/demo/link.c', type: 'symlink', text: 'a.c', size: 3 },
];

/** The three calls GitHubTree makes, answering from `items`; `blobs` counts blob fetches by path. */
function fakeOctokit(): { octokit: GitHubApi; blobs: string[] } {
  const blobs: string[] = [];
  const shaOf = (i: Item) => blobSha(`${i.path}:${i.text}`);
  const api = {
    rest: {
      repos: {
        getContent: async ({ path }: { path: string }) => ({
          data: items
            .filter((i) => i.path.slice(0, i.path.lastIndexOf('/')) === path)
            .map((i) => ({ type: i.type, name: i.path.slice(i.path.lastIndexOf('/') + 1), path: i.path, sha: shaOf(i), size: i.size })),
        }),
      },
      git: {
        getBlob: async ({ file_sha }: { file_sha: string }) => {
          const i = items.find((x) => shaOf(x) === file_sha);
          if (!i) throw Object.assign(new Error('Not Found'), { status: 404 });
          blobs.push(i.path);
          return { data: { sha: file_sha, size: i.size, encoding: 'base64', content: Buffer.from(i.text).toString('base64') } };
        },
        getTree: async () => ({
          data: { sha: 'c'.repeat(40), truncated: false, tree: items.map((i) => ({ path: i.path, mode: i.type === 'symlink' ? '120000' : '100644', type: 'blob', sha: shaOf(i), size: i.size })) },
        }),
      },
    },
  };
  return { octokit: api as unknown as GitHubApi, blobs };
}

const tree = (octokit: GitHubApi) => new GitHubTree({ octokit, owner: 'acme', repo: 'pool', sha: 'b'.repeat(40), cache: createBlobCache() });
const patch = (file: string) => `--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-int a;\n+int b;\n`;

describe('GitHubTree', () => {
  it("names its content by the commit's git tree id, as a local clone does", async () => {
    expect(await tree(fakeOctokit().octokit).cacheKey()).toBe(`git tree ${'c'.repeat(40)}`);
  });

  it('does not fetch a file over 4 MiB and says which limit kept it out', async () => {
    const { octokit, blobs } = fakeOctokit();
    const t = tree(octokit);
    expect(await t.read('drivers/demo/a.c')).toBe(SMALL);
    expect(await t.read('drivers/demo/huge.c')).toBeUndefined();
    expect(blobs).toEqual(['drivers/demo/a.c']);
    expect(t.refusal('drivers/demo/huge.c')).toEqual({ code: 'TOO_LARGE', reason: `drivers/demo/huge.c is ${HUGE_BYTES} bytes in the base, over the 4 MiB (4194304-byte) limit on files lockscope reads` });
    expect(t.refusal('drivers/demo/a.c')).toBeUndefined();
    expect(t.refusal('drivers/demo/none.c')).toBeUndefined();
  });

  // A pull request that edits a huge generated table: the check run must name the limit, not say "does not exist".
  it('fails a review of a change to such a file with TOO_LARGE, and of a symlink with a sentence that says so', async () => {
    const big = await review({ patches: [patch('drivers/demo/huge.c')], base: tree(fakeOctokit().octokit) });
    expect(big.failure).toMatchObject({ code: 'TOO_LARGE' });
    expect(big.failure?.message).toContain('over the 4 MiB (4194304-byte) limit');
    const link = await review({ patches: [patch('drivers/demo/link.c')], base: tree(fakeOctokit().octokit) });
    expect(link.failure).toMatchObject({ code: 'UNSAFE_PATH' });
    expect(link.failure?.message).toContain('drivers/demo/link.c is a symlink in the base; lockscope does not follow symlinks');
    const missing = await review({ patches: [patch('drivers/demo/none.c')], base: tree(fakeOctokit().octokit) });
    expect(missing.failure?.message).toContain('does not exist');
  });

  it('refuses the same files when it reads through the recursive tree listing', async () => {
    const { octokit, blobs } = fakeOctokit();
    const t = tree(octokit);
    expect(await t.listAll()).toEqual(['drivers/demo/a.c', 'drivers/demo/huge.c']);
    expect(await t.read('drivers/demo/huge.c')).toBeUndefined();
    expect(await t.read('drivers/demo/link.c')).toBeUndefined();
    expect(blobs).toEqual([]);
    expect(t.refusal('drivers/demo/huge.c')?.code).toBe('TOO_LARGE');
    expect(t.refusal('drivers/demo/link.c')?.code).toBe('UNSAFE_PATH');
  });
});
