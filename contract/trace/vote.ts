// The record of one queen vote, as a queen answers a sync and writes it to
// /srv/trace/consensus/<ts>.log (contract: "Trace", consensus between queens).
// Shared because both sides of a real system read and write it; how a vote is
// counted and what its root should be each side computes with its own code.

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
  /** signatures needed: ≥ 2/3 of the members (the initiator's own counts) */
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

/** The error name a failed vote carries over the control channel. */
export const CONSENSUS_ERROR = 'ConsensusError';
