// The workflows and the composite action validate against GitHub's schemas
// (action-validator, which checks them against SchemaStore's definitions).
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
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

  it('the validator does reject a broken workflow', () => {
    expect(
      validator.validateWorkflow('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: 7\n').errors
        .length,
    ).toBeGreaterThan(0);
  });
});
