/**
 * Renders dot text to an inline SVG with Graphviz compiled to wasm (@viz-js/viz), on the server,
 * so the dashboard needs no JavaScript in the browser. The wasm instance is loaded once per
 * renderer, on first use. Graphviz escapes label text into XML entities itself; we only strip the
 * XML prologue and doctype so the SVG can be inlined in HTML.
 *
 * Not a dot builder (graph-dot.ts) and not a cache of pictures.
 */
import { instance, type Viz } from '@viz-js/viz';

/** Either the `<svg>` element as text, or why there is no picture. */
export type GraphSvg = { ok: true; svg: string } | { ok: false; reason: string };

/** dot -> SVG markup; the result is our markup (labels escaped by Graphviz), safe to inline. */
export type GraphSvgRenderer = (dot: string) => Promise<GraphSvg>;

/** Creates a renderer that loads Graphviz on its first call and reuses it after. */
export function createGraphSvgRenderer(load: () => Promise<Viz> = instance): GraphSvgRenderer {
  let viz: Promise<Viz> | undefined;
  return async (dot) => {
    try {
      viz ??= load();
      const svg = (await viz).renderString(dot, { format: 'svg' });
      const start = svg.indexOf('<svg');
      if (start < 0) return { ok: false, reason: 'Graphviz produced no SVG' };
      return { ok: true, svg: svg.slice(start) };
    } catch (err) {
      // A failed load is retried on the next page view rather than remembered forever.
      if (viz && (await viz.then(() => false, () => true))) viz = undefined;
      return { ok: false, reason: `the graph could not be drawn: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
}
