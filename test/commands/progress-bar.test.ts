/**
 * `lockscope analyze` on a terminal shows how far it is (files parsed, then functions analysed)
 * on stderr and erases the bar before the report; in a pipe or a log it writes nothing there.
 */
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/commands/progress-bar.ts';
import { cli } from './run-cli.ts';

describe('progress bar', () => {
  it('redraws in place at most every 100 ms, always for a new phase and for the last step, and clears', () => {
    let t = 0;
    const written: string[] = [];
    const bar = progressBar({ write: (s: string) => written.push(s), columns: 100 }, () => t);
    bar.update('parsing files', 1, 4);
    t = 50;
    bar.update('parsing files', 2, 4); // too soon: skipped
    t = 160;
    bar.update('parsing files', 3, 4);
    t = 170;
    bar.update('parsing files', 4, 4); // the last one always shows
    bar.update('analysing functions', 0, 10);
    bar.clear();
    expect(written).toEqual([
      '\r\u001b[Klockscope: parsing files [########......................] 1/4',
      '\r\u001b[Klockscope: parsing files [#######################.......] 3/4',
      '\r\u001b[Klockscope: parsing files [##############################] 4/4',
      '\r\u001b[Klockscope: analysing functions [..............................] 0/10',
      '\r\u001b[K',
    ]);
  });

  // A wrapped line cannot be redrawn with a carriage return.
  it('never writes a line as wide as the terminal', () => {
    const written: string[] = [];
    progressBar({ write: (s: string) => written.push(s), columns: 40 }).update('analysing functions', 5, 10);
    expect(written).toEqual(['\r\u001b[Klockscope: analysing functions [#######']);
  });

  it('shows files parsed and functions analysed when stderr is a terminal, nothing otherwise', async () => {
    const piped = await cli(['analyze', 'examples/intel-iommu/base']);
    expect(piped.err).toBe('');
    const terminal = await cli(['analyze', 'examples/intel-iommu/base'], { tty: true });
    expect(terminal.out).toBe(piped.out);
    expect(terminal.err).toMatch(/lockscope: parsing files \[#+\] 2\/2/);
    expect(terminal.err).toMatch(/lockscope: analysing functions \[#+\] (\d+)\/\1/);
    expect(terminal.err.endsWith('\r\u001b[K')).toBe(true);
  });
});
