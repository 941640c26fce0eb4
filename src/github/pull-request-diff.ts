/**
 * Builds the ONE unified diff the pipeline reviews for a pull request, from the files API
 * (paginated; each file carries its own hunks as `patch`), restricted to the files `select`
 * keeps. GitHub leaves `patch` out for large or binary files and lists at most 3000 files; then
 * the whole diff is fetched (`pulls.get` with the diff media type) and cut to the same files.
 * It does not parse hunks: src/diff does that.
 */
import type { GitHubApi, PullRequestRef } from './types.ts';

/** The files API stops listing here (GitHub docs: "responses include a maximum of 3000 files"). */
export const FILES_API_LIMIT = 3000;

export interface PullRequestDiff {
  /** Unified diff text of the selected files, git style; '' when none is selected. */
  diff: string;
  /** New-side paths (old side for deletions) of the selected files, in diff order. */
  files: string[];
  /** Where the hunks came from: the per-file patches, or the whole-PR diff. */
  source: 'files' | 'diff';
}

interface PullFile {
  filename: string;
  previous_filename?: string | undefined;
  status: string;
  changes: number;
  patch?: string | undefined;
}

/** Fetches the PR's changes to the files `select` accepts as one unified diff. */
export async function fetchPullRequestDiff(octokit: GitHubApi, pr: PullRequestRef, select: (path: string) => boolean): Promise<PullRequestDiff> {
  const listed = (await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  })) as PullFile[];
  const chosen = listed.filter((f) => select(f.filename) || (f.previous_filename !== undefined && select(f.previous_filename)));
  const incomplete = listed.length >= FILES_API_LIMIT || chosen.some((f) => f.changes > 0 && f.patch === undefined);
  if (!incomplete) {
    const sections = chosen.map(fileSection).filter((s): s is string => s !== null);
    return { diff: sections.join(''), files: chosen.map((f) => f.filename), source: 'files' };
  }
  const { data } = await octokit.rest.pulls.get({ owner: pr.owner, repo: pr.repo, pull_number: pr.number, mediaType: { format: 'diff' } });
  const kept = splitGitDiff(data as unknown as string).filter((s) => s.paths.some(select));
  return { diff: kept.map((s) => s.text).join(''), files: kept.map((s) => s.paths[s.paths.length - 1] as string), source: 'diff' };
}

/**
 * One file of the files API as a git diff section:
 *   {status: 'renamed', previous_filename: 'a.c', filename: 'b.c', patch: '@@ ...'}
 *   -> "diff --git a/a.c b/b.c\nrename from a.c\nrename to b.c\n--- a/a.c\n+++ b/b.c\n@@ ...\n"
 */
function fileSection(f: PullFile): string | null {
  if (f.status === 'unchanged' || f.status === 'changed') return null; // mode-only: nothing to analyze
  const oldPath = f.status === 'added' ? null : (f.previous_filename ?? f.filename);
  const newPath = f.status === 'removed' ? null : f.filename;
  const gitOld = oldPath ?? (newPath as string);
  const gitNew = newPath ?? (oldPath as string);
  const lines = [`diff --git a/${gitOld} b/${gitNew}`];
  if (f.status === 'added') lines.push('new file mode 100644');
  if (f.status === 'removed') lines.push('deleted file mode 100644');
  if (f.status === 'renamed') lines.push(`rename from ${gitOld}`, `rename to ${gitNew}`);
  if (f.status === 'copied') lines.push(`copy from ${f.previous_filename ?? gitOld}`, `copy to ${gitNew}`);
  if (f.patch !== undefined && f.patch !== '') {
    lines.push(oldPath === null ? '--- /dev/null' : `--- a/${oldPath}`, newPath === null ? '+++ /dev/null' : `+++ b/${newPath}`);
    lines.push(f.patch.endsWith('\n') ? f.patch.slice(0, -1) : f.patch);
  } else if (f.status !== 'renamed' && f.status !== 'copied' && f.status !== 'added' && f.status !== 'removed') {
    return null;
  }
  return `${lines.join('\n')}\n`;
}

/** Cuts a `git diff` into per-file sections, each with the paths it names (old, then new). */
export function splitGitDiff(text: string): { text: string; paths: string[] }[] {
  const starts: number[] = [];
  const re = /^diff --git /gm;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index);
  return starts.map((start, i) => {
    const section = text.slice(start, starts[i + 1] ?? text.length);
    return { text: section.endsWith('\n') ? section : `${section}\n`, paths: sectionPaths(section) };
  });
}

function sectionPaths(section: string): string[] {
  const paths: string[] = [];
  const head = section.slice(0, section.search(/^@@/m) >= 0 ? section.search(/^@@/m) : section.length);
  for (const line of head.split('\n')) {
    const m = /^(?:--- a\/|\+\+\+ b\/|rename from |rename to |copy from |copy to )(.+)$/.exec(line);
    if (m) paths.push((m[1] as string).replace(/\t.*$/, ''));
  }
  if (paths.length === 0) {
    // No ---/+++ (a pure rename or a mode change): `diff --git a/x b/x` names the file twice.
    const m = /^diff --git a\/(.+) b\/(.+)$/m.exec(section);
    if (m && m[1] === m[2]) paths.push(m[1] as string);
  }
  return paths;
}
