// Reading a federation into PeerRecords: every override parsed and validated against
// schemas/policy-override.schema.json. A bad file becomes an overrideError on its
// peer (reported by the resolver) rather than an exception, so one broken peer does
// not hide the rest of the federation.
import { readFile } from 'node:fs/promises';
import type { AdminRules, PeerRecord, PolicyOverride } from '../../contract/federation/policy-types.ts';
import { validateAgainst } from './schemas.ts';
import type { FederationSource } from './source.ts';

export function parseOverride(
  peer: string,
  text: string,
  where: string,
): { override?: PolicyOverride; error?: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `${where}: not JSON (${(e as Error).message})` };
  }
  const bad = validateAgainst('policy-override', data);
  if (bad) return { error: `${where}: ${bad}` };
  const o = data as PolicyOverride;
  if (o.queen_id !== peer)
    return { error: `${where}: queen_id is "${o.queen_id}" but the file is published by peer "${peer}"` };
  return { override: o };
}

export async function loadPeers(source: FederationSource): Promise<PeerRecord[]> {
  const peers = await source.listPeers();
  return Promise.all(
    peers.map(async (peer): Promise<PeerRecord> => {
      const [overrideText, role] = await Promise.all([source.readOverride(peer), source.readRole(peer)]);
      const rec: PeerRecord = { queen_id: peer, role };
      if (overrideText !== undefined) {
        const parsed = parseOverride(
          peer,
          overrideText,
          `${source.describe}: /srv/${peer}/policy_override.json`,
        );
        if (parsed.override) rec.override = parsed.override;
        if (parsed.error) rec.overrideError = parsed.error;
      }
      return rec;
    }),
  );
}

/** Load and validate an administrator rules file; throws an error naming the file and the fix. */
export async function loadAdminRules(path: string): Promise<AdminRules> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new Error(
      `administrator rules ${path}: ${(e as Error).message} (give a JSON file shaped by schemas/federation-admin-rules.schema.json)`,
    );
  }
  const bad = validateAgainst('federation-admin-rules', data);
  if (bad)
    throw new Error(`administrator rules ${path}: ${bad} (see schemas/federation-admin-rules.schema.json)`);
  return data as AdminRules;
}
