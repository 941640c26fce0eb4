import { describe, expect, it } from 'vitest';
import { inversionFingerprint } from '../../../src/render/sarif/inversion-fingerprint.ts';
import { relativeUri } from '../../../src/render/sarif/relative-uri.ts';
import { renderSarif } from '../../../src/render/sarif/render-sarif.ts';
import type { Review } from '../../../src/review-types.ts';
import { loadReview } from '../review-fixtures.ts';

interface Loc { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; message: { text: string } }
interface Result { ruleId: string; level: string; message: { text: string }; locations: Loc[]; relatedLocations: (Loc & { id: number })[]; partialFingerprints: Record<string, string> }
interface Log {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } }; invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[]; results: Result[] }[];
}

const sarif = (r: Review): Log => JSON.parse(renderSarif(r)) as Log;

describe('renderSarif', () => {
  it('is a SARIF 2.1.0 log with one run of lockscope and one rule per kind of finding', () => {
    const log = sarif(loadReview('adds'));
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver.name).toBe('lockscope');
    expect(log.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual([
      'lock-order-inversion',
      'recursive-locking',
      'inconsistent-lock-state',
      'irq-safe-to-unsafe-lock-order',
      'sleep-in-atomic-context',
      'context-imbalance',
      'held-lock-freed',
      'flush-under-lock',
      'assert-not-held',
      'bad-unlock-balance',
      'reclaim-under-lock',
    ]);
    for (const r of log.runs[0]!.tool.driver.rules) expect(r.help.text.length).toBeGreaterThan(50);
    expect(log.runs[0]!.tool.driver.rules[0]!.help.text.length).toBeGreaterThan(50);
  });

  // The udc-lite patch adds udc_gadget.lock -> cfg_mutex (udc_suspend now calls udc_config_update):
  // one error at the patch's own line, the cycle's other steps as related locations.
  it('reports an added edge at the patch\'s line, with the cycle it closes', () => {
    const [res, ...rest] = sarif(loadReview('adds')).runs[0]!.results;
    expect(rest).toEqual([]);
    expect(res!.ruleId).toBe('lock-order-inversion');
    expect(res!.level).toBe('error');
    expect(res!.message.text).toBe('This patch adds udc_gadget.lock -> cfg_mutex, closing the lock-order inversion cfg_mutex <-> udc_gadget.lock.');
    expect(res!.locations.map((l) => [l.physicalLocation.artifactLocation.uri, l.physicalLocation.region.startLine])).toEqual([['drivers/usb/gadget/udc-lite.c', 215]]);
    expect(res!.locations[0]!.message.text).toBe('udc_suspend takes cfg_mutex while udc_gadget.lock is held');
    expect(res!.relatedLocations.map((l) => l.physicalLocation.region.startLine)).toEqual([141, 212, 215]);
    expect(res!.relatedLocations.map((l) => l.id)).toEqual([1, 2, 3]);
  });

  it('reports each kind of finding under its own rule, fingerprinted by kind, classes and function', () => {
    const sleep = sarif(loadReview('kind-sleep-added')).runs[0]!.results;
    expect(sleep).toHaveLength(1);
    expect(sleep[0]!.ruleId).toBe('sleep-in-atomic-context');
    expect(sleep[0]!.message.text).toBe('This patch adds a sleep in atomic context (kmalloc with gizmo.fifo_lock held, in gizmo_sleep_fill()).');
    expect(sleep[0]!.locations[0]!.physicalLocation.region.startLine).toBe(15);
    expect(sleep[0]!.partialFingerprints['lockscopeFinding/v1']).toMatch(/^[0-9a-f]{64}$/);
    expect(sarif(loadReview('kind-leak-added')).runs[0]!.results[0]!.ruleId).toBe('context-imbalance');
    expect(sarif(loadReview('kind-flush-added')).runs[0]!.results[0]!.ruleId).toBe('flush-under-lock');
    expect(sarif(loadReview('kind-irq-inversion-added')).runs[0]!.results[0]!.ruleId).toBe('irq-safe-to-unsafe-lock-order');
    expect(sarif(loadReview('kind-recursive-added')).runs[0]!.results[0]!.ruleId).toBe('recursive-locking');
    // Removals are not results.
    expect(sarif(loadReview('kind-sleep-removed')).runs[0]!.results).toEqual([]);
  });

  it('has no result for removed or pre-existing inversions, but says the verdict in a note', () => {
    for (const name of ['removes', 'lockdep-not-confirmed', 'no-change']) {
      const run = sarif(loadReview(name)).runs[0]!;
      expect(run.results).toEqual([]);
      expect(run.invocations[0]!.executionSuccessful).toBe(true);
    }
    const note = sarif(loadReview('removes')).runs[0]!.invocations[0]!.toolExecutionNotifications[0]!;
    expect(note).toEqual({ level: 'note', message: { text: 'This patch removes the lock-order inversion device_domain_lock <-> intel_iommu.lock.' } });
  });

  it('marks a failed review as a failed invocation', () => {
    const inv = sarif(loadReview('error')).runs[0]!.invocations[0]!;
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications[0]!.level).toBe('error');
    expect(inv.toolExecutionNotifications[0]!.message.text).toContain('does not apply');
  });

  // Code scanning must keep one alert when a later push moves the lines or the cycle is found
  // from the other entry point.
  it('fingerprints by the set of lock classes only', () => {
    const a = loadReview('adds');
    const b = structuredClone(a);
    const inv = b.json.inversions.added[0]!;
    for (const e of inv.edges) for (const s of e.chain) s.line += 17;
    inv.locks.reverse();
    inv.edges.reverse();
    const fp = (r: Review): string => sarif(r).runs[0]!.results[0]!.partialFingerprints['lockOrderInversion/v1']!;
    expect(fp(b)).toBe(fp(a));
    expect(fp(a)).toBe(inversionFingerprint(['udc_gadget.lock', 'cfg_mutex']));
    expect(fp(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(inversionFingerprint(['a', 'b'])).not.toBe(inversionFingerprint(['a', 'c']));
  });

  it('writes paths as relative URIs, encoded', () => {
    expect(relativeUri('./drivers/a b/x#1.c')).toBe('drivers/a%20b/x%231.c');
    expect(relativeUri('/abs/path.c')).toBe('abs/path.c');
    const hostile = sarif(loadReview('hostile')).runs[0]!.results[0]!;
    expect(hostile.locations[0]!.physicalLocation.artifactLocation.uri).toBe('drivers/evil/%60x%60%7Cy%3Cb%3E.c');
  });

  // A review stored before edges were reported: the edge witnessed in a touched function stands
  // for the inversion, else its closing edge; one location either way.
  it('locates an inversion of a review without edges at one edge', () => {
    const r = loadReview('three-lock');
    expect(sarif(r).runs[0]!.results[0]!.locations).toHaveLength(1);
    r.json.functions = [];
    expect(sarif(r).runs[0]!.results[0]!.locations).toHaveLength(1);
    expect(sarif(loadReview('recursive')).runs[0]!.results[0]!.locations).toHaveLength(1);
  });

  // One edge closing five cycles is one alert, not five.
  it('gives one result per edge the patch adds, counting the longer cycles through it', () => {
    const results = sarif(loadReview('edge-closes-five')).runs[0]!.results;
    expect(results).toHaveLength(1);
    expect(results[0]!.message.text).toBe('This patch adds gizmo_state_mutex -> gizmo_bus_mutex, closing the lock-order inversion gizmo_bus_mutex <-> gizmo_state_mutex (and 4 longer cycles through it).');
  });
});
