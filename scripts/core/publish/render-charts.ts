/**
 * Build-time SVG charts for the site. Pure functions from series to SVG text: no JavaScript
 * is needed to see them, colours come from CSS classes (so light and dark themes both work),
 * and every chart carries a `<title>` and `<desc>` plus `role="img"`; the page shows the same
 * numbers in a data table next to it.
 */
import { escapeHtml } from './render-markdown.js';

/** One point of a time or category series; `y: null` is a gap. */
export interface ChartPoint {
  x: string;
  y: number | null;
}

/** A bar with a label and a value. */
export interface ChartBar {
  label: string;
  value: number;
  /** Optional note shown after the value (e.g. "n=12"). */
  note?: string;
}

/** A stacked bar: one label, several named parts. */
export interface ChartStack {
  label: string;
  parts: Array<{ key: string; value: number }>;
}

/** Common chart options. */
export interface ChartOptions {
  /** Unique id prefix for aria references inside the page. */
  id: string;
  title: string;
  /** The text alternative: what the chart says, in one or two sentences. */
  desc: string;
  /** Upper bound of the value axis (default: the data maximum, rounded up). */
  yMax?: number;
  /** Unit appended to axis labels (e.g. "%", "s"). */
  unit?: string;
}

const W = 640;
const H = 240;
const PAD = { top: 16, right: 44, bottom: 40, left: 48 };

function fmt(n: number): string {
  if (!Number.isFinite(n)) return '0';
  const abs = Math.abs(n);
  if (abs >= 1000) return `${Math.round(n / 100) / 10}k`;
  if (abs >= 100 || Number.isInteger(n)) return String(Math.round(n));
  return String(Math.round(n * 10) / 10);
}

/** A "nice" axis maximum (1, 2, 2.5, 5 x 10^k) at or above `v`. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function open(o: ChartOptions, cls: string): string {
  const t = `${o.id}-t`;
  const d = `${o.id}-d`;
  return `<svg class="chart ${cls}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${t} ${d}" xmlns="http://www.w3.org/2000/svg"><title id="${t}">${escapeHtml(o.title)}</title><desc id="${d}">${escapeHtml(o.desc)}</desc>`;
}

function yAxis(max: number, unit: string): string {
  const out: string[] = [];
  const plotH = H - PAD.top - PAD.bottom;
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = PAD.top + plotH - (plotH * i) / 4;
    out.push(`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`);
    out.push(`<text class="tick" x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeHtml(fmt(v) + unit)}</text>`);
  }
  return out.join('');
}

/** Evenly thinned x labels so they never overlap. */
function xLabels(labels: string[], xAt: (i: number) => number): string {
  const plotW = W - PAD.left - PAD.right;
  const every = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(plotW / 70))));
  return labels
    .map((l, i) =>
      i % every === 0 ? `<text class="tick" x="${xAt(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(l.length > 12 ? `${l.slice(0, 11)}…` : l)}</text>` : '',
    )
    .join('');
}

/** Least-squares line through the non-null points (index as x); undefined with < 2 points. */
export function fitTrend(points: readonly ChartPoint[]): { slope: number; intercept: number } | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  points.forEach((p, i) => {
    if (p.y !== null && Number.isFinite(p.y)) {
      xs.push(i);
      ys.push(p.y);
    }
  });
  if (xs.length < 2) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  const slope = den === 0 ? 0 : num / den;
  return { slope, intercept: my - slope * mx };
}

/** Line chart over a series (weeks, months...), optionally with a dashed least-squares trend. */
export function lineChart(points: readonly ChartPoint[], o: ChartOptions & { trend?: boolean }): string {
  const unit = o.unit ?? '';
  const values = points.map((p) => p.y).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = o.yMax ?? niceMax(Math.max(0, ...values));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const n = points.length;
  const xAt = (i: number): number => PAD.left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const yAt = (v: number): number => PAD.top + plotH - (plotH * Math.min(Math.max(v, 0), max)) / max;
  const parts: string[] = [open(o, 'chart-line'), yAxis(max, unit)];
  // Split into segments at gaps so a missing week is not drawn as a straight line.
  let seg: string[] = [];
  const segs: string[][] = [];
  points.forEach((p, i) => {
    if (p.y === null || !Number.isFinite(p.y)) {
      if (seg.length) segs.push(seg);
      seg = [];
    } else seg.push(`${xAt(i).toFixed(1)},${yAt(p.y).toFixed(1)}`);
  });
  if (seg.length) segs.push(seg);
  for (const s of segs) parts.push(`<polyline class="series" fill="none" points="${s.join(' ')}"/>`);
  points.forEach((p, i) => {
    if (p.y !== null && Number.isFinite(p.y))
      parts.push(`<circle class="dot" cx="${xAt(i).toFixed(1)}" cy="${yAt(p.y).toFixed(1)}" r="3"><title>${escapeHtml(`${p.x}: ${fmt(p.y)}${unit}`)}</title></circle>`);
  });
  if (o.trend) {
    const t = fitTrend(points);
    if (t && n > 1)
      parts.push(`<line class="trend" x1="${xAt(0).toFixed(1)}" y1="${yAt(t.intercept).toFixed(1)}" x2="${xAt(n - 1).toFixed(1)}" y2="${yAt(t.intercept + t.slope * (n - 1)).toFixed(1)}"/>`);
  }
  parts.push(
    xLabels(
      points.map((p) => p.x),
      xAt,
    ),
    '</svg>',
  );
  return parts.join('');
}

/** Horizontal bar chart (one row per label), values labelled at the bar end. */
export function barChart(bars: readonly ChartBar[], o: ChartOptions): string {
  const unit = o.unit ?? '';
  const rowH = 26;
  const h = Math.max(60, bars.length * rowH + 16);
  const labelW = 150;
  const max = o.yMax ?? niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const plotW = W - labelW - 90;
  const t = `${o.id}-t`;
  const d = `${o.id}-d`;
  const parts = [
    `<svg class="chart chart-bar" viewBox="0 0 ${W} ${h}" role="img" aria-labelledby="${t} ${d}" xmlns="http://www.w3.org/2000/svg"><title id="${t}">${escapeHtml(o.title)}</title><desc id="${d}">${escapeHtml(o.desc)}</desc>`,
  ];
  bars.forEach((b, i) => {
    const y = 8 + i * rowH;
    const w = max > 0 ? (plotW * Math.min(Math.max(b.value, 0), max)) / max : 0;
    const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
    parts.push(`<text class="label" x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(label)}</text>`);
    parts.push(`<rect class="bar" x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3"/>`);
    parts.push(`<text class="value" x="${(labelW + w + 6).toFixed(1)}" y="${y + 16}">${escapeHtml(`${fmt(b.value)}${unit}${b.note ? ` (${b.note})` : ''}`)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Vertical stacked bars (e.g. outcome mix per week); parts are drawn in `keys` order. */
export function stackedChart(stacks: readonly ChartStack[], keys: readonly string[], o: ChartOptions): string {
  const totals = stacks.map((s) => s.parts.reduce((a, p) => a + Math.max(0, p.value), 0));
  const max = o.yMax ?? niceMax(Math.max(0, ...totals));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const n = Math.max(1, stacks.length);
  const slot = plotW / n;
  const bw = Math.max(2, Math.min(40, slot * 0.7));
  const xAt = (i: number): number => PAD.left + slot * i + slot / 2;
  const parts: string[] = [open(o, 'chart-stack'), yAxis(max, o.unit ?? '')];
  stacks.forEach((s, i) => {
    let acc = 0;
    for (const k of keys) {
      const v = Math.max(0, s.parts.find((p) => p.key === k)?.value ?? 0);
      if (!v) continue;
      const y0 = PAD.top + plotH - (plotH * acc) / max;
      const hh = (plotH * v) / max;
      parts.push(
        `<rect class="part part-${escapeHtml(k)}" x="${(xAt(i) - bw / 2).toFixed(1)}" y="${(y0 - hh).toFixed(1)}" width="${bw.toFixed(1)}" height="${hh.toFixed(1)}"><title>${escapeHtml(`${s.label} ${k}: ${fmt(v)}`)}</title></rect>`,
      );
      acc += v;
    }
  });
  parts.push(
    xLabels(
      stacks.map((s) => s.label),
      xAt,
    ),
  );
  // Legend.
  keys.forEach((k, i) => {
    const x = PAD.left + i * 110;
    parts.push(`<rect class="part part-${escapeHtml(k)}" x="${x}" y="${H - 14}" width="10" height="10"/><text class="tick" x="${x + 14}" y="${H - 5}">${escapeHtml(k)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** One row of a forest plot: an estimate with its interval (null ends are unbounded). */
export interface ForestRow {
  label: string;
  estimate: number | null;
  low: number | null;
  high: number | null;
  /** helps / harms / unclear: the row's colour class. */
  verdict: string;
}

/**
 * Forest plot of odds ratios on a log scale (0.05 to 20), one row per estimate: the interval as
 * a line (an arrow where it is unbounded or off the scale), the estimate as a square, and a
 * vertical line at 1 (no effect).
 */
export function forestPlot(rows: readonly ForestRow[], o: ChartOptions): string {
  const rowH = 22;
  const left = 230;
  const right = 24;
  const top = 20;
  const h = top + rowH * rows.length + 34;
  const lo = Math.log(0.05);
  const hi = Math.log(20);
  const x = (v: number): number => left + ((Math.log(Math.min(20, Math.max(0.05, v))) - lo) / (hi - lo)) * (W - left - right);
  const t = `${o.id}-t`;
  const d = `${o.id}-d`;
  const parts = [
    `<svg class="chart chart-forest" viewBox="0 0 ${W} ${h}" role="img" aria-labelledby="${t} ${d}" xmlns="http://www.w3.org/2000/svg"><title id="${t}">${escapeHtml(o.title)}</title><desc id="${d}">${escapeHtml(o.desc)}</desc>`,
  ];
  for (const tick of [0.1, 0.25, 0.5, 1, 2, 4, 10]) {
    parts.push(`<line class="${tick === 1 ? 'axis-one' : 'grid'}" x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${top - 6}" y2="${h - 28}"/>`);
    parts.push(`<text class="tick" x="${x(tick).toFixed(1)}" y="${h - 12}" text-anchor="middle">${tick}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + rowH * i + rowH / 2;
    parts.push(`<text class="tick" x="${left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${escapeHtml(r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label)}</text>`);
    const a = r.low === null || r.low <= 0.05 ? x(0.05) : x(r.low);
    const b = r.high === null || r.high >= 20 ? x(20) : x(r.high);
    parts.push(`<line class="ci ${escapeHtml(r.verdict)}" x1="${a.toFixed(1)}" x2="${b.toFixed(1)}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}"/>`);
    if (r.low === null || r.low <= 0.05)
      parts.push(`<path class="ci-end ${escapeHtml(r.verdict)}" d="M${(a + 6).toFixed(1)},${(y - 4).toFixed(1)} L${a.toFixed(1)},${y.toFixed(1)} L${(a + 6).toFixed(1)},${(y + 4).toFixed(1)}"/>`);
    if (r.high === null || r.high >= 20)
      parts.push(`<path class="ci-end ${escapeHtml(r.verdict)}" d="M${(b - 6).toFixed(1)},${(y - 4).toFixed(1)} L${b.toFixed(1)},${y.toFixed(1)} L${(b - 6).toFixed(1)},${(y + 4).toFixed(1)}"/>`);
    const est = r.estimate === null ? (r.low !== null && r.low > 1 ? 20 : 0.05) : r.estimate;
    parts.push(
      `<rect class="est ${escapeHtml(r.verdict)}" x="${(x(est) - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8"><title>${escapeHtml(`${r.label}: odds ratio ${r.estimate === null ? '∞' : fmt(r.estimate)} (${r.low === null ? '0' : fmt(r.low)}–${r.high === null ? '∞' : fmt(r.high)}), ${r.verdict}`)}</title></rect>`,
    );
  });
  parts.push(
    `<text class="tick" x="${left}" y="${h - 1}" text-anchor="start">← recall goes with failure</text><text class="tick" x="${W - right}" y="${h - 1}" text-anchor="end">recall goes with success →</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
