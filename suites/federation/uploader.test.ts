// The trace uploader against a local S3-compatible store started by the suite: alerts
// arrive exactly once, only uploaded files are removed, a failed upload keeps the file.
// The uploader mounts the target's /srv/alerts over Secure9P; the suite seeds and checks
// /srv/alerts over Secure9P too. A failing case carries the 9P transcripts (the
// uploader's rounds and the suite's own session) and the round reports as evidence.
import { randomUUID } from 'node:crypto';
import { describe, test, type Evidence, type FederationDriver } from '../../harness/fixtures.ts';

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
    problems,
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
    problems.check(first.aborted === undefined, `the first upload round aborted: ${first.aborted}`);
    const objects = await objectStore.objects(bucket);
    for (const [path, body] of Object.entries(seeded)) {
      const copies = objects.filter((o) => o.key.startsWith(`alerts/${path}@`));
      problems.check(copies.length === 1, `the alert ${path} is stored exactly once after two rounds`, {
        expected: '1 copy',
        found: `${copies.length} copies`,
      });
      if (copies.length > 0)
        problems.check(copies[0]!.body === body, `the stored copy of ${path} is the alert as written`, {
          expected: body,
          found: copies[0]!.body,
        });
    }
    const left = await federation.alerts.list();
    problems.none(
      left.filter((p) => p in seeded),
      (p) => `the uploaded alert ${p} is still in /srv/alerts: an uploaded file must be removed`,
    );
  });

  test('nothing is removed that was not uploaded', async ({
    federation,
    objectStore,
    evidence,
    onTestFailed,
    problems,
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
    problems.none(
      lost,
      (p) => `the alert ${p} was removed from /srv/alerts but is not in the store: it is lost`,
    );
    for (const [path, body] of Object.entries(seeded)) {
      if (left.has(path)) continue;
      const stored = objects.filter((o) => o.key.startsWith(`alerts/${path}@`) && o.body === body);
      problems.check(stored.length > 0, `the alert ${path} was removed, so the store must hold it intact`, {
        expected: body,
        found:
          objects
            .filter((o) => o.key.startsWith(`alerts/${path}@`))
            .map((o) => o.body)
            .join(' | ') || 'no copy',
      });
    }
    for (const o of report.outcomes.filter((x) => x.path in seeded)) {
      const gone = !left.has(o.path);
      problems.check(
        gone === (o.status === 'uploaded'),
        o.status === 'uploaded'
          ? `the uploader reports ${o.path} uploaded but left it in /srv/alerts`
          : `the uploader reports ${o.path} ${o.status} but removed it from /srv/alerts`,
      );
    }
  });

  test('an upload failure keeps the file for the next round', async ({
    federation,
    objectStore,
    evidence,
    onTestFailed,
    problems,
  }) => {
    const invoke = roundsWithEvidence(federation, evidence, onTestFailed);
    const seeded = alerts(2);
    await federation.alerts.seed(seeded);
    const missing = `never-created-${randomUUID().slice(0, 8)}`;
    const failed = await invoke({ ...objectStore, bucket: missing });
    const mine = failed.outcomes.filter((o) => o.path in seeded);
    const statuses = mine.map((o) => `${o.path}: ${o.status}`).join(', ');
    problems.check(
      mine.length === 2 && mine.every((o) => o.status === 'failed'),
      `uploading the 2 alerts to the missing bucket ${missing} fails for each`,
      { expected: 'failed, failed', found: statuses || 'no outcome for them' },
    );
    for (const [path, body] of Object.entries(seeded)) {
      const still = (await federation.alerts.list()).includes(path);
      if (
        !problems.check(
          still,
          `the alert ${path} whose upload failed was removed from /srv/alerts: it must be kept`,
        )
      )
        continue;
      const kept = await federation.alerts.read(path);
      problems.check(kept === body, `the kept alert ${path} is unchanged`, { expected: body, found: kept });
    }
    const bucket = await objectStore.newBucket();
    await invoke({ ...objectStore, bucket });
    const objects = await objectStore.objects(bucket);
    for (const [path, body] of Object.entries(seeded)) {
      const copies = objects.filter((o) => o.key.startsWith(`alerts/${path}@`)).map((o) => o.body);
      problems.check(
        copies.length === 1 && copies[0] === body,
        `the next round uploads the kept alert ${path} exactly once, intact`,
        { expected: body, found: copies.length ? copies.join(' | ') : 'no copy' },
      );
    }
  });
});
