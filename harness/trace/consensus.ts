// What the harness knows about queen consensus: the error a failed vote raises,
// the quorum it expects, and the replay check (recompute a logged window's Merkle
// root). The checker's own: the reference queens count votes with their own code
// (#16); only the vote record's shape is shared, through contract/trace/vote.ts.
import { CONSENSUS_ERROR, type VoteOutcome } from '../../contract/trace/vote.ts';
import { merkleRoot } from './merkle.ts';

export type { PeerRejection, VoteOutcome, VoteTrigger } from '../../contract/trace/vote.ts';

/** A vote did not reach ≥ 2/3 valid signatures; the queen fell back to its last good snapshot. */
export class ConsensusError extends Error {
  override name = CONSENSUS_ERROR;
  constructor(
    message: string,
    readonly outcome?: VoteOutcome,
  ) {
    super(message);
  }
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
