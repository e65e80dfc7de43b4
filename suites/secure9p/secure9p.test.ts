// The Secure9P suite: mutual TLS, capability rules per role, audit (trace IDs,
// the denial log, trace replay), namespace confinement and policy files. One
// file so a run forks one worker for it.
import { describe, expect, test } from '../../harness/fixtures.ts';

// Mutual TLS: only registered workers (certificates from the Cohesix CA,
// still valid) can mount a Secure9P namespace. (Epic 1, QueenPrimary story.)

describe('mutual TLS', () => {
  test('a client without a certificate is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('none', 'queen_primary'),
      'a certificate-less client attached',
    ).rejects.toThrow();
  });

  test('a certificate from another CA is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('foreign', 'queen_primary'),
      'a foreign-CA client attached',
    ).rejects.toThrow();
  });

  test('an expired certificate is refused', async ({ secure9p }) => {
    await expect(
      secure9p.attachRefused('expired', 'drone_worker'),
      'an expired client attached',
    ).rejects.toThrow();
  });

  test('a valid agent certificate attaches as its agent', async ({ secure9p }) => {
    const fs = await secure9p.attach('drone_worker');
    expect((await fs.readFile('/srv/cohrole')).toString().trim()).toBe('drone_worker');
    expect((await fs.readFile('/srv/agent_meta/trace_id.txt')).toString().trim()).toMatch(/^[0-9a-f]{8}$/);
  });
});

// Capability rules of the example policy: for each role, what it is allowed
// succeeds and the writes it is not granted are denied.

const tag = () => Math.random().toString(16).slice(2, 8);

interface Role {
  agent: string;
  reads: string[];
  writes: string[];
  forbiddenWrites: string[];
}

// the example policy of the contract (9P and Secure9P)
const ROLES: Role[] = [
  {
    agent: 'queen_primary',
    reads: ['/srv/cohrole'],
    writes: ['/srv/telemetry/qa-queen-{t}.json'],
    forbiddenWrites: ['/proc/qa-{t}', '/history/qa-{t}'],
  },
  {
    agent: 'drone_worker',
    reads: ['/sim/data/frame-0001.json'],
    writes: ['/srv/telemetry/qa-drone-{t}.json'],
    forbiddenWrites: ['/sim/data/qa-{t}', '/srv/cuda'],
  },
  {
    agent: 'glasses_agent',
    reads: ['/input/cam/frame.raw'],
    writes: ['/srv/cuda'],
    forbiddenWrites: ['/srv/telemetry/qa-{t}', '/input/cam/qa-{t}'],
  },
  {
    agent: 'simulator_test',
    reads: ['/sim/data/frame-0001.json'],
    writes: ['/srv/testlog/qa-sim-{t}.txt'],
    forbiddenWrites: ['/tmp/qa-{t}', '/srv/telemetry/qa-{t}'],
  },
];

describe('capability policy', () => {
  for (const role of ROLES) {
    test(`allowed operations succeed for ${role.agent}`, async ({ secure9p }) => {
      const fs = await secure9p.attach(role.agent);
      for (const p of role.reads) expect((await fs.readFile(p)).length, `read ${p}`).toBeGreaterThan(0);
      for (const pattern of role.writes) {
        const p = pattern.replace('{t}', tag());
        const body = `written by ${role.agent}`;
        await fs.writeFile(p, body);
        expect((await fs.readFile(p)).toString(), `read back ${p}`).toBe(body);
      }
    });
  }

  test('forbidden writes are denied for every example role', async ({ secure9p }) => {
    const succeeded: string[] = [];
    for (const role of ROLES) {
      const fs = await secure9p.attach(role.agent);
      for (const pattern of role.forbiddenWrites) {
        const p = pattern.replace('{t}', tag());
        const ok = await fs.writeFile(p, 'must not land').then(
          () => true,
          () => false,
        );
        if (ok) succeeded.push(`${role.agent} wrote ${p}`);
      }
    }
    expect(succeeded, 'writes the policy forbids went through').toEqual([]);
  });
});

// Auditability: capability errors reach the client with a trace ID, every
// denial is in /log/net_trace_secure9p.log with the actor's identity, and
// Secure9P activity is replayable from /log/trace/live.log. (Epic 1 stories.)

const TRACE_ID = /trace_id=([0-9a-f]{8})\b/;

interface Files {
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: string): Promise<void>;
}

/** Two denials that do not depend on write rules: a read without a grant, a write into a read-only namespace. */
async function provokeDenials(attach: (agent: string) => Promise<Files>) {
  const out: Array<{ agent: string; op: string[]; path: string; message: string }> = [];
  const glasses = await attach('glasses_agent');
  const readPath = '/sim/data/frame-0001.json';
  const e1 = await glasses.readFile(readPath).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(e1, `glasses_agent read ${readPath} without a read rule`).toBeInstanceOf(Error);
  out.push({ agent: 'glasses_agent', op: ['read'], path: readPath, message: e1!.message });
  const sim = await attach('simulator_test');
  const writePath = `/tmp/qa-audit-${tag()}`;
  const e2 = await sim.writeFile(writePath, 'x').then(
    () => undefined,
    (e: Error) => e,
  );
  expect(e2, `simulator_test wrote ${writePath} in its read-only namespace`).toBeInstanceOf(Error);
  out.push({ agent: 'simulator_test', op: ['write', 'create'], path: writePath, message: e2!.message });
  return out;
}

describe('audit', () => {
  test('every denial carries a trace ID', async ({ secure9p }) => {
    for (const d of await provokeDenials((a) => secure9p.attach(a))) {
      expect(d.message, `the error for ${d.agent}'s ${d.op[0]} of ${d.path}`).toMatch(TRACE_ID);
    }
  });

  test('every denial is in the Secure9P log with the actor identity', async ({ secure9p }) => {
    const since = Date.now() - 1000;
    const denials = await provokeDenials((a) => secure9p.attach(a));
    const lines = await secure9p.readLog('secure9p');
    for (const d of denials) {
      const fromError = TRACE_ID.exec(d.message)?.[1];
      // the line of this very denial: by its trace id when the client got one, else the latest one since the test began
      const candidates = lines.filter((l) =>
        fromError ? l.trace_id === fromError : Number(l.ts) >= since && l.path === d.path,
      );
      const line = candidates[candidates.length - 1];
      expect(
        line,
        `no line in the Secure9P log for ${d.agent}'s ${d.op[0]} of ${d.path}${fromError ? ` (trace_id ${fromError})` : ''}`,
      ).toBeDefined();
      expect(line!.actor, 'the actor identity').toBe(d.agent);
      expect(line!.path, 'the path').toBe(d.path);
      expect(d.op, 'the operation').toContain(String(line!.op));
      expect(String(line!.trace_id), 'the logged trace id').toMatch(/^[0-9a-f]{8}$/);
    }
  });

  test('Secure9P events appear in the trace log as schema-valid lines', async ({ secure9p }) => {
    const fs = await secure9p.attach('queen_primary');
    const path = `/srv/testlog/qa-replay-${tag()}`;
    await fs.writeFile(path, 'replay me');
    await fs.readFile(path);
    const lines = await secure9p.readLog('trace');
    const invalid = lines
      .map((l, i) => ({ i, errors: secure9p.traceLineErrors(l) }))
      .filter((x) => x.errors.length > 0);
    expect(invalid.slice(0, 5), 'trace lines that do not match trace-event.schema.json').toEqual([]);
    // replay: the session's operations on the file are recorded, in order
    const mine = lines
      .filter((l) => l.agent === 'queen_primary' && String(l.detail).startsWith(path))
      .map((l) => String(l.event));
    const order = ['walk', 'write', 'read'].map((e) => mine.indexOf(e));
    expect(
      order.every((i) => i >= 0),
      `events recorded for ${path}: ${mine.join(', ')}`,
    ).toBe(true);
    expect(mine.lastIndexOf('read'), 'the read comes after the write').toBeGreaterThan(mine.indexOf('write'));
  });
});

// An agent's namespace is its whole world: '..' never leaves its root.

describe('namespace confinement', () => {
  test("'..' never leaves an agent's root", async ({ secure9p }) => {
    const fs = await secure9p.attach('drone_worker');
    const r = await fs.client.rpc<'Rwalk'>({
      type: 'Twalk',
      fid: fs.rootFid,
      newfid: fs.client.allocFid(),
      wnames: ['..', '..', '..'],
    });
    expect(
      r.qids.map((q) => q.path.toString(16)),
      "qids of '..' walked from the root",
    ).toEqual(r.qids.map(() => fs.rootQid.path.toString(16)));
    const atRoot = (await fs.list('/')).map((e) => e.name).sort();
    const above = (await fs.list('/../..')).map((e) => e.name).sort();
    expect(above, "listing of /../.. is the agent's own root").toEqual(atRoot);
  });
});

// Capability policy loader validation (Epic 1 enabler): every example policy
// validates; each malformed one is rejected with an error naming the file, the
// place and the fix.

describe('policy files', () => {
  test('the example policies and the running policy validate', async ({ secure9p }) => {
    const { examples, active } = secure9p.resources.policy;
    expect(examples.length).toBeGreaterThan(0);
    for (const f of examples) {
      const r = secure9p.validatePolicy(f, { checkFiles: false });
      expect(r.ok ? 'valid' : r.message, f).toBe('valid');
    }
    if (active) {
      const r = secure9p.validatePolicy(active);
      expect(r.ok ? 'valid' : r.message, active).toBe('valid');
      if (r.ok)
        expect([...r.policy.agents.keys()].sort()).toEqual([
          'drone_worker',
          'glasses_agent',
          'queen_primary',
          'simulator_test',
        ]);
    }
  });

  test('each malformed policy is rejected with a clear error', async ({ secure9p }) => {
    const { malformed } = secure9p.resources.policy;
    expect(malformed.length).toBeGreaterThan(0);
    for (const m of malformed) {
      const r = secure9p.validatePolicy(m.file);
      expect(r.ok, `${m.file} was accepted`).toBe(false);
      if (!r.ok) {
        expect(r.message, 'the error names the file').toContain(m.file);
        expect(r.message, `the error for ${m.file}`).toContain(m.expect);
        expect(r.message, 'the error says how to fix it').toMatch(/fix: /);
      }
    }
  });
});
