// Loads and validates secure9p.toml: TOML parsed with smol-toml, the result
// checked against schemas/secure9p-policy.schema.json, then the checks a schema
// cannot express (duplicate agents, '.' or '..' in paths, files that must
// exist). Relative file paths are resolved against the policy file. Every
// problem is reported as "<file>: <where>: <what> (fix: ...)".
import { readFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml, TomlError } from 'smol-toml';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';

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

const SCHEMA_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../schemas/secure9p-policy.schema.json',
);

type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
let validator: Validator | undefined;

function schemaValidator(): Validator {
  if (!validator) {
    const Ajv2020 = (Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module;
    const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: object): Validator })({
      allErrors: true,
      strict: false,
    });
    validator = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
  }
  return validator;
}

const FIXES: Record<string, string> = {
  required: 'add the missing key',
  additionalProperties: 'remove the unknown key (check its spelling)',
  type: 'use the expected TOML type',
  minimum: 'use a port between 0 and 65535',
  maximum: 'use a port between 0 and 65535',
  minItems: 'add at least one [[policy]] entry',
  minLength: 'give a non-empty value',
};

function patternFix(path: string): string {
  if (path.includes('/allow/'))
    return 'write a rule as "read:/path" or "write:/path", an absolute path without a trailing slash';
  if (path.endsWith('/agent')) return 'use the snake_case agent name, e.g. drone_worker';
  return 'use an absolute namespace path without a trailing slash, e.g. /srv/drone';
}

function describe(e: ErrorObject, doc: unknown): string | undefined {
  if (e.keyword === 'if') return undefined; // the "then" branch's own error says what is missing
  const where = e.instancePath || '(top level)';
  if (e.keyword === 'required') {
    const key = (e.params as { missingProperty: string }).missingProperty;
    const why = key === 'ca_cert' ? ' (needed when require_client_auth = true)' : '';
    return `${where}: missing required key "${key}"${why} (fix: add ${key})`;
  }
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    return `${where}: unknown key "${key}" (fix: remove it or correct its spelling)`;
  }
  let found = '';
  if (e.instancePath) {
    let v: unknown = doc;
    for (const part of e.instancePath.split('/').slice(1))
      v = (v as Record<string, unknown> | undefined)?.[decodeURIComponent(part)];
    found = ` (found ${JSON.stringify(v)})`;
  }
  const fix =
    e.keyword === 'pattern'
      ? patternFix(e.instancePath)
      : (FIXES[e.keyword] ?? 'see schemas/secure9p-policy.schema.json');
  return `${where}: ${e.message ?? e.keyword}${found} (fix: ${fix})`;
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
  const validate = schemaValidator();
  if (!validate(doc))
    throw new PolicyError(
      abs,
      (validate.errors ?? []).map((e) => describe(e, doc)).filter((x): x is string => x !== undefined),
    );
  const raw = doc as RawPolicy;
  const problems: string[] = [];
  const base = dirname(abs);
  const filePath = (key: 'cert' | 'key' | 'ca_cert', v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const p = isAbsolute(v) ? v : resolve(base, v);
    if (opts.checkFiles !== false && !existsSync(p))
      problems.push(
        `/${key}: file ${JSON.stringify(v)} does not exist (resolved to ${p}) (fix: paths are relative to the policy file)`,
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
        `/namespace/${i}/agent: agent "${ns.agent}" has a second [[namespace]] entry (fix: keep one)`,
      );
    if (hasDotSegment(ns.root))
      problems.push(
        `/namespace/${i}/root: "${ns.root}" contains '.' or '..' (fix: give a plain absolute path)`,
      );
    agents.set(ns.agent, { agent: ns.agent, root: ns.root, readOnly: ns.read_only ?? false, rules: [] });
  });
  const seen = new Set<string>();
  raw.policy.forEach((p, i) => {
    if (seen.has(p.agent))
      problems.push(
        `/policy/${i}/agent: agent "${p.agent}" has a second [[policy]] entry (fix: merge its allow lists)`,
      );
    seen.add(p.agent);
    // an agent with rules but no [[namespace]] gets its own root under /srv (see docs/decisions/secure9p.md)
    const a = agents.get(p.agent) ?? { agent: p.agent, root: `/srv/${p.agent}`, readOnly: false, rules: [] };
    p.allow.forEach((rule, j) => {
      const [op, ...rest] = rule.split(':');
      const path = rest.join(':');
      if (hasDotSegment(path))
        problems.push(
          `/policy/${i}/allow/${j}: "${rule}" contains '.' or '..' (fix: give a plain absolute path)`,
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
        `/namespace: agents "${other}" and "${a.agent}" share the root ${a.root} (fix: give each agent its own root)`,
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
