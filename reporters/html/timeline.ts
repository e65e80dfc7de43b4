// The boot timeline as a waterfall: one row per cold boot, each stage a segment
// from the previous event to its marker line (host ms since QMP `cont`), the
// QEMU prelude (spawn → QMP ready → cont) greyed before zero, and the boot
// budget as one dashed line across every row so a slow boot shows at a glance.
// The detail is `unknown` in results (merged files may come from anywhere), so
// its shape is checked here and anything else draws nothing.
import { escapeHtml as h, fmtNum } from '../format.ts';

interface Stage {
  name: string;
  hostMs?: number;
  budgetMs?: number;
}

export interface WaterfallRun {
  label: string;
  /** QEMU start-up before t0 (negative ms), when known */
  prelude: Array<{ name: string; ms: number }>;
  stages: Stage[];
  error?: string;
}

export interface Waterfall {
  runs: WaterfallRun[];
  budgetMs?: number;
  bootStage?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function stagesOf(v: unknown): Stage[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  if (!v.every((s) => isObj(s) && typeof s.name === 'string')) return undefined;
  return (v as Array<Record<string, unknown>>).map((s) => ({
    name: s.name as string,
    hostMs: s.seen === false ? undefined : num(s.hostMs),
    budgetMs: num(s.budgetMs),
  }));
}

function preludeOf(host: unknown): WaterfallRun['prelude'] {
  if (!isObj(host)) return [];
  const marks: Array<[string, unknown]> = [
    ['QEMU spawned', host.spawnMs],
    ['QMP ready', host.qmpReadyMs],
    ['first serial byte', host.firstByteMs],
  ];
  return marks.flatMap(([name, v]) => (num(v) === undefined ? [] : [{ name, ms: num(v)! }]));
}

/**
 * A boot report ({runs: [BootTimeline…], budgetMs}) gives one row per cold boot;
 * a bare {stages: [{name, hostMs}]} gives one row.
 */
export function waterfallOf(detail: unknown, budget?: number): Waterfall | undefined {
  if (!isObj(detail)) return undefined;
  const bootStage = typeof detail.bootStage === 'string' ? detail.bootStage : undefined;
  if (Array.isArray(detail.runs)) {
    const runs = detail.runs.flatMap((r, i): WaterfallRun[] => {
      const stages = isObj(r) ? stagesOf(r.stages) : undefined;
      if (!isObj(r) || !stages) return [];
      return [
        {
          label: `boot ${i + 1}`,
          prelude: preludeOf(r.host),
          stages,
          ...(typeof r.error === 'string' ? { error: r.error } : {}),
        },
      ];
    });
    if (runs.length === 0) return undefined;
    return { runs, budgetMs: num(detail.budgetMs) ?? budget, bootStage };
  }
  const stages = stagesOf(detail.stages);
  return stages
    ? { runs: [{ label: 'median', prelude: [], stages }], budgetMs: budget, bootStage }
    : undefined;
}

const PALETTE = ['#3b6fd4', '#2a9d8f', '#8e5cc4', '#d08c1a', '#c2577a', '#4f8a3a', '#5b7083'];

/** A round step giving about `n` ticks over `span`. */
function tickStep(span: number, n = 6): number {
  const raw = span / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? raw;
}

export function renderWaterfall(w: Waterfall): string {
  const names = [...new Set(w.runs.flatMap((r) => r.stages.map((s) => s.name)))];
  const color = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length]!;
  const times = w.runs.flatMap((r) => [
    ...r.prelude.map((p) => p.ms),
    ...r.stages.flatMap((s) => [s.hostMs ?? 0, s.budgetMs ?? 0]),
  ]);
  const hi = Math.max(1, w.budgetMs ?? 0, ...times) * 1.04;
  // QEMU start-up can dwarf the boot itself: it gets at most a fifth of the axis, cut short
  const lo = Math.max(Math.min(0, ...times), -hi * 0.2);
  const L = 150; // label column
  const W = 760;
  const R = 16;
  const x = (v: number) => L + ((v - lo) / (hi - lo)) * (W - L - R);
  const ROW = 17;
  const top = 18;
  const rows = w.runs.map((r, i) => {
    const y = top + i * ROW;
    const seen = r.stages.filter((s) => s.hostMs !== undefined).sort((a, b) => a.hostMs! - b.hostMs!);
    const missing = r.stages.filter((s) => s.hostMs === undefined).map((s) => s.name);
    const marks = [...r.prelude.filter((p) => p.ms < 0).sort((a, b) => a.ms - b.ms), { name: 'cont', ms: 0 }];
    const parts: string[] = [];
    for (let k = 1; k < marks.length; k++)
      parts.push(
        `<rect class="pre" x="${x(Math.max(lo, marks[k - 1]!.ms)).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(Math.max(lo, marks[k]!.ms)) - x(Math.max(lo, marks[k - 1]!.ms))).toFixed(1)}" height="10"><title>${h(marks[k - 1]!.name)} → ${h(marks[k]!.name)}: ${fmtNum(marks[k]!.ms - marks[k - 1]!.ms)} ms</title></rect>`,
      );
    let prev = 0;
    for (const s of seen) {
      const over = s.budgetMs !== undefined && s.hostMs! > s.budgetMs;
      parts.push(
        `<rect x="${x(prev).toFixed(1)}" y="${y + 2}" width="${Math.max(1.5, x(s.hostMs!) - x(prev)).toFixed(1)}" height="12" fill="${color(s.name)}"${over ? ' class="over"' : ''}><title>${h(s.name)} at ${fmtNum(s.hostMs)} ms (+${fmtNum(s.hostMs! - prev)} ms)${s.budgetMs !== undefined ? `, stage budget ${fmtNum(s.budgetMs)} ms` : ''}</title></rect>`,
      );
      if (s.budgetMs !== undefined)
        parts.push(`<line class="sb" x1="${x(s.budgetMs)}" x2="${x(s.budgetMs)}" y1="${y}" y2="${y + 16}"/>`);
      prev = s.hostMs!;
    }
    const boot = r.stages.find((s) => s.name === w.bootStage) ?? seen.at(-1);
    const bootMs = boot?.hostMs;
    const late = bootMs !== undefined && w.budgetMs !== undefined && bootMs > w.budgetMs;
    const label = `${h(r.label)} <tspan class="${bootMs === undefined || late ? 'bad' : 'muted'}">${bootMs === undefined ? 'not reached' : `${fmtNum(bootMs)} ms`}</tspan>`;
    const note =
      missing.length || r.error
        ? `<text class="bad" x="${(x(prev) + 6).toFixed(1)}" y="${y + 12}">${h(missing.length ? `never saw ${missing.join(', ')}` : '')}${r.error ? `<title>${h(r.error)}</title>` : ''}</text>`
        : '';
    return `<text x="4" y="${y + 12}">${label}</text>${parts.join('')}${note}`;
  });
  const bottom = top + w.runs.length * ROW;
  const step = tickStep(hi - lo);
  const ticks: string[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step)
    ticks.push(
      `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${bottom}"/><text class="muted" x="${x(t)}" y="${bottom + 12}" text-anchor="middle">${fmtNum(t)}</text>`,
    );
  const budget =
    w.budgetMs === undefined
      ? ''
      : `<line class="budget" x1="${x(w.budgetMs)}" x2="${x(w.budgetMs)}" y1="4" y2="${bottom + 2}"/><text class="bad" x="${x(w.budgetMs) - 4}" y="12" text-anchor="end">budget ${fmtNum(w.budgetMs)} ms${w.bootStage ? ` to ${h(w.bootStage)}` : ''}</text>`;
  const zero = `<text class="muted" x="${x(0)}" y="12" text-anchor="middle">t0</text>`;
  const legend = names
    .map((n) => `<span><i style="background:${color(n)}"></i>${h(n)}</span>`)
    .concat(w.runs.some((r) => r.prelude.length) ? ['<span><i class="pre"></i>QEMU start-up</span>'] : [])
    .join('');
  return `<figure class="waterfall"><svg viewBox="0 0 ${W} ${bottom + 18}" role="img" aria-label="boot timeline">${ticks.join('')}${zero}${rows.join('')}${budget}</svg><figcaption class="legend">${legend}<span class="muted">host ms since QMP cont</span></figcaption></figure>`;
}
