/**
 * The dashboard's one stylesheet, served from /static/dashboard.css (the CSP allows styles from
 * 'self' only, so no inline styles anywhere). Kept in a module so the build ships it without a
 * copy step. Not a theme system.
 */
export const DASHBOARD_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa;
  --red: #c62828; --green: #2e7d32; --amber: #b26a00; --grey: #6e7781; --blue: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; align-items: baseline; gap: 1rem; padding: .6rem 1.2rem; border-bottom: 1px solid var(--line); background: var(--soft); }
header.top a.home { font-weight: 700; color: var(--fg); text-decoration: none; font-size: 1.1rem; }
header.top span { color: var(--muted); }
main { padding: 1rem 1.2rem 3rem; max-width: 1200px; }
a { color: var(--blue); }
h1 { font-size: 1.35rem; margin: .2rem 0 .6rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--soft); border: 1px solid var(--line); padding: .6rem; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
td.subject { overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: 12px; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.badge.adds-inversion { background: #fde7e7; color: var(--red); border-color: #f3b4b4; }
.badge.removes-inversion { background: #e3f4e4; color: var(--green); border-color: #a9d8ab; }
.badge.mixed { background: #fff1d6; color: var(--amber); border-color: #f0cf8d; }
.badge.no-change { background: var(--soft); color: var(--grey); border-color: var(--line); }
.badge.error, .badge.failed { background: #3d1f1f; color: #fff; }
.badge.queued { background: #e7eefb; color: var(--blue); border-color: #b6cdf3; }
.badge.outcome-adds { background: #fde7e7; color: var(--red); border-color: #f3b4b4; }
.badge.outcome-removes { background: #e3f4e4; color: var(--green); border-color: #a9d8ab; }
.badge.outcome-mixed { background: #fff1d6; color: var(--amber); border-color: #f0cf8d; }
nav.counts { display: flex; flex-wrap: wrap; gap: .5rem; margin: .4rem 0 1rem; }
nav.counts a { text-decoration: none; }
nav.counts a.current .badge { outline: 2px solid var(--fg); }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem; align-items: end; margin-bottom: 1rem; padding: .6rem; background: var(--soft); border: 1px solid var(--line); }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form.filters input, form.filters select { font: inherit; padding: .2rem .3rem; min-width: 9rem; }
form.filters button { font: inherit; padding: .25rem .9rem; }
nav.pages { display: flex; gap: 1rem; margin-top: 1rem; align-items: center; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .5rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
p.verdict { font-size: 1.1rem; font-weight: 600; padding: .6rem .8rem; border-left: 4px solid var(--grey); background: var(--soft); overflow-wrap: anywhere; }
p.verdict.adds-inversion { border-color: var(--red); }
p.verdict.removes-inversion { border-color: var(--green); }
p.verdict.mixed { border-color: var(--amber); }
p.verdict.error { border-color: #3d1f1f; }
.failure { border: 1px solid #f3b4b4; background: #fff5f5; padding: .6rem .8rem; overflow-wrap: anywhere; }
section.inversion { border: 1px solid var(--line); border-left-width: 4px; padding: .4rem .8rem; margin: .6rem 0; }
section.inversion.added { border-left-color: var(--red); }
section.inversion.removed { border-left-color: var(--green); }
section.inversion.unchanged { border-left-color: var(--grey); }
ol.chain { margin: .2rem 0 .6rem; padding-left: 1.6rem; }
ol.chain li { overflow-wrap: anywhere; }
.graphs { display: grid; grid-template-columns: 1fr; gap: 1rem; }
figure.graph { margin: 0; border: 1px solid var(--line); padding: .5rem; overflow-x: auto; }
figure.graph figcaption { font-weight: 600; margin-bottom: .3rem; }
figure.graph svg { max-width: none; height: auto; }
ul.legend { list-style: none; padding: 0; display: flex; gap: 1.2rem; font-size: 12px; color: var(--muted); }
ul.legend .added { color: var(--red); font-weight: 600; }
ul.legend .removed { color: var(--green); font-weight: 600; }
ul.legend .plain { color: var(--grey); font-weight: 600; }
pre.hunk .lock { background: #fff1d6; font-weight: 600; }
pre.hunk .add { color: var(--green); }
pre.hunk .del { color: var(--red); }
tr.current td { background: #fffbe6; }
`;
