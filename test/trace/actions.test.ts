// The action case's machinery: the reference Secure9P server and cohsh console record
// into the trace recorder (honouring TRACE_OUT), the suite's actions leave exactly the
// expected events, and the matching rules refuse near misses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceRecorder } from '../../reference/trace/recorder.ts';
import { startLiveServices } from '../../reference/trace/live-services.ts';
import { redactCommand } from '../../reference/release/console-server.ts';
import { TraceTools } from '../../harness/trace/tools.ts';
import { detailMatches, missingActions, type ExpectedEvent } from '../../harness/trace/actions.ts';

async function harness(opts: { traceOut?: string; defect?: string }) {
  const dir = mkdtempSync(join(tmpdir(), 'trace-actions-'));
  const nsRoot = join(dir, 'ns');
  const recorder = new TraceRecorder({ nsRoot, traceOut: opts.traceOut, defect: opts.defect });
  const live = await startLiveServices({ stateDir: join(dir, 'live'), recorder });
  const tools = new TraceTools({
    nsRoot,
    traceDir: opts.traceOut ?? '/log/trace',
    secure9p: live.secure9p,
    console: live.console,
  });
  return { dir, live, tools, recorder };
}

describe('trace actions against the reference Secure9P server and console', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness({ traceOut: '/log/qa-trace' });
  }, 60_000);
  afterAll(async () => {
    await h?.live.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it('records every action in TRACE_OUT/live.log, read over Secure9P, refusals with ok:false', async () => {
    const before = await h.tools.readLive();
    expect(before.path).toBe('/log/qa-trace/live.log');
    expect(before.via).toMatch(/^9p /);
    const run = await h.tools.performActions();
    const after = await h.tools.readLive();
    const fresh = after.lines.slice(before.lines.length);
    expect(missingActions(run.expected, fresh)).toEqual([]);
    expect(run.expected.filter((x) => !x.ok).map((x) => x.action)).toEqual([
      'secure9p refused write /sim/data/frame-0001.json',
      `cohsh CAT /trace-qa/missing-${run.nonce}`,
    ]);
    // the console token never reaches the trace
    const token = (await import('node:fs')).readFileSync(h.live.console.tokenFile!, 'utf8');
    expect(after.lines.some((l) => l.text.includes(token))).toBe(false);
    expect(fresh.some((l) => l.event?.detail === 'AUTH <redacted>')).toBe(true);
  });
});

describe("a user's target: no namespace folder, everything over Secure9P", () => {
  it('finds and checks the trace files through the reader session', async () => {
    const h = await harness({ traceOut: '/log/qa-trace' });
    const tools = new TraceTools({ traceOut: '/log/qa-trace', secure9p: h.live.secure9p });
    try {
      await tools.performActions();
      expect(tools.resources.traceDir).toBe('/log/qa-trace');
      const found = await tools.findArtifacts();
      expect(found).toEqual(['/log/qa-trace/live.log']);
      const check = await tools.checkSource(tools.source('/log/qa-trace'));
      expect(check.lines).toBeGreaterThan(5);
      expect(check.problems).toEqual([]);
    } finally {
      tools.close();
      await h.live.stop();
      rmSync(h.dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('trace-drops-denials', () => {
  it('leaves out exactly the refused actions', async () => {
    const h = await harness({ defect: 'trace-drops-denials' });
    try {
      const before = await h.tools.readLive();
      const run = await h.tools.performActions();
      const fresh = (await h.tools.readLive()).lines.slice(before.lines.length);
      expect(missingActions(run.expected, fresh).map((x) => x.ok)).toEqual([false, false]);
    } finally {
      await h.live.stop();
      rmSync(h.dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('action matching', () => {
  const want: ExpectedEvent = { action: 'w', agent: 'a', event: 'write', detail: '/srv/x', ok: false };
  const line = (e: Record<string, unknown>, n = 1) => ({ line: n, text: JSON.stringify(e), event: e });

  it('matches a detail that is the path, or the path then annotations', () => {
    expect(detailMatches('/srv/x', '/srv/x')).toBe(true);
    expect(detailMatches('/srv/x denied trace_id=1a2b3c4d', '/srv/x')).toBe(true);
    expect(detailMatches('/srv/xy', '/srv/x')).toBe(false);
    expect(detailMatches(undefined, '/srv/x')).toBe(false);
    expect(detailMatches('anything', undefined)).toBe(true);
  });

  it('a refusal recorded as a success does not count; each line counts once', () => {
    expect(
      missingActions([want], [line({ agent: 'a', event: 'write', detail: '/srv/x', ok: true })]),
    ).toEqual([want]);
    expect(
      missingActions([want, want], [line({ agent: 'a', event: 'write', detail: '/srv/x', ok: false })]),
    ).toEqual([want]);
    expect(missingActions([want], [{ line: 1, text: 'not json' }])).toEqual([want]);
  });

  it('console commands are logged without credentials', () => {
    expect(redactCommand('AUTH s3cret')).toBe('AUTH <redacted>');
    expect(redactCommand('ATTACH worker-heartbeat:worker-1 tkt.abc')).toBe(
      'ATTACH worker-heartbeat:worker-1 <ticket redacted>',
    );
    expect(redactCommand('CAT /proc/boot')).toBe('CAT /proc/boot');
  });
});
