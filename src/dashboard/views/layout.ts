/**
 * The page frame every dashboard page shares: doctype, title, the stylesheet link, the header.
 * No scripts: the dashboard works without JavaScript and its CSP forbids any.
 */
import { html, type SafeHtml } from './html.ts';

/** A whole HTML document around `body`; `title` is escaped like everything else. */
export function layout(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · lockscope</title>
<link rel="stylesheet" href="/static/dashboard.css">
</head>
<body>
<header class="top"><a class="home" href="/">lockscope</a><span>lock-order reviews</span></header>
<main>
${body}
</main>
</body>
</html>
`.value;
}
