import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { merkleRoot, leafHash, merkleRootOfLeaves } from '../../harness/trace/merkle.ts';
import { canonicalJson } from '../../harness/trace/canonical.ts';

const sha = (...b: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(b)).digest();

describe('merkle root (RFC 6962)', () => {
  it('matches the hand-computed tree for three leaves', () => {
    const [l0, l1, l2] = ['a', 'b', 'c'].map((s) => leafHash(s));
    const expected = sha(Buffer.from([1]), sha(Buffer.from([1]), l0!, l1!), l2!).toString('hex');
    expect(merkleRootOfLeaves([l0!, l1!, l2!])).toBe(expected);
  });

  it('is the sha256 of nothing for an empty window', () => {
    expect(merkleRoot([])).toBe(createHash('sha256').digest('hex'));
  });

  it('does not depend on key order but does on event order and content', () => {
    const a = { ts: 1, agent: 'q', event: 'spawn', detail: '', ok: true };
    const b = { ok: true, detail: '', event: 'spawn', agent: 'q', ts: 1 };
    const c = { ...a, ts: 2 };
    expect(merkleRoot([a, c])).toBe(merkleRoot([b, c]));
    expect(merkleRoot([a, c])).not.toBe(merkleRoot([c, a]));
    expect(merkleRoot([a, c])).not.toBe(merkleRoot([a, { ...c, ok: false }]));
  });

  it('does not collide when the last leaf is duplicated (unlike naive trees)', () => {
    const x = { n: 1 };
    const y = { n: 2 };
    const z = { n: 3 };
    expect(merkleRoot([x, y, z])).not.toBe(merkleRoot([x, y, z, z]));
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}',
    );
  });
});
