import { beforeAll, describe, expect, it } from 'vitest';
import { loadCParser, type CParser } from '../../src/analyzers/c/parser.ts';
import { applyHunks } from '../../src/diff/apply.ts';
import { hunkFunctions, hunkQuotes, touchedFunctions } from '../../src/diff/functions.ts';
import { parseDiffText } from '../../src/diff/parse-diff-text.ts';
import type { FilePatch } from '../../src/diff/types.ts';

let parser: CParser;
beforeAll(async () => {
  parser = await loadCParser();
});

const BEFORE = `#include "widget.h"

static DEFINE_SPINLOCK(stats_lock);

static void widget_update(struct widget *w)
{
	spin_lock(&stats_lock);
	spin_lock(&w->lock);
	w->count++;
	spin_unlock(&w->lock);
	spin_unlock(&stats_lock);
}

static int widget_old_helper(void)
{
	return 0;
}

int widget_remove(struct widget *w)
{
	kfree(w);
	return 0;
}
`;

function one(diff: string): FilePatch {
  const r = parseDiffText(diff);
  if (!r.ok) throw new Error(r.reason);
  return r.files[0]!;
}

function run(before: string, diff: string): { file: FilePatch; after: string } {
  const file = one(diff);
  const applied = applyHunks(before, file);
  if (!applied.ok) throw new Error(applied.reason);
  return { file, after: applied.content! };
}

describe('touchedFunctions', () => {
  it('maps removed lines by the old text and added lines by the new text', () => {
    const { file, after } = run(
      BEFORE,
      `--- a/w.c\n+++ b/w.c\n@@ -6,4 +6,4 @@ static void widget_update(struct widget *w)\n {\n-\tspin_lock(&stats_lock);\n \tspin_lock(&w->lock);\n+\tspin_lock(&stats_lock);\n \tw->count++;\n` +
        `@@ -14,5 +14,5 @@ static void widget_update(struct widget *w)\n-static int widget_old_helper(void)\n+static int widget_new_helper(void)\n {\n \treturn 0;\n }\n \n`,
    );
    expect(touchedFunctions(BEFORE, after, file, parser)).toEqual([
      { name: 'widget_update', hunks: 1 },
      { name: 'widget_old_helper', hunks: 1 },
      { name: 'widget_new_helper', hunks: 1 },
    ]);
  });

  // The patch was made against an older tree: its hunk lands 3 lines lower than its header says.
  it('uses where the hunk applied, not only its header, when it applied at an offset', () => {
    const shifted = `/* one */\n/* two */\n/* three */\n${BEFORE}`;
    const { file, after } = run(shifted, `--- a/w.c\n+++ b/w.c\n@@ -20,4 +20,5 @@ int widget_remove(struct widget *w)\n int widget_remove(struct widget *w)\n {\n+\twidget_reset(w);\n \tkfree(w);\n \treturn 0;\n`);
    expect(touchedFunctions(shifted, after, file, parser)).toEqual([{ name: 'widget_remove', hunks: 1 }]);
  });

  it('attributes a change after a closing brace to the function its context is in', () => {
    const { file, after } = run(BEFORE, `--- a/w.c\n+++ b/w.c\n@@ -23,2 +23,3 @@ int widget_remove(struct widget *w)\n \treturn 0;\n }\n+EXPORT_SYMBOL(widget_remove);\n`);
    expect(touchedFunctions(BEFORE, after, file, parser)).toEqual([{ name: 'widget_remove', hunks: 1 }]);
  });

  it('finds functions in a new file and in a deleted one, and ignores non-C files', () => {
    const created = one('--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,3 @@\n+void fresh(void)\n+{\n+}\n');
    expect(touchedFunctions(undefined, 'void fresh(void)\n{\n}\n', created, parser)).toEqual([{ name: 'fresh', hunks: 1 }]);
    const deleted = one('--- a/d.c\n+++ /dev/null\n@@ -1,3 +0,0 @@\n-void gone(void)\n-{\n-}\n');
    expect(touchedFunctions('void gone(void)\n{\n}\n', undefined, deleted, parser)).toEqual([{ name: 'gone', hunks: 1 }]);
    const doc = one('--- a/README\n+++ b/README\n@@ -1 +1 @@\n-void a(void) {}\n+void b(void) {}\n');
    expect(touchedFunctions('void a(void) {}\n', 'void b(void) {}\n', doc, parser)).toEqual([]);
  });

  it('quotes hunks under the function they touch, lock lines left for the pipeline', () => {
    const { file, after } = run(BEFORE, `--- a/w.c\n+++ b/w.c\n@@ -8,2 +8,3 @@ static void widget_update(struct widget *w)\n \tspin_lock(&w->lock);\n+\tw->gen++;\n \tw->count++;\n`);
    expect(hunkQuotes(file, hunkFunctions(BEFORE, after, file, parser))).toEqual([
      {
        file: 'w.c',
        function: 'widget_update',
        header: '@@ -8,2 +8,3 @@ static void widget_update(struct widget *w)',
        lines: ['\tspin_lock(&w->lock);'.replace(/^/, ' '), '+\tw->gen++;', ' \tw->count++;'],
        lockLines: [],
      },
    ]);
  });
});
