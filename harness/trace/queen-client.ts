// The harness side of the reference queens: send control commands over mutual
// TLS with the controller certificate. A failed vote comes back as the
// ConsensusError the queen raised, with its outcome (who did not sign and why).
import { readFileSync } from 'node:fs';
import { exchange, type TlsMaterial } from '../../contract/trace/tls-jsonl.ts';
import { ConsensusError, type VoteOutcome } from './consensus.ts';
import type { QueenClusterResources, QueenEndpoint } from '../../contract/trace/resources.ts';

export type { QueenClusterResources, QueenEndpoint } from '../../contract/trace/resources.ts';

export interface QueenFaults {
  partition?: boolean;
  corruptSignature?: boolean;
  skewHash?: boolean;
  delayMs?: number;
  unsignedSegment?: boolean;
}

export interface QueenStatus {
  id: string;
  members: string[];
  ringSize: number;
  ringRoot: string;
  pending: number;
  snapshot: { id: string; ringRoot: string; windowRoot: string };
  faults: QueenFaults;
  lastVote?: VoteOutcome;
}

export class QueenControlError extends Error {
  override name = 'QueenControlError';
}

export class QueenClient {
  private readonly tls: TlsMaterial;
  constructor(
    readonly cluster: QueenClusterResources,
    private readonly timeoutMs = 10_000,
  ) {
    const c = cluster.controller;
    this.tls = {
      ca: readFileSync(c.ca, 'utf8'),
      cert: readFileSync(c.cert, 'utf8'),
      key: readFileSync(c.key, 'utf8'),
    };
  }

  get ids(): string[] {
    return this.cluster.queens.map((q) => q.id);
  }

  private endpoint(id: string): QueenEndpoint {
    const q = this.cluster.queens.find((x) => x.id === id);
    if (!q) throw new QueenControlError(`no queen "${id}" in this cluster (have ${this.ids.join(', ')})`);
    return q;
  }

  async control(
    id: string,
    cmd: string,
    args: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const reply = await exchange<Record<string, unknown>>(
      this.endpoint(id),
      this.tls,
      { type: 'control', cmd, ...args },
      {
        timeoutMs: this.timeoutMs,
        what: `control ${cmd} on queen ${id}`,
      },
    );
    const err = reply.error as { name?: string; message?: string } | undefined;
    if (err) {
      if (err.name === 'ConsensusError')
        throw new ConsensusError(String(err.message), reply.outcome as VoteOutcome | undefined);
      throw new QueenControlError(`queen ${id} refused ${cmd}: ${err.name}: ${err.message}`);
    }
    return reply;
  }

  /** Make exactly these queens one cluster (each learns the others' address and session key). */
  async useMembers(ids: readonly string[]): Promise<void> {
    const members = ids.map((id) => {
      const q = this.endpoint(id);
      return { id: q.id, host: q.host, port: q.port, publicKey: q.publicKey };
    });
    await Promise.all(ids.map((id) => this.control(id, 'configure', { members })));
  }

  /** Append events to `id`'s segment and vote on it now; throws ConsensusError when the vote fails. */
  async sync(id: string, events: unknown[] = []): Promise<VoteOutcome> {
    return (await this.control(id, 'sync', { events })).outcome as VoteOutcome;
  }

  async append(id: string, events: unknown[]): Promise<QueenStatus> {
    return (await this.control(id, 'append', { events })).status as QueenStatus;
  }

  async fault(id: string, faults: QueenFaults): Promise<void> {
    await this.control(id, 'fault', { faults });
  }

  async clearFaults(ids: readonly string[] = this.ids): Promise<void> {
    await Promise.all(ids.map((id) => this.fault(id, {})));
  }

  async status(id: string): Promise<QueenStatus> {
    return (await this.control(id, 'status')).status as QueenStatus;
  }

  async checkpoint(id: string): Promise<Array<{ peer: string; mismatch?: boolean; error?: string }>> {
    return (await this.control(id, 'checkpoint')).peers as Array<{
      peer: string;
      mismatch?: boolean;
      error?: string;
    }>;
  }
}
