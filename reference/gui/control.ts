// POST /api/control: validate the body and turn it into exactly one gRPC call.
//   assign-role  {worker_id, role}        → AssignRole
//   update-trust {worker_id, trust_level} → UpdateTrust
//   schedule     {agent_id, require_gpu?} → RequestSchedule
// A body that is not a JSON object, or lacks a command's fields, is 400; a command
// the contract does not name is 502 (as the contract says); a gRPC refusal is 502.
import type { OrchestratorRpcs, RpcName } from '../../contract/orchestrator/orchestrator-types.ts';

export type ControlCall = { [K in RpcName]: { rpc: K; request: OrchestratorRpcs[K][0] } }[RpcName];

export type ParsedControl = { ok: true; call: ControlCall } | { ok: false; status: 400 | 502; error: string };

const KNOWN = ['assign-role', 'update-trust', 'schedule'] as const;

function str(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  return typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined;
}

export function parseControl(raw: string): ParsedControl {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, status: 400, error: 'body is not valid JSON; send {"command": ..., ...}' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, status: 400, error: 'body must be a JSON object with a "command" field' };
  }
  const b = body as Record<string, unknown>;
  if (typeof b['command'] !== 'string' || b['command'] === '') {
    return { ok: false, status: 400, error: 'field "command" (string) is required' };
  }
  const command = b['command'];
  const missing = (fields: string[]) => ({
    ok: false as const,
    status: 400 as const,
    error: `command ${command} needs ${fields.join(', ')} (non-empty strings)`,
  });
  switch (command) {
    case 'assign-role': {
      const worker_id = str(b, 'worker_id');
      const role = str(b, 'role');
      if (!worker_id || !role) return missing(['worker_id', 'role']);
      return { ok: true, call: { rpc: 'AssignRole', request: { worker_id, role } } };
    }
    case 'update-trust': {
      const worker_id = str(b, 'worker_id');
      const level = str(b, 'trust_level');
      if (!worker_id || !level) return missing(['worker_id', 'trust_level']);
      return { ok: true, call: { rpc: 'UpdateTrust', request: { worker_id, level } } };
    }
    case 'schedule': {
      const agent_id = str(b, 'agent_id');
      if (!agent_id) return missing(['agent_id']);
      const rg = b['require_gpu'];
      if (rg !== undefined && typeof rg !== 'boolean')
        return { ok: false, status: 400, error: 'require_gpu must be a boolean when given' };
      return { ok: true, call: { rpc: 'RequestSchedule', request: { agent_id, require_gpu: rg === true } } };
    }
    default:
      return {
        ok: false,
        status: 502,
        error: `unknown command ${JSON.stringify(command).slice(0, 80)}; known: ${KNOWN.join(', ')}`,
      };
  }
}
