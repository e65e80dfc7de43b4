import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cli, tempDir } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../../harness/paths.ts';

const SAMPLE = join(PROJECT_ROOT, 'reference', 'federation', 'sample');
const DEPLOY = join(PROJECT_ROOT, 'reference', 'federation', 'deploy');

describe('cohesix-qa federation', () => {
  it('resolve prints each queen and exits 0 on the clean sample', async () => {
    const r = await cli([
      'federation',
      'resolve',
      join(SAMPLE, 'federation'),
      '--admin',
      join(SAMPLE, 'admin_rules.json'),
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/na-east \(chain queen-primary > na-east\)/);
    expect(r.stdout).toMatch(/glasses_agent: read:\/input\/cam {2}\[admin rule\]/);
    expect(r.stdout).toMatch(/3 queens resolved, 0 issues/);
  });

  it('manifests exits 1 and names the finding for a defect tree, 2 for a missing folder', async () => {
    const ok = await cli(['federation', 'manifests', DEPLOY]);
    expect([ok.exitCode, ok.stdout.trim()]).toEqual([0, '0 findings']);
    const tree = tempDir('fed-cli-');
    try {
      cpSync(DEPLOY, tree, { recursive: true });
      const ds = join(tree, 'daemonset.yaml');
      writeFileSync(ds, readFileSync(ds, 'utf8').replace('privileged: true', 'privileged: false'));
      const bad = await cli(['federation', 'manifests', tree]);
      expect(bad.exitCode).toBe(1);
      expect(bad.stdout).toMatch(/daemonset\.yaml .*\[qemu-privileged\]/);
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
    const missing = await cli(['federation', 'manifests', join(DEPLOY, 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no such folder/);
  });
});
