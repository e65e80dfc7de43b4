// The reference queen's own policy resolution, written independently of the harness's
// checker (the suite compares the two, so they must not share code). A queen reads the
// federation's published files, walks its inheritance chain up to the root, and layers
// the overrides parent first; administrator rules are laid over the result.
// Defect modes reproduce two upstream gaps:
//   federation-order-dependent: overrides are taken in the order peers are read (sorted
//     names) and a later-read override wins a timestamp tie, whatever the chain says.
//   federation-time-beats-admin: administrator rules are laid down first, as a base layer,
//     so any override (all of them are newer than "no time") replaces them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AdminRule,
  PolicyEntry,
  PolicyOverride,
  ResolvedAgentPolicy,
  ResolvedPolicy,
} from '../../contract/federation/policy-types.ts';

export type PolicyDefect = 'federation-order-dependent' | 'federation-time-beats-admin' | undefined;

interface Peer {
  id: string;
  parent?: string;
  override?: PolicyOverride;
}

function readPeers(fedDir: string): Peer[] {
  // sorted, as `ls` would show them: the defect depends on this order, the correct path does not
  const names = readdirSync(fedDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return names.map((id) => {
    const rolePath = join(fedDir, id, 'queen_id', 'role');
    const role = existsSync(rolePath) ? readFileSync(rolePath, 'utf8') : '';
    const parent = /(?:^|\s)inherit:(\S+)/.exec(role)?.[1];
    const ovPath = join(fedDir, id, 'policy_override.json');
    const override = existsSync(ovPath)
      ? (JSON.parse(readFileSync(ovPath, 'utf8')) as PolicyOverride)
      : undefined;
    return { id, parent, override };
  });
}

export type QueenResolution = { resolved: ResolvedPolicy } | { resolved: null; reason: string };

export function resolveForQueen(
  self: string,
  fedDir: string,
  adminRules: readonly AdminRule[],
  defect: PolicyDefect,
): QueenResolution {
  const peers = readPeers(fedDir);
  const byId = new Map(peers.map((p) => [p.id, p]));

  const upward: string[] = [];
  for (let cur: string | undefined = self; cur !== undefined; cur = byId.get(cur)?.parent) {
    if (upward.includes(cur))
      return { resolved: null, reason: `inheritance cycle through ${[...upward, cur].join(' -> ')}` };
    if (!byId.has(cur))
      return { resolved: null, reason: `inherit: names ${cur}, which publishes nothing in ${fedDir}` };
    upward.push(cur);
  }
  const chain = upward.reverse();

  const layered = new Map<string, ResolvedAgentPolicy & { ts: number }>();
  const lay = (owner: string, ts: number, e: PolicyEntry, winsTie: boolean) => {
    const cur = layered.get(e.agent);
    if (cur && (ts < cur.ts || (ts === cur.ts && !winsTie))) return;
    layered.set(e.agent, {
      allow: [...new Set(e.allow)].sort(),
      source: { kind: 'override', queen_id: owner, timestamp: ts },
      ts,
    });
  };

  const applicable = (agent: string): AdminRule[] => {
    const rules = adminRules.filter((r) => r.agent === agent);
    const named = rules.filter((r) => r.queens?.includes(self));
    return named.length > 0 ? named : rules.filter((r) => !r.queens);
  };
  const adminAgents = [
    ...new Set(adminRules.filter((r) => !r.queens || r.queens.includes(self)).map((r) => r.agent)),
  ];
  for (const agent of adminAgents) {
    const allows = new Set(applicable(agent).map((r) => JSON.stringify([...new Set(r.allow)].sort())));
    if (allows.size > 1) return { resolved: null, reason: `administrator rules for ${agent} disagree` };
  }
  const layAdmin = () => {
    for (const agent of adminAgents) {
      const rule = applicable(agent)[0]!;
      layered.set(agent, {
        allow: [...new Set(rule.allow)].sort(),
        source: { kind: 'admin' },
        ts: Number.NEGATIVE_INFINITY,
      });
    }
  };

  if (defect === 'federation-time-beats-admin') layAdmin();
  if (defect === 'federation-order-dependent') {
    for (const p of peers) {
      if (!chain.includes(p.id) || !p.override) continue;
      for (const e of p.override.policies) lay(p.id, p.override.timestamp, e, true);
    }
  } else {
    // parent first: a child applied later wins a timestamp tie
    for (const id of chain) {
      const o = byId.get(id)!.override;
      if (o) for (const e of o.policies) lay(id, o.timestamp, e, true);
    }
  }
  if (defect !== 'federation-time-beats-admin') layAdmin();

  const agents: Record<string, ResolvedAgentPolicy> = {};
  for (const agent of [...layered.keys()].sort()) {
    const { allow, source } = layered.get(agent)!;
    agents[agent] = { allow, source };
  }
  return { resolved: { queen_id: self, chain, agents } };
}
