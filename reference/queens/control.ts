// The control side of a queen: what the harness (TLS client certificate CN
// "controller") may ask. Peers are refused here, and the controller is refused on
// the peer side, so a test cannot accidentally vote and a peer cannot inject faults.
import { ConsensusError } from './quorum.ts';
import type { Faults, Member, Queen } from './queen.ts';

export const CONTROLLER_CN = 'controller';

type Msg = Record<string, unknown>;

function isMember(v: unknown): v is Member {
  const m = v as Member;
  return (
    typeof m?.id === 'string' &&
    typeof m.host === 'string' &&
    Number.isInteger(m.port) &&
    typeof m.publicKey === 'string'
  );
}

export async function handleControl(queen: Queen, req: Msg): Promise<Msg> {
  switch (req.cmd) {
    case 'configure': {
      if (!Array.isArray(req.members) || !req.members.every(isMember)) {
        return {
          error: { name: 'UsageError', message: 'configure needs members: [{id, host, port, publicKey}]' },
        };
      }
      if (!req.members.some((m: Member) => m.id === queen.id)) {
        return {
          error: { name: 'UsageError', message: `configure: members must include this queen (${queen.id})` },
        };
      }
      queen.members = req.members as Member[];
      return { ok: true, members: queen.members.map((m) => m.id) };
    }
    case 'append':
      if (!Array.isArray(req.events))
        return { error: { name: 'UsageError', message: 'append needs events: [...]' } };
      queen.append(req.events as unknown[]);
      return { ok: true, status: queen.status() };
    case 'sync':
      try {
        const outcome = await queen.vote('sync', Array.isArray(req.events) ? (req.events as unknown[]) : []);
        return { ok: true, outcome };
      } catch (e) {
        if (e instanceof ConsensusError)
          return { error: { name: e.name, message: e.message }, outcome: e.outcome };
        throw e;
      }
    case 'fault': {
      const f = (req.faults ?? {}) as Faults;
      queen.faults = {
        partition: Boolean(f.partition),
        corruptSignature: Boolean(f.corruptSignature),
        skewHash: Boolean(f.skewHash),
        unsignedSegment: Boolean(f.unsignedSegment),
        delayMs: Number.isFinite(f.delayMs) ? Number(f.delayMs) : 0,
      };
      return { ok: true, faults: queen.faults };
    }
    case 'checkpoint':
      return { ok: true, peers: await queen.checkpoint() };
    case 'status':
      return { ok: true, status: queen.status() };
    default:
      return {
        error: {
          name: 'UsageError',
          message: `unknown command ${JSON.stringify(req.cmd)}; one of configure, append, sync, fault, checkpoint, status`,
        },
      };
  }
}
