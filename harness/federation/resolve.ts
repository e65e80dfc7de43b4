// The effective policy of every queen of a federation. The rules, in the order they
// are applied (docs/decisions/federation.md, "Resolution order"):
//   1. A queen's candidates are the overrides of its inheritance chain, root first.
//   2. An explicit administrator rule for (queen, agent) beats every override; a rule
//      naming the queen beats a rule for all queens; two different rules at the same
//      level are an admin_conflict and the queen is left unresolved (never guessed).
//   3. Otherwise the entry with the latest timestamp wins.
//   4. Equal timestamps: the queen deeper in the chain (the child, applied later) wins.
//      Depth is unique within a chain, so this is a total order on the candidates.
// Nothing here depends on the order peers, entries or rules were read in: inputs are
// indexed by id, and every output list is sorted.
import { buildChains } from './inheritance.ts';
import { parseRole } from './role.ts';
import type {
  AdminRule,
  FederationResolution,
  PeerRecord,
  PolicyEntry,
  ResolutionIssue,
  ResolvedAgentPolicy,
  ResolvedPolicy,
} from '../../contract/federation/policy-types.ts';

export function normalizeAllow(allow: readonly string[]): string[] {
  return [...new Set(allow)].sort();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function issueKey(i: ResolutionIssue): string {
  return JSON.stringify([
    i.kind,
    'queen_id' in i ? i.queen_id : '',
    'cycle' in i ? i.cycle : [],
    'agent' in i ? i.agent : '',
    'parent' in i ? i.parent : '',
    'reason' in i ? i.reason : '',
  ]);
}

/** Entries of one override indexed by agent; an agent listed twice is dropped and reported. */
function indexEntries(
  queen: string,
  entries: readonly PolicyEntry[],
  issues: ResolutionIssue[],
): Map<string, PolicyEntry> {
  const byAgent = new Map<string, PolicyEntry>();
  const dup = new Set<string>();
  for (const e of entries) {
    if (byAgent.has(e.agent)) dup.add(e.agent);
    byAgent.set(e.agent, e);
  }
  for (const a of dup) {
    byAgent.delete(a);
    issues.push({ kind: 'duplicate_agent', queen_id: queen, agent: a });
  }
  return byAgent;
}

/** The admin allow list for (queen, agent), 'conflict', or undefined when no rule applies. */
function adminFor(
  queen: string,
  agent: string,
  rules: readonly AdminRule[],
): string[] | 'conflict' | undefined {
  const pick = (level: AdminRule[]): string[] | 'conflict' | undefined => {
    const distinct = new Set(level.map((r) => JSON.stringify(normalizeAllow(r.allow))));
    if (distinct.size > 1) return 'conflict';
    return level[0] ? normalizeAllow(level[0].allow) : undefined;
  };
  const forAgent = rules.filter((r) => r.agent === agent);
  const named = pick(forAgent.filter((r) => r.queens?.includes(queen)));
  if (named !== undefined) return named;
  return pick(forAgent.filter((r) => r.queens === undefined));
}

export function resolveFederation(
  peers: readonly PeerRecord[],
  adminRules: readonly AdminRule[] = [],
): FederationResolution {
  const issues: ResolutionIssue[] = [];

  // index peers by id; a queen id published twice is ambiguous, so neither record is used
  const counts = new Map<string, number>();
  for (const p of peers) counts.set(p.queen_id, (counts.get(p.queen_id) ?? 0) + 1);
  const byId = new Map<string, PeerRecord>();
  for (const p of peers) {
    if (counts.get(p.queen_id) === 1) byId.set(p.queen_id, p);
  }
  for (const [id, n] of counts) if (n > 1) issues.push({ kind: 'duplicate_queen', queen_id: id });

  const parents = new Map<string, string>();
  // queens whose published files are unusable: they and their descendants stay unresolved
  const broken = new Set<string>();
  const entries = new Map<string, Map<string, PolicyEntry>>();
  for (const [id, p] of byId) {
    if (p.role !== undefined) {
      const parsed = parseRole(p.role);
      if (!parsed.ok) {
        issues.push({ kind: 'invalid_role', queen_id: id, reason: parsed.reason });
        broken.add(id);
      } else if (parsed.role.parent !== undefined) {
        parents.set(id, parsed.role.parent);
      }
    }
    if (p.overrideError !== undefined) {
      issues.push({ kind: 'invalid_override', queen_id: id, reason: p.overrideError });
      broken.add(id);
    }
    entries.set(id, indexEntries(id, p.override?.policies ?? [], issues));
  }

  const ids = [...byId.keys()].sort(cmp);
  const chainResult = buildChains(ids, parents);
  for (const cycle of chainResult.cycles) issues.push({ kind: 'inheritance_cycle', cycle });
  for (const m of chainResult.missingParents)
    issues.push({ kind: 'missing_parent', queen_id: m.queen_id, parent: m.parent });
  for (const q of chainResult.reachesCycle)
    issues.push({ kind: 'unresolved', queen_id: q, reason: 'its inheritance chain contains a cycle' });
  for (const [q, parent] of chainResult.reachesMissing) {
    issues.push({
      kind: 'unresolved',
      queen_id: q,
      reason: `its inheritance chain names the unknown queen ${parent}`,
    });
  }

  const queens: Record<string, ResolvedPolicy> = {};
  for (const q of ids) {
    const chain = chainResult.chains.get(q);
    if (!chain) continue;
    const invalid = chain.filter((c) => broken.has(c));
    if (invalid.length > 0) {
      issues.push({
        kind: 'unresolved',
        queen_id: q,
        reason: `its chain includes ${invalid.join(', ')}, whose published files are invalid`,
      });
      continue;
    }
    const agents = new Set<string>();
    for (const c of chain) for (const a of entries.get(c)?.keys() ?? []) agents.add(a);
    for (const r of adminRules) if (r.queens === undefined || r.queens.includes(q)) agents.add(r.agent);

    const resolved: Record<string, ResolvedAgentPolicy> = {};
    let conflicted = false;
    for (const agent of [...agents].sort(cmp)) {
      const admin = adminFor(q, agent, adminRules);
      if (admin === 'conflict') {
        issues.push({ kind: 'admin_conflict', queen_id: q, agent });
        conflicted = true;
        continue;
      }
      if (admin !== undefined) {
        resolved[agent] = { allow: admin, source: { kind: 'admin' } };
        continue;
      }
      let best: { depth: number; timestamp: number; entry: PolicyEntry; queen: string } | undefined;
      chain.forEach((c, depth) => {
        const e = entries.get(c)?.get(agent);
        const ts = byId.get(c)?.override?.timestamp;
        if (!e || ts === undefined) return;
        if (!best || ts > best.timestamp || (ts === best.timestamp && depth > best.depth)) {
          best = { depth, timestamp: ts, entry: e, queen: c };
        }
      });
      if (best) {
        resolved[agent] = {
          allow: normalizeAllow(best.entry.allow),
          source: { kind: 'override', queen_id: best.queen, timestamp: best.timestamp },
        };
      }
    }
    if (conflicted) {
      issues.push({
        kind: 'unresolved',
        queen_id: q,
        reason: 'administrator rules conflict for one of its agents',
      });
      continue;
    }
    queens[q] = { queen_id: q, chain, agents: resolved };
  }

  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = issueKey(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => cmp(issueKey(a), issueKey(b)));
  return { queens, issues: unique };
}
