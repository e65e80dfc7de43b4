// Differential property: on random well-formed federations (no cycles, no missing
// parents), every reference queen resolves exactly what the harness's checker resolves.
// The two implementations share no code, so agreement is evidence for both.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFederation } from '../../harness/federation/resolve.ts';
import type { AdminRule, PeerRecord } from '../../contract/federation/policy-types.ts';
import { resolveForQueen } from '../../reference/federation/policy.ts';

const RUNS = 100;
let runs = 0;
const root = mkdtempSync(join(tmpdir(), 'fed-diff-'));
afterAll(() => {
  console.log(`fast-check reference-equals-checker: ${runs} cases run`);
  rmSync(root, { recursive: true, force: true });
});

const AGENTS = ['drone_worker', 'glasses_agent', 'sensor_relay'];
const PERMS = ['read:/sim', 'write:/srv/telemetry', 'read:/input/cam'];

/** Queen i may inherit only from a queen j < i: a forest, never a cycle. */
const federationArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.tuple(
    ...[...Array(n).keys()].map((i) =>
      fc.record({
        parent:
          i === 0
            ? fc.constant(undefined)
            : fc.option(fc.integer({ min: 0, max: i - 1 }), { nil: undefined }),
        timestamp: fc.integer({ min: 0, max: 3 }),
        policies: fc.uniqueArray(
          fc.record({ agent: fc.constantFrom(...AGENTS), allow: fc.subarray(PERMS) }),
          {
            selector: (e) => e.agent,
            maxLength: 3,
          },
        ),
      }),
    ),
  ),
);
// names index -> id: either in sort order with the chain (a0, b1, ...) or against it (z0, y1, ...)
const FORWARD = ['a0', 'b1', 'c2', 'd3', 'e4'];
const BACKWARD = ['z0', 'y1', 'x2', 'w3', 'v4'];

const rulesArb: fc.Arbitrary<AdminRule[]> = fc.uniqueArray(
  fc.record(
    { agent: fc.constantFrom(...AGENTS), allow: fc.subarray(PERMS), queens: fc.constant(['b1', 'y1']) },
    { requiredKeys: ['agent', 'allow'] },
  ),
  { selector: (r) => `${r.agent}/${r.queens ? 'named' : '*'}`, maxLength: 2 },
);

describe('reference queens against the checker', () => {
  it('every reference queen resolves what the checker resolves', () => {
    fc.assert(
      fc.property(federationArb, rulesArb, fc.boolean(), (qs, rules, backward) => {
        runs++;
        const ids = qs.map((_, i) => (backward ? BACKWARD : FORWARD)[i]!);
        const dir = mkdtempSync(join(root, 'f-'));
        const peers: PeerRecord[] = qs.map((q, i) => {
          const id = ids[i]!;
          const role = q.parent === undefined ? 'RegionalQueen' : `RegionalQueen inherit:${ids[q.parent]}`;
          const override = {
            version: 1 as const,
            queen_id: id,
            timestamp: q.timestamp,
            policies: q.policies,
          };
          mkdirSync(join(dir, id, 'queen_id'), { recursive: true });
          writeFileSync(join(dir, id, 'queen_id', 'role'), role);
          writeFileSync(join(dir, id, 'policy_override.json'), JSON.stringify(override));
          return { queen_id: id, role, override };
        });
        const checker = resolveFederation(peers, rules);
        expect(checker.issues).toEqual([]);
        for (const id of ids) {
          const ref = resolveForQueen(id, dir, rules, undefined);
          expect(ref.resolved).toEqual(checker.queens[id]);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
