// Synthetic runs for the history tests, built as event streams and folded by the
// real model, so what is recorded is exactly what a run would record.
import { foldEvents, type RunResults } from '../../../harness/results/model.ts';
import type { CaseStatus, ResultEvent, RunPolicy } from '../../../harness/results/events.ts';
import { seededRandom } from '../../../harness/seeded-random.ts';

export interface SynthCase {
  title: string;
  file?: string;
  /** one status per attempt */
  attempts: CaseStatus[];
  durationMs?: number;
}

export interface SynthRun {
  index: number;
  cases: SynthCase[];
  /** boot samples in ms */
  boot?: number[];
  profile?: string;
  policy?: Partial<RunPolicy>;
}

/** Run i starts i minutes after a fixed epoch: both back ends see the same order. */
export function startedAt(i: number): string {
  return new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString();
}

export function synthEvents(r: SynthRun): ResultEvent[] {
  let seq = 0;
  const at = startedAt(r.index);
  const e = <T extends object>(x: T) => ({ v: 1 as const, seq: ++seq, at, ...x }) as unknown as ResultEvent;
  const out: ResultEvent[] = [
    e({
      type: 'run-start',
      runId: `run-${String(r.index).padStart(5, '0')}`,
      provenance: {
        harnessVersion: '0.1.0',
        targetKind: 'reference',
        targetName: 'reference',
        node: 'v20',
        host: 'lab-1',
        ...(r.profile ? { profile: r.profile } : {}),
      },
      plan: {
        suites: ['boot'],
        files: [],
        policy: {
          repeat: 1,
          retries: 0,
          retryProduct: false,
          failOnFlaky: false,
          quarantine: [],
          ...r.policy,
        },
      },
    }),
  ];
  for (const c of r.cases) {
    const file = c.file ?? 'suites/boot/boot.test.ts';
    const ref = { id: `boot::${file}::${c.title}`, suite: 'boot', file, title: c.title, fullTitle: c.title };
    c.attempts.forEach((status, k) => {
      out.push(e({ type: 'case-start', case: ref, attempt: k + 1 }));
      out.push(
        e({
          type: 'case-end',
          case: ref,
          attempt: k + 1,
          status,
          durationMs: c.durationMs ?? 10,
          evidence: [],
          ...(status === 'failed' ? { error: { name: 'AssertionError', message: 'boom' } } : {}),
        }),
      );
    });
  }
  if (r.boot) {
    const s = [...r.boot].sort((a, b) => a - b);
    out.push(
      e({
        type: 'measurement',
        measurement: {
          caseId: 'boot::suites/boot/boot.test.ts::cold boot',
          suite: 'boot',
          name: 'boot.cold',
          unit: 'ms',
          samples: r.boot,
          min: s[0],
          median: s[s.length >> 1],
          p95: s[Math.ceil(s.length * 0.95) - 1],
          max: s.at(-1),
          statistic: 'median',
        },
      }),
    );
  }
  out.push(
    e({ type: 'run-end', status: 'passed', durationMs: 100, reason: 'completed', unhandledErrors: [] }),
  );
  return out;
}

export function synthRun(r: SynthRun): RunResults {
  return foldEvents([synthEvents(r)]);
}

/** n boot samples around `center` ms with ±`jitter` relative uniform noise, seeded. */
export function bootSamples(center: number, n: number, seed: number, jitter = 0.02): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(center * (1 + (rand() * 2 - 1) * jitter) * 10) / 10);
}

/**
 * A history of `runs` runs: "fails one run in five" fails every fifth run, "steady"
 * always passes, "broken" always fails; boot samples around 1000 ms, and the last run's
 * boot is `lastBoot` ms (e.g. 1100 for a 10 % regression).
 */
export function seededHistory(runs: number, lastBoot: number): RunResults[] {
  return Array.from({ length: runs }, (_, i) =>
    synthRun({
      index: i,
      cases: [
        { title: 'steady', attempts: ['passed'] },
        { title: 'fails one run in five', attempts: [i % 5 === 2 ? 'failed' : 'passed'] },
        { title: 'broken', attempts: ['failed'] },
      ],
      boot: bootSamples(i === runs - 1 ? lastBoot : 1000, 20, 1000 + i),
    }),
  );
}
