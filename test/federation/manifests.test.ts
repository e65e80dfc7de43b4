import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDaemonSetYaml } from '../../harness/federation/manifests/daemonset.ts';
import { checkDeployTree } from '../../harness/federation/manifests/deploy-tree.ts';
import { checkQemuContainers, containerArgv } from '../../harness/federation/manifests/qemu-pod.ts';
import { shellWords } from '../../harness/federation/manifests/shell-words.ts';
import { checkTerraformModule, type Cloud } from '../../harness/federation/manifests/terraform.ts';

const DEPLOY = fileURLToPath(new URL('../../reference/federation/deploy/', import.meta.url));
const expected = JSON.parse(readFileSync(join(DEPLOY, 'defects', 'expected.json'), 'utf8')) as {
  daemonsets: Record<string, string[]>;
  terraform: Record<string, { cloud: Cloud; rules: string[] }>;
};

describe('deployment samples', () => {
  it('the shipped DaemonSet and Terraform modules have no findings', async () => {
    const r = await checkDeployTree(DEPLOY);
    expect(r).toEqual({ daemonset: [], terraform: { eks: [], gke: [] } });
  });

  it('every DaemonSet defect variant is listed, and caught by exactly its rules', () => {
    const files = readdirSync(join(DEPLOY, 'defects')).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(expected.daemonsets).sort());
    for (const f of files) {
      const rules = [
        ...new Set(
          checkDaemonSetYaml(f, readFileSync(join(DEPLOY, 'defects', f), 'utf8')).map((x) => x.rule),
        ),
      ];
      expect({ f, rules }).toEqual({ f, rules: expected.daemonsets[f] });
    }
  });

  it('every Terraform defect variant is caught by exactly its rules', async () => {
    for (const [m, { cloud, rules }] of Object.entries(expected.terraform)) {
      const got = [
        ...new Set((await checkTerraformModule(join(DEPLOY, 'defects', m), cloud)).map((x) => x.rule)),
      ];
      expect({ m, got }).toEqual({ m, got: rules });
    }
  });
});

describe('manifest checks on bad input', () => {
  it('reports YAML that does not parse and documents that are not DaemonSets', () => {
    expect(checkDaemonSetYaml('x.yaml', 'a: [1, 2').map((f) => f.rule)).toEqual(['parse']);
    expect(
      checkDaemonSetYaml('x.yaml', 'apiVersion: apps/v1\nkind: Deployment\n').map((f) => f.rule),
    ).toEqual(['kind']);
  });

  it('reports a pod with no QEMU container', () => {
    expect(
      checkQemuContainers('f', '/c', [{ name: 'x', command: ['sleep', '1'] }]).map((f) => f.rule),
    ).toEqual(['qemu-missing']);
  });

  it('reports an HCL file that does not parse, and a module folder that does not exist', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fed-tf-'));
    try {
      writeFileSync(join(dir, 'main.tf'), 'resource "aws_eks_cluster" {{{\n');
      const rules = (await checkTerraformModule(dir, 'eks')).map((f) => f.rule);
      expect(rules[0]).toBe('parse');
      expect((await checkTerraformModule(join(dir, 'none'), 'gke'))[0]!.message).toMatch(
        /cannot read the module folder/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('splits sh -c command strings and expands $(VAR) from the container env', () => {
    expect(shellWords(`qemu -append "COHROLE=DroneWorker console=ttyS0" -x 'a b' c\\ d`)).toEqual([
      'qemu',
      '-append',
      'COHROLE=DroneWorker console=ttyS0',
      '-x',
      'a b',
      'c d',
    ]);
    expect(containerArgv({ command: ['/bin/sh', '-c', 'qemu-system-x86_64 -m 2G'] })).toEqual([
      'qemu-system-x86_64',
      '-m',
      '2G',
    ]);
    const ok = checkQemuContainers('f', '/c', [
      {
        command: [
          'qemu-system-x86_64',
          '-m',
          '2G',
          '-kernel',
          '/assets/cohesix.efi',
          '-append',
          'COHROLE=$(R)',
        ],
        env: [{ name: 'R', value: 'SensorRelay' }],
        securityContext: { privileged: true },
      },
    ]);
    expect(ok).toEqual([]);
  });
});
