// Bind the federation driver to a target's resources. When the target names a Secure9P
// endpoint and an uploader identity but no uploader endpoint (a user's target without
// its own uploader), the harness runs the reference uploader itself, mounting that
// endpoint as that identity, and tears it down with the binding.
import { InfraError } from '../errors.ts';
import { federationDriver, type FederationDriver, type FederationTargetResources } from './driver.ts';

export interface BoundFederation {
  driver: FederationDriver;
  /** where the uploader rounds run: the target's endpoint, or the harness's own reference uploader */
  uploader: 'target' | 'harness' | 'none';
  close(): Promise<void>;
}

export async function bindFederation(resources: FederationTargetResources): Promise<BoundFederation> {
  let own: { url: string; close(): Promise<void> } | undefined;
  if (!resources.uploaderUrl && resources.uploaderCert && resources.uploaderKey) {
    const missing = (['alertsHost', 'alertsPort', 'alertsCaCert'] as const).filter((k) => !resources[k]);
    if (missing.length)
      throw new InfraError(
        `federation config: uploaderCert/uploaderKey are given but ${missing.join(', ')} missing`,
        'name the Secure9P endpoint the uploader mounts (alertsHost, alertsPort, alertsCaCert)',
      );
    // loaded on use: only a target without its own uploader needs the reference one
    const { startInvokeServer } = await import('../../reference/federation/uploader/invoke-server.ts');
    own = await startInvokeServer(
      {
        host: resources.alertsHost,
        port: resources.alertsPort,
        servername: resources.alertsServerName,
        caCert: resources.alertsCaCert,
        cert: resources.uploaderCert,
        key: resources.uploaderKey,
      },
      { deleteBeforeUpload: false },
    );
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
