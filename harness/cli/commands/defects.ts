import type { Command } from 'commander';
import { defects } from '../../target/reference-defects.ts';

export function registerDefects(program: Command): void {
  program
    .command('defects')
    .description("list the reference target's defect modes and the case that must catch each")
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) => {
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
