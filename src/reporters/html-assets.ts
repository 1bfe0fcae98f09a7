/**
 * The report's only style and script, inline so the file works offline, and
 * their hashes for the Content-Security-Policy: the page runs this script
 * and no other, so even an escaping bug could not run injected code. The
 * script only toggles `hidden` and counts; every row is rendered as HTML,
 * and without JavaScript the full report is still there to read.
 */
import { createHash } from 'node:crypto';

export const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --link: #0550ae;
  --critical: #a40e26; --high: #d1242f; --medium: #bf8700; --low: #0969da; --info: #6e7781; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --panel: #151b23; --link: #4493f8;
  --critical: #ff6a69; --high: #f0883e; --medium: #d29922; --low: #58a6ff; --info: #9198a1; }
  .sev { color: #0d1117; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 1rem 1.5rem 3rem; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
a { color: var(--link); }
h1 { font-size: 1.5rem; margin: .2rem 0; } h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.meta, .muted, small { color: var(--muted); }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.summary { display: flex; flex-wrap: wrap; gap: 1.5rem 3rem; align-items: flex-start; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; }
.summary h2 { margin-top: 0; }
.counts { border-collapse: collapse; } .counts th, .counts td { text-align: left; padding: .15rem .8rem .15rem 0; }
.counts td.count { text-align: right; font-variant-numeric: tabular-nums; }
.verdict-failed { color: var(--high); font-weight: 600; } .verdict-passed { color: var(--low); font-weight: 600; }
.chart text { fill: var(--fg); font-size: 12px; } .chart .value { fill: var(--muted); }
.bar-critical rect { fill: var(--critical); } .bar-high rect { fill: var(--high); } .bar-medium rect { fill: var(--medium); }
.bar-low rect { fill: var(--low); } .bar-info rect { fill: var(--info); }
.filters { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; margin: 1rem 0;
  padding: .6rem 1rem; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; }
.filters fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: .75rem; flex-wrap: wrap; }
.filters legend { float: left; margin-right: .5rem; color: var(--muted); }
.filters select, .filters input[type=search] { font: inherit; padding: .15rem .3rem; max-width: 22rem; }
.sev { display: inline-block; min-width: 4.6rem; padding: 0 .4rem; border-radius: 1rem; font-size: 12px; font-weight: 600; text-align: center; color: #fff; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); } .sev-medium { background: var(--medium); }
.sev-low { background: var(--low); } .sev-info { background: var(--info); }
details.group { border: 1px solid var(--line); border-radius: 8px; margin: .6rem 0; content-visibility: auto; contain-intrinsic-size: auto 3rem; }
details.group > summary { cursor: pointer; padding: .5rem .8rem; background: var(--panel); border-radius: 8px; }
details.group[open] > summary { border-bottom: 1px solid var(--line); border-radius: 8px 8px 0 0; }
.group-name { font-weight: 600; overflow-wrap: anywhere; } .group-count { float: right; color: var(--muted); }
table.findings { width: 100%; border-collapse: collapse; table-layout: fixed; }
table.findings th { text-align: left; font-weight: 600; color: var(--muted); padding: .35rem .6rem; border-bottom: 1px solid var(--line); }
table.findings td { vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
table.findings tr:last-child td { border-bottom: 0; }
.c-sev { width: 6.5rem; } .c-rule { width: 14rem; } .c-subject { width: 12rem; } .c-where { width: 18rem; }
.msg { margin: 0 0 .25rem; white-space: pre-wrap; } .fix, .refs, .why { margin: .15rem 0 0; color: var(--muted); white-space: pre-wrap; }
.rules details { margin: .3rem 0; scroll-margin-top: 7rem; } .rules summary { cursor: pointer; } .rules dl { margin: .3rem 0 .8rem 1.2rem; }
.rules dt { font-weight: 600; } .rules dd { margin: 0 0 .4rem; white-space: pre-wrap; }
ul.plain { padding-left: 1.2rem; }
`;

export const SCRIPT = `
(() => {
  // A link to a rule's docs opens them (the browser only scrolls to a closed details element).
  const reveal = (hash) => {
    const target = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    if (target instanceof HTMLDetailsElement) target.open = true;
  };
  document.addEventListener('click', (e) => {
    const link = e.target instanceof Element ? e.target.closest('a[href^="#"]') : null;
    if (link) reveal(link.getAttribute('href'));
  });
  reveal(location.hash);
  const form = document.getElementById('filters');
  if (!form) return;
  const groups = Array.from(document.querySelectorAll('.group'), (group) => ({
    group, rows: Array.from(group.querySelectorAll('tr.finding')), count: group.querySelector('.visible'),
    counted: !group.classList.contains('suppressed-group'),
  }));
  const shown = document.getElementById('shown');
  const boxes = Array.from(form.querySelectorAll('input[name="severity"]'));
  const rule = form.querySelector('select[name="rule"]');
  const search = form.querySelector('input[name="q"]');
  // Only what changes is written: with 90,000 rows, each write costs the browser a style update.
  const set = (el, hidden) => { if (el.hidden !== hidden) el.hidden = hidden; };
  const apply = () => {
    const severities = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    const wanted = rule.value;
    const query = search.value.trim().toLowerCase();
    let total = 0;
    for (const { group, rows, count, counted } of groups) {
      let visible = 0;
      for (const row of rows) {
        const ok = severities.has(row.getAttribute('data-severity')) && (wanted === '' || row.getAttribute('data-rule') === wanted) &&
          (query === '' || row.textContent.toLowerCase().includes(query));
        set(row, !ok);
        if (ok) visible++;
      }
      set(group, visible === 0);
      if (count && count.textContent !== String(visible)) count.textContent = String(visible);
      if (counted) total += visible;
    }
    shown.textContent = String(total);
  };
  let timer = 0;
  form.addEventListener('change', apply);
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(apply, 150); });
  form.addEventListener('submit', (e) => e.preventDefault());
  form.hidden = false;
})();
`;

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Nothing loads from anywhere; only the style and script above apply. */
export const CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; img-src 'none'; base-uri 'none'; form-action 'none'`;
