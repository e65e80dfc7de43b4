// The reference federation started once, driven the way suites/federation drives it:
// queens over mutual TLS, the checker, the uploader with a local S3 store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { federationService } from '../../reference/federation/service.ts';
import { federationDriver, type FederationDriver } from '../../harness/federation/driver.ts';
import type { FederationTargetResources } from '../../contract/federation/resources.ts';
import { startLocalS3, type LocalS3 } from '../../harness/federation/s3-local.ts';
import { bucketReader } from '../../harness/federation/s3-bucket.ts';
import type { StartedService } from '../../harness/target/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'fed-svc-'));
let svc: StartedService | undefined;
let fed: FederationDriver;
let s3: LocalS3;

beforeAll(async () => {
  [svc, s3] = await Promise.all([
    federationService.start({
      stateDir: join(dir, 'state'),
      stateRoot: dir,
      defects: new Set(),
      areaConfig: {},
      signal: new AbortController().signal,
    }),
    startLocalS3(join(dir, 's3'), ['round-1', 'round-2']),
  ]);
  fed = federationDriver(svc.resources as unknown as FederationTargetResources);
}, 60_000);
afterAll(async () => {
  await svc?.stop();
  await s3?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reference federation service', () => {
  it('every queen reports exactly the checker resolution', async () => {
    const { resolution } = await fed.resolve();
    for (const q of fed.resources.queens) {
      const reported = await fed.call(q, { op: 'policy' });
      expect(fed.diffResolved(resolution.queens[q.queen_id], reported.resolved ?? undefined)).toEqual([]);
    }
  });

  it('trusted queens handshake with each other and refuse the rogue queen clearly', async () => {
    const [a, b] = fed.resources.queens;
    const ok = await fed.call(a!, { op: 'handshake', peer: b! });
    expect(ok).toMatchObject({ ok: true, peer: { queen_id: b!.queen_id } });
    const bad = await fed.call(a!, { op: 'handshake', peer: fed.resources.untrusted[0]! });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/rogue-west .* not issued by the federation CA/);
  });

  it('the uploader invoke endpoint uploads the alerts and keeps them on failure', async () => {
    await fed.alerts.seed({ 'drone-1/log': 'a\n', 'drone-2/log': 'b\n' });
    const creds = {
      endpoint: s3.endpoint,
      region: s3.region,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
    };
    const failed = await fed.uploader.invoke({ ...creds, bucket: 'missing' });
    expect(failed.outcomes.map((o) => o.status)).toEqual(['failed', 'failed']);
    expect(await fed.alerts.list()).toEqual(['drone-1/log', 'drone-2/log']);
    const ok = await fed.uploader.invoke({ ...creds, bucket: 'round-1' });
    expect(ok.outcomes.map((o) => o.status)).toEqual(['uploaded', 'uploaded']);
    const reader = bucketReader(s3);
    expect((await reader.listAll('round-1')).map((o) => o.body.toString())).toEqual(['a\n', 'b\n']);
    reader.close();
    expect(await fed.alerts.list()).toEqual([]);
  });

  it('the invoke endpoint answers a malformed request with 400 and what it expects', async () => {
    const res = await fetch(`${fed.resources.uploaderUrl}/invoke`, { method: 'POST', body: '{"store":{}}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/store\.endpoint is missing/);
  });

  it('the shipped deployment tree and its defect variants check as expected', async () => {
    expect(await fed.deploy.check()).toEqual({ daemonset: [], terraform: { eks: [], gke: [] } });
    for (const v of await fed.deploy.checkDefectVariants()) expect(v.got).toEqual(v.expected);
  });
});
