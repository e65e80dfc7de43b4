// Kubernetes DaemonSet manifests: every document of a YAML file validated against the
// Kubernetes OpenAPI schemas shipped (compiled, offline) by the kubernetes-models
// package, then the Cohesix QEMU container checked against the contract.
import { parseAllDocuments } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { Finding } from './finding.ts';
import { checkQemuContainers, type ContainerLike } from './qemu-pod.ts';

interface AjvLikeError {
  instancePath?: string;
  message?: string;
}

export function validateDaemonSetObject(file: string, doc: unknown, docPath = ''): Finding[] {
  const d = doc as {
    kind?: unknown;
    apiVersion?: unknown;
    spec?: { template?: { spec?: { containers?: unknown } } };
  };
  if (d?.kind !== 'DaemonSet' || d?.apiVersion !== 'apps/v1') {
    return [
      {
        file,
        path: docPath,
        rule: 'kind',
        message: `expected apiVersion apps/v1, kind DaemonSet; found ${String(d?.apiVersion)}, ${String(d?.kind)}`,
      },
    ];
  }
  const out: Finding[] = [];
  try {
    new DaemonSet(doc as ConstructorParameters<typeof DaemonSet>[0]).validate();
  } catch (e) {
    const errors = (e as { errors?: AjvLikeError[] }).errors;
    if (!errors) throw e;
    for (const err of errors) {
      out.push({
        file,
        path: `${docPath}${err.instancePath ?? ''}`,
        rule: 'k8s-schema',
        message: err.message ?? 'invalid',
      });
    }
    return out;
  }
  const containers = d.spec?.template?.spec?.containers;
  out.push(
    ...checkQemuContainers(
      file,
      `${docPath}/spec/template/spec/containers`,
      Array.isArray(containers) ? (containers as ContainerLike[]) : [],
    ),
  );
  return out;
}

/** Every document of a manifest file; documents that are not DaemonSets are findings too (the file should hold only the DaemonSet). */
export function checkDaemonSetYaml(file: string, text: string): Finding[] {
  const docs = parseAllDocuments(text);
  const out: Finding[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const prefix = list.length > 1 ? `#${i}` : '';
    if (doc.errors.length > 0) {
      out.push({ file, path: prefix, rule: 'parse', message: doc.errors.map((e) => e.message).join('; ') });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    out.push(...validateDaemonSetObject(file, value, prefix));
  });
  if (list.length === 0) out.push({ file, path: '', rule: 'parse', message: 'no YAML document found' });
  return out;
}
