/**
 * The `sarif` renderer: SARIF 2.1.0 for code scanning (GitHub's upload-sarif and friends). One
 * run, one rule (`lock-order-inversion`), one error-level result per inversion the patch ADDS:
 * locations at the lines that take each lock of the cycle (the last step of each edge's chain),
 * the other witness steps as related locations, and a fingerprint over the lock classes.
 * Removed and pre-existing inversions are not results: code scanning shows new problems, and a
 * removed one simply stops being reported. The verdict sentence is the invocation's note, and a
 * failed review is a failed invocation, not a result.
 */
import type { ChainStep, InversionJson } from '../../analyzers/report-types.ts';
import type { Review } from '../../review-types.ts';
import { baseSentence } from '../base-sentence.ts';
import { plainStyle, type RenderStyle } from '../render-style.ts';
import { reviewLocks } from '../review-locks.ts';
import { reviewNotes } from '../review-notes.ts';
import { inversionSentence, verdictSentence } from '../verdict-sentence.ts';
import { inversionFingerprint } from './inversion-fingerprint.ts';
import { relativeUri } from './relative-uri.ts';
import { stepText } from '../step-text.ts';

const SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const RULE_ID = 'lock-order-inversion';

const HELP_TEXT = [
  'Two code paths take the same locks in opposite orders (or one path takes a lock class it already holds).',
  'If they run at the same time, each can end up holding the lock the other waits for: a deadlock (AB-BA).',
  'Pick one order for these locks and take them in that order everywhere, release the first lock before',
  'calling code that takes the second, or, for two instances of one class, annotate the nesting.',
].join(' ');

const HELP_MARKDOWN = [
  'Two code paths take the same locks in opposite orders (or one path takes a lock class it already holds).',
  'If they run at the same time, each can end up holding the lock the other waits for: a deadlock (AB-BA).',
  '',
  'Fix it by choosing one order for these locks and taking them in that order everywhere, or by releasing',
  'the first lock before calling code that takes the second. For two instances of one lock class, annotate',
  'the nesting (`spin_lock_nested()`, `mutex_lock_nested()`).',
].join('\n');

function physical(step: ChainStep): object {
  return {
    artifactLocation: { uri: relativeUri(step.file), uriBaseId: '%SRCROOT%' },
    region: { startLine: Math.max(1, Math.trunc(step.line) || 1) },
  };
}

function result(inv: InversionJson, style: RenderStyle): object {
  const locations: object[] = [];
  const related: object[] = [];
  for (const edge of inv.edges) {
    const last = edge.chain[edge.chain.length - 1];
    if (last) {
      locations.push({
        physicalLocation: physical(last),
        message: { text: `${style.text(last.function)} takes ${style.lock(edge.to)} while ${style.lock(edge.from)} is held` },
      });
    }
    for (const step of edge.chain.slice(0, -1)) {
      related.push({
        id: related.length + 1,
        physicalLocation: physical(step),
        message: { text: `${style.text(step.function)}: ${style.text(stepText(step))} (edge ${style.lock(edge.from)} -> ${style.lock(edge.to)})` },
      });
    }
  }
  return {
    ruleId: RULE_ID,
    ruleIndex: 0,
    level: 'error',
    message: { text: inversionSentence(inv, 'adds', style) },
    locations,
    relatedLocations: related,
    partialFingerprints: { 'lockOrderInversion/v1': inversionFingerprint(inv.locks) },
    properties: { locks: inv.locks },
  };
}

/** Review -> SARIF 2.1.0 log as indented JSON, ending in a newline. */
export function renderSarif(review: Review): string {
  const style = plainStyle(reviewLocks(review));
  const failed = review.json.verdict === 'error';
  const headline = verdictSentence(review, style);
  // The verdict (removals included, which are not results) rides along as a note for readers of the log.
  const notifications = [
    { level: failed ? 'error' : 'note', message: { text: headline } },
    ...reviewNotes(review, headline, style.text).map((n) => ({ level: 'warning', message: { text: style.text(n) } })),
    ...(review.json.base ? [{ level: 'note', message: { text: baseSentence(review.json.base) } }] : []),
  ];
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lockscope',
            rules: [
              {
                id: RULE_ID,
                name: 'LockOrderInversion',
                shortDescription: { text: 'Lock-order inversion (possible AB-BA deadlock)' },
                fullDescription: { text: 'A cycle in the lock-order graph: locks taken in opposite orders on different paths, as lockdep reports a possible circular locking dependency.' },
                help: { text: HELP_TEXT, markdown: HELP_MARKDOWN },
                defaultConfiguration: { level: 'error' },
                properties: { tags: ['concurrency', 'deadlock', 'locking'], 'problem.severity': 'error' },
              },
            ],
          },
        },
        invocations: [
          {
            executionSuccessful: !failed,
            toolExecutionNotifications: notifications,
            ...(review.json.base ? { properties: { base: review.json.base } } : {}),
          },
        ],
        results: failed ? [] : review.json.inversions.added.map((inv) => result(inv, style)),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
