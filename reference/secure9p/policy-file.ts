// How the reference Secure9P server reads its secure9p.toml (contract: "9P and
// Secure9P"), written apart from the harness's policy validator (#16): the
// harness judges policy files with its own schema and checks, the server refuses
// a file it cannot run with. A server reading a config checks it once, at start,
// and stops with every problem named; relative paths are relative to the file.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';

export type Op = 'read' | 'write';

export interface Grant {
  op: Op;
  /** absolute namespace path without a trailing slash ("/" for the root) */
  path: string;
}

export interface AgentEntry {
  agent: string;
  /** the agent's namespace root in the server's tree */
  root: string;
  readOnly: boolean;
  rules: Grant[];
}

export interface ServerPolicy {
  /** the TLS listener: its port and what it presents and asks of clients (absolute file paths) */
  listener: { port: number; cert: string; key: string; ca?: string; clientCertRequired: boolean };
  agents: Map<string, AgentEntry>;
}

export class PolicyFileError extends Error {
  override name = 'PolicyFileError';
}

const CONTRACT_PORT = 5645;
const AGENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const TOP_LEVEL = ['port', 'cert', 'key', 'ca_cert', 'require_client_auth', 'namespace', 'policy'];

/** "/" or "/a/b": absolute, no empty, '.', '..' or blank segments. */
function isNamespacePath(p: unknown): p is string {
  if (p === '/') return true;
  if (typeof p !== 'string' || p[0] !== '/') return false;
  for (const seg of p.slice(1).split('/'))
    if (seg === '' || seg === '.' || seg === '..' || /\s/.test(seg)) return false;
  return true;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read secure9p.toml; throws PolicyFileError listing every problem, or returns what the server runs with. */
export function readServerPolicy(file: string, opts: { checkFiles?: boolean } = {}): ServerPolicy {
  const where = resolve(file);
  const problems: string[] = [];
  const refuse = (): never => {
    throw new PolicyFileError(`${where}: the Secure9P server cannot use this policy: ${problems.join('; ')}`);
  };
  let doc: unknown;
  try {
    doc = parseToml(readFileSync(where, 'utf8'));
  } catch (e) {
    problems.push(`not readable as TOML (${(e as Error).message.split('\n')[0]})`);
    return refuse();
  }
  if (!isTable(doc)) {
    problems.push('the file is not a TOML table');
    return refuse();
  }
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.includes(k)) problems.push(`unknown key ${k}`);

  const port = doc.port ?? CONTRACT_PORT;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
    problems.push(`port ${String(port)} is not a TCP port`);
  const fileOf = (key: string, needed: boolean): string | undefined => {
    const v = doc[key];
    if (v === undefined) {
      if (needed) problems.push(`${key} is missing`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      problems.push(`${key} must name a file`);
      return undefined;
    }
    const p = resolve(dirname(where), v);
    if (opts.checkFiles !== false && !existsSync(p)) problems.push(`${key} ${p} does not exist`);
    return p;
  };
  const requireClientAuth = doc.require_client_auth;
  if (typeof requireClientAuth !== 'boolean') problems.push('require_client_auth must be true or false');
  const cert = fileOf('cert', true);
  const key = fileOf('key', true);
  const caCert = fileOf('ca_cert', requireClientAuth === true);

  const agents = new Map<string, AgentEntry>();
  const entries = (name: string, fields: string[]): Table[] => {
    const list = doc[name] ?? [];
    if (!Array.isArray(list)) {
      problems.push(`${name} must be a list of [[${name}]] tables`);
      return [];
    }
    return list.filter((t: unknown, i): t is Table => {
      const ok =
        isTable(t) && Object.keys(t).every((k) => fields.includes(k)) && AGENT_NAME.test(String(t.agent));
      if (!ok) problems.push(`[[${name}]] #${i + 1} needs a snake_case agent and only ${fields.join(', ')}`);
      return ok;
    });
  };
  for (const ns of entries('namespace', ['agent', 'root', 'read_only'])) {
    const agent = String(ns.agent);
    if (agents.has(agent)) problems.push(`agent ${agent} has two [[namespace]] entries`);
    if (!isNamespacePath(ns.root)) problems.push(`the root of ${agent} is not a plain absolute path`);
    if (ns.read_only !== undefined && typeof ns.read_only !== 'boolean')
      problems.push(`read_only of ${agent} must be true or false`);
    agents.set(agent, { agent, root: String(ns.root), readOnly: ns.read_only === true, rules: [] });
  }
  const policies = entries('policy', ['agent', 'allow']);
  if (policies.length === 0) problems.push('no usable [[policy]] entry');
  const withRules = new Set<string>();
  for (const p of policies) {
    const agent = String(p.agent);
    if (withRules.has(agent)) problems.push(`agent ${agent} has two [[policy]] entries`);
    withRules.add(agent);
    // without a [[namespace]], an agent's root is its own folder under /srv
    const entry = agents.get(agent) ?? { agent, root: `/srv/${agent}`, readOnly: false, rules: [] };
    agents.set(agent, entry);
    for (const rule of Array.isArray(p.allow) ? (p.allow as unknown[]) : [p.allow]) {
      const text = String(rule);
      const colon = text.indexOf(':');
      const op = text.slice(0, colon);
      const path = text.slice(colon + 1);
      if (colon < 0 || (op !== 'read' && op !== 'write') || !isNamespacePath(path))
        problems.push(`rule ${JSON.stringify(text)} of ${agent} is not read:/path or write:/path`);
      else entry.rules.push({ op, path });
    }
  }
  const owners = new Map<string, string>();
  for (const a of agents.values()) {
    const first = owners.get(a.root);
    if (first) problems.push(`agents ${first} and ${a.agent} share the root ${a.root}`);
    else owners.set(a.root, a.agent);
  }
  if (problems.length > 0 || cert === undefined || key === undefined) return refuse();
  return {
    listener: {
      port: port as number,
      cert,
      key,
      ca: caCert,
      clientCertRequired: requireClientAuth as boolean,
    },
    agents,
  };
}
