// How a reference queen counts a vote (contract: "accept with a quorum of ≥ 2/3
// of peer signatures"), written apart from the harness's expectation of it (#16).
import { CONSENSUS_ERROR, type VoteOutcome } from '../../contract/trace/vote.ts';

/** The fewest signatures s of n members with 3s ≥ 2n (the initiator's own counts). */
export function quorumOf(members: number): number {
  let s = 0;
  while (3 * s < 2 * members) s++;
  return s;
}

/** A majority, as the consensus-accepts-minority defect counts it. */
export function majorityOf(members: number): number {
  return Math.floor(members / 2) + 1;
}

/** A failed vote: the queen fell back to its last good snapshot; the outcome says who did not sign and why. */
export class ConsensusError extends Error {
  override readonly name = CONSENSUS_ERROR;
  /** the vote's record, as the initiator logged it */
  readonly outcome: VoteOutcome | undefined;
  constructor(message: string, outcome?: VoteOutcome) {
    super(message);
    this.outcome = outcome;
  }
}
