// Merkle tree hash of a trace window, as RFC 6962 (Certificate Transparency)
// defines it: leaves and inner nodes are domain-separated (0x00 / 0x01 prefixes)
// so a leaf can never be passed off as an inner node, and the tree over n leaves
// splits at the largest power of two below n (no duplicated last leaf, which would
// let two different windows share a root). The checker's own, for the replay
// check: the reference queens compute theirs apart (#16), and
// test/trace/merkle-agreement.test.ts holds both to RFC 6962's vectors.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(data: Buffer | string): Buffer {
  return sha256(LEAF, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

/** The leaf of one trace event: its canonical JSON, so key order does not matter. */
export function eventLeaf(event: unknown): Buffer {
  return leafHash(canonicalJson(event));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOf(leaves: readonly Buffer[], lo: number, hi: number): Buffer {
  const n = hi - lo;
  if (n === 1) return leaves[lo]!;
  const k = largestPowerOfTwoBelow(n);
  return sha256(NODE, rootOf(leaves, lo, lo + k), rootOf(leaves, lo + k, hi));
}

/** Root over already-hashed leaves (hex). The empty window's root is sha256 of nothing. */
export function merkleRootOfLeaves(leaves: readonly Buffer[]): string {
  if (leaves.length === 0) return sha256().toString('hex');
  return rootOf(leaves, 0, leaves.length).toString('hex');
}

/** Merkle root (hex) of a window of trace events, in order. */
export function merkleRoot(events: readonly unknown[]): string {
  return merkleRootOfLeaves(events.map(eventLeaf));
}
