// Deployment: the DaemonSet that runs Cohesix as QEMU pods and the Terraform modules
// that provision EKS/GKE for it, checked against the Kubernetes schemas and the contract.
import { describe, test } from '../../harness/fixtures.ts';

const SCHEMA_RULES = new Set(['parse', 'kind', 'k8s-schema']);

/** A manifest finding: where, then what. */
const show = (f: { file: string; path: string; message: string }) =>
  `${f.file}${f.path ? ` at ${f.path}` : ''}: ${f.message}`;

describe('deployment manifests', () => {
  test('the DaemonSet is a valid Kubernetes DaemonSet', async ({ federation, problems }) => {
    const r = await federation.deploy.check();
    problems.none(
      r.daemonset.filter((f) => SCHEMA_RULES.has(f.rule)),
      (f) => `the DaemonSet is not a valid Kubernetes DaemonSet (${f.rule}): ${show(f)}`,
    );
  });

  test('the DaemonSet runs QEMU privileged with the contract command line', async ({
    federation,
    problems,
  }) => {
    const r = await federation.deploy.check();
    problems.none(
      r.daemonset.filter((f) => f.rule.startsWith('qemu-')),
      (f) => `the DaemonSet's QEMU container breaks the contract (${f.rule}): ${show(f)}`,
    );
  });

  test('the Terraform modules declare the resources the contract names', async ({ federation, problems }) => {
    const r = await federation.deploy.check();
    for (const [module, findings] of Object.entries(r.terraform))
      problems.none(findings, (f) => `the ${module} Terraform module: ${show(f)}`);
  });

  test('every shipped defect variant is caught by exactly its rules', async ({ federation, problems }) => {
    const variants = await federation.deploy.checkDefectVariants();
    problems.check(
      variants.length > 0,
      'the deploy samples ship no defect variants to check the checker with',
    );
    for (const v of variants)
      problems.check(
        JSON.stringify(v.got) === JSON.stringify(v.expected),
        `the manifest checker catches the defect variant ${v.variant} by exactly its rules`,
        { expected: v.expected, found: v.got },
      );
  });
});
