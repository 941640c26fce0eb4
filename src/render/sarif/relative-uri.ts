/**
 * SARIF wants `artifactLocation.uri` as a URI reference relative to the checkout (%SRCROOT%),
 * so code scanning can place results whatever the runner's working directory. Paths from a
 * patch are relative already; this normalises them and encodes what a URI cannot hold.
 */

/** A path from the patch as a relative URI reference: no leading "/" or "./", each segment encoded. */
export function relativeUri(file: string): string {
  const parts = file.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  return parts.map((p) => encodeURIComponent(p)).join('/');
}
