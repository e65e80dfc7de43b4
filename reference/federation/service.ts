// The reference federation: three trusted queens ("regions"), each its own process
// with its own certificate from the federation CA, one untrusted queen with a
// certificate from a rogue CA, the published federation files and administrator rules,
// /srv/alerts exported over the reference Secure9P server (mutual TLS; the alerts folder
// is only its backing store), the trace uploader's invoke endpoint that mounts it, and
// the deployment tree.
// Defect modes (reference/federation/defects.ts) are honoured here and in the queens.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnManaged, type ManagedProcess } from '../../harness/process/spawn.ts';
import { ReferenceEnvironmentError } from '../errors.ts';
import type { ReferenceService, ServiceContext, StartedService } from '../../harness/target/types.ts';
import type { FederationTargetResources } from '../../contract/federation/resources.ts';
import { generateFederationPki } from './pki.ts';
import type { QueenConfig } from './queen.ts';
import { startAlertsExport, type AlertsExport } from './alerts-export.ts';
import { startInvokeServer } from './uploader/invoke-server.ts';
import { soleDefect } from '../defect-spec.ts';

// the queens resolve the policy in one order: its two defects each set that order
const POLICY_DEFECTS = ['federation-order-dependent', 'federation-time-beats-admin'];

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

/** The resources the federation fixtures bind to (shape owned by harness/federation/driver.ts). */
export type FederationResources = FederationTargetResources;

const TRUSTED = [
  { queen_id: 'queen-primary', region: 'global', roles: ['QueenPrimary'] },
  { queen_id: 'eu-west', region: 'eu-west-1', roles: ['RegionalQueen'], parent: 'queen-primary' },
  { queen_id: 'na-east', region: 'us-east-1', roles: ['RegionalQueen'], parent: 'queen-primary' },
];
const ROGUE = [
  { queen_id: 'rogue-west', region: 'us-west-2', roles: ['RegionalQueen'], parent: 'queen-primary' },
];

async function startQueen(
  cfg: QueenConfig,
  ctx: ServiceContext,
  cfgPath: string,
): Promise<{ proc: ManagedProcess; port: number }> {
  writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
  const proc = spawnManaged(process.execPath, ['--import', 'tsx', join(HERE, 'queen.ts'), cfgPath], {
    label: `federation:queen:${cfg.queen_id}`,
    cwd: REPO,
    stateRoot: ctx.stateRoot,
    signal: ctx.signal,
  });
  const lines: string[] = [];
  const remember = (l: string) => {
    lines.push(l);
    if (lines.length > 20) lines.shift();
  };
  if (proc.child.stderr) createInterface({ input: proc.child.stderr }).on('line', remember);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no QUEEN_READY within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      createInterface({ input: proc.child.stdout! }).on('line', (l) => {
        remember(l);
        const m = /^QUEEN_READY (\d+)$/.exec(l);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      void proc.exited.then((r) => {
        clearTimeout(timer);
        reject(new Error(`exited (code ${r.exitCode ?? '-'}, signal ${r.signal ?? '-'}) before QUEEN_READY`));
      });
    });
    return { proc, port };
  } catch (e) {
    await proc.stop(500);
    throw new ReferenceEnvironmentError(
      `reference queen ${cfg.queen_id} did not start: ${(e as Error).message}; last output: ${lines.slice(-5).join(' | ') || '(none)'}`,
    );
  }
}

function deployTree(ctx: ServiceContext): string {
  const shipped = join(HERE, 'deploy');
  if (!ctx.defects.has('manifest-unprivileged-qemu')) return shipped;
  const copy = join(ctx.stateDir, 'deploy');
  cpSync(shipped, copy, { recursive: true, filter: (src) => !src.includes(`${join(shipped, 'defects')}`) });
  const ds = join(copy, 'daemonset.yaml');
  writeFileSync(ds, readFileSync(ds, 'utf8').replace('privileged: true', 'privileged: false'));
  return copy;
}

export const federationService: ReferenceService = {
  area: 'federation',
  async start(ctx: ServiceContext): Promise<StartedService> {
    const federationDir = join(ctx.stateDir, 'federation');
    cpSync(join(HERE, 'sample', 'federation'), federationDir, { recursive: true });
    const adminRulesPath = join(ctx.stateDir, 'admin_rules.json');
    cpSync(join(HERE, 'sample', 'admin_rules.json'), adminRulesPath);
    const alertsDir = join(ctx.stateDir, 'srv', 'alerts');
    mkdirSync(alertsDir, { recursive: true });

    const pki = await generateFederationPki(
      join(ctx.stateDir, 'pki'),
      TRUSTED.map((q) => q.queen_id),
      ROGUE.map((q) => q.queen_id),
    );
    const started: ManagedProcess[] = [];
    const stopAll = async () => {
      await Promise.all(started.map((p) => p.stop(1000)));
    };
    const launch = (q: (typeof TRUSTED)[number], ca: string) =>
      startQueen(
        {
          ...q,
          cert: pki.queens[q.queen_id]!.cert,
          key: pki.queens[q.queen_id]!.key,
          ca,
          federationDir,
          adminRulesPath,
          defect: soleDefect(ctx.defects, POLICY_DEFECTS),
        },
        ctx,
        join(ctx.stateDir, `queen-${q.queen_id}.json`),
      ).then((r) => {
        started.push(r.proc);
        return { queen_id: q.queen_id, region: q.region, host: '127.0.0.1', port: r.port };
      });
    // settle every launch before judging, so no queen is left running when another failed
    const settled = await Promise.allSettled([
      ...TRUSTED.map((q) => launch(q, pki.caCert)),
      ...ROGUE.map((q) => launch(q, pki.rogueCaCert)),
    ]);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await stopAll();
      throw failed.reason;
    }
    const endpoints = settled.map(
      (r) => (r as PromiseFulfilledResult<FederationResources['queens'][number]>).value,
    );
    const queens = endpoints.slice(0, TRUSTED.length);
    const untrusted = endpoints.slice(TRUSTED.length);
    let exported: AlertsExport;
    try {
      exported = await startAlertsExport({
        stateDir: join(ctx.stateDir, 'secure9p'),
        alertsDir,
      });
    } catch (e) {
      await stopAll();
      throw new ReferenceEnvironmentError(
        `the federation's Secure9P export of /srv/alerts did not start: ${(e as Error).message}`,
      );
    }
    const ex = exported;
    let invoke;
    try {
      invoke = await startInvokeServer(
        { host: ex.host, port: ex.port, caCert: ex.caCert, cert: ex.uploader.cert, key: ex.uploader.key },
        { deleteBeforeUpload: ctx.defects.has('uploader-deletes-before-upload') },
      );
    } catch (e) {
      await Promise.all([stopAll(), ex.server.stop()]);
      throw new ReferenceEnvironmentError(
        `the reference uploader's invoke endpoint did not start: ${(e as Error).message}`,
      );
    }
    const inv = invoke;
    const resources: FederationResources = {
      queens,
      untrusted,
      tls: { ca: pki.caCert, cert: pki.admin.cert, key: pki.admin.key },
      federationDir,
      adminRulesPath,
      alertsHost: ex.host,
      alertsPort: ex.port,
      alertsCaCert: ex.caCert,
      alertsCert: ex.queen.cert,
      alertsKey: ex.queen.key,
      uploaderUrl: inv.url,
      deployDir: deployTree(ctx),
      deployDefectsDir: join(HERE, 'deploy', 'defects'),
    };
    return {
      resources: resources as unknown as Record<string, unknown>,
      async stop() {
        await Promise.all([stopAll(), inv.close(), ex.server.stop()]);
      },
    };
  },
};
