// What the federation suite drives, bound to the target's federation resources: the
// queens (over mutual TLS with the harness's admin identity), the policy checker over
// the federation's published files, the deployment tree, /srv/alerts over Secure9P and
// the trace uploader's invoke endpoint.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alertsClient } from './alerts-client.ts';
import { InfraError } from '../errors.ts';
import { checkFederation, diffResolved } from './check.ts';
import { classifyAgents, type DecidedBy } from './classify.ts';
import { loadAdminRules, loadPeers } from './load.ts';
import type { DeployTreeReport } from './manifests/deploy-tree.ts';
import type { Cloud } from './manifests/terraform.ts';
import type { FederationResolution } from '../../contract/federation/policy-types.ts';
import { queenCall } from './queen-client.ts';
import type { FederationTargetResources } from '../../contract/federation/resources.ts';
import type { QueenEndpoint, QueenRequest, QueenResponse } from '../../contract/federation/queen-protocol.ts';
import { folderSource } from './source.ts';
import { validateAgainst } from './schemas.ts';
import { formatFinding } from './manifests/finding.ts';

// the Kubernetes schemas and the HCL parser are large: loaded only when a manifest case runs
const manifests = () =>
  Promise.all([
    import('./manifests/deploy-tree.ts'),
    import('./manifests/daemonset.ts'),
    import('./manifests/terraform.ts'),
  ]).then(([tree, ds, tf]) => ({
    checkDeployTree: tree.checkDeployTree,
    checkDaemonSetYaml: ds.checkDaemonSetYaml,
    checkTerraformModule: tf.checkTerraformModule,
  }));

export interface RoundReport {
  namespace: string;
  store: string;
  outcomes: Array<{ path: string; key?: string; status: string; error?: string }>;
  /** why the round stopped early (mount failed, connection lost) */
  aborted?: string;
  /** the round's Secure9P session: endpoint and last frames (the reference uploader reports it) */
  session?: { endpoint: string; transcript: string };
}

export interface S3Target {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface FederationDriver {
  resources: FederationTargetResources;
  call<R extends QueenRequest>(queen: QueenEndpoint, req: R, timeoutMs?: number): Promise<QueenResponse<R>>;
  /** the checker's resolution of the target's published files and admin rules, with the rule that decided each agent */
  resolve(): Promise<{
    resolution: FederationResolution;
    decidedBy: Record<string, Record<string, DecidedBy>>;
  }>;
  diffResolved: typeof diffResolved;
  /** schema failures of a queen's reported resolution (schemas/federation-resolution.schema.json), or undefined */
  validateReported(resolved: unknown): string | undefined;
  deploy: {
    check(): Promise<DeployTreeReport>;
    /** each shipped defect variant with the rules the checker reported and the rules it must report */
    checkDefectVariants(): Promise<
      Array<{ variant: string; expected: string[]; got: string[]; findings: string[] }>
    >;
  };
  /** /srv/alerts over Secure9P with the harness's identity */
  alerts: {
    seed(files: Record<string, string>): Promise<void>;
    list(): Promise<string[]>;
    read(path: string): Promise<string>;
    /** last frames of the harness's 9P session, for evidence */
    transcript(last?: number): string;
    close(): void;
  };
  uploader: {
    invoke(store: S3Target & { bucket: string }, timeoutMs?: number): Promise<RoundReport>;
  };
}

export function federationDriver(r: FederationTargetResources): FederationDriver {
  // the deployment tree does not change during a run: check it once for all cases
  let deployReport: Promise<DeployTreeReport> | undefined;
  let alerts: ReturnType<typeof alertsClient> | undefined;
  const alertsSession = () => {
    if (alerts) return alerts;
    const missing = (['alertsHost', 'alertsPort', 'alertsCaCert', 'alertsCert', 'alertsKey'] as const).filter(
      (k) => r[k] === undefined || r[k] === '',
    );
    if (missing.length)
      throw new InfraError(
        `federation config: ${missing.join(', ')} missing`,
        'name the Secure9P endpoint holding /srv/alerts (alertsHost, alertsPort, alertsCaCert) and an identity that may write there (alertsCert, alertsKey)',
      );
    return (alerts = alertsClient({
      host: r.alertsHost,
      port: r.alertsPort,
      servername: r.alertsServerName,
      caCert: r.alertsCaCert,
      cert: r.alertsCert,
      key: r.alertsKey,
    }));
  };
  return {
    resources: r,
    call: (queen, req, timeoutMs) => queenCall(queen, r.tls, req, timeoutMs),
    async resolve() {
      const admin = await loadAdminRules(r.adminRulesPath);
      const source = folderSource(r.federationDir);
      const resolution = await checkFederation(source, admin.rules);
      return { resolution, decidedBy: classifyAgents(resolution, await loadPeers(source)) };
    },
    diffResolved,
    validateReported: (resolved) => validateAgainst('federation-resolution', resolved),
    deploy: {
      check: () => (deployReport ??= manifests().then((m) => m.checkDeployTree(r.deployDir))),
      async checkDefectVariants() {
        const { checkDaemonSetYaml, checkTerraformModule } = await manifests();
        const expected = JSON.parse(await readFile(join(r.deployDefectsDir, 'expected.json'), 'utf8')) as {
          daemonsets: Record<string, string[]>;
          terraform: Record<string, { cloud: Cloud; rules: string[] }>;
        };
        const out: Array<{ variant: string; expected: string[]; got: string[]; findings: string[] }> = [];
        for (const [f, rules] of Object.entries(expected.daemonsets)) {
          const findings = checkDaemonSetYaml(f, await readFile(join(r.deployDefectsDir, f), 'utf8'));
          out.push({
            variant: f,
            expected: rules,
            got: [...new Set(findings.map((x) => x.rule))],
            findings: findings.map(formatFinding),
          });
        }
        for (const [m, { cloud, rules }] of Object.entries(expected.terraform)) {
          const findings = await checkTerraformModule(join(r.deployDefectsDir, m), cloud);
          out.push({
            variant: m,
            expected: rules,
            got: [...new Set(findings.map((x) => x.rule))],
            findings: findings.map(formatFinding),
          });
        }
        return out;
      },
    },
    alerts: {
      seed: async (files) => alertsSession().seed(files),
      list: async () => alertsSession().list(),
      read: async (p) => alertsSession().read(p),
      transcript: (last) => alerts?.transcript(last) ?? '(no 9P session was opened)',
      close: () => alerts?.close(),
    },
    uploader: {
      async invoke(store, timeoutMs = 15_000) {
        if (!r.uploaderUrl)
          throw new InfraError(
            'federation config: uploaderUrl missing',
            'name the uploader invoke endpoint, or give uploaderCert/uploaderKey so the harness runs the reference uploader',
          );
        let res: Response;
        try {
          res = await fetch(`${r.uploaderUrl}/invoke`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ store }),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (e) {
          throw new Error(
            `the uploader's invoke endpoint ${r.uploaderUrl}/invoke did not answer within ${timeoutMs} ms: ${(e as Error).message}`,
          );
        }
        const text = await res.text();
        if (!res.ok)
          throw new Error(
            `the uploader's invoke endpoint answered HTTP ${res.status}: ${text.slice(0, 500)}`,
          );
        return JSON.parse(text) as RoundReport;
      },
    },
  };
}
