// Validator rule files and the rules log: the reference validator's files pass the
// schema and its log agrees; its defect and hand-made bad files are reported with
// path / expected / actual, and log disagreements are named both ways.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installValidator, RULES_DIR, RULES_LOG } from '../../reference/trace/validator.ts';
import { LocalNamespace } from '../../harness/trace/source.ts';
import { checkRuleFiles, readRulesLog, rulesLogDisagreements } from '../../harness/trace/validator-rules.ts';

function ns(defect?: string): { root: string; reader: LocalNamespace } {
  const root = mkdtempSync(join(tmpdir(), 'trace-validator-'));
  installValidator(root, { defect, t0: 1_700_000_000_000 });
  return { root, reader: new LocalNamespace(root) };
}

describe('validator rule files', () => {
  it('the reference rules are schema-valid and the rules log reports nothing', async () => {
    const { reader } = ns();
    const check = await checkRuleFiles(reader, RULES_DIR);
    expect(check.files.length).toBeGreaterThanOrEqual(3);
    expect(check.rules).toBeGreaterThan(check.files.length - 1);
    expect(check.problems).toEqual([]);
    const log = await readRulesLog(reader, RULES_LOG);
    expect(log).toMatchObject({ exists: true, errors: [], unreadable: [] });
    expect(rulesLogDisagreements(check, log)).toEqual([]);
  });

  it('validator-rule-no-window: the missing window is found and the silent log disagrees', async () => {
    const { reader } = ns('validator-rule-no-window');
    const check = await checkRuleFiles(reader, RULES_DIR);
    expect(check.problems).toEqual([
      {
        file: `${RULES_DIR}/consensus.json`,
        path: 'activation_window',
        expected: 'a value (required)',
        actual: 'nothing',
      },
    ]);
    const log = await readRulesLog(reader, RULES_LOG);
    expect(log.errors).toEqual([]);
    expect(rulesLogDisagreements(check, log)).toEqual([
      `${RULES_DIR}/consensus.json breaks the rule schema but the validator's log does not name it`,
    ]);
  });

  it('names the rule inside an array, bad JSON, a reversed window, and log lines that do not fit', async () => {
    const { root, reader } = ns();
    const dir = join(root, 'etc/validator/rules');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    writeFileSync(
      join(dir, 'nested/pair.json'),
      JSON.stringify([
        { version: '1', activation_window: { start: 5 }, source: 's' },
        { version: 'v2', activation_window: { start: 9, end: 3 }, source: 's' },
      ]),
    );
    writeFileSync(join(dir, 'broken.json'), '{"version": ');
    writeFileSync(
      join(dir, 'reversed.json'),
      JSON.stringify({ version: '1', activation_window: { start: 9, end: 3 }, source: 's' }),
    );
    const check = await checkRuleFiles(reader, RULES_DIR);
    const byFile = (f: string) => check.problems.filter((p) => p.file === `${RULES_DIR}/${f}`);
    expect(byFile('nested/pair.json').map((p) => p.path)).toEqual(['[1].version']);
    expect(byFile('broken.json')).toMatchObject([{ path: '(root)', expected: 'a JSON rule file' }]);
    expect(byFile('reversed.json')).toMatchObject([
      { path: 'activation_window.end', expected: 'at least start (9)', actual: 'integer 3' },
    ]);

    appendFileSync(join(root, 'log/validation_rules.log'), 'plain text error\n');
    appendFileSync(
      join(root, 'log/validation_rules.log'),
      JSON.stringify({ file: `${RULES_DIR}/trace-path.json`, error: 'x' }) + '\n',
    );
    appendFileSync(
      join(root, 'log/validation_rules.log'),
      JSON.stringify({ file: '/etc/validator/rules/gone.json', error: 'y' }) + '\n',
    );
    const log = await readRulesLog(reader, RULES_LOG);
    expect(log.unreadable).toEqual([{ line: 1, text: 'plain text error' }]);
    const d = rulesLogDisagreements(check, log);
    expect(d.filter((x) => x.includes('trace-path.json'))).toEqual([
      expect.stringMatching(/calls .*trace-path\.json bad .* schema-valid/),
    ]);
    expect(d.filter((x) => x.includes('gone.json'))).toEqual([
      expect.stringMatching(/not one of the rule files/),
    ]);
    expect(d.filter((x) => x.includes('does not name it'))).toHaveLength(3);
  });

  it('a missing rules log reads as no errors', async () => {
    const root = mkdtempSync(join(tmpdir(), 'trace-validator-'));
    expect(await readRulesLog(new LocalNamespace(root), RULES_LOG)).toEqual({
      exists: false,
      errors: [],
      unreadable: [],
    });
  });
});
