// A user's target as the federation suite meets it: resources only from the config (no
// reference service), a Secure9P endpoint holding /srv/alerts and two identities named
// by relative certificate paths. The harness resolves them against the config file's
// directory, seeds and checks /srv/alerts over Secure9P, and, with no uploaderUrl, runs
// the reference uploader itself mounting that endpoint as the configured identity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAlertsExport, type AlertsExport } from '../../reference/federation/alerts-export.ts';
import { loadConfig } from '../../harness/config/load.ts';
import { areaConfig } from '../../harness/target/start.ts';
import { bindFederation } from '../../harness/federation/bind.ts';
import type { FederationTargetResources } from '../../contract/federation/resources.ts';
import { startLocalS3, type LocalS3 } from '../../harness/federation/s3-local.ts';

const root = mkdtempSync(join(tmpdir(), 'fed-user-'));
const alertsDir = join(root, 'alerts');
const cfgDir = join(root, 'site');
let ex: AlertsExport;
let s3: LocalS3;

beforeAll(async () => {
  [ex, s3] = await Promise.all([
    startAlertsExport({ stateDir: join(root, 'state'), alertsDir }),
    startLocalS3(join(root, 's3'), ['user-alerts']),
  ]);
  mkdirSync(join(cfgDir, 'certs'), { recursive: true });
  for (const [to, from] of Object.entries({
    'ca.pem': ex.caCert,
    'queen.pem': ex.queen.cert,
    'queen.key': ex.queen.key,
    'uploader.pem': ex.uploader.cert,
    'uploader.key': ex.uploader.key,
  }))
    copyFileSync(from, join(cfgDir, 'certs', to));
}, 60_000);
afterAll(async () => {
  await ex?.server.stop();
  await s3?.close();
  rmSync(root, { recursive: true, force: true });
});

async function resourcesFrom(section: Record<string, unknown>): Promise<FederationTargetResources> {
  const file = join(cfgDir, 'cohesix-qa.config.json');
  writeFileSync(file, JSON.stringify({ federation: section }, null, 2));
  const loaded = await loadConfig(file, root); // cwd elsewhere: paths must follow the file
  return areaConfig(loaded, 'federation') as unknown as FederationTargetResources;
}

describe('federation uploader against a user-configured Secure9P endpoint', () => {
  it('resolves relative certificate paths against the config, mounts the endpoint as the configured identity, uploads and removes', async () => {
    const r = await resourcesFrom({
      alertsHost: ex.host,
      alertsPort: ex.port,
      alertsCaCert: 'certs/ca.pem',
      alertsCert: 'certs/queen.pem',
      alertsKey: 'certs/queen.key',
      uploaderCert: 'certs/uploader.pem',
      uploaderKey: 'certs/uploader.key',
    });
    expect(r.uploaderCert).toBe(join(cfgDir, 'certs', 'uploader.pem'));
    const bound = await bindFederation(r);
    try {
      expect(bound.uploader).toBe('harness');
      await bound.driver.alerts.seed({ 'sensor-7/log': '{"agent":"sensor-7"}\n' });
      expect(readdirSync(join(alertsDir, 'sensor-7'))).toEqual(['log']); // it went over 9P to the backing store
      const report = await bound.driver.uploader.invoke({
        endpoint: s3.endpoint,
        region: s3.region,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        bucket: 'user-alerts',
      });
      expect(report.outcomes.map((o) => [o.path, o.status])).toEqual([['sensor-7/log', 'uploaded']]);
      expect(report.session?.endpoint).toBe(`secure9p tls://${ex.host}:${ex.port}`);
      expect(report.session?.transcript).toMatch(/Tremove/);
      expect(await bound.driver.alerts.list()).toEqual([]);
      // the server's live trace names the uploader's agent: it mounted as the configured identity
      const { readFileSync } = await import('node:fs');
      expect(readFileSync(ex.server.logs.trace, 'utf8')).toMatch(
        /"agent":"trace_uploader","event":"remove","detail":"\/srv\/alerts\/sensor-7\/log"/,
      );
    } finally {
      await bound.close();
    }
  });

  it('names the missing keys and the fix when the config is incomplete', async () => {
    const r = await resourcesFrom({ uploaderCert: 'certs/uploader.pem', uploaderKey: 'certs/uploader.key' });
    await expect(bindFederation(r)).rejects.toThrow(
      /uploaderCert\/uploaderKey are given but alertsHost, alertsPort, alertsCaCert missing\n {2}fix: name the Secure9P endpoint/,
    );
    const bound = await bindFederation(await resourcesFrom({ alertsHost: ex.host, alertsPort: ex.port }));
    try {
      expect(bound.uploader).toBe('none');
      await expect(bound.driver.alerts.list()).rejects.toThrow(/alertsCaCert, alertsCert, alertsKey missing/);
      await expect(
        bound.driver.uploader.invoke({
          endpoint: '',
          region: '',
          accessKeyId: '',
          secretAccessKey: '',
          bucket: '',
        }),
      ).rejects.toThrow(/uploaderUrl missing\n {2}fix: .*uploaderCert\/uploaderKey/);
    } finally {
      await bound.close();
    }
  });
});
