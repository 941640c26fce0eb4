/**
 * The page for answers that are not a review or a list: 404 for an unknown review, 400 for a
 * bad query, 405 for a write. The message is escaped: it may quote the request.
 */
import { html } from './html.ts';
import { layout } from './layout.ts';

/** "Not found" + "No review with id 42." as a full page. */
export function messagePage(title: string, message: string): string {
  return layout(title, html`<h1>${title}</h1><p>${message}</p><p><a href="/">All reviews</a></p>`);
}
