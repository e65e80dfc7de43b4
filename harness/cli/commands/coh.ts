import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';

export function registerCoh(program: Command): void {
  const coh = program.command('coh').description('upstream `.coh` console scripts');
  coh
    .command('check')
    .description(
      'validate .coh scripts offline (syntax, 256-line and WAIT caps, unknown commands and placeholders); ' +
        'exit 0 clean, 1 problems (each file:line: problem), 2 usage or unreadable file',
    )
    .argument('<files...>', '.coh scripts to check')
    .action(async (files: string[]) => {
      const { lintFile } = await import('../../coh/lint.ts');
      let bad = 0;
      let problems = 0;
      const unreadable: string[] = [];
      for (const f of files) {
        let r;
        try {
          r = lintFile(f);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          unreadable.push(`${f}: cannot read the script (${err.code ?? err.message})`);
          continue;
        }
        for (const p of r.problems) process.stdout.write(`${f}:${p.line}: ${p.problem}\n`);
        if (r.problems.length) bad++;
        problems += r.problems.length;
      }
      // every readable file is still checked; an unreadable one makes it a usage error
      if (unreadable.length)
        throw new UsageError(`${unreadable.join('\n')}\n  fix: give readable .coh files`);
      process.stdout.write(
        bad
          ? `${problems} problem${problems === 1 ? '' : 's'} in ${bad} of ${files.length} script${files.length === 1 ? '' : 's'}\n`
          : `${files.length} script${files.length === 1 ? '' : 's'} OK\n`,
      );
      process.exitCode = bad ? 1 : 0;
    });
}
