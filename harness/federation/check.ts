// The policy resolution checker's entry point: read a federation from a source,
// resolve it, and say whether a queen's own report agrees with the resolution.
import { loadPeers } from './load.ts';
import type {
  AdminRule,
  FederationResolution,
  ResolvedPolicy,
} from '../../contract/federation/policy-types.ts';
import { resolveFederation } from './resolve.ts';
import type { FederationSource } from './source.ts';

/** JSON with object keys sorted, so equal values print equal whatever order their keys were written in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export async function checkFederation(
  source: FederationSource,
  adminRules: readonly AdminRule[] = [],
): Promise<FederationResolution> {
  return resolveFederation(await loadPeers(source), adminRules);
}

/** Differences between what a queen reports and what the checker computed, one line each; empty when equal. */
export function diffResolved(
  expected: ResolvedPolicy | undefined,
  reported: ResolvedPolicy | undefined,
): string[] {
  if (!expected && !reported) return [];
  if (!expected)
    return [`queen ${reported!.queen_id} reports a policy, but the checker leaves it unresolved`];
  if (!reported) return [`queen ${expected.queen_id} reports no policy; expected one`];
  const out: string[] = [];
  if (expected.chain.join('>') !== reported.chain.join('>'))
    out.push(`chain: expected ${expected.chain.join(' > ')}, reported ${reported.chain.join(' > ')}`);
  const agents = new Set([...Object.keys(expected.agents), ...Object.keys(reported.agents)]);
  for (const a of [...agents].sort()) {
    const e = expected.agents[a];
    const r = reported.agents[a];
    const es = e ? canonicalJson(e) : 'nothing';
    const rs = r ? canonicalJson(r) : 'nothing';
    if (es !== rs) out.push(`agent ${a}: expected ${es}, reported ${rs}`);
  }
  return out;
}
