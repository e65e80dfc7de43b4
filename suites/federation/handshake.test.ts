// Federation handshake: every region's queen, each with its own certificate from the
// federation CA, completes mutual TLS with every other; a queen whose certificate comes
// from another CA is refused with an error that says so.
import { describe, expect, test } from '../../harness/fixtures.ts';

describe('federation handshake', () => {
  test('every queen completes the federation handshake with every other region', async ({
    federation,
    measure,
  }) => {
    const { queens } = federation.resources;
    expect(queens.length, 'a federation needs at least two regions').toBeGreaterThanOrEqual(2);
    expect(new Set(queens.map((q) => q.region)).size).toBe(queens.length);
    for (const q of queens) {
      const hello = await federation.call(q, { op: 'hello' });
      expect(hello).toMatchObject({ queen_id: q.queen_id, region: q.region });
    }
    const samples: number[] = [];
    const failures: string[] = [];
    for (const a of queens) {
      for (const b of queens) {
        if (a === b) continue;
        const t0 = performance.now();
        const r = await federation.call(a, { op: 'handshake', peer: b });
        samples.push(performance.now() - t0);
        if (!r.ok) failures.push(`${a.queen_id} -> ${b.queen_id}: ${r.error}`);
        else if (r.peer.queen_id !== b.queen_id || r.peer.region !== b.region)
          failures.push(`${a.queen_id} -> ${b.queen_id}: answered as ${r.peer.queen_id} in ${r.peer.region}`);
      }
    }
    measure.record({ name: 'federation handshake', unit: 'ms', samples, statistic: 'median' });
    expect(failures).toEqual([]);
  });

  test('an untrusted queen fails the handshake with a clear error', async ({ federation }) => {
    const { queens, untrusted } = federation.resources;
    expect(
      untrusted.length,
      'the target must expose at least one queen outside the federation CA',
    ).toBeGreaterThan(0);
    for (const u of untrusted) {
      for (const a of queens) {
        const r = await federation.call(a, { op: 'handshake', peer: u });
        expect(r.ok, `${a.queen_id} accepted the untrusted queen ${u.queen_id}`).toBe(false);
        expect(!r.ok && r.error).toMatch(
          new RegExp(`${u.queen_id}.*(not issued by the federation CA|refused)`),
        );
      }
      await expect(federation.call(u, { op: 'hello' })).rejects.toThrow(/not issued by the federation CA/);
    }
  });
});
