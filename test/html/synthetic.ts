// Synthetic results for the HTML report's tests: a full-sized run (116 cases over
// the project's suites, a cold-boot report with five boots, history trends) that
// conforms to schemas/results.schema.json, passing or with chosen failures.
// Deterministic: values come from the case index, not from a random source.
import type { CaseResult } from '../../harness/results/model.ts';
import type { RunReport } from '../../harness/history/run-report.ts';
import type { MeasurementSummary } from '../../harness/results/events.ts';

const SUITES: Array<[suite: string, files: string[], n: number]> = [
  ['boot', ['booted-target', 'cold-boot'], 13],
  ['governance', ['headers-and-registry', 'security-process', 'code-and-licences'], 9],
  ['gui', ['status', 'control', 'limits', 'access-log'], 20],
  ['secure9p', ['handshake', 'walk', 'policy'], 20],
  ['federation', ['resolution', 'admin', 'upload'], 18],
  ['trace', ['record', 'diff', 'validator'], 16],
  ['release', ['bundle', 'proc-boot'], 10],
  ['cuda-annex', ['worker', 'lease'], 10],
];

/** A boot report like harness/boot/cold-boot.ts writes, for `boots` cold boots. */
export function bootDetail(bootMs: number[], budgetMs = 200): unknown {
  const stage = (name: string, hostMs: number | undefined, budget?: number) => ({
    name,
    pattern: name.toUpperCase(),
    seen: hostMs !== undefined,
    ...(hostMs !== undefined ? { hostMs, lineIndex: 1 } : {}),
    ...(budget !== undefined
      ? { budgetMs: budget, withinBudget: hostMs !== undefined && hostMs <= budget }
      : {}),
  });
  return {
    schemaVersion: 1,
    bootStage: 'boot_ok',
    statistic: 'median',
    budgetMs,
    runs: bootMs.map((ms) => ({
      t0: 'qmp-cont',
      host: { spawnMs: -160, qmpReadyMs: -2, contMs: 0, firstByteMs: ms * 0.3 },
      stages: [
        stage('rootserver', ms * 0.45),
        stage('boot_ok', ms, budgetMs),
        stage('init', ms * 1.12),
        stage('shell', ms * 1.2),
      ],
      bootStage: 'boot_ok',
      bootMs: ms,
      budgetMs: budgetMs,
      withinBudget: ms <= budgetMs,
      inOrder: true,
      orderViolations: [],
      faults: [],
    })),
  };
}

function measurement(
  name: string,
  suite: string,
  samples: number[],
  budget: number,
  detail?: unknown,
): MeasurementSummary {
  const s = [...samples].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)]!;
  return {
    caseId: `${suite}::x::${name}`,
    suite,
    name,
    unit: 'ms',
    samples,
    min: s[0]!,
    median,
    p95: s.at(-1)!,
    max: s.at(-1)!,
    statistic: 'median',
    budgetMs: budget,
    withinBudget: median <= budget,
    ...(detail !== undefined ? { detail } : {}),
  };
}

const DAYS = ['2029-03-20', '2029-03-21', '2029-03-22', '2029-03-23', '2029-03-24', '2029-03-25'];

/** One recorded measurement per day, oldest first, as the history store reports it. */
function trend(name: string, median: (i: number) => number) {
  return {
    profile: 'reference',
    name,
    unit: 'ms',
    points: DAYS.map((d, i) => ({
      runId: `run-${i}`,
      startedAt: `${d}T10:00:00.000Z`,
      median: median(i),
      p95: median(i) + 6,
      n: 5,
    })),
  };
}

export interface SyntheticOptions {
  /** case indices (0‥115) that fail, and how */
  failures?: Record<number, Partial<CaseResult>>;
  bootMs?: number[];
}

export function syntheticResults(opts: SyntheticOptions = {}): RunReport {
  const cases: CaseResult[] = [];
  for (const [suite, files, n] of SUITES)
    for (let i = 0; i < n; i++) {
      const file = `suites/${suite}/${files[i % files.length]}.test.ts`;
      const title = `${suite} check ${i + 1} holds`;
      const fullTitle = `${suite}: ${files[i % files.length]} > ${title}`;
      const base: CaseResult = {
        id: `${suite}::${file}::${fullTitle}`,
        suite,
        file,
        title,
        fullTitle,
        line: 4 + i * 7,
        status: 'passed',
        durationMs: 3 + ((i * 37) % 400),
        evidence:
          i % 3 === 0
            ? [
                {
                  name: 'transcript.txt',
                  path: `evidence/${suite}-${i}/transcript.txt`,
                  contentType: 'text/plain',
                  excerpt: Array.from({ length: 12 }, (_, k) => `line ${k} of ${suite} ${i}`).join('\n'),
                },
              ]
            : [],
      };
      const k = cases.length;
      cases.push({ ...base, ...(opts.failures?.[k] ?? {}) });
    }
  const count = (s: CaseResult['status']) => cases.filter((c) => c.status === s).length;
  const failed = count('failed');
  const infra = count('infra-error');
  const boot = opts.bootMs ?? [61, 58, 64, 60, 59];
  return {
    version: 1,
    runs: [
      {
        runId: 'run-116',
        startedAt: '2029-03-25T10:00:00.000Z',
        endedAt: '2029-03-25T10:03:10.000Z',
        durationMs: 190_000,
        reason: 'completed',
        provenance: {
          harnessVersion: '0.1.0',
          gitCommit: '0123456789abcdef0123456789abcdef01234567',
          targetKind: 'reference',
          targetName: 'reference',
          node: 'v20.20.2',
          host: 'ci',
        },
      },
    ],
    summary: {
      total: cases.length,
      passed: count('passed'),
      failed,
      skipped: count('skipped'),
      infraErrors: infra,
      flaky: cases.filter((c) => c.flaky).length,
      quarantined: 0,
      status: failed ? 'failed' : infra ? 'infra-error' : 'passed',
    },
    cases,
    measurements: [
      measurement('cold boot to boot_ok', 'boot', boot, 200, bootDetail(boot)),
      measurement('gui status p95 latency', 'gui', [12, 14, 13, 19, 15], 50),
      measurement('9p walk latency', 'secure9p', [3.1, 2.9, 3.4], 10),
    ],
    unhandledErrors: [],
    history: {
      runs: DAYS.map((d, i) => ({
        runId: `run-${i}`,
        startedAt: `${d}T10:00:00.000Z`,
        status: 'passed',
        profile: 'reference',
      })).reverse(),
      flakeRates: [],
      trends: [
        trend('cold boot to boot_ok', (i) => 52 + i * 2),
        trend('gui status p95 latency', (i) => 13 + (i % 3)),
      ],
      regressions: [],
    },
  };
}

/** The hostile text used in titles, messages and evidence: rendered, it must stay text. */
export const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>"'&amp;`;
