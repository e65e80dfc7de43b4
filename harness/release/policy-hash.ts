// The bundle's generated policies and the root-task manifest hash. Per the
// release's docs/SECURITY.md (cohsh-console.md), out/coh_policy.toml and
// out/cohsh_policy.toml carry the hash of the compiled root-task manifest as
// `manifest_sha256`, the value /proc/boot prints as `manifest.sha256`: these
// places should agree. Read where the target starts (plain data for workers);
// compared by the /proc/boot case.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';

export const POLICY_FILES = ['out/coh_policy.toml', 'out/cohsh_policy.toml'] as const;
/** policy files are a few KB; a bigger one is not what the release ships */
const MAX_POLICY_BYTES = 1024 * 1024;

export interface PolicyHash {
  /** bundle-relative file */
  file: string;
  /** the manifest_sha256 it carries, lower-case */
  manifestSha256?: string;
  /** why no value could be read (not TOML, no key, two different values) */
  problem?: string;
}

/** every `manifest_sha256` value in the document, wherever its table is, with its dotted key */
function findKey(doc: unknown, at: string[] = []): { key: string; value: unknown }[] {
  if (doc === null || typeof doc !== 'object') return [];
  return Object.entries(doc as Record<string, unknown>).flatMap(([k, v]) =>
    k === 'manifest_sha256' ? [{ key: [...at, k].join('.'), value: v }] : findKey(v, [...at, k]),
  );
}

export function readPolicyHash(bundleDir: string, file: string): PolicyHash {
  const path = join(bundleDir, file);
  const size = statSync(path).size;
  if (size > MAX_POLICY_BYTES)
    return { file, problem: `${size} bytes, more than the ${MAX_POLICY_BYTES} a policy file may have` };
  let doc: unknown;
  try {
    doc = parseToml(readFileSync(path, 'utf8'));
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    return { file, problem: `not TOML (line ${e.line}, column ${e.column}): ${e.message.split('\n')[0]}` };
  }
  const found = findKey(doc);
  if (found.length === 0) return { file, problem: 'carries no manifest_sha256' };
  const bad = found.find((f) => typeof f.value !== 'string' || !/^[0-9a-fA-F]{64}$/.test(f.value));
  if (bad) return { file, problem: `${bad.key} = ${JSON.stringify(bad.value)} is not 64 hex digits` };
  const values = [...new Set(found.map((f) => (f.value as string).toLowerCase()))];
  if (values.length > 1)
    return {
      file,
      problem: `carries ${values.length} different manifest_sha256 values (${found.map((f) => f.key).join(', ')})`,
    };
  return { file, manifestSha256: values[0] };
}

/** the policy files the bundle has (a bundle without them is not cross-checked) */
export function readPolicyHashes(bundleDir: string): PolicyHash[] {
  return POLICY_FILES.filter((f) => existsSync(join(bundleDir, f))).map((f) => readPolicyHash(bundleDir, f));
}

/** sentences naming each place that disagrees with /proc/boot's manifest.sha256 */
export function policyDrift(procBootSha256: string, policies: readonly PolicyHash[]): string[] {
  const want = procBootSha256.toLowerCase();
  return policies.flatMap((p) =>
    p.problem
      ? [`${p.file}: ${p.problem}, so /proc/boot's manifest.sha256=${want} cannot be confirmed`]
      : p.manifestSha256 !== want
        ? [`${p.file} says manifest_sha256 = ${p.manifestSha256}, /proc/boot says manifest.sha256=${want}`]
        : [],
  );
}
