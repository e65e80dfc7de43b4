// What the harness knows about queen consensus: the error a failed vote raises,
// the shape of a vote outcome and of the files the queens write, and the replay
// check (recompute a logged window's Merkle root). Shared by the reference queens
// and by the suite, so both speak about votes in the same terms.
import { merkleRoot } from './merkle.ts';

/** A vote did not reach ≥ 2/3 valid signatures; the queen fell back to its last good snapshot. */
export class ConsensusError extends Error {
  override name = 'ConsensusError';
  constructor(
    message: string,
    readonly outcome?: VoteOutcome,
  ) {
    super(message);
  }
}

export type VoteTrigger = 'size' | 'age' | 'checkpoint-mismatch' | 'sync';

export interface PeerRejection {
  peer: string;
  reason: string;
}

export interface VoteOutcome {
  ts: string;
  windowId: string;
  trigger: VoteTrigger;
  initiator: string;
  nonce: string;
  members: string[];
  /** signatures needed: ceil(2n/3) of n members (the initiator's own counts) */
  required: number;
  root: string;
  accepted: boolean;
  signers: Array<{ peer: string; sig: string }>;
  rejected: PeerRejection[];
  /** the window's events, so the vote can be replayed */
  events: unknown[];
  /** namespace paths of the files this vote wrote on the initiator */
  files: { consensusLog: string; faultFile?: string; snapshot: string };
  /** the snapshot the queen holds after the vote (the restored one after a failure) */
  snapshotId: string;
}

export function requiredSignatures(members: number): number {
  return Math.ceil((2 * members) / 3);
}

export interface ReplayResult {
  windowId: string;
  logged: string;
  replayed: string;
  ok: boolean;
}

/** Recompute the Merkle root of a logged vote's window and compare it with the logged root. */
export function replayVote(record: Pick<VoteOutcome, 'windowId' | 'root' | 'events'>): ReplayResult {
  const replayed = merkleRoot(record.events);
  return { windowId: record.windowId, logged: record.root, replayed, ok: replayed === record.root };
}
