// Federation handshake: every region's queen, each with its own certificate from the
// federation CA, completes mutual TLS with every other; a queen whose certificate comes
// from another CA is refused with an error that says so.
import { describe, test } from '../../harness/fixtures.ts';

describe('federation handshake', () => {
  test('every queen completes the federation handshake with every other region', async ({
    federation,
    measure,
    problems,
  }) => {
    const { queens } = federation.resources;
    problems.check(queens.length >= 2, 'a federation needs at least two regions', {
      found: `${queens.length} queens`,
    });
    const regions = queens.map((q) => q.region);
    problems.check(new Set(regions).size === queens.length, 'every queen is in its own region', {
      found: regions.join(', '),
    });
    for (const q of queens) {
      const hello = await federation.call(q, { op: 'hello' });
      problems.check(
        hello.queen_id === q.queen_id && hello.region === q.region,
        `queen ${q.queen_id} answers hello as itself`,
        { expected: `${q.queen_id} in ${q.region}`, found: `${hello.queen_id} in ${hello.region}` },
      );
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
    problems.none(failures, (f) => `a federation handshake failed: ${f}`);
  });

  test('an untrusted queen fails the handshake with a clear error', async ({ federation, problems }) => {
    const { queens, untrusted } = federation.resources;
    problems.check(
      untrusted.length > 0,
      'the target exposes no queen outside the federation CA (federation.untrusted), so refusal cannot be checked',
    );
    for (const u of untrusted) {
      for (const a of queens) {
        const r = await federation.call(a, { op: 'handshake', peer: u });
        if (
          !problems.check(
            !r.ok,
            `${a.queen_id} accepted the untrusted queen ${u.queen_id}: it must refuse it`,
          )
        )
          continue;
        const error = r.ok ? '' : r.error;
        problems.check(
          new RegExp(`${u.queen_id}.*(not issued by the federation CA|refused)`).test(error),
          `${a.queen_id}'s refusal of ${u.queen_id} names the queen and why`,
          { expected: `${u.queen_id} … not issued by the federation CA (or refused)`, found: error },
        );
      }
      const hello = await federation.call(u, { op: 'hello' }).then(
        () => 'it answered',
        (e: Error) => e.message,
      );
      problems.check(
        /not issued by the federation CA/.test(hello),
        `calling the untrusted queen ${u.queen_id} fails: its certificate is not issued by the federation CA`,
        { found: hello },
      );
    }
  });
});
