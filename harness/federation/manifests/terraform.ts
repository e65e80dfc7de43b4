// Terraform modules that provision Cohesix on EKS or GKE, parsed with @cdktn/hcl2json
// (HashiCorp's HCL parser compiled to WebAssembly; no terraform binary, no cloud
// access). A module must declare the resources the contract names for its cloud, and
// the DaemonSet it declares through the kubernetes provider must run the contract's
// QEMU container.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktn/hcl2json';
import type { Finding } from './finding.ts';
import { checkQemuContainers, type ContainerLike } from './qemu-pod.ts';

export type Cloud = 'eks' | 'gke';

/** Resource types each module must declare (docs/decisions/federation.md, "Terraform"). */
export const REQUIRED_RESOURCES: Record<Cloud, string[][]> = {
  eks: [['aws_eks_cluster'], ['aws_eks_node_group'], ['kubernetes_daemon_set_v1', 'kubernetes_daemonset']],
  gke: [
    ['google_container_cluster'],
    ['google_container_node_pool'],
    ['kubernetes_daemon_set_v1', 'kubernetes_daemonset'],
  ],
};

type Blocks = Record<string, unknown>[];
type HclJson = { resource?: Record<string, Record<string, Blocks>>; variable?: Record<string, Blocks> };

function first(v: unknown): Record<string, unknown> | undefined {
  return Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Record<string, unknown>) : undefined;
}

/** `${var.x}` interpolations replaced by the variable's string default, when it has one. */
function expandVars(v: unknown, defaults: ReadonlyMap<string, string>): unknown {
  if (typeof v === 'string')
    return v.replace(/\$\{var\.([A-Za-z0-9_-]+)\}/g, (whole, n: string) => defaults.get(n) ?? whole);
  if (Array.isArray(v)) return v.map((x) => expandVars(x, defaults));
  return v;
}

/** A kubernetes provider `container` block in the Kubernetes API shape the QEMU check reads. */
function containerFromHcl(
  block: Record<string, unknown>,
  defaults: ReadonlyMap<string, string>,
): ContainerLike {
  const sc = first(block.security_context);
  const env = Array.isArray(block.env) ? (block.env as Array<{ name?: string; value?: unknown }>) : [];
  return {
    name: block.name as string | undefined,
    command: expandVars(block.command, defaults),
    args: expandVars(block.args, defaults),
    env: env.map((e) => ({ name: e.name, value: expandVars(e.value, defaults) })),
    securityContext: sc ? { privileged: sc.privileged } : undefined,
  };
}

export async function parseModule(
  dir: string,
): Promise<{ files: string[]; merged: HclJson; findings: Finding[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.tf')).sort();
  } catch (e) {
    return {
      files: [],
      merged: {},
      findings: [
        {
          file: dir,
          path: '',
          rule: 'parse',
          message: `cannot read the module folder: ${(e as Error).message}`,
        },
      ],
    };
  }
  const merged: HclJson = { resource: {}, variable: {} };
  const findings: Finding[] = [];
  for (const n of names) {
    const file = join(dir, n);
    let json: HclJson;
    try {
      json = (await parse(n, await readFile(file, 'utf8'))) as HclJson;
    } catch (e) {
      findings.push({
        file,
        path: '',
        rule: 'parse',
        message: `not valid HCL: ${String((e as Error).message ?? e).split('\n')[0]}`,
      });
      continue;
    }
    Object.assign(merged.variable!, json.variable ?? {});
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      merged.resource![type] = { ...(merged.resource![type] ?? {}), ...byName };
    }
  }
  if (names.length === 0)
    findings.push({ file: dir, path: '', rule: 'parse', message: 'no .tf files in the module folder' });
  return { files: names.map((n) => join(dir, n)), merged, findings };
}

export async function checkTerraformModule(dir: string, cloud: Cloud): Promise<Finding[]> {
  const { merged, findings } = await parseModule(dir);
  const resources = merged.resource ?? {};
  const defaults = new Map<string, string>();
  for (const [n, blocks] of Object.entries(merged.variable ?? {})) {
    const d = first(blocks)?.default;
    if (typeof d === 'string') defaults.set(n, d);
  }
  for (const alternatives of REQUIRED_RESOURCES[cloud]) {
    if (!alternatives.some((t) => resources[t] && Object.keys(resources[t]!).length > 0)) {
      findings.push({
        file: dir,
        path: `resource.${alternatives[0]}`,
        rule: 'tf-missing-resource',
        message: `the ${cloud.toUpperCase()} module must declare a resource of type ${alternatives.join(' or ')}; none found`,
      });
    }
  }
  for (const type of ['kubernetes_daemon_set_v1', 'kubernetes_daemonset']) {
    for (const [name, blocks] of Object.entries(resources[type] ?? {})) {
      const podSpec = first(first(first(first(blocks)?.spec)?.template)?.spec);
      const containers = Array.isArray(podSpec?.container)
        ? (podSpec.container as Record<string, unknown>[]).map((c) => containerFromHcl(c, defaults))
        : [];
      findings.push(
        ...checkQemuContainers(dir, `resource.${type}.${name}.spec.template.spec.container`, containers),
      );
    }
  }
  return findings;
}
