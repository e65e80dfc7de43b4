// An events.jsonl written before the boot budget kept one name (`budget`, not `budgetMs`)
// still carries its budget into a merged report.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../../harness/results/read.ts';
import { EVENTS_VERSION } from '../../harness/results/events.ts';

const measurement = (extra: Record<string, unknown>) => ({
  v: EVENTS_VERSION,
  type: 'measurement',
  seq: 1,
  at: '2026-12-07T00:00:00.000Z',
  measurement: {
    caseId: 'c',
    suite: 'boot',
    name: 'cold-boot',
    unit: 'ms',
    samples: [7],
    min: 7,
    median: 7,
    p95: 7,
    max: 7,
    statistic: 'median',
    ...extra,
  },
});

function stream(...events: unknown[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'cqa-read-')), 'events.jsonl');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

describe('readEvents', () => {
  it('reads an older stream’s measurement `budget` as `budgetMs`', () => {
    const { events } = readEvents(stream(measurement({ budget: 200 })));
    const m = (events[0] as unknown as { measurement: Record<string, unknown> }).measurement;
    expect(m.budgetMs).toBe(200);
    expect(m).not.toHaveProperty('budget');
  });

  it('keeps a current stream’s `budgetMs` as it is', () => {
    const { events } = readEvents(stream(measurement({ budgetMs: 150 })));
    expect((events[0] as unknown as { measurement: Record<string, unknown> }).measurement.budgetMs).toBe(150);
  });
});
