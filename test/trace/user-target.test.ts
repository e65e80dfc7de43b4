// The trace recording cases against a target named only in config (kind lab, no
// namespace folder): the trace is found, checked and matched over Secure9P, the CLI
// actions go to the configured console. The "target" here is the reference Secure9P
// server and console, started outside the run with TRACE_OUT = /log/qa-trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TraceRecorder } from '../../reference/trace/recorder.ts';
import { startLiveServices, type LiveServices } from '../../reference/trace/live-services.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import type { RunResults } from '../../harness/results/model.ts';

let dir: string;
let live: LiveServices;

beforeAll(async () => {
  dir = tempDir('cqa-trace-user-');
  const recorder = new TraceRecorder({ nsRoot: join(dir, 'ns'), traceOut: '/log/qa-trace' });
  recorder.record({ ts: 1, agent: 'queen_primary', event: 'spawn', detail: 'drone_worker id=w1', ok: true });
  live = await startLiveServices({ stateDir: join(dir, 'live'), recorder });
}, 60_000);

afterAll(async () => {
  await live?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("trace recording cases against a user's target from config", () => {
  it('pass over Secure9P with TRACE_OUT from the config', async () => {
    const config = join(dir, 'cohesix-qa.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        trace: { traceOut: '/log/qa-trace', secure9p: live.secure9p, console: live.console },
      }),
    );
    const out = join(dir, 'out');
    const r = await cli(
      [
        'run',
        '--suite',
        'trace',
        '--target',
        'lab',
        '--config',
        config,
        '--grep',
        'trace recording',
        '--reporter',
        'json',
        '--out',
        out,
      ],
      { timeoutMs: 120_000 },
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    const byStatus = results.cases.map((c) => `${c.fullTitle} [${c.status}]`).sort();
    expect(byStatus, r.stderr.slice(-2000)).toEqual([
      'trace recording > every Secure9P and CLI action of the run appears in the trace [passed]',
      'trace recording > every trace line is schema-valid [passed]',
      'trace recording > recorders honour /log/trace/ [passed]',
    ]);
    expect(r.exitCode).toBe(0);
  }, 150_000);
});
