// Sorting a queen's resolved agents by which rule decided them, so a suite can check
// each rule on its own: an administrator rule, a timestamp tie broken by the chain
// order, or a plain latest-timestamp win. A defect in one rule then fails one case.
import type { FederationResolution, PeerRecord } from '../../contract/federation/policy-types.ts';

export type DecidedBy = 'admin' | 'tie' | 'time';

/** queen id -> agent -> the rule that decided it, from the checker's resolution and the peers it read. */
export function classifyAgents(
  resolution: FederationResolution,
  peers: readonly PeerRecord[],
): Record<string, Record<string, DecidedBy>> {
  const byId = new Map(peers.map((p) => [p.queen_id, p]));
  const out: Record<string, Record<string, DecidedBy>> = {};
  for (const [q, resolved] of Object.entries(resolution.queens)) {
    out[q] = {};
    for (const [agent, r] of Object.entries(resolved.agents)) {
      if (r.source.kind === 'admin') {
        out[q][agent] = 'admin';
        continue;
      }
      const stamps = resolved.chain.flatMap((id) => {
        const o = byId.get(id)?.override;
        return o && o.policies.some((e) => e.agent === agent) ? [o.timestamp] : [];
      });
      const max = Math.max(...stamps);
      out[q][agent] = stamps.filter((t) => t === max).length > 1 ? 'tie' : 'time';
    }
  }
  return out;
}
