// The boot budget walks under one name, budgetMs, from the config file
// (boot.budgetMs) through the real CLI to results.json (the measurement and its
// boot report) and the GitHub job summary; a budget below the measured boot
// fails the cold-boot case with a sentence naming that budget.
import { describe, expect, test } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../../helpers/cli.ts';
import type { RunResults } from '../../../harness/results/model.ts';

const COLD_BOOT = 'boot: cold boot > reaches the boot stage within budget over N cold boots';

async function runWithBudget(budgetMs: number, extra: string[] = []) {
  const dir = tempDir('cqa-budget-walk-');
  const config = join(dir, 'cohesix-qa.config.json');
  writeFileSync(config, JSON.stringify({ boot: { budgetMs, bootRuns: 2 } }));
  const out = join(dir, 'out');
  const summary = join(dir, 'summary.md');
  writeFileSync(summary, '');
  // only the cold-boot case: the walk is about its measurement
  const only = ['--suite', 'boot', '--grep', 'cold boot'];
  const r = await cli(
    ['run', ...only, '--reporter', 'json,github', '--config', config, '--out', out, ...extra],
    {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: join(dir, 'outputs') },
    },
  );
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResults;
  const measurement = results.measurements.find((m) => m.caseId.endsWith(COLD_BOOT));
  const coldBoot = results.cases.find((c) => c.fullTitle === COLD_BOOT);
  return { r, results, measurement, coldBoot, summary: readFileSync(summary, 'utf8') };
}

/** the GitHub summary's measurement table: its header and the cold boot's row */
function summaryRow(summary: string, name: string): { header: string; row: string } {
  const header = /<h3>Measurements<\/h3><table><tr>(.*?)<\/tr>/.exec(summary)?.[1] ?? '';
  const row = summary.split('\n').find((l) => l.startsWith(`<tr><td>${name}</td>`)) ?? '';
  return { header, row };
}

describe('boot.budgetMs from config to results.json and the GitHub summary', () => {
  test('a configured budget arrives under the same name and value, and is met', async () => {
    const { r, measurement, coldBoot, summary } = await runWithBudget(4321);
    expect(coldBoot?.status, r.stdout + r.stderr).toBe('passed');
    expect(measurement).toMatchObject({
      unit: 'ms',
      budgetMs: 4321,
      statistic: 'median',
      withinBudget: true,
    });
    expect(measurement?.detail).toMatchObject({ budgetMs: 4321, withinBudget: true });
    const { header, row } = summaryRow(summary, measurement!.name);
    expect(header).toContain('<th>budgetMs</th>');
    expect(row).toContain('<td>4321 ms (median) ✅</td>');
    expect(r.exitCode).toBe(0);
  }, 240_000);

  test('a budget below the measured boot fails the case with a sentence naming the budget (one boot: --boot-runs over the config)', async () => {
    // --boot-runs is laid over the config's bootRuns (2) in the loaded config
    const { r, measurement, coldBoot, summary } = await runWithBudget(0.01, ['--boot-runs', '1']);
    expect(measurement).toMatchObject({ budgetMs: 0.01, withinBudget: false });
    expect(measurement?.samples).toHaveLength(1);
    expect(measurement?.detail).toMatchObject({ budgetMs: 0.01, withinBudget: false });
    expect(coldBoot?.status).toBe('failed');
    expect(coldBoot?.error?.message).toMatch(
      /^median cold boot to "boot_ok" is [\d.]+ ms over 1 sample, over the budget boot\.budgetMs = 0\.01 ms/,
    );
    expect(summaryRow(summary, measurement!.name).row).toContain('<td>0.01 ms (median) ❌</td>');
    expect(r.exitCode).toBe(1);
  }, 240_000);
});
