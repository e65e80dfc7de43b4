// The data of federation policy resolution: what each peer publishes, what the
// administrator decrees, and what the checker concludes. Plain JSON shapes, so a
// queen's reported resolution can be compared with the checker's by deep equality.

/** One agent's policy entry, the same shape as a `[[policy]]` entry of secure9p.toml. */
export interface PolicyEntry {
  agent: string;
  allow: string[];
}

/** The contents of `/srv/<peer>/policy_override.json` (schemas/policy-override.schema.json). */
export interface PolicyOverride {
  version: 1;
  queen_id: string;
  /** milliseconds since the Unix epoch when the override was issued (u64, like trace `ts`) */
  timestamp: number;
  policies: PolicyEntry[];
}

/** One explicit administrator rule (schemas/federation-admin-rules.schema.json). */
export interface AdminRule extends PolicyEntry {
  /** queens the rule applies to; absent means every queen of the federation */
  queens?: string[];
}

export interface AdminRules {
  version: 1;
  rules: AdminRule[];
}

/** What the federation publishes about one queen, as read from its namespace. */
export interface PeerRecord {
  queen_id: string;
  /** the text of the peer's `/srv/queen_id/role`; undefined when the file is absent */
  role?: string;
  /** the parsed `/srv/<peer>/policy_override.json`; undefined when the peer publishes none */
  override?: PolicyOverride;
  /** set when the override file exists but is unreadable, not JSON, or fails its schema */
  overrideError?: string;
}

export type PolicySource = { kind: 'admin' } | { kind: 'override'; queen_id: string; timestamp: number };

export interface ResolvedAgentPolicy {
  allow: string[];
  source: PolicySource;
}

export interface ResolvedPolicy {
  queen_id: string;
  /** the inheritance chain, root ancestor first, this queen last (the order overrides are applied in) */
  chain: string[];
  /** keyed by agent, keys sorted */
  agents: Record<string, ResolvedAgentPolicy>;
}

export type ResolutionIssue =
  | { kind: 'inheritance_cycle'; cycle: string[] }
  | { kind: 'missing_parent'; queen_id: string; parent: string }
  | { kind: 'unresolved'; queen_id: string; reason: string }
  | { kind: 'invalid_role'; queen_id: string; reason: string }
  | { kind: 'invalid_override'; queen_id: string; reason: string }
  | { kind: 'duplicate_queen'; queen_id: string }
  | { kind: 'duplicate_agent'; queen_id: string; agent: string }
  | { kind: 'admin_conflict'; queen_id: string; agent: string };

export interface FederationResolution {
  /** every resolvable queen, keys sorted */
  queens: Record<string, ResolvedPolicy>;
  /** problems found, sorted (so two resolutions compare by deep equality) */
  issues: ResolutionIssue[];
}
