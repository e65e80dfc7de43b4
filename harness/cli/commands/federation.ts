// `cohesix-qa federation resolve|manifests`: the federation checkers as tools, for a
// federation snapshot folder or a deployment tree on disk. Exit 0 when clean, 1 when
// the checker found issues, 2 for bad arguments.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { UsageError } from '../../errors.ts';

export function registerFederation(program: Command): void {
  const fed = program
    .command('federation')
    .description('federation policy resolution and deployment manifest checks');

  fed
    .command('resolve')
    .description(
      'resolve the effective policy of every queen of a federation snapshot folder (<dir>/<peer>/policy_override.json, <dir>/<peer>/queen_id/role)',
    )
    .argument('<dir>', 'the federation snapshot folder')
    .option('--admin <file>', 'administrator rules (schemas/federation-admin-rules.schema.json)')
    .option('--json', 'print the resolution as JSON')
    .action(async (dir: string, opts: { admin?: string; json?: boolean }) => {
      if (!existsSync(dir))
        throw new UsageError(`${dir}: no such folder\n  fix: give a folder holding one sub-folder per peer`);
      const [{ checkFederation }, { folderSource }, { loadAdminRules }] = await Promise.all([
        import('../../federation/check.ts'),
        import('../../federation/source.ts'),
        import('../../federation/load.ts'),
      ]);
      let rules;
      try {
        rules = opts.admin ? (await loadAdminRules(opts.admin)).rules : [];
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const r = await checkFederation(folderSource(dir), rules);
      if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        for (const q of Object.values(r.queens)) {
          process.stdout.write(`${q.queen_id} (chain ${q.chain.join(' > ')})\n`);
          for (const [agent, p] of Object.entries(q.agents)) {
            const from =
              p.source.kind === 'admin' ? 'admin rule' : `${p.source.queen_id} @ ${p.source.timestamp}`;
            process.stdout.write(`  ${agent}: ${p.allow.join(' ') || '(nothing)'}  [${from}]\n`);
          }
        }
        for (const i of r.issues) process.stdout.write(`issue: ${JSON.stringify(i)}\n`);
        process.stdout.write(`${Object.keys(r.queens).length} queens resolved, ${r.issues.length} issues\n`);
      }
      if (r.issues.length > 0) process.exitCode = 1;
    });

  fed
    .command('manifests')
    .description(
      'check a deployment tree: daemonset.yaml against the Kubernetes schemas and the QEMU pod contract, terraform/eks and terraform/gke for the required resources',
    )
    .argument('<dir>', 'the deployment tree')
    .action(async (dir: string) => {
      if (!existsSync(dir))
        throw new UsageError(
          `${dir}: no such folder\n  fix: give a folder with daemonset.yaml and terraform/{eks,gke}`,
        );
      const [{ checkDeployTree }, { formatFinding }] = await Promise.all([
        import('../../federation/manifests/deploy-tree.ts'),
        import('../../federation/manifests/finding.ts'),
      ]);
      const r = await checkDeployTree(dir);
      const all = [...r.daemonset, ...r.terraform.eks, ...r.terraform.gke];
      for (const f of all) process.stdout.write(formatFinding(f) + '\n');
      process.stdout.write(`${all.length} findings\n`);
      if (all.length > 0) process.exitCode = 1;
    });
}
