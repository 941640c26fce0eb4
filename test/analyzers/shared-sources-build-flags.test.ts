/**
 * A driver built from another directory's sources (`#include "../wl_h2/wl_main.c"` in wl_h25/)
 * is compiled with its own directory's Makefile flags: the included file, and the headers it
 * includes, see the features that Makefile chooses (Program.macroDefined), so a feature macro
 * no build passes is off there as it is in the directory's own files.
 */
import { describe, expect, it } from 'vitest';
import { analyzeSources } from '../../src/analyzers/analyze.ts';

const sources = [
  { path: 'wl_h25/wl_main.c', text: '#include "../wl_h2/wl_main.c"\n' },
  {
    path: 'wl_h2/wl_main.c',
    text: `#include "wl_main.h"
struct wl_private { spinlock_t slock; };
static DEFINE_MUTEX(wds_lock);
static DEFINE_MUTEX(cfg_lock);
void wl_wds_register(void) { mutex_lock(&wds_lock); mutex_unlock(&wds_lock); }
void wl_insert(struct wl_private *lp)
{
	spin_lock(&lp->slock);
	WL_WDS_REGISTER();
#ifdef USE_PROFILE
	mutex_lock(&cfg_lock);
	mutex_unlock(&cfg_lock);
#endif
	spin_unlock(&lp->slock);
}
`,
  },
  { path: 'wl_h2/wl_main.h', text: '#ifdef USE_WDS\n#define WL_WDS_REGISTER() wl_wds_register()\n#else\n#define WL_WDS_REGISTER()\n#endif\n' },
];

const sleeps = async (features: boolean): Promise<string[]> => {
  const r = await analyzeSources(sources, features ? { directoryDefines: [{ dir: 'wl_h25/', always: ['USE_WPA'], passed: ['USE_WPA'] }] } : {});
  return r.json.findings.filter((f) => f.kind === 'sleep-in-atomic').map((f) => f.title).sort();
};

describe("sources another directory's driver includes", () => {
  it("are built with that directory's features, in the included file and its headers", async () => {
    // Nothing says which features the build has: either branch may be compiled.
    expect((await sleeps(false)).length).toBeGreaterThan(0);
    expect(await sleeps(true)).toEqual([]);
  });
});
