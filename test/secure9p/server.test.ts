import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReferenceSecure9p, type ReferenceSecure9p } from '../../reference/secure9p/setup.ts';
import { NinepRemoteError } from '../../contract/ninep/errors.ts';
import type { NinepFs } from '../../contract/ninep/fs.ts';
import { attachAs, logLines, plainAttach, tlsClient, TRACE_ID } from './helpers.ts';

let ref: ReferenceSecure9p;
let dir: string;
const open: NinepFs[] = [];
const as = async (agent: string) => {
  const fs = await attachAs(ref.server, ref.pki, agent);
  open.push(fs);
  return fs;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cohesix-s9p-'));
  ref = await startReferenceSecure9p({ stateDir: dir });
}, 60_000);

afterAll(async () => {
  for (const f of open) f.client.close();
  await ref?.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function denied(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a denial').toBeInstanceOf(NinepRemoteError);
  return (e as NinepRemoteError).ename;
}

describe('mutual TLS', () => {
  it("refuses a client without a certificate, with another CA's, or an expired one", async () => {
    for (const cert of [undefined, ref.pki.foreign, ref.pki.expired]) {
      await expect(tlsClient(ref.server, ref.pki, cert)).rejects.toThrow();
    }
  });
  it('takes the identity from the certificate, not the uname', async () => {
    const c = await tlsClient(ref.server, ref.pki, ref.pki.agents.drone_worker);
    const { NinepFs } = await import('../../contract/ninep/fs.ts');
    const fs = await NinepFs.attach(c, { uname: 'queen_primary' });
    open.push(fs);
    expect((await fs.readFile('/srv/cohrole')).toString().trim()).toBe('drone_worker');
  });
});

describe('capability rules per role', () => {
  it('queen_primary reads and writes under /srv', async () => {
    const q = await as('queen_primary');
    await q.writeFile('/srv/telemetry/q.json', '{"ok":true}');
    expect((await q.readFile('/srv/telemetry/q.json')).toString()).toBe('{"ok":true}');
    await denied(q.writeFile('/proc/status', 'x'));
  });
  it('drone_worker reads /sim, writes /srv/telemetry, is denied elsewhere', async () => {
    const d = await as('drone_worker');
    expect((await d.readFile('/sim/data/frame-0001.json')).toString()).toContain('drone_worker');
    await d.writeFile('/srv/telemetry/t.json', '1');
    expect(await denied(d.writeFile('/sim/data/x', 'x'))).toMatch(TRACE_ID);
    expect(await denied(d.writeFile('/srv/cuda', 'x'))).toMatch(/need a capability grant/);
    await denied(d.readFile('/input/cam/frame.raw'));
    await d.writeFile('/tmp/scratch', 'free');
  });
  it('glasses_agent reads /input/cam and writes /srv/cuda only', async () => {
    const g = await as('glasses_agent');
    expect((await g.readFile('/input/cam/frame.raw')).length).toBe(64);
    await g.writeFile('/srv/cuda', 'tcp:10.0.0.1:7000');
    await denied(g.readFile('/sim/data/frame-0001.json'));
    await denied(g.writeFile('/srv/telemetry/x', 'x'));
  });
  it('simulator_test has a read-only root except its write rule', async () => {
    const s = await as('simulator_test');
    await s.readFile('/sim/data/frame-0001.json');
    await s.writeFile('/srv/testlog/run.txt', 'log');
    expect(await denied(s.writeFile('/tmp/x', 'x'))).toMatch(/read-only/);
    await denied(s.mkdir('/tmp/d'));
  });
  it('nobody writes the logs or /etc/cohcap.json, which holds no raw token', async () => {
    const q = await as('queen_primary');
    await denied(q.writeFile('/log/trace/live.log', 'forged'));
    await denied(q.writeFile('/etc/cohcap.json', '{}'));
    const cap = (await q.readFile('/etc/cohcap.json')).toString();
    for (const t of Object.values(ref.server.capTokens)) expect(cap).not.toContain(t);
  });
});

describe('audit', () => {
  it("each denial's trace id is in the Secure9P log with the actor, operation and path", async () => {
    const d = await as('drone_worker');
    const msg = await denied(d.writeFile('/sim/forbidden.txt', 'x'));
    const id = TRACE_ID.exec(msg)![1];
    const line = logLines(ref.server.logs.secure9p).find((l) => l.trace_id === id);
    expect(line).toMatchObject({ actor: 'drone_worker', path: '/sim/forbidden.txt', transport: 'secure9p' });
    expect(['write', 'create']).toContain(line!.op);
  });
  it('walks, reads and writes are in the live trace with ts, agent, event, detail, ok', async () => {
    const q = await as('queen_primary');
    await q.writeFile('/srv/testlog/trace-me', 'abc');
    await q.readFile('/srv/testlog/trace-me');
    const lines = logLines(ref.server.logs.trace).filter(
      (l) => l.agent === 'queen_primary' && String(l.detail).includes('/srv/testlog/trace-me'),
    );
    const events = new Set(lines.map((l) => l.event));
    for (const e of ['walk', 'write', 'read']) expect(events.has(e), e).toBe(true);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(['agent', 'detail', 'event', 'ok', 'ts']);
      expect(Number.isInteger(l.ts)).toBe(true);
    }
  });
  it('the logs are readable through the namespace', async () => {
    const q = await as('queen_primary');
    const viaNs = (await q.readFile('/log/net_trace_secure9p.log')).toString();
    expect(viaNs).toBe(readFileSync(ref.server.logs.secure9p, 'utf8'));
  });
});

describe('namespace confinement', () => {
  it("'..' at the root stays at the root", async () => {
    const d = await as('drone_worker');
    const r = await d.client.rpc<'Rwalk'>({
      type: 'Twalk',
      fid: d.rootFid,
      newfid: 900,
      wnames: ['..', '..', '..'],
    });
    expect(r.qids.every((q) => q.path === d.rootQid.path)).toBe(true);
    const names = (await d.list('/../..')).map((e) => e.name);
    expect(names).toContain('sim');
    expect(names).not.toContain('queen');
  });
});

describe('plain 9P', () => {
  it('reads everywhere, refuses protected writes without a token, logs to net_trace.log', async () => {
    const p = await plainAttach(ref.server, 'drone_worker');
    open.push(p);
    await p.readFile('/input/cam/frame.raw');
    const msg = await denied(p.writeFile('/srv/telemetry/p', 'x'));
    const id = TRACE_ID.exec(msg)![1];
    expect(logLines(ref.server.logs.plain).some((l) => l.trace_id === id && l.actor === 'drone_worker')).toBe(
      true,
    );
    expect(logLines(ref.server.logs.secure9p).some((l) => l.trace_id === id)).toBe(false);
  });
  it("a capability token presented as aname grants the agent's writes", async () => {
    const tokens = JSON.parse(readFileSync(ref.capTokenFile, 'utf8')) as Record<string, string>;
    const p = await plainAttach(ref.server, 'drone_worker', tokens.drone_worker);
    open.push(p);
    await p.writeFile('/srv/telemetry/p', 'ok');
    await denied(p.writeFile('/srv/cuda', 'x'));
  });
  it('an unknown agent cannot attach, and the refusal carries a trace id', async () => {
    expect(await denied(plainAttach(ref.server, 'mallory'))).toMatch(TRACE_ID);
  });
});
