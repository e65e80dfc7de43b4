// The reference queens' own resolution against the checker on the shipped sample: equal
// in the correct mode, and each policy defect differs from the checker only on the
// agents decided by the rule it breaks (so each defect fails exactly one suite case).
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFederation } from '../../harness/federation/check.ts';
import { classifyAgents, type DecidedBy } from '../../harness/federation/classify.ts';
import { loadAdminRules, loadPeers } from '../../harness/federation/load.ts';
import { folderSource } from '../../harness/federation/source.ts';
import { resolveForQueen, type PolicyDefect } from '../../reference/federation/policy.ts';

const SAMPLE = fileURLToPath(new URL('../../reference/federation/sample/', import.meta.url));

async function differingRules(defect: PolicyDefect): Promise<Set<DecidedBy | 'chain'>> {
  const admin = await loadAdminRules(`${SAMPLE}admin_rules.json`);
  const source = folderSource(`${SAMPLE}federation`);
  const checker = await checkFederation(source, admin.rules);
  const decided = classifyAgents(checker, await loadPeers(source));
  const out = new Set<DecidedBy | 'chain'>();
  for (const [q, expected] of Object.entries(checker.queens)) {
    const got = resolveForQueen(q, `${SAMPLE}federation`, admin.rules, defect);
    if (!got.resolved) throw new Error(`reference left ${q} unresolved: ${got.reason}`);
    if (got.resolved.chain.join() !== expected.chain.join()) out.add('chain');
    for (const agent of Object.keys(expected.agents)) {
      if (JSON.stringify(got.resolved.agents[agent]) !== JSON.stringify(expected.agents[agent]))
        out.add(decided[q]![agent]!);
    }
  }
  return out;
}

describe('reference queen policy resolution', () => {
  it('the sample exercises all three rules', async () => {
    const admin = await loadAdminRules(`${SAMPLE}admin_rules.json`);
    const source = folderSource(`${SAMPLE}federation`);
    const checker = await checkFederation(source, admin.rules);
    expect(checker.issues).toEqual([]);
    const kinds = new Set(
      Object.values(classifyAgents(checker, await loadPeers(source))).flatMap((m) => Object.values(m)),
    );
    expect([...kinds].sort()).toEqual(['admin', 'tie', 'time']);
  });

  it('agrees with the checker in the correct mode', async () => {
    expect([...(await differingRules(undefined))]).toEqual([]);
  });

  it('federation-order-dependent differs only on timestamp ties', async () => {
    expect([...(await differingRules('federation-order-dependent'))]).toEqual(['tie']);
  });

  it('federation-time-beats-admin differs only on administrator rules', async () => {
    expect([...(await differingRules('federation-time-beats-admin'))]).toEqual(['admin']);
  });

  it('reports an inheritance cycle instead of looping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fed-refcyc-'));
    try {
      for (const [id, parent] of [
        ['a', 'b'],
        ['b', 'a'],
      ]) {
        mkdirSync(join(dir, id!, 'queen_id'), { recursive: true });
        writeFileSync(join(dir, id!, 'queen_id', 'role'), `RegionalQueen inherit:${parent}`);
      }
      const r = resolveForQueen('a', dir, [], undefined);
      expect(r.resolved).toBeNull();
      expect(r.resolved === null && r.reason).toMatch(/inheritance cycle through a -> b -> a/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
