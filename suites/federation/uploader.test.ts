// The trace uploader against a local S3-compatible store started by the suite: alerts
// arrive exactly once, only uploaded files are removed, a failed upload keeps the file.
// The uploader mounts the target's /srv/alerts over Secure9P; the suite seeds and checks
// /srv/alerts over Secure9P too. A failing case carries the 9P transcripts (the
// uploader's rounds and the suite's own session) and the round reports as evidence.
import { randomUUID } from 'node:crypto';
import { describe, expect, test, type Evidence, type FederationDriver } from '../../harness/fixtures.ts';

type Round = Awaited<ReturnType<FederationDriver['uploader']['invoke']>>;
type Store = Parameters<FederationDriver['uploader']['invoke']>[0];

/** Invoke rounds through this, so a failing case shows what each round did over 9P. */
function roundsWithEvidence(
  federation: FederationDriver,
  evidence: Evidence,
  onTestFailed: (fn: () => void) => void,
): (store: Store) => Promise<Round> {
  const rounds: Round[] = [];
  onTestFailed(() => {
    const parts = rounds.map(
      (r, i) =>
        `# uploader round ${i + 1}: ${r.session?.endpoint ?? r.namespace}` +
        (r.aborted ? `\n# aborted: ${r.aborted}` : '') +
        `\n${r.session?.transcript ?? '(the uploader returned no 9P transcript)'}`,
    );
    parts.push(
      `# the suite's own session (seeding and checking /srv/alerts)\n${federation.alerts.transcript(60)}`,
    );
    evidence.attach('9p-transcript.txt', parts.join('\n\n'));
    evidence.attach(
      'rounds.json',
      JSON.stringify(
        rounds.map(({ session: _s, ...r }) => r),
        null,
        2,
      ),
      'application/json',
    );
  });
  return async (store) => {
    const r = await federation.uploader.invoke(store);
    rounds.push(r);
    return r;
  };
}

function alerts(n: number): Record<string, string> {
  const run = randomUUID().slice(0, 8);
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++)
    out[`drone-${run}-${i}/log`] =
      `{"ts":${Date.now()},"agent":"drone-${run}-${i}","event":"alert","ok":false}\n`;
  return out;
}

describe('trace uploader', () => {
  test('every alert arrives exactly once', async ({
    federation,
    objectStore,
    measure,
    evidence,
    onTestFailed,
  }) => {
    const invoke = roundsWithEvidence(federation, evidence, onTestFailed);
    const seeded = alerts(3);
    await federation.alerts.seed(seeded);
    const bucket = await objectStore.newBucket();
    const t0 = performance.now();
    const first = await invoke({ ...objectStore, bucket });
    const t1 = performance.now();
    await invoke({ ...objectStore, bucket }); // a second round must not upload again
    measure.record({
      name: 'upload round',
      unit: 'ms',
      samples: [t1 - t0, performance.now() - t1],
      statistic: 'median',
    });
    expect(first.aborted).toBeUndefined();
    const objects = await objectStore.objects(bucket);
    for (const [path, body] of Object.entries(seeded)) {
      const copies = objects.filter((o) => o.key.startsWith(`alerts/${path}@`));
      expect({ path, copies: copies.length, body: copies[0]?.body }).toEqual({ path, copies: 1, body });
    }
    const left = await federation.alerts.list();
    expect(left.filter((p) => p in seeded)).toEqual([]);
  });

  test('nothing is removed that was not uploaded', async ({
    federation,
    objectStore,
    evidence,
    onTestFailed,
  }) => {
    const invoke = roundsWithEvidence(federation, evidence, onTestFailed);
    const seeded = alerts(3);
    await federation.alerts.seed(seeded);
    const bucket = await objectStore.newBucket();
    const report = await invoke({ ...objectStore, bucket });
    const objects = await objectStore.objects(bucket);
    const left = new Set(await federation.alerts.list());
    const lost = Object.keys(seeded).filter(
      (p) => !left.has(p) && !objects.some((o) => o.key.startsWith(`alerts/${p}@`)),
    );
    expect(lost).toEqual([]);
    for (const [path, body] of Object.entries(seeded)) {
      if (left.has(path)) continue;
      const stored = objects.filter((o) => o.key.startsWith(`alerts/${path}@`) && o.body === body);
      expect({ path, removed: true, storedIntact: stored.length > 0 }).toEqual({
        path,
        removed: true,
        storedIntact: true,
      });
    }
    for (const o of report.outcomes.filter((x) => x.path in seeded)) {
      expect({ path: o.path, status: o.status, goneFromNamespace: !left.has(o.path) }).toEqual({
        path: o.path,
        status: o.status,
        goneFromNamespace: o.status === 'uploaded',
      });
    }
  });

  test('an upload failure keeps the file for the next round', async ({
    federation,
    objectStore,
    evidence,
    onTestFailed,
  }) => {
    const invoke = roundsWithEvidence(federation, evidence, onTestFailed);
    const seeded = alerts(2);
    await federation.alerts.seed(seeded);
    const missing = `never-created-${randomUUID().slice(0, 8)}`;
    const failed = await invoke({ ...objectStore, bucket: missing });
    const mine = failed.outcomes.filter((o) => o.path in seeded);
    expect(mine.map((o) => o.status)).toEqual(['failed', 'failed']);
    for (const [path, body] of Object.entries(seeded)) {
      const still = (await federation.alerts.list()).includes(path);
      expect({ path, kept: still, body: still ? await federation.alerts.read(path) : undefined }).toEqual({
        path,
        kept: true,
        body,
      });
    }
    const bucket = await objectStore.newBucket();
    await invoke({ ...objectStore, bucket });
    const objects = await objectStore.objects(bucket);
    for (const [path, body] of Object.entries(seeded)) {
      expect(objects.filter((o) => o.key.startsWith(`alerts/${path}@`)).map((o) => o.body)).toEqual([body]);
    }
  });
});
