/**
 * Loads the hand-written review fixtures (test/fixtures/reviews/<case>.review.json) that every
 * renderer test reads, and the options the golden files are rendered with. Inputs, not results:
 * the expected outputs are the <case>.<format>.golden files next to them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RenderOptions } from '../../src/render/types.ts';
import type { Review } from '../../src/review-types.ts';

export const reviewsDir = fileURLToPath(new URL('../fixtures/reviews/', import.meta.url));

/** Case names, sorted: "adds", "error", "hostile", ... */
export const reviewCases: string[] = readdirSync(reviewsDir)
  .filter((f) => f.endsWith('.review.json'))
  .map((f) => f.slice(0, -'.review.json'.length))
  .sort();

export function loadReview(name: string): Review {
  return JSON.parse(readFileSync(`${reviewsDir}${name}.review.json`, 'utf8')) as Review;
}

/** The options a GitHub front end would pass: links to blob lines and a dashboard page. */
export const linkOptions: RenderOptions = {
  lineUrl: (file, line, side) => `https://github.example.com/acme/linux/blob/${side === 'head' ? 'HEADSHA' : 'BASESHA'}/${file}#L${line}`,
  dashboardUrl: 'https://lockscope.example.org/reviews/42',
};
