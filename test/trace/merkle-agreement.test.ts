// The harness's Merkle root (the expected value the replay check recomputes) and
// the reference queens' (the value they vote on) are written apart on purpose
// (#16). Both are held to RFC 6962's published test vectors and to each other over
// windows of every size up to 40, so a drift on either side shows here.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { leafHash, merkleRoot, merkleRootOfLeaves } from '../../harness/trace/merkle.ts';
import { rootOfWindow, treeHead } from '../../reference/queens/window-root.ts';

// RFC 6962 reference leaves and the tree heads of their first n (the vectors of
// certificate-transparency's merkle tree tests).
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const HEADS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle root: harness and reference agree', () => {
  it.each(HEADS.map((head, i) => [i + 1, head] as const))('RFC 6962 tree head over %i leaves', (n, head) => {
    const data = LEAVES.slice(0, n);
    expect(merkleRootOfLeaves(data.map((d) => leafHash(d))), 'the harness tree head').toBe(head);
    expect(treeHead(data), 'the reference queens tree head').toBe(head);
  });

  it('the empty window is sha256 of nothing on both sides', () => {
    const empty = createHash('sha256').digest('hex');
    expect(merkleRoot([])).toBe(empty);
    expect(rootOfWindow([])).toBe(empty);
  });

  it('windows of trace events of every size up to 40 get the same root on both sides', () => {
    const events = Array.from({ length: 40 }, (_, i) => ({
      ok: i % 3 !== 0,
      detail: `step ${i}`,
      event: i % 2 ? 'read' : 'write',
      agent: `worker-${i % 5}`,
      ts: 1_700_000_000_000 + i,
    }));
    for (let n = 0; n <= events.length; n++) {
      const window = events.slice(0, n);
      expect(rootOfWindow(window), `the reference root of a window of ${n} events`).toBe(merkleRoot(window));
    }
  });
});
