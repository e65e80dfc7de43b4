// Facts that make a run traceable: which harness, which commit, which target.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import { runCommand } from '../process/spawn.ts';
import type { Provenance } from '../results/events.ts';
import type { TargetDescriptor } from '../target/types.ts';

export function harnessVersion(): string {
  return (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export async function gitCommit(): Promise<string | undefined> {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA;
  const r = await runCommand('git', ['rev-parse', 'HEAD'], { timeoutMs: 5000, cwd: process.cwd() });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

export async function provenanceFor(target: TargetDescriptor): Promise<Provenance> {
  const p: Provenance = {
    harnessVersion: harnessVersion(),
    gitCommit: await gitCommit(),
    targetKind: target.kind,
    targetName: target.name,
    defect: target.defect,
    node: process.version,
    host: hostname(),
    ...(target.provenance ?? {}),
  };
  // absent facts are left out, not written as undefined
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Provenance;
}
