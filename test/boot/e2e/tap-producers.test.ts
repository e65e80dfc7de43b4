// The boot suite on a lab board whose self-tests are real `prove` output (TAP 12:
// no version line, a TODO, a SKIP, a subtest, a failure): each point is its own
// case, SKIP and TODO are skipped with their reason, the subtest's points are
// "memory > …", the failure carries Test::More's diagnostics.
import { afterAll, describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../../helpers/cli.ts';
import type { RunResults } from '../../../harness/results/model.ts';
import { PROJECT_ROOT } from '../../../harness/paths.ts';
import { startSer2netBridge, type Ser2netBridge } from '../../../reference/boot/lab-standin.ts';

let bridge: Ser2netBridge | undefined;
afterAll(async () => bridge?.close());

const SELF = 'boot: on-target self-tests > ';

describe('boot suite on a board that runs its self-tests with prove', () => {
  test('every TAP point is a case with its own verdict', async () => {
    bridge = await startSer2netBridge();
    const dir = tempDir('cqa-prove-board-');
    const pid = join(dir, 'board.pid');
    const board = join(PROJECT_ROOT, 'test/boot/fixtures/tap-producers/prove-board.sh');
    const power = {
      on: `bash '${board}' ${bridge.boardPort} '${pid}'`,
      off: `if [ -f '${pid}' ]; then kill "$(cat '${pid}')" 2>/dev/null; rm -f '${pid}'; fi; true`,
    };
    const config = join(dir, 'cohesix-qa.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        target: 'lab',
        targets: {
          lab: { name: 'prove-board', serial: { host: '127.0.0.1', port: bridge.serialPort }, power },
        },
        boot: { bootRuns: 1, budgetMs: 10_000 },
      }),
    );
    const out = join(dir, 'out');
    await cli([
      'run',
      '--config',
      config,
      '--suite',
      'boot',
      '--grep',
      SELF,
      '--reporter',
      'json',
      '--out',
      out,
    ]);
    const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
    const status = Object.fromEntries(
      res.cases
        .filter((c) => c.fullTitle.startsWith(SELF))
        .map((c) => [c.fullTitle.slice(SELF.length), c.status]),
    );
    expect(status).toEqual({
      'the TAP stream is complete: plan met, no bail-out': 'passed',
      'exception vectors installed': 'passed',
      'syscall numbers have the right sign': 'failed',
      'virtual timer fires': 'skipped',
      'test point 4': 'skipped',
      'memory > ram base': 'passed',
      'memory > ram size': 'passed',
      memory: 'passed',
    });
    const failed = res.cases.find((c) => c.fullTitle === `${SELF}syscall numbers have the right sign`)!;
    expect(failed.error?.message).toMatch(
      /^the target reported "not ok 2 - syscall numbers have the right sign": .*got: '-7'/,
    );
    const reasons = res.cases
      .filter((c) => c.status === 'skipped')
      .flatMap((c) => c.evidence.map((e) => readFileSync(join(out, e.path), 'utf8').trim()));
    expect(reasons.sort()).toEqual([
      'TODO on the target (not ok, as expected): timer IRQ not wired on this board',
      'the target skipped this self-test: no GPU on this board',
    ]);
    expect(() => readFileSync(pid)).toThrow();
  }, 180_000);
});
