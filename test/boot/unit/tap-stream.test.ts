import { describe, expect, test } from 'vitest';
import { TapStream } from '../../../harness/boot/tap-stream.ts';
import { scanFaults, compileFaultPatterns, DEFAULT_FAULT_PATTERNS } from '../../../harness/boot/faults.ts';

function feedAll(t: TapStream, text: string): void {
  for (const l of text.split('\n')) t.feed(l);
}

describe('on-target TAP while it streams', () => {
  test('points with names, status and YAML diagnostics; ends when a non-TAP line follows the plan', async () => {
    const t = new TapStream();
    feedAll(
      t,
      [
        '[    0.001] Cohesix shell started',
        'TAP version 14',
        '1..3',
        'ok 1 - exception vectors installed',
        'not ok 2 - syscall numbers have the right sign',
        '  ---',
        '  message: "wrong sign"',
        '  ...',
        'ok 3 - boot info pointer valid',
      ].join('\n'),
    );
    expect(t.finished).toBe(false);
    t.feed('[    0.006] self-tests: FAILED');
    const s = await t.done;
    expect(s.complete).toBe(true);
    expect(s.version).toBe(14);
    expect(s.points.map((p) => [p.id, p.name, p.ok])).toEqual([
      [1, 'exception vectors installed', true],
      [2, 'syscall numbers have the right sign', false],
      [3, 'boot info pointer valid', true],
    ]);
    expect(s.points[1]!.diag).toMatchObject({ message: 'wrong sign' });
    expect(s.ok).toBe(false);
    expect(s.problems).toEqual([]);
  });

  test('a bail-out ends the stream and fails it', async () => {
    const t = new TapStream();
    feedAll(t, 'TAP version 14\n1..4\nok 1 - a\nBail out! timer never fired');
    const s = await t.done;
    expect(s.bailout).toBe('timer never fired');
    expect(s.ok).toBe(false);
    expect(s.problems).toContain('the target bailed out: timer never fired');
  });

  test('fewer points than planned, or no TAP at all, is a problem', () => {
    const t = new TapStream();
    feedAll(t, 'TAP version 14\n1..3\nok 1 - a');
    expect(t.end().problems).toEqual(['planned 3 test points, saw 1']);
    expect(new TapStream().end().problems).toEqual([
      'no TAP was seen on the console (expected a "TAP version" line, or a plan "1..N" or a test line after the boot marker)',
    ]);
  });

  test('without a version line only a plan or test line after the boot marker starts the stream', async () => {
    const t = new TapStream({ after: /COHESIX_BOOT_OK/ });
    feedAll(
      t,
      '1..2 cpus online\nok bootloader\n[0.1] COHESIX_BOOT_OK\n[0.2] shell\n1..1\nok 1 - a\n[0.3] done',
    );
    const s = await t.done;
    expect(s.plan).toEqual({ start: 1, end: 1 });
    expect(s.points.map((p) => p.name)).toEqual(['a']);
    expect(s.problems).toEqual([]);
  });

  test("console output inside the last point's YAML does not close the stream before the YAML ends", async () => {
    const t = new TapStream();
    feedAll(t, 'TAP version 14\n1..1\nnot ok 1 - a\n  ---\n[0.1] kernel line\n  message: "late"\n  ...');
    expect(t.finished).toBe(false);
    t.feed('[0.2] self-tests: FAILED');
    expect((await t.done).points[0]!.diag).toEqual({ message: 'late' });
  });
});

describe('fault lines', () => {
  const lines = [
    'ok',
    'Data Abort at pc 0x1',
    'MMU FAULT in vspace',
    'Caught cap fault in send',
    'unknown syscall -42',
    'caught cap fault lowercase',
  ].map((text, index) => ({ index, text }));

  test('the contract list, with aborts and MMU faults in any case', () => {
    expect(scanFaults(lines, DEFAULT_FAULT_PATTERNS).map((h) => h.lineIndex)).toEqual([1, 2, 3, 4]);
  });

  test('configured lists replace the default; strings are literal and case-insensitive', () => {
    const pats = compileFaultPatterns(['cap fault', '/^ok$/']);
    expect(scanFaults(lines, pats).map((h) => h.lineIndex)).toEqual([0, 3, 5]);
    expect(compileFaultPatterns(['a.b'])[0]!.test('axb')).toBe(false);
  });
});
