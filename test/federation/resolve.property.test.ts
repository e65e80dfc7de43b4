// Property tests of the policy resolution checker (fast-check). Each property prints
// how many cases it ran, so the closing note can quote real run counts.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeAllow, resolveFederation } from '../../harness/federation/resolve.ts';
import type { AdminRule, PeerRecord } from '../../contract/federation/policy-types.ts';
import { validateAgainst } from '../../harness/federation/schemas.ts';

const RUNS = 300;
const counts: Record<string, number> = {};
const count = (name: string) => {
  counts[name] = (counts[name] ?? 0) + 1;
};
afterAll(() => {
  for (const [name, n] of Object.entries(counts)) console.log(`fast-check ${name}: ${n} cases run`);
});

const POOL = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'];
const AGENTS = ['drone_worker', 'glasses_agent', 'queen_primary'];
const PERMS = ['read:/sim', 'write:/srv/telemetry', 'read:/input/cam', 'write:/srv/cuda'];

const allowArb = fc.subarray(PERMS);
const entriesArb = fc.uniqueArray(fc.record({ agent: fc.constantFrom(...AGENTS), allow: allowArb }), {
  selector: (e) => e.agent,
  maxLength: 3,
});

/** A federation of distinct queens; parents drawn from the pool, so cycles and missing parents both occur. */
const federationArb = fc
  .uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: POOL.length })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          queen_id: fc.constant(id),
          parent: fc.option(fc.constantFrom(...POOL), { nil: undefined, freq: 2 }),
          // a small timestamp range makes ties common
          override: fc.option(
            fc.record({ timestamp: fc.integer({ min: 0, max: 4 }), policies: entriesArb }),
            { nil: undefined, freq: 4 },
          ),
        }),
      ),
    ),
  )
  .map((qs): PeerRecord[] =>
    qs.map((q) => ({
      queen_id: q.queen_id,
      role: q.parent === undefined ? 'RegionalQueen' : `RegionalQueen inherit:${q.parent}`,
      override: q.override && {
        version: 1,
        queen_id: q.queen_id,
        timestamp: q.override.timestamp,
        policies: q.override.policies,
      },
    })),
  );

const adminRuleArb: fc.Arbitrary<AdminRule> = fc.record(
  {
    agent: fc.constantFrom(...AGENTS),
    allow: allowArb,
    queens: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ['agent', 'allow'] },
);

/** A permutation of a list, plus permuted policy entries and allow lists inside each override. */
function permute<T>(xs: readonly T[], order: readonly number[]): T[] {
  return order.map((i) => xs[i]!);
}
const orderArb = (n: number) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });

function reorderInside(p: PeerRecord, seed: number): PeerRecord {
  if (!p.override) return p;
  const policies = [...p.override.policies].map((e) => ({
    ...e,
    allow: seed % 2 ? [...e.allow].reverse() : e.allow,
  }));
  if (seed % 3 === 0) policies.reverse();
  return { ...p, override: { ...p.override, policies } };
}

function parentOf(p: PeerRecord): string | undefined {
  return /inherit:(\S+)/.exec(p.role ?? '')?.[1];
}

describe('policy resolution properties', () => {
  it('any order of reading peers, entries and rules gives the same resolution', () => {
    fc.assert(
      fc.property(
        federationArb.chain((peers) =>
          fc.tuple(
            fc.constant(peers),
            orderArb(peers.length),
            fc.array(adminRuleArb, { maxLength: 3 }),
            fc.nat(),
          ),
        ),
        ([peers, order, rules, seed]) => {
          count('order-independence');
          const a = resolveFederation(peers, rules);
          const b = resolveFederation(
            permute(peers, order).map((p) => reorderInside(p, seed)),
            [...rules].reverse(),
          );
          expect(b).toEqual(a);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('an explicit administrator rule always wins on the queens it applies to', () => {
    fc.assert(
      fc.property(federationArb, adminRuleArb, (peers, rule) => {
        count('admin-always-wins');
        const r = resolveFederation(peers, [rule]);
        for (const q of Object.values(r.queens)) {
          // every resolution the checker produces is what a queen must report
          expect(validateAgainst('federation-resolution', q)).toBeUndefined();
          if (rule.queens && !rule.queens.includes(q.queen_id)) continue;
          expect(q.agents[rule.agent]).toEqual({
            allow: normalizeAllow(rule.allow),
            source: { kind: 'admin' },
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('without an administrator rule the latest timestamp wins, ties to the deepest queen of the chain', () => {
    fc.assert(
      fc.property(federationArb, (peers) => {
        count('latest-timestamp-wins');
        const r = resolveFederation(peers);
        const byId = new Map(peers.map((p) => [p.queen_id, p]));
        for (const q of Object.values(r.queens)) {
          for (const [agent, got] of Object.entries(q.agents)) {
            const candidates = q.chain.flatMap((id, depth) => {
              const o = byId.get(id)?.override;
              const e = o?.policies.find((x) => x.agent === agent);
              return o && e ? [{ id, depth, ts: o.timestamp }] : [];
            });
            const maxTs = Math.max(...candidates.map((c) => c.ts));
            const winner = candidates.filter((c) => c.ts === maxTs).sort((x, y) => y.depth - x.depth)[0]!;
            expect(got.source).toEqual({ kind: 'override', queen_id: winner.id, timestamp: maxTs });
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('inheritance cycles are reported (exactly the queens on a cycle) and no queen reaching one is resolved', () => {
    fc.assert(
      fc.property(federationArb, (peers) => {
        count('cycles-reported');
        const r = resolveFederation(peers);
        const ids = new Set(peers.map((p) => p.queen_id));
        const parent = new Map(peers.map((p) => [p.queen_id, parentOf(p)]));
        // oracle: q is on a cycle iff walking up |ids| steps from q comes back to q
        const onCycle = [...ids].filter((q) => {
          let cur = parent.get(q);
          for (let i = 0; i < ids.size && cur !== undefined && ids.has(cur); i++) {
            if (cur === q) return true;
            cur = parent.get(cur);
          }
          return false;
        });
        const reported = r.issues.flatMap((i) => (i.kind === 'inheritance_cycle' ? i.cycle : []));
        expect([...reported].sort()).toEqual([...onCycle].sort());
        for (const q of Object.values(r.queens)) for (const c of q.chain) expect(onCycle).not.toContain(c);
        // every queen is either resolved or named by an issue: nothing is dropped silently
        for (const q of ids) {
          const named = r.issues.some((i) => 'queen_id' in i && i.queen_id === q);
          expect(q in r.queens || named).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a planted cycle of any length is reported once, not looped on', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: POOL.length }), (k) => {
        count('planted-cycle');
        const peers: PeerRecord[] = POOL.slice(0, k).map((id, i) => ({
          queen_id: id,
          role: `inherit:${POOL[(i + 1) % k]}`,
        }));
        const r = resolveFederation(peers);
        expect(r.issues.filter((i) => i.kind === 'inheritance_cycle')).toEqual([
          { kind: 'inheritance_cycle', cycle: POOL.slice(0, k) },
        ]);
        expect(r.queens).toEqual({});
      }),
      { numRuns: 50 },
    );
  });
});
