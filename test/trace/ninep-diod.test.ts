// Trace reading over a real 9P2000.L session: diod exports a namespace folder,
// our 9P client reads the snapshots and /log/trace through NinepNamespace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDiod, type DiodServer } from '../../harness/ninep/diod.ts';
import { NinepClient } from '../../contract/ninep/client.ts';
import { NinepFs } from '../../contract/ninep/fs.ts';
import { NinepNamespace } from '../../harness/trace/ninep-namespace.ts';
import { NamespaceTraceSource } from '../../harness/trace/source.ts';
import { diffTraces, type DiffRecord } from '../../harness/trace/diff.ts';
import { checkTraceSource } from '../../harness/trace/validate.ts';
import { findTraceArtifacts, judgeTracePath } from '../../harness/trace/paths.ts';

let diod: DiodServer;
let client: NinepClient;
let ns: NinepNamespace;

const ev = (i: number, ok = true): string =>
  JSON.stringify({
    ts: 1_700_000_000_000 + i,
    agent: 'drone_worker',
    event: 'write',
    detail: `/srv/telemetry/${i}`,
    ok,
  });

beforeAll(async () => {
  diod = await startDiod();
  const root = diod.exportDir;
  for (const d of ['history/snapshots/base', 'history/snapshots/cur', 'log/trace', 'srv/trace']) {
    mkdirSync(join(root, d), { recursive: true });
  }
  // larger than one msize, so reads span many Rread replies
  const base = Array.from({ length: 3000 }, (_, i) => ev(i));
  writeFileSync(join(root, 'history/snapshots/base/live.log'), `${base.join('\n')}\n`);
  writeFileSync(
    join(root, 'history/snapshots/cur/live.log'),
    `${base.map((l, i) => (i === 1234 ? ev(i, false) : l)).join('\n')}\n`,
  );
  writeFileSync(join(root, 'log/trace/live.log'), `${ev(1)}\n`);
  writeFileSync(join(root, 'srv/trace/live.log'), `${ev(2)}\n`);
  client = await NinepClient.connect({
    transport: 'tcp',
    host: diod.host,
    port: diod.port,
    dialect: '9P2000.L',
    msize: 8192 + 24,
    timeoutMs: 5000,
  });
  ns = new NinepNamespace(await NinepFs.attach(client, { uname: 'root', aname: root }));
}, 20_000);

afterAll(async () => {
  client?.close();
  await diod?.stop();
});

describe('trace reading over 9P (diod)', () => {
  it('diffs two snapshots read over 9P and finds exactly the changed event', async () => {
    const records: DiffRecord[] = [];
    const summary = await diffTraces(
      new NamespaceTraceSource(ns, '/history/snapshots/base'),
      new NamespaceTraceSource(ns, '/history/snapshots/cur'),
      {},
      (r) => {
        records.push(r);
      },
    );
    expect(summary).toMatchObject({ changed: 1, added: 0, removed: 0, unchanged: 2999 });
    expect(records[0]).toMatchObject({
      kind: 'changed',
      b: { line: 1235 },
      changes: [{ field: 'ok', a: true, b: false }],
    });
  });

  it('finds trace artifacts over 9P and flags the one under /srv/trace', async () => {
    const found = await findTraceArtifacts(ns);
    expect(found).toEqual(['/log/trace/live.log', '/srv/trace/live.log']);
    expect(found.map((p) => judgeTracePath(p).ok)).toEqual([true, false]);
    const check = await checkTraceSource(new NamespaceTraceSource(ns, '/log/trace'));
    expect(check).toMatchObject({ files: 1, lines: 1, problems: [] });
  });
});
