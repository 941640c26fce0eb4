/**
 * Where lockscope keeps its per-user caches: $XDG_CACHE_HOME/lockscope/KIND, else
 * ~/.cache/lockscope/KIND (~/Library/Caches on macOS, %LOCALAPPDATA% on Windows).
 */
import { join } from 'node:path';

export function userCacheDir(kind: string, env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform = process.platform): string {
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'lockscope', kind);
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'lockscope', kind);
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'lockscope', 'Cache', kind);
  return join(home, '.cache', 'lockscope', kind);
}
