// The workflows and the composite action validate against GitHub's schemas
// (action-validator, which checks them against SchemaStore's definitions).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'yaml';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../harness/paths.ts';

const require = createRequire(import.meta.url);
const validator = require('@action-validator/core') as {
  validateWorkflow(src: string): { errors: unknown[] };
  validateAction(src: string): { errors: unknown[] };
};

const dir = join(PROJECT_ROOT, '.github/workflows');

describe('GitHub workflow files', () => {
  it.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))('%s is a valid workflow', (f) => {
    expect(validator.validateWorkflow(readFileSync(join(dir, f), 'utf8')).errors).toEqual([]);
  });

  it('action.yml is a valid composite action with the documented outputs', () => {
    const src = readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8');
    expect(validator.validateAction(src).errors).toEqual([]);
    for (const out of ['passed', 'failed', 'status']) expect(src).toMatch(new RegExp(`^  ${out}:`, 'm'));
  });

  it('action.yml hands bundle, history and shard to the CLI as flags `cohesix-qa run` knows', async () => {
    const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
      inputs: Record<string, unknown>;
      runs: { steps: Array<{ id?: string; env?: Record<string, string>; run?: string }> };
    };
    const step = action.runs.steps.find((s) => s.id === 'run')!;
    const help = (await execa(process.execPath, [join(PROJECT_ROOT, 'bin/cohesix-qa.js'), 'run', '--help']))
      .stdout;
    for (const [input, flag] of [
      ['bundle', '--bundle'],
      ['history', '--history'],
      ['shard', '--shard'],
    ] as const) {
      expect(Object.keys(action.inputs), `action.yml has a "${input}" input`).toContain(input);
      const env = `INPUT_${input.toUpperCase()}`;
      expect(step.env?.[env], `the run step's ${env} comes from inputs.${input}`).toBe(
        `\${{ inputs.${input} }}`,
      );
      expect(step.run, `the run step passes ${env} as ${flag}`).toContain(`args+=(${flag} "$${env}")`);
      expect(help, `cohesix-qa run --help lists ${flag}`).toContain(flag);
    }
  });

  it("the action's run step builds the command line and one artifact name per shard", async () => {
    const action = parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as {
      runs: { steps: Array<{ id?: string; run?: string }> };
    };
    const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
    try {
      // a stand-in CLI that prints the arguments it was given
      mkdirSync(join(dir, 'bin'));
      writeFileSync(join(dir, 'bin/cohesix-qa.js'), 'console.log(JSON.stringify(process.argv.slice(2)))\n');
      const out = join(dir, 'github-output');
      const r = await execa('/bin/bash', ['-e', '-c', action.runs.steps.find((s) => s.id === 'run')!.run!], {
        env: {
          GITHUB_ACTION_PATH: dir,
          GITHUB_OUTPUT: out,
          INPUT_TARGET: 'release',
          INPUT_OUT: 'qa-results',
          INPUT_CONFIG: '',
          INPUT_SUITES: 'release',
          INPUT_BUNDLE: 'out/bundle',
          INPUT_HISTORY: '.cohesix-qa/history.db',
          INPUT_SHARD: '1/2',
        },
      });
      expect(JSON.parse(r.stdout)).toEqual([
        'run',
        '--target',
        'release',
        '--out',
        'qa-results',
        '--reporter',
        'console,github,junit,tap,html',
        '--suite',
        'release',
        '--bundle',
        'out/bundle',
        '--history',
        '.cohesix-qa/history.db',
        '--shard',
        '1/2',
      ]);
      expect(readFileSync(out, 'utf8')).toBe('artifact=cohesix-qa-results-1-of-2\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the example workflow for a Cohesix repository is valid and uses only inputs action.yml declares', () => {
    const src = readFileSync(join(PROJECT_ROOT, 'docs/ci/cohesix-repo-workflow.yml'), 'utf8');
    expect(validator.validateWorkflow(src).errors).toEqual([]);
    const inputs = Object.keys(
      (parse(readFileSync(join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs: object }).inputs,
    );
    const wf = parse(src) as {
      jobs: Record<string, { needs?: string; steps: Array<{ uses?: string; with?: object }> }>;
    };
    const qa = Object.values(wf.jobs)
      .flatMap((j) => j.steps)
      .filter((s) => s.uses?.startsWith('cohesix/cohesix-qa@'));
    expect(qa.length, 'the example runs the cohesix-qa action').toBeGreaterThan(0);
    for (const s of qa)
      for (const k of Object.keys(s.with ?? {})) expect(inputs, `input "${k}"`).toContain(k);
    // build first, then cohesix-qa on what it built
    expect(wf.jobs.qa?.needs).toBe('build');
  });

  it('the validator does reject a broken workflow', () => {
    expect(
      validator.validateWorkflow('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: 7\n').errors
        .length,
    ).toBeGreaterThan(0);
  });
});
