// Facts that make a run traceable: which harness, which commit, which target.
import { hostname } from 'node:os';
import { harnessVersion } from '../version.ts';
import { runCommand } from '../process/spawn.ts';
import type { Provenance } from '../results/events.ts';
import type { TargetDescriptor } from '../target/types.ts';

export { harnessVersion };

export async function gitCommit(): Promise<string | undefined> {
  if (process.env.GITHUB_SHA) return process.env.GITHUB_SHA;
  const r = await runCommand('git', ['rev-parse', 'HEAD'], { timeoutMs: 5000, cwd: process.cwd() });
  return r.exitCode === 0 ? r.stdout.trim() : undefined;
}

/** keys whose values say where a service was reached */
const ENDPOINT_KEY = /(url|address|host|port|root)$/i;
/** keys whose values are never written, whatever they are called */
const SECRET_KEY = /pass|token|secret|credential/i;

/**
 * What was tested: every endpoint value in the resources the suites were bound to, as
 * `<area>.<key path>` (e.g. gui.url, gui.grpcAddress). Taken from the resources, not
 * from what a service said of itself, so the report names exactly what was reached.
 */
export function testedEndpoints(resources: Record<string, unknown>): Record<string, string> {
  const facts: Record<string, string> = {};
  const walk = (value: unknown, path: string, depth: number) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || depth > 3) return;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(key)) continue;
      const at = `${path}.${key}`;
      if ((typeof v === 'string' || typeof v === 'number') && ENDPOINT_KEY.test(key)) facts[at] = String(v);
      else walk(v, at, depth + 1);
    }
  };
  for (const [area, section] of Object.entries(resources)) walk(section, area, 1);
  return facts;
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
    ...testedEndpoints(target.resources),
  };
  // absent facts are left out, not written as undefined
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Provenance;
}
