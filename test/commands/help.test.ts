/**
 * `--help` on every subcommand and `--version`, as a user types them: help goes to stdout with
 * exit 0 and lists each option on one line; an option the help lists is one the parser takes,
 * and the other way round (mail and serve parse in files their owners keep, so their help is
 * checked against the option names in those files).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHelp } from '../../src/commands/analyze.ts';
import { checkHelp } from '../../src/commands/check.ts';
import type { CommandHelp } from '../../src/commands/help.ts';
import { mailHelp } from '../../src/commands/mail-help.ts';
import { serveHelp } from '../../src/commands/serve-help.ts';
import { cli, root } from './run-cli.ts';

const helps: [string, CommandHelp][] = [
  ['analyze', analyzeHelp],
  ['check', checkHelp],
  ['mail', mailHelp],
  ['serve', serveHelp],
];

/** The option names of a help text, from its lines "  --name VALUE   description" and "  -h, --help ...". */
const optionNames = (text: string): string[] =>
  text
    .split('\n')
    .flatMap((l) => /^ {2}(?:-h, )?--([a-z-]+)/.exec(l)?.slice(1, 2) ?? [])
    .sort();

describe('--help', () => {
  for (const [name, help] of helps) {
    it(`lockscope ${name} --help lists every option on one line and exits 0`, async () => {
      // Help wins wherever it appears before "--", even after a subcommand or other options.
      const asked = [[name, '--help'], [name, '-h'], [name, 'ingest', '--base', 'x', '--help']];
      for (const args of asked) {
        const r = await cli(args);
        expect(r.code).toBe(0);
        expect(r.err).toBe('');
        expect(r.out.startsWith(`usage: lockscope ${name}`)).toBe(true);
        expect(optionNames(r.out)).toEqual([...help.options.map((o) => o.name), 'help'].sort());
        for (const line of r.out.split('\n').filter((l) => l.startsWith('  -'))) expect(line.length, line).toBeLessThan(140);
      }
    });
  }

  it('takes exactly the options check --help lists', async () => {
    for (const o of checkHelp.options) {
      const r = await cli(['check', `--${o.name}`, ...(o.value ? ['x'] : [])]);
      expect(r.err, o.name).not.toMatch(/unknown option/);
    }
    expect((await cli(['check', '--frobnicate', 'x'])).err).toMatch(/unknown option --frobnicate\n.*usage: lockscope check/s);
    expect((await cli(['analyze', '--frobnicate'])).err).toMatch(/Run 'lockscope analyze --help' for the options/);
  });

  // mail.ts and serve.ts are kept by the mail and app owners; a new option there must reach the help.
  it('names exactly the options mail.ts and serve.ts parse', () => {
    const mailSource = readFileSync(join(root, 'src/commands/mail.ts'), 'utf8');
    const mailOptions = /const OPTIONS = \[([^\]]*)\]/.exec(mailSource)?.[1];
    expect(mailOptions).toBeDefined();
    expect([...mailOptions!.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]).sort()).toEqual(mailHelp.options.map((o) => o.name).sort());
    const serveSource = readFileSync(join(root, 'src/commands/serve.ts'), 'utf8');
    const spec = /parseArgs\(argv, \{ options: \[([^\]]*)\], flags: \[([^\]]*)\] \}\)/.exec(serveSource);
    expect(spec).not.toBeNull();
    const names = (list: string) => [...list.matchAll(/'([a-z-]+)'/g)].map((m) => m[1]);
    expect([...names(spec![1]!), ...names(spec![2]!)].sort()).toEqual(serveHelp.options.map((o) => o.name).sort());
  });

  it('lockscope --help and lockscope help list the commands; no command is a usage error', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^ {2}check \(--base DIR \| --repo GITDIR \| --github OWNER\/REPO\) PATCH\.\.\.$/m);
    }
    const none = await cli([]);
    expect([none.code, none.out]).toEqual([2, '']);
    expect(none.err).toMatch(/lockscope <command> --help/);
  });
});

describe('--version', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await cli([flag])).toEqual({ code: 0, out: `lockscope ${version}\n`, err: '' });
  });
});
