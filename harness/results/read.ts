// Read an events.jsonl back. A killed run may leave a final line cut short by the
// kernel only if a write was torn, which appendFileSync of one line does not do;
// still, a final partial line is tolerated and reported, never fatal.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { EVENTS_VERSION, type ResultEvent } from './events.ts';

export function readEvents(file: string): { events: ResultEvent[]; partialTail: boolean } {
  if (!existsSync(file))
    throw new UsageError(
      `${file}: no such file\n  fix: point at a directory written by \`cohesix-qa run --out\``,
    );
  const lines = readFileSync(file, 'utf8').split('\n');
  const events: ResultEvent[] = [];
  let partialTail = false;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let e: ResultEvent;
    try {
      e = JSON.parse(line) as ResultEvent;
    } catch {
      if (i === lines.length - 1) {
        partialTail = true;
        return;
      }
      throw new UsageError(
        `${file}:${i + 1}: not a JSON line\n  fix: the stream is corrupt; rerun that shard`,
      );
    }
    if (e.v !== EVENTS_VERSION) {
      throw new UsageError(
        `${file}:${i + 1}: events version ${String(e.v)}, this harness reads ${EVENTS_VERSION}`,
      );
    }
    events.push(olderBudgetName(e));
  });
  return { events, partialTail };
}

export function readRunDir(dir: string): ResultEvent[] {
  return readEvents(join(dir, 'events.jsonl')).events;
}

/**
 * Streams written before the boot budget kept one name carry a measurement's budget as
 * `budget`; read it as `budgetMs`, so `merge-reports` of an older shard keeps its budget.
 */
function olderBudgetName(e: ResultEvent): ResultEvent {
  if (e.type !== 'measurement') return e;
  const m = e.measurement as typeof e.measurement & { budget?: number };
  if (m.budgetMs !== undefined || typeof m.budget !== 'number') return e;
  const { budget, ...rest } = m;
  return { ...e, measurement: { ...rest, budgetMs: budget } };
}
