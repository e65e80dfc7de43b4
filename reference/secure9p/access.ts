// Who may read and write what, per the contract and docs/decisions/secure9p.md:
// - writes to system files (/log, /etc) are always refused;
// - a write under one of the agent's `write:` rules is allowed;
// - otherwise a read-only namespace refuses it, so does a path covered only by a `read:` rule,
//   and so do /proc, /mnt, /srv, /history
//   (they need a grant); other writes (e.g. /tmp) are allowed;
// - over Secure9P, reads under the guarded trees need a `read:` or `write:` rule;
//   over plain 9P reads are allowed everywhere (contract: base 9P).
import type { Grant, Op } from './policy-file.ts';

export type { Op } from './policy-file.ts';

/** contract (base 9P): writes here need a capability grant */
const WRITE_GUARDED = ['/proc', '/mnt', '/srv', '/history'] as const;
export const READ_GUARDED = [...WRITE_GUARDED, '/sim', '/input'] as const;
/** the agent's own identity files stay readable without a grant */
export const READ_FREE = ['/srv/agent_meta', '/srv/cohrole'] as const;

export interface AccessSubject {
  agent: string;
  readOnly: boolean;
  rules: readonly Grant[];
  /** 'secure9p' restricts reads; 'plain' is base 9P */
  transport: 'secure9p' | 'plain';
}

export type Decision = { ok: true } | { ok: false; reason: string };

export interface AccessOptions {
  /** the secure9p-policy-ignored defect: write rules are not enforced */
  ignoreWriteRules?: boolean;
}

/** Is `path` the folder `dir` or inside it? Both absolute, without a trailing slash. */
function within(path: string, dir: string): boolean {
  if (dir === '/') return true;
  if (!path.startsWith(dir)) return false;
  return path.length === dir.length || path.charAt(dir.length) === '/';
}

const granted = (s: AccessSubject, ops: readonly Op[], path: string) =>
  s.rules.some((r) => ops.includes(r.op) && within(path, r.path));

export function decide(
  s: AccessSubject,
  op: Op,
  path: string,
  opts: { system: boolean; isDir: boolean },
  ao: AccessOptions = {},
): Decision {
  if (op === 'write') {
    if (opts.system) return { ok: false, reason: `${path} is a read-only system file` };
    if (granted(s, ['write'], path)) return { ok: true };
    if (ao.ignoreWriteRules)
      return s.readOnly ? { ok: false, reason: `the namespace of ${s.agent} is read-only` } : { ok: true };
    if (s.readOnly)
      return {
        ok: false,
        reason: `the namespace of ${s.agent} is read-only and no write rule covers ${path}`,
      };
    const readRule = s.rules.find((r) => r.op === 'read' && within(path, r.path));
    if (readRule)
      return { ok: false, reason: `${s.agent} may only read ${readRule.path} (rule read:${readRule.path})` };
    const guarded = WRITE_GUARDED.find((d) => within(path, d));
    if (guarded)
      return {
        ok: false,
        reason: `writes under ${guarded} need a capability grant; ${s.agent} has no write rule for ${path}`,
      };
    return { ok: true };
  }
  if (s.transport === 'plain' || opts.isDir) return { ok: true };
  if (READ_FREE.some((d) => within(path, d))) return { ok: true };
  const guarded = READ_GUARDED.find((d) => within(path, d));
  if (!guarded || granted(s, ['read', 'write'], path)) return { ok: true };
  return {
    ok: false,
    reason: `reads under ${guarded} need a capability grant; ${s.agent} has no read rule for ${path}`,
  };
}
