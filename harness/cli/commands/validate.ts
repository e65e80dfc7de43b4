import type { Command } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { UsageError } from '../../errors.ts';
import { SCHEMA_BASE } from '../../schemas/ids.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate a JSON (or JSON Lines) file against one of the schemas/ by $id or short name')
    .requiredOption('--schema <id>', `schema $id or short name (${SCHEMA_BASE}<name>.schema.json)`)
    .argument('<file>', 'the document to check')
    .action(async (file: string, opts: { schema: string }) => {
      if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
      // loaded on use: ajv compiles every schema
      const { validate, formatIssues, schemaIds } = await import('../../schemas/registry.ts');
      const known = schemaIds();
      const text = readFileSync(file, 'utf8');
      const docs: Array<{ where: string; doc: unknown }> = [];
      const asLines = file.endsWith('.jsonl') || file.endsWith('.log');
      const parse = (t: string, where: string) => {
        try {
          return JSON.parse(t) as unknown;
        } catch (e) {
          throw new UsageError(`${where}: not valid JSON: ${(e as Error).message}`);
        }
      };
      if (asLines)
        text
          .split('\n')
          .forEach(
            (l, i) => l.trim() && docs.push({ where: `${file}:${i + 1}`, doc: parse(l, `${file}:${i + 1}`) }),
          );
      else docs.push({ where: file, doc: parse(text, file) });
      let bad = 0;
      for (const d of docs) {
        let issues;
        try {
          issues = validate(opts.schema, d.doc);
        } catch (e) {
          throw new UsageError(
            `--schema ${opts.schema}: ${(e as Error).message.split(':')[0]}\n  fix: use one of ${known.map((k) => k.slice(SCHEMA_BASE.length).replace('.schema.json', '')).join(', ')}`,
          );
        }
        if (issues.length) {
          bad++;
          process.stdout.write(formatIssues(issues, d.where) + '\n');
        }
      }
      process.stdout.write(
        bad
          ? `${bad} of ${docs.length} documents invalid\n`
          : `valid (${docs.length} document${docs.length === 1 ? '' : 's'})\n`,
      );
      process.exitCode = bad ? 1 : 0;
    });
}
