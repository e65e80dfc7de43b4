// TAP as real producers print it (prove / Test::More, node --test, bats --tap and
// --formatter tap13), generated here by running the tools, then delivered the way
// a guest's serial console delivers it: boot lines first (one of them looking like
// a test line), the boot marker, the TAP with kernel log lines before its points
// (inside a subtest too) and inside its YAML blocks, then the console carrying on.
import { describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../harness/paths.ts';
import { TapStream, tapVerdict, type TapSummary } from '../../../harness/boot/tap-stream.ts';

const dir = join(PROJECT_ROOT, 'test/boot/fixtures/tap-producers');
const MARKER = /COHESIX_BOOT_OK/;

/** stdout and stderr as one console sees them; a missing tool is named with its fix */
async function produce(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { cwd: dir, all: true, reject: false, timeout: 60_000 });
  if (r.failed && r.exitCode === undefined)
    throw new Error(
      `could not run ${cmd} (${r.shortMessage}); scripts/setup.sh installs it (apt: bats, perl)`,
    );
  return r.all ?? '';
}

/** the TAP on a serial line: boot output around it, kernel lines before each point and YAML end */
function overSerial(tap: string): string[] {
  const lines = [
    '[    0.000] ROOTSERVER ONLINE',
    'ok 1 - bootloader handoff (firmware output, before the boot marker)',
    '[    0.002] COHESIX_BOOT_OK',
  ];
  let n = 0;
  for (const l of tap.split('\n')) {
    if (/^\s*(ok|not ok)\b|^\s+\.\.\.$/.test(l))
      lines.push(`[    0.${String(100 + n++)}] virtio_net: link up`);
    lines.push(l);
  }
  lines.push('[    0.900] self-tests: done', 'cohesix> ');
  return lines;
}

async function streamed(tap: string): Promise<{ s: TapSummary; finishedEarly: boolean }> {
  const t = new TapStream({ after: MARKER });
  const lines = overSerial(tap);
  // the prompt is never followed by more output: the stream must have closed before it
  for (const l of lines.slice(0, -1)) t.feed(l);
  const finishedEarly = t.finished;
  t.feed(lines[lines.length - 1]!);
  return { s: t.end(), finishedEarly };
}

const view = (s: TapSummary) =>
  s.points.map((p) => [p.name, p.ok, p.skip ? `skip: ${p.reason}` : p.todo ? `todo: ${p.reason}` : '']);

describe('TAP from real producers, over a serial console', () => {
  test('prove -v --merge (Test::More, TAP 12: no version line, trailing plan, TODO, SKIP, a subtest)', async () => {
    const { s, finishedEarly } = await streamed(await produce('prove', ['-v', '--merge', 'selftests.t']));
    expect(finishedEarly).toBe(true);
    expect(s.version).toBeUndefined();
    expect(s.plan).toEqual({ start: 1, end: 5 });
    expect(s.problems).toEqual([]);
    expect(view(s)).toEqual([
      ['exception vectors installed', true, ''],
      ['syscall numbers have the right sign', false, ''],
      ['virtual timer fires', false, 'todo: timer IRQ not wired on this board'],
      ['test point 4', true, 'skip: no GPU on this board'],
      ['memory > ram base', true, ''],
      ['memory > ram size', true, ''],
      ['memory', true, ''],
    ]);
    expect(s.ok).toBe(false);
    const [, signs, timer, gpu] = s.points;
    expect(tapVerdict(signs!).failure).toMatch(
      /^the target reported "not ok 2 - syscall numbers have the right sign": .*got: '-7'.*expected: '7'/,
    );
    expect(tapVerdict(timer!)).toEqual({
      skipped: 'TODO on the target (not ok, as expected): timer IRQ not wired on this board',
    });
    expect(tapVerdict(gpu!)).toEqual({ skipped: 'the target skipped this self-test: no GPU on this board' });
    expect(s.points.find((p) => p.name.startsWith('bootloader'))).toBeUndefined();
  });

  test('node --test --test-reporter=tap (TAP 13, nested subtests with YAML, SKIP, TODO)', async () => {
    const out = await produce(process.execPath, ['--test', '--test-reporter=tap', 'selftests.node.mjs']);
    const { s, finishedEarly } = await streamed(out);
    expect(finishedEarly).toBe(true);
    expect(s.version).toBe(13);
    expect(s.problems).toEqual([]);
    expect(view(s)).toEqual([
      ['memory > ram base', true, ''],
      ['memory > ram size', false, ''],
      ['memory', false, ''],
      ['gpu annex reachable', true, 'skip: no GPU on this board'],
      ['virtual timer fires', false, 'todo: timer IRQ not wired on this board'],
      ['exception vectors installed', true, ''],
    ]);
    const size = s.points[1]!;
    expect(size.depth).toBe(1);
    expect(tapVerdict(size).failure).toMatch(
      /^the target reported "not ok 2 - memory > ram size": .*ram size is 1 GiB/,
    );
    expect(tapVerdict(s.points[4]!).skipped).toBe(
      'TODO on the target (not ok, as expected): timer IRQ not wired on this board',
    );
  });

  test('bats --tap (TAP 12: leading plan, no version line)', async () => {
    const { s, finishedEarly } = await streamed(await produce('bats', ['--tap', 'selftests.bats']));
    expect(finishedEarly).toBe(true);
    expect(s.version).toBeUndefined();
    expect(s.problems).toEqual([]);
    expect(view(s)).toEqual([
      ['exception vectors installed', true, ''],
      ['gpu annex reachable', true, 'skip: no GPU on this board'],
      ['syscall numbers have the right sign', false, ''],
    ]);
    expect(tapVerdict(s.points[2]!).failure).toMatch(/in test file .*selftests\.bats, line \d+/);
  });

  test('bats --formatter tap13 (version line, YAML diagnostics)', async () => {
    const { s, finishedEarly } = await streamed(
      await produce('bats', ['--formatter', 'tap13', 'selftests.bats']),
    );
    expect(finishedEarly).toBe(true);
    expect(s.version).toBe(13);
    expect(s.problems).toEqual([]);
    expect(view(s).map(([name, , d]) => [name, d])).toEqual([
      ['exception vectors installed', ''],
      ['gpu annex reachable', 'skip: no GPU on this board'],
      ['syscall numbers have the right sign', ''],
    ]);
    expect(s.points[2]!.ok).toBe(false);
    expect(s.points[2]!.diag).toMatchObject({ message: expect.stringMatching(/selftests\.bats, line \d+/) });
  });

  test('a bail-out fails the stream naming the reason (Test::More BAIL_OUT)', async () => {
    const out = await produce('perl', [
      '-MTest::More',
      '-e',
      'plan tests => 3; ok(1, "exception vectors installed"); BAIL_OUT("timer never fired"); ok(1, "b")',
    ]);
    const { s } = await streamed(out);
    expect(s.bailout).toBe('timer never fired');
    expect(s.problems).toEqual(['planned 3 test points, saw 1', 'the target bailed out: timer never fired']);
    expect(s.ok).toBe(false);
  });

  test('plan mismatches are reported, at the top level and in a subtest (Test::More)', async () => {
    const short = await produce('perl', [
      '-MTest::More',
      '-e',
      'plan tests => 3; ok(1, "exception vectors installed")',
    ]);
    expect((await streamed(short)).s.problems).toEqual(['planned 3 test points, saw 1']);
    const sub = await produce('perl', [
      '-MTest::More',
      '-e',
      'subtest "memory" => sub { plan tests => 2; ok(1, "ram base") }; done_testing',
    ]);
    const { s } = await streamed(sub);
    expect(s.problems).toEqual(['subtest "memory": incorrect number of tests']);
    expect(view(s)).toEqual([
      ['memory > ram base', true, ''],
      ['memory', false, ''],
    ]);
  });

  test('skip_all is reported with its reason, not as a missing stream', async () => {
    const out = await produce('perl', [
      '-MTest::More',
      '-e',
      'plan skip_all => "no self-tests on this board"',
    ]);
    const { s, finishedEarly } = await streamed(out);
    expect(finishedEarly).toBe(true);
    expect(s.skipAll).toBe('no self-tests on this board');
    expect(s.problems).toEqual([]);
    expect(s.points).toEqual([]);
  });
});
