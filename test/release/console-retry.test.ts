// Upstream's reconnect policy against the reference console's single-session
// behaviour: a new connection is reset while a session is open and for the
// re-arm time after one is dropped. The old give-up-at-once client (attempts: 1)
// fails there; the upstream-like client gets in and its transcript shows how.
import { describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { CohshClient } from '../../harness/cohsh/client.ts';
import { CohshResetError } from '../../harness/cohsh/errors.ts';
import { backoffMs, UPSTREAM_RETRY, type RetryPolicy } from '../../harness/cohsh/retry.ts';
import type { ReleaseConsoleServer } from '../../reference/release/console-server.ts';
import { connect, serve } from './console-setup.ts';

const NO_RETRY: RetryPolicy = { ...UPSTREAM_RETRY, attempts: 1 };
const FAST: RetryPolicy = { attempts: 4, firstMs: 20, capMs: 40, totalMs: 2000 };

async function open(s: ReleaseConsoleServer, retry?: RetryPolicy): Promise<CohshClient> {
  return connect(s, { retry });
}

async function dropped(s: ReleaseConsoleServer): Promise<void> {
  const first = await open(s);
  await first.auth('changeme');
  first.close();
  await new Promise((r) => setTimeout(r, 20)); // the console sees the drop
}

describe('upstream retry policy', () => {
  it('backs off 200 ms, doubling, capped at 2 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n))).toEqual([200, 400, 800, 1600, 2000, 2000, 2000]);
    expect(UPSTREAM_RETRY.attempts).toBeGreaterThan(1);
  });
});

describe('cohsh client against a single-session console', () => {
  it('after a dropped session: the no-retry client fails at AUTH, the upstream client reconnects', async () => {
    const s = await serve({ rearmMs: 300 });
    await dropped(s);
    const old = await open(s, NO_RETRY);
    const e = await old.auth('changeme').then(
      () => null,
      (x: Error) => x,
    );
    expect(e, 'the no-retry client should fail against a re-arming console').toBeInstanceOf(CohshResetError);
    expect(e!.message).toMatch(/gave up after 1 of at most 1 attempts/);

    await dropped(s);
    const c = await open(s);
    expect((await c.auth('changeme')).line).toBe('OK AUTH');
    expect(c.attempts).toBeGreaterThan(1);
    const t = c.transcriptText();
    expect(t).toMatch(
      /attempt 1: AUTH answered by a reset \(console busy or re-arming\); retrying in 200 ms/,
    );
    expect(t).toMatch(/attempt 2\/8: connecting to/);
    await c.attach('queen');
    await c.ping();
  });

  it('resets a second session while one is open, and lets it in once the first quits', async () => {
    const s = await serve();
    const first = await open(s);
    await first.auth('changeme');
    const second = await open(s);
    const auth = second.auth('changeme');
    await new Promise((r) => setTimeout(r, 100));
    expect((await first.quit()).line).toBe('OK QUIT');
    expect((await auth).line).toBe('OK AUTH');
    expect(second.attempts).toBeGreaterThan(1);
  });

  it('after quit an immediate reconnect is accepted at the first attempt', async () => {
    const s = await serve({ rearmMs: 5000 });
    const first = await open(s);
    await first.auth('changeme');
    await first.quit();
    expect(first.closed).toBe(true);
    // let the console see the close (well inside the 5 s re-arm a drop would have started)
    await new Promise((r) => setTimeout(r, 200));
    const c = await open(s);
    await c.auth('changeme');
    expect(c.attempts).toBe(1);
  });

  it('gives up after the bounded attempts against a console that never re-arms', async () => {
    const s = await serve({ rearmMs: 60_000 });
    await dropped(s);
    const c = await open(s, FAST);
    const started = performance.now();
    const e = await c.auth('changeme').then(
      () => null,
      (x: Error) => x,
    );
    expect(e).toBeInstanceOf(CohshResetError);
    expect(e!.message).toMatch(/gave up after 4 of at most 4 attempts, 2000 ms bound/);
    expect(c.attempts).toBe(4);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('retries a refused connection with back-off, then names the attempts', async () => {
    const probe: Server = createServer((sock: Socket) => sock.destroy());
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r)); // nothing listens there now
    const e = await CohshClient.connect('127.0.0.1', port, { retry: FAST }).then(
      () => null,
      (x: Error) => x,
    );
    expect(e?.message).toMatch(/ECONNREFUSED .*\(gave up after 4 of at most 4 attempts, 2000 ms bound\)/);
  });

  it('a single-session console may be opened up: singleSession false serves two at once', async () => {
    const s = await serve({ singleSession: false });
    const a = await open(s, NO_RETRY);
    const b = await open(s, NO_RETRY);
    await a.auth('changeme');
    expect((await b.auth('changeme')).line).toBe('OK AUTH');
  });
});
