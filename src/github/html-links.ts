/**
 * Links from a report to code on GitHub (github.com or a GitHub Enterprise Server named by
 * Probot's GHE_HOST / GHE_PROTOCOL). Added inversions point at the head commit, removed ones at
 * the base, since the removed code no longer exists at head.
 */
import type { RenderOptions } from '../render/types.ts';

/** "https://github.com", or `${GHE_PROTOCOL}://${GHE_HOST}` for GitHub Enterprise Server. */
export function htmlBaseUrl(env: NodeJS.ProcessEnv): string {
  const host = env.GHE_HOST?.trim();
  if (!host) return 'https://github.com';
  const protocol = (env.GHE_PROTOCOL?.trim() || 'https').replace(/:\/*$/, '');
  return `${protocol}://${host.replace(/\/+$/, '')}`;
}

/**
 * The renderer's lineUrl for one repository and commit pair:
 *   (f)('drivers/a.c', 12, 'head') -> "https://github.com/o/r/blob/<headSha>/drivers/a.c#L12"
 */
export function lineUrlFor(htmlBase: string, owner: string, repo: string, baseSha: string, headSha: string): NonNullable<RenderOptions['lineUrl']> {
  const root = `${htmlBase}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob`;
  return (file, line, side) => {
    if (!file || !Number.isInteger(line) || line < 1) return undefined;
    const path = file.split('/').map(encodeURIComponent).join('/');
    return `${root}/${side === 'base' ? baseSha : headSha}/${path}#L${line}`;
  };
}
