// report.html: one self-contained file (inline CSS, SVG and a small script; no
// network), readable offline from a CI artifact. The page is built in html/:
// page.ts (layout), cases.ts (rows), problems.ts (errors), measurements.ts,
// timeline.ts (boot waterfall), sparkline.ts (history), style.ts, script.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter, ReporterContext } from './types.ts';
import type { RunReport } from '../harness/history/run-report.ts';
import { renderPage } from './html/page.ts';

export function renderHtml(r: RunReport): string {
  return renderPage(r);
}

export function htmlReporter(ctx: ReporterContext): Reporter {
  return {
    name: 'html',
    onEnd(r: RunReport) {
      writeFileSync(join(ctx.outDir, 'report.html'), renderHtml(r));
    },
  };
}
