/** The summary's bar chart of findings by severity: inline SVG, coloured by the page's CSS (light or dark). */
import { SEVERITIES, type Severity } from '../core/severity.js';

const ROW = 26;
const LABEL = 72;
const BAR = 260;

export function severityChart(counts: Readonly<Record<Severity, number>>): string {
  const order = [...SEVERITIES].reverse();
  const max = Math.max(1, ...order.map((s) => counts[s]));
  const height = ROW * order.length + 4;
  const title = `Findings by severity: ${order.map((s) => `${s} ${counts[s]}`).join(', ')}`;
  const bars = order.map((s, i) => {
    const y = i * ROW + 4;
    // A count of one or more always shows a sliver, so it is not read as zero.
    const w = counts[s] === 0 ? 0 : Math.max(2, Math.round((counts[s] / max) * BAR));
    return `<g class="bar bar-${s}"><text class="label" x="0" y="${y + 15}">${s}</text><rect x="${LABEL}" y="${y}" width="${w}" height="${ROW - 8}" rx="3"/><text class="value" x="${LABEL + w + 6}" y="${y + 15}">${counts[s]}</text></g>`;
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LABEL + BAR + 60} ${height}" width="${LABEL + BAR + 60}" height="${height}" role="img" aria-labelledby="chart-title"><title id="chart-title">${title}</title>${bars.join('')}</svg>`;
}
