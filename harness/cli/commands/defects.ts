import type { Command } from 'commander';

export function registerDefects(program: Command): void {
  program
    .command('defects')
    .description("list the reference target's defect modes and the case that must catch each")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      // loaded on use: the defect list imports every reference service (gRPC, S3, …)
      const { defects } = await import('../../target/reference-defects.ts');
      if (opts.json) {
        process.stdout.write(JSON.stringify(defects, null, 2) + '\n');
        return;
      }
      for (const d of defects) {
        process.stdout.write(
          `${d.name}\n  caught by: ${d.suite} › ${d.caseTitle}\n  reproduces: ${d.summary}\n`,
        );
      }
    });
}
