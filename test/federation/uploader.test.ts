import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalS3, type LocalS3 } from '../../harness/federation/s3-local.ts';
import { bucketReader, type BucketReader } from '../../harness/federation/s3-bucket.ts';
import { folderNamespace } from '../../reference/federation/uploader/namespace.ts';
import { s3Store, type ObjectStore } from '../../reference/federation/uploader/object-store.ts';
import { uploadRound } from '../../reference/federation/uploader/uploader.ts';

const root = mkdtempSync(join(tmpdir(), 'fed-upl-'));
const alerts = join(root, 'alerts');
let s3: LocalS3;
let reader: BucketReader;
let bucketN = 0;

beforeAll(async () => {
  s3 = await startLocalS3(join(root, 's3'), ['b0', 'b1', 'b2', 'b3', 'b4', 'b5']);
  reader = bucketReader(s3);
});
afterAll(async () => {
  reader?.close();
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  rmSync(alerts, { recursive: true, force: true });
  for (const agent of ['drone-1', 'drone-2', 'glasses-1']) {
    mkdirSync(join(alerts, agent), { recursive: true });
    writeFileSync(join(alerts, agent, 'log'), `{"agent":"${agent}","event":"alert"}\n`);
  }
});

const store = (bucket: string): ObjectStore & { close(): void } => s3Store({ ...s3, bucket });
const nextBucket = () => `b${bucketN++}`;

describe('trace uploader', () => {
  it('uploads every alert exactly once and removes what it uploaded', async () => {
    const bucket = nextBucket();
    const st = store(bucket);
    const ns = folderNamespace(alerts);
    const r1 = await uploadRound(ns, st);
    expect(r1.outcomes.map((o) => [o.path, o.status])).toEqual([
      ['drone-1/log', 'uploaded'],
      ['drone-2/log', 'uploaded'],
      ['glasses-1/log', 'uploaded'],
    ]);
    expect(await ns.list()).toEqual([]);
    const r2 = await uploadRound(ns, st);
    expect(r2.outcomes).toEqual([]);
    const objects = await reader.listAll(bucket);
    expect(objects.map((o) => o.body.toString())).toEqual([
      '{"agent":"drone-1","event":"alert"}\n',
      '{"agent":"drone-2","event":"alert"}\n',
      '{"agent":"glasses-1","event":"alert"}\n',
    ]);
    expect(objects[0]!.key).toMatch(/^alerts\/drone-1\/log@[0-9a-f]{16}$/);
    st.close();
  });

  it('keeps every file when the upload fails, and uploads it at the next round', async () => {
    const ns = folderNamespace(alerts);
    const missing = store('no-such-bucket');
    const r1 = await uploadRound(ns, missing);
    expect(r1.outcomes.every((o) => o.status === 'failed' && /NoSuchBucket/.test(o.error ?? ''))).toBe(true);
    expect(await ns.list()).toHaveLength(3);
    const bucket = nextBucket();
    const r2 = await uploadRound(ns, store(bucket));
    expect(r2.outcomes.filter((o) => o.status === 'uploaded')).toHaveLength(3);
    expect(await reader.listAll(bucket)).toHaveLength(3);
    missing.close();
  });

  it('keeps the files when the store is unreachable, with the error in the report', async () => {
    const ns = folderNamespace(alerts);
    const dead = s3Store({ ...s3, endpoint: 'http://127.0.0.1:1', bucket: 'b' });
    const r = await uploadRound(ns, dead);
    expect(r.outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed']);
    expect(r.outcomes[0]!.error).toMatch(/upload: .*ECONNREFUSED/);
    expect(await ns.list()).toHaveLength(3);
    dead.close();
  });

  it('keeps a file that grew while it was uploaded', async () => {
    const bucket = nextBucket();
    const inner = store(bucket);
    const growing: ObjectStore = {
      describe: inner.describe,
      async put(key, body) {
        await inner.put(key, body);
        if (key.includes('drone-2')) appendFileSync(join(alerts, 'drone-2', 'log'), '{"late":true}\n');
      },
    };
    const ns = folderNamespace(alerts);
    const r = await uploadRound(ns, growing);
    expect(r.outcomes.find((o) => o.path === 'drone-2/log')!.status).toBe('changed');
    expect(readFileSync(join(alerts, 'drone-2', 'log'), 'utf8')).toContain('late');
    expect(existsSync(join(alerts, 'drone-1', 'log'))).toBe(false);
    inner.close();
  });

  it('in the deletes-before-upload defect mode, a failed upload loses the file (what the suite must catch)', async () => {
    const ns = folderNamespace(alerts);
    const missing = store('no-such-bucket');
    const r = await uploadRound(ns, missing, { deleteBeforeUpload: true });
    expect(r.outcomes.every((o) => o.status === 'failed')).toBe(true);
    expect(await ns.list()).toEqual([]);
    missing.close();
  });

  it('refuses alert paths that leave /srv/alerts', async () => {
    const ns = folderNamespace(alerts);
    await expect(ns.read('../secret')).rejects.toThrow(/not a plain relative path/);
    await expect(ns.remove('/etc/passwd')).rejects.toThrow(/not a plain relative path/);
  });
});
