/**
 * A small glob matcher for `paths.include` / `paths.exclude` in `.github/lockscope.yml`.
 * `*` and `?` stay inside one path segment, `**` spans segments (`drivers/**` or `**\/*.h`),
 * `{a,b}` alternates. Not a full minimatch: no character classes, no negation (use `exclude`).
 * node:path's `matchesGlob` exists on Node 20.18 but prints an ExperimentalWarning on every
 * process start, so a bot log would carry it forever.
 */

const cache = new Map<string, RegExp>();

/** True when the repository-relative `path` matches `pattern`, e.g. globMatch('drivers/**', 'drivers/iommu/a.c'). */
export function globMatch(pattern: string, path: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${translate(pattern.replace(/^\.?\//, ''))}$`);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(path);
}

function translate(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole directories; a trailing `**` matches everything below.
      if (glob[i + 2] === '/') {
        out += '(?:[^/]+/)*';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map(translate).join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a directory (`drivers/iommu/`) covers everything under it.
  if (glob.endsWith('/')) out += '.*';
  return out;
}
