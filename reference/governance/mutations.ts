// How each governance defect changes the materialized sample tree.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

type Mutation = (root: string) => void;

function edit(root: string, file: string, change: (text: string) => string): void {
  const p = join(root, file);
  const before = readFileSync(p, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`defect mutation did not change ${file}: the sample tree moved on`);
  writeFileSync(p, after);
}

export const governanceMutations: Record<string, Mutation> = {
  'governance-missing-header': (root) =>
    edit(root, 'src/trace/recorder.rs', (t) =>
      t
        .split('\n')
        .filter((l) => !/^\/\/ (CLASSIFICATION|Filename|Author|Date Modified):/.test(l))
        .join('\n'),
    ),
  'governance-unregistered-file': (root) => {
    const file = join(root, 'src/annex/fallback.rs');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      [
        '// CLASSIFICATION: COMMUNITY',
        '// Filename: fallback.rs v0.1',
        '// Author: Lukas Bower',
        '// Date Modified: 2029-03-20',
        '',
        '//! CPU fallback for CUDA jobs when the annex is unreachable.',
        'pub fn run_on_cpu(job: &[u8]) -> usize { job.len() }',
        '',
      ].join('\n'),
    );
  },
  'governance-version-mismatch': (root) =>
    edit(root, 'src/secure9p/policy.rs', (t) =>
      t.replace('Filename: policy.rs v1.2', 'Filename: policy.rs v1.3'),
    ),
  'governance-gpl-dependency': (root) =>
    edit(root, 'sbom.cdx.json', (t) =>
      t.replace(
        '"components": [',
        '"components": [\n    { "type": "library", "name": "readline-sys", "version": "8.2.0", "licenses": [{ "license": { "id": "GPL-3.0-only" } }] },',
      ),
    ),
  'governance-placeholder': (root) =>
    edit(root, 'src/main.rs', (t) =>
      t.replace(
        '    println!("Cohesix init complete");',
        '    mount_namespace();\n    println!("Cohesix init complete");\n}\n\nfn mount_namespace() {\n    todo!()',
      ),
    ),
  'governance-stale-threat-model': (root) =>
    edit(root, 'docs/security/THREAT_MODEL.md', (t) =>
      t.replace(/\| 2029-03-16 \|[^\n]*\n/, '').replace('| 2028-12-15 |', '| 2028-11-02 |'),
    ),
  'governance-sla-breach': (root) =>
    edit(root, 'security/advisories.json', (t) =>
      t.replace('"resolved": "2029-01-30T16:00:00Z"', '"resolved": "2029-02-13T16:00:00Z"'),
    ),
};
