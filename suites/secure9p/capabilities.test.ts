// Capability rules of the example policy: for each role, what it is allowed
// succeeds and the writes it is not granted are denied.
import { describe, expect, test } from '../../harness/fixtures.ts';

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
