// The cohsh driver against the reference release console, in process, with
// short cooldowns so the auth limits are checked in milliseconds.
import { describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { CohshClient } from '../../harness/cohsh/client.ts';
import { CohshClosedError, CohshError } from '../../harness/cohsh/errors.ts';
import { connect, errOf, later, secret, serve } from './console-setup.ts';
import { mintTicket } from '../../reference/release/tickets.ts';

describe('cohsh driver + reference console', () => {
  it('authenticates, attaches as queen, pings, reads and appends', async () => {
    const c = await connect(await serve());
    expect((await c.auth('changeme')).line).toBe('OK AUTH');
    expect((await c.attach('queen')).fields.role).toBe('queen');
    await c.ping();
    expect(await c.cat('/proc/boot')).toContain('gic_version=2');
    expect((await c.echo('/queen/ctl', '{"spawn":"heartbeat","ticks":3}')).line).toMatch(/^OK ECHO/);
    expect(await c.cat('/worker/worker-1/telemetry')).toHaveLength(1);
    expect((await c.tail('/log/queen.log')).at(-1)).toBe('queen: spawned heartbeat worker-1');
  });

  it('closes the connection with no reply on a wrong token, and the client does not retry it', async () => {
    const c = await connect(await serve());
    const e = await errOf(c.auth('nope'));
    expect(e.name).toBe('CohshClosedError');
    expect(c.attempts).toBe(1);
    expect(c.transcript.filter((t) => t.dir === '<')).toEqual([]);
  });

  it('answers AUTH during the cooldown with ERR AUTH reason=RateLimited and accepts after it', async () => {
    const s = await serve({ cooldownMs: 300, failureLimit: 3 });
    for (let i = 0; i < 3; i++) await errOf((await connect(s)).auth('bad'));
    const during = await connect(s);
    const e = await errOf(during.auth('changeme'));
    expect(e).toBeInstanceOf(CohshError);
    expect((e as CohshError).reason).toBe('RateLimited');
    await new Promise((r) => setTimeout(r, 400));
    expect((await (await connect(s)).auth('changeme')).line).toBe('OK AUTH');
  });

  it('forgets failures older than the window', async () => {
    const s = await serve({ failureWindowMs: 100, failureLimit: 2 });
    await errOf((await connect(s)).auth('bad'));
    await new Promise((r) => setTimeout(r, 150));
    await errOf((await connect(s)).auth('bad'));
    expect((await (await connect(s)).auth('changeme')).line).toBe('OK AUTH');
  });

  it('keeps the session after an oversized frame; the defect closes it', async () => {
    const c = await connect(await serve());
    await c.auth('changeme');
    c.sendOversized(1000);
    expect(await c.readLine('ERR FRAME')).toBe('ERR FRAME reason=invalid-length');
    await c.request('ATTACH queen');
    await c.ping();
    const d = await connect(await serve({ defects: { oversizeCloses: true } }));
    await d.auth('changeme');
    d.sendOversized(300);
    expect(await errOf(d.readLine('ERR FRAME', 1000))).toBeInstanceOf(CohshClosedError);
  });

  it('a heartbeat worker with a valid ticket sees only what the contract allows', async () => {
    const c = await connect(await serve());
    await c.auth('changeme');
    await c.attach('worker-heartbeat:w1', mintTicket(secret, 'worker-heartbeat', 'w1'));
    await c.cat('/proc/boot');
    await c.cat('/worker/w1/telemetry');
    await c.cat('/log/queen.log');
    expect(((await errOf(c.cat('/queen/ctl'))) as CohshError).reason).toBe('permission');
    expect(((await errOf(c.cat('/worker/w2/telemetry'))) as CohshError).reason).toBe('permission');
    expect(((await errOf(c.echo('/log/queen.log', 'x'))) as CohshError).reason).toBe('permission');
  });

  it('the worker-sees-queen defect lets a worker read /queen/ctl', async () => {
    const c = await connect(await serve({ defects: { workerSeesAll: true } }));
    await c.auth('changeme');
    await c.attach('worker-heartbeat:w1', mintTicket(secret, 'worker-heartbeat', 'w1'));
    expect(await c.cat('/queen/ctl')).toEqual([]);
  });

  it('rejects forged, mismatched and missing tickets and unknown roles', async () => {
    const c = await connect(await serve());
    await c.auth('changeme');
    const reasons = [];
    for (const line of [
      'ATTACH worker-heartbeat:w1',
      `ATTACH worker-heartbeat:w1 ${mintTicket(randomBytes(32), 'worker-heartbeat', 'w1')}`,
      `ATTACH worker-heartbeat:w2 ${mintTicket(secret, 'worker-heartbeat', 'w1')}`,
      'ATTACH emperor',
    ])
      reasons.push(((await errOf(c.request(line))) as CohshError).reply.line);
    expect(reasons).toEqual([
      'ERR ATTACH reason=missing-ticket',
      'ERR ATTACH reason=ticket-invalid',
      'ERR ATTACH reason=ticket-mismatch',
      'ERR PARSE reason=unknown-role detail=emperor',
    ]);
  });

  it('refuses verbs before AUTH and names unknown verbs', async () => {
    const c = await connect(await serve());
    expect(((await errOf(c.request('CAT /proc/boot'))) as CohshError).reason).toBe('unauthenticated');
    expect(((await errOf(c.request('AUTH'))) as CohshError).reason).toBe('expected-token');
    await c.auth('changeme');
    expect(((await errOf(c.request('FLY away'))) as CohshError).reply.detail).toBe('FLY');
  });

  it('bounds every read and says what it waited for (a console that never answers)', async () => {
    const held: Socket[] = [];
    const silent: Server = createServer((s) => held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    later(() => {
      held.forEach((s) => s.destroy());
      return new Promise((r) => silent.close(r));
    });
    const port = (silent.address() as { port: number }).port;
    const c = await CohshClient.connect('127.0.0.1', port, { timeoutMs: 200 });
    later(() => c.close());
    const e = await errOf(c.ping());
    expect(e.message).toMatch(/no reply to PING within 200 ms \(last line seen: none\)/);
  });

  it('keeps the token and tickets out of the transcript', async () => {
    const c = await connect(await serve());
    const ticket = mintTicket(secret, 'worker-heartbeat', 'w1');
    await c.auth('changeme');
    await c.attach('worker-heartbeat:w1', ticket);
    const t = c.transcriptText();
    expect(t).not.toContain('changeme');
    expect(t).not.toContain(ticket);
    expect(t).toContain('OK ATTACH role=worker-heartbeat');
  });

  it('keeps an idle session alive with PING/PONG', async () => {
    const s = await serve();
    const c = await CohshClient.connect('127.0.0.1', s.port, { timeoutMs: 2000, keepAliveMs: 50 });
    later(() => c.close());
    await c.auth('changeme');
    await new Promise((r) => setTimeout(r, 200));
    expect(c.transcript.filter((e) => e.dir === '<' && e.line === 'PONG').length).toBeGreaterThan(0);
    expect(c.closed).toBe(false);
  });

  it('refuses to send a line over 256 bytes', async () => {
    const c = await connect(await serve());
    expect(() => c.send('x'.repeat(257))).toThrow(/256-byte frame limit/);
  });
});
