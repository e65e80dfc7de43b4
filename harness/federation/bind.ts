// Bind the federation driver to a target's resources. When the target names a Secure9P
// endpoint and an uploader identity but no uploader endpoint (a user's target without
// its own uploader), the harness runs the reference uploader beside it, as a process
// reached through its URL (`cohesix-qa reference uploader`), mounting that endpoint as
// that identity, and stops it with the binding.
import { InfraError } from '../errors.ts';
import { PROJECT_ROOT } from '../paths.ts';
import { CLI, startJsonLineChild } from '../target/json-line-child.ts';
import { federationDriver, type FederationDriver } from './driver.ts';
import type { FederationTargetResources } from '../../contract/federation/resources.ts';

export interface BoundFederation {
  driver: FederationDriver;
  /** where the uploader rounds run: the target's endpoint, or the harness's own reference uploader */
  uploader: 'target' | 'harness' | 'none';
  close(): Promise<void>;
}

/** bound on the uploader process's start-up (a CLI start on a loaded 2-core box takes seconds) */
const UPLOADER_START_MS = 60_000;

export async function bindFederation(resources: FederationTargetResources): Promise<BoundFederation> {
  let own: { url: string; close(): Promise<void> } | undefined;
  if (!resources.uploaderUrl && resources.uploaderCert && resources.uploaderKey) {
    const missing = (['alertsHost', 'alertsPort', 'alertsCaCert'] as const).filter((k) => !resources[k]);
    if (missing.length)
      throw new InfraError(
        `federation config: uploaderCert/uploaderKey are given but ${missing.join(', ')} missing`,
        'name the Secure9P endpoint the uploader mounts (alertsHost, alertsPort, alertsCaCert)',
      );
    const mount = {
      host: resources.alertsHost,
      port: resources.alertsPort,
      servername: resources.alertsServerName,
      caCert: resources.alertsCaCert,
      cert: resources.uploaderCert,
      key: resources.uploaderKey,
    };
    const child = await startJsonLineChild<{ url: string }>({
      label: 'reference-uploader',
      file: process.execPath,
      args: [CLI, 'reference', 'uploader', '--mount', JSON.stringify(mount)],
      what: '`cohesix-qa reference uploader`',
      cwd: PROJECT_ROOT,
      startMs: UPLOADER_START_MS,
    });
    own = { url: child.value.url, close: () => child.proc.stop(2000) };
  }
  const driver = federationDriver({ ...resources, uploaderUrl: resources.uploaderUrl ?? own?.url });
  return {
    driver,
    uploader: resources.uploaderUrl ? 'target' : own ? 'harness' : 'none',
    async close() {
      driver.alerts.close();
      await own?.close();
    },
  };
}
