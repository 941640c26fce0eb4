/**
 * The headers every HTTP answer of `lockscope serve` carries, pages and errors alike: a CSP that
 * allows no script and no remote content (everything shown comes from patches), no sniffing, no
 * framing, no referrer. One list, so a 404 or a 413 cannot forget one.
 */

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};
