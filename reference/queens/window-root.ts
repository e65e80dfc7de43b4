// The reference queens' Merkle root of a trace window, written apart from the
// harness's (whose expected roots must come from its own code, #16). The tree is
// RFC 6962's: a leaf is sha256(0x00 ‖ bytes), an inner node sha256(0x01 ‖ left ‖
// right), the empty window's root is sha256 of nothing. Built here level by
// level from the leaves up: adjacent nodes pair off, and a level's odd last node
// rises unpaired (never duplicated) — which yields RFC 6962's left-balanced tree.
import { createHash } from 'node:crypto';
import { canonicalForm } from './canonical-form.ts';

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function digest(prefix: number | undefined, ...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  if (prefix !== undefined) h.update(Uint8Array.of(prefix));
  for (const part of parts) h.update(part);
  return h.digest();
}

/** The tree head (hex) over raw leaf data, in order. */
export function treeHead(leafData: readonly Buffer[]): string {
  if (leafData.length === 0) return digest(undefined).toString('hex');
  let level = leafData.map((d) => digest(LEAF_PREFIX, d));
  while (level.length > 1) {
    const above: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      above.push(right ? digest(NODE_PREFIX, level[i]!, right) : level[i]!);
    }
    level = above;
  }
  return level[0]!.toString('hex');
}

/** The Merkle root (hex) of a window of trace events: each leaf is the event's canonical form. */
export function rootOfWindow(events: readonly unknown[]): string {
  return treeHead(events.map((e) => Buffer.from(canonicalForm(e), 'utf8')));
}
