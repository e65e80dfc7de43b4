// Deployment: the DaemonSet that runs Cohesix as QEMU pods and the Terraform modules
// that provision EKS/GKE for it, checked against the Kubernetes schemas and the contract.
import { describe, expect, test } from '../../harness/fixtures.ts';

const SCHEMA_RULES = new Set(['parse', 'kind', 'k8s-schema']);

describe('deployment manifests', () => {
  test('the DaemonSet is a valid Kubernetes DaemonSet', async ({ federation }) => {
    const r = await federation.deploy.check();
    expect(r.daemonset.filter((f) => SCHEMA_RULES.has(f.rule))).toEqual([]);
  });

  test('the DaemonSet runs QEMU privileged with the contract command line', async ({ federation }) => {
    const r = await federation.deploy.check();
    expect(r.daemonset.filter((f) => f.rule.startsWith('qemu-'))).toEqual([]);
  });

  test('the Terraform modules declare the resources the contract names', async ({ federation }) => {
    const r = await federation.deploy.check();
    expect(r.terraform).toEqual({ eks: [], gke: [] });
  });

  test('every shipped defect variant is caught by exactly its rules', async ({ federation }) => {
    const variants = await federation.deploy.checkDefectVariants();
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants)
      expect({ variant: v.variant, rules: v.got }).toEqual({ variant: v.variant, rules: v.expected });
  });
});
