// A deployment tree as shipped: `daemonset.yaml` plus Terraform modules under
// `terraform/eks` and `terraform/gke`. One call checks all of it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkDaemonSetYaml } from './daemonset.ts';
import type { Finding } from './finding.ts';
import { checkTerraformModule, type Cloud } from './terraform.ts';

export interface DeployTreeReport {
  daemonset: Finding[];
  terraform: Record<Cloud, Finding[]>;
}

export async function checkDeployTree(dir: string): Promise<DeployTreeReport> {
  const file = join(dir, 'daemonset.yaml');
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return {
      daemonset: [{ file, path: '', rule: 'parse', message: `cannot read: ${(e as Error).message}` }],
      terraform: {
        eks: await checkTerraformModule(join(dir, 'terraform', 'eks'), 'eks'),
        gke: await checkTerraformModule(join(dir, 'terraform', 'gke'), 'gke'),
      },
    };
  }
  return {
    daemonset: checkDaemonSetYaml(file, text),
    terraform: {
      eks: await checkTerraformModule(join(dir, 'terraform', 'eks'), 'eks'),
      gke: await checkTerraformModule(join(dir, 'terraform', 'gke'), 'gke'),
    },
  };
}
