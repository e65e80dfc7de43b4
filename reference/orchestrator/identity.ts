// Who is calling: the role-aligned SPIFFE ID in the client certificate's URI SAN.
//   spiffe://<trust-domain>/queen/<QueenRole>/<id>    e.g. spiffe://cohesix/queen/QueenPrimary/queen-1
//   spiffe://<trust-domain>/worker/<WorkerRole>/<id>  e.g. spiffe://cohesix/worker/DroneWorker/drone-7
// "Role-aligned": a queen path carries a queen role, a worker path a non-queen role,
// and the role is one of the contract's roles. Anything else is rejected.
import type { RpcName } from '../../contract/orchestrator/orchestrator-types.ts';
import { COHESIX_ROLES, type CohesixRole } from '../../contract/roles.ts';

export const QUEEN_ROLES: readonly CohesixRole[] = ['QueenPrimary', 'RegionalQueen', 'BareMetalQueen'];

export interface SpiffeIdentity {
  uri: string;
  kind: 'queen' | 'worker';
  role: CohesixRole;
  id: string;
}

export type IdentityResult =
  { ok: true; identity: SpiffeIdentity } | { ok: false; reason: string; unauthenticated: boolean };

/** Extract the URI SANs from Node's `subjectaltname` string ("URI:spiffe://…, DNS:…"). */
export function uriSans(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName
    .split(/,\s*/)
    .filter((s) => s.startsWith('URI:'))
    .map((s) => s.slice(4));
}

export function parseSpiffeIdentity(uris: readonly string[], trustDomain: string): IdentityResult {
  const spiffe = uris.filter((u) => u.startsWith('spiffe://'));
  if (spiffe.length === 0)
    return { ok: false, unauthenticated: true, reason: 'client certificate carries no SPIFFE URI' };
  if (spiffe.length > 1)
    return {
      ok: false,
      unauthenticated: false,
      reason: `client certificate carries ${spiffe.length} SPIFFE URIs; exactly one is allowed`,
    };
  const uri = spiffe[0]!;
  const m = /^spiffe:\/\/([^/]+)\/(queen|worker)\/([A-Za-z]+)\/([A-Za-z0-9._:-]{1,128})$/.exec(uri);
  if (!m)
    return {
      ok: false,
      unauthenticated: false,
      reason: `SPIFFE URI ${uri} is not spiffe://${trustDomain}/{queen|worker}/<Role>/<id>`,
    };
  const [, domain, kind, role, id] = m as unknown as [string, string, 'queen' | 'worker', string, string];
  if (domain !== trustDomain)
    return {
      ok: false,
      unauthenticated: false,
      reason: `SPIFFE trust domain ${domain} is not ${trustDomain}`,
    };
  if (!(COHESIX_ROLES as readonly string[]).includes(role))
    return { ok: false, unauthenticated: false, reason: `role ${role} in ${uri} is not a Cohesix role` };
  const isQueenRole = QUEEN_ROLES.includes(role as CohesixRole);
  if ((kind === 'queen') !== isQueenRole) {
    return {
      ok: false,
      unauthenticated: false,
      reason: `role ${role} is not aligned with the ${kind} path in ${uri}`,
    };
  }
  return { ok: true, identity: { uri, kind, role: role as CohesixRole, id } };
}

/**
 * May this identity make this call? Queens may do everything (including enrolling a
 * worker on its behalf); a worker may only join and heartbeat as itself, with its own
 * role, and ask for scheduling. Returns the refusal reason, or undefined when allowed.
 */
export function authorize(
  identity: SpiffeIdentity,
  rpc: RpcName,
  request: { worker_id?: unknown; role?: unknown },
): string | undefined {
  if (identity.kind === 'queen') return undefined;
  switch (rpc) {
    case 'Join':
      if (request.worker_id !== identity.id)
        return `worker ${identity.id} may not join as ${String(request.worker_id)}`;
      if (request.role !== identity.role)
        return `worker certified as ${identity.role} may not join as ${String(request.role)}`;
      return undefined;
    case 'Heartbeat':
      return request.worker_id === identity.id
        ? undefined
        : `worker ${identity.id} may not heartbeat for ${String(request.worker_id)}`;
    case 'RequestSchedule':
      return undefined;
    default:
      return `${rpc} needs a queen identity; ${identity.uri} is a worker`;
  }
}
