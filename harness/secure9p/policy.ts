// Loads and validates secure9p.toml: TOML parsed with smol-toml, the result
// checked against schemas/secure9p-policy.schema.json, then the checks a schema
// cannot express (duplicate agents, '.' or '..' in paths, files that must
// exist). Relative file paths are resolved against the policy file. Every
// problem is reported as "<file>: <where>: <what> (fix: ...)".
// The checker's own: the reference server reads policies with its own code
// (reference/secure9p/policy-file.ts, #16); test/secure9p/policy-agreement.test.ts
// holds both to the same files.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { validate as validateSchema, type SchemaIssue } from '../schemas/registry.ts';

export const DEFAULT_SECURE9P_PORT = 5645;
/** Directories whose writes need a capability grant (contract: 9P and Secure9P). */
export const PROTECTED_DIRS = ['/proc', '/mnt', '/srv', '/history'] as const;

export interface CapabilityRule {
  op: 'read' | 'write';
  /** absolute namespace path, normalised, no trailing slash ("/" for the root) */
  path: string;
}

export interface AgentPolicy {
  agent: string;
  /** where the agent's namespace lives in the server's tree; '..' never goes above it */
  root: string;
  readOnly: boolean;
  rules: CapabilityRule[];
}

export interface Secure9pPolicy {
  /** absolute path of the policy file */
  file: string;
  port: number;
  /** absolute paths (resolved against the policy file) */
  cert: string;
  key: string;
  caCert?: string;
  requireClientAuth: boolean;
  agents: Map<string, AgentPolicy>;
}

export class PolicyError extends Error {
  override name = 'PolicyError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: invalid Secure9P policy:\n  - ${problems.join('\n  - ')}`);
  }
}

function fixFor(i: SchemaIssue): string {
  if (i.expected.startsWith('a value (required)')) {
    const key = i.path.split('.').pop()!;
    if (key === 'ca_cert') return 'add ca_cert: it is needed when require_client_auth = true';
    return key === 'policy' ? 'add at least one [[policy]] entry' : `add ${key}`;
  }
  if (i.expected.startsWith('no such property')) return 'remove it or correct its spelling';
  if (i.path.includes('.allow['))
    return 'write a rule as "read:/path" or "write:/path", an absolute path without a trailing slash';
  if (i.path.endsWith('.agent')) return 'use the snake_case agent name, e.g. drone_worker';
  if (i.path === 'port') return 'use a port between 0 and 65535';
  if (i.path === 'policy' || i.path === '(root)') return 'add at least one [[policy]] entry';
  if (i.path.endsWith('.root'))
    return 'use an absolute namespace path without a trailing slash, e.g. /srv/drone';
  return 'see schemas/secure9p-policy.schema.json';
}

function describeIssue(i: SchemaIssue): string | undefined {
  if (i.expected.startsWith('must match "then"')) return undefined; // the required key it implies is reported on its own
  const what = i.expected.startsWith('must ') ? i.expected : `expected ${i.expected}, found ${i.actual}`;
  return `${i.path}: ${what} (fix: ${fixFor(i)})`;
}

interface RawPolicy {
  port?: number;
  cert: string;
  key: string;
  ca_cert?: string;
  require_client_auth: boolean;
  namespace?: Array<{ agent: string; root: string; read_only?: boolean }>;
  policy: Array<{ agent: string; allow: string[] }>;
}

function hasDotSegment(p: string): boolean {
  return p.split('/').some((s) => s === '.' || s === '..');
}

/** Validate already-parsed policy data; `file` names the source in errors and anchors relative paths. */
export function validatePolicy(
  doc: unknown,
  file: string,
  opts: { checkFiles?: boolean } = {},
): Secure9pPolicy {
  const abs = resolve(file);
  const issues = validateSchema('secure9p-policy', doc);
  if (issues.length)
    throw new PolicyError(
      abs,
      issues.map(describeIssue).filter((x): x is string => x !== undefined),
    );
  const raw = doc as RawPolicy;
  const problems: string[] = [];
  const base = dirname(abs);
  const filePath = (key: 'cert' | 'key' | 'ca_cert', v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const p = isAbsolute(v) ? v : resolve(base, v);
    if (opts.checkFiles !== false && !existsSync(p))
      problems.push(
        `${key}: file ${JSON.stringify(v)} does not exist (resolved to ${p}) (fix: paths are relative to the policy file)`,
      );
    return p;
  };
  const cert = filePath('cert', raw.cert)!;
  const key = filePath('key', raw.key)!;
  const caCert = filePath('ca_cert', raw.ca_cert);
  const agents = new Map<string, AgentPolicy>();
  (raw.namespace ?? []).forEach((ns, i) => {
    if (agents.has(ns.agent))
      problems.push(
        `namespace[${i}].agent: agent "${ns.agent}" has a second [[namespace]] entry (fix: keep one)`,
      );
    if (hasDotSegment(ns.root))
      problems.push(
        `namespace[${i}].root: "${ns.root}" contains '.' or '..' (fix: give a plain absolute path)`,
      );
    agents.set(ns.agent, { agent: ns.agent, root: ns.root, readOnly: ns.read_only ?? false, rules: [] });
  });
  const seen = new Set<string>();
  raw.policy.forEach((p, i) => {
    if (seen.has(p.agent))
      problems.push(
        `policy[${i}].agent: agent "${p.agent}" has a second [[policy]] entry (fix: merge its allow lists)`,
      );
    seen.add(p.agent);
    // an agent with rules but no [[namespace]] gets its own root under /srv (see docs/decisions/secure9p.md)
    const a = agents.get(p.agent) ?? { agent: p.agent, root: `/srv/${p.agent}`, readOnly: false, rules: [] };
    p.allow.forEach((rule, j) => {
      const [op, ...rest] = rule.split(':');
      const path = rest.join(':');
      if (hasDotSegment(path))
        problems.push(
          `policy[${i}].allow[${j}]: "${rule}" contains '.' or '..' (fix: give a plain absolute path)`,
        );
      a.rules.push({ op: op as 'read' | 'write', path });
    });
    agents.set(p.agent, a);
  });
  const roots = new Map<string, string>();
  for (const a of agents.values()) {
    const other = roots.get(a.root);
    if (other)
      problems.push(
        `namespace: agents "${other}" and "${a.agent}" share the root ${a.root} (fix: give each agent its own root)`,
      );
    roots.set(a.root, a.agent);
  }
  if (problems.length) throw new PolicyError(abs, problems);
  return {
    file: abs,
    port: raw.port ?? DEFAULT_SECURE9P_PORT,
    cert,
    key,
    caCert,
    requireClientAuth: raw.require_client_auth,
    agents,
  };
}

/** Read, parse and validate a secure9p.toml file. Throws PolicyError naming the file and each problem. */
export function loadPolicy(file: string, opts: { checkFiles?: boolean } = {}): Secure9pPolicy {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    throw new PolicyError(abs, [`cannot read the file: ${(e as Error).message} (fix: check the path)`]);
  }
  let doc: unknown;
  try {
    doc = parseToml(text);
  } catch (e) {
    const where = e instanceof TomlError ? `line ${e.line}, column ${e.column}` : 'TOML';
    throw new PolicyError(abs, [
      `${where}: not valid TOML: ${(e as Error).message.split('\n')[0]} (fix: correct the TOML syntax)`,
    ]);
  }
  return validatePolicy(doc, abs, opts);
}

/** Does `path` lie at or below `prefix`? Both absolute and normalised. */
export function under(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(prefix + '/');
}
