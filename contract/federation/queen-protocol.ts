// The reference federation's wire protocol between queens (and from the harness to a
// queen): mutual TLS, one JSON request line, one JSON response line, then close.
import type { ResolvedPolicy } from './policy-types.ts';

export interface QueenEndpoint {
  queen_id: string;
  host: string;
  port: number;
}

export type QueenRequest =
  | { op: 'hello' }
  | { op: 'policy' }
  /** ask the queen to complete the federation handshake with another queen */
  | { op: 'handshake'; peer: QueenEndpoint };

export interface HelloResponse {
  queen_id: string;
  region: string;
  roles: string[];
  parent?: string;
}

export interface PolicyResponse {
  resolved: ResolvedPolicy | null;
  /** why the queen could not resolve its policy, when resolved is null */
  reason?: string;
}

export type HandshakeResponse = { ok: true; peer: HelloResponse } | { ok: false; error: string };

export type QueenResponse<R extends QueenRequest> = R extends { op: 'hello' }
  ? HelloResponse
  : R extends { op: 'policy' }
    ? PolicyResponse
    : HandshakeResponse;
