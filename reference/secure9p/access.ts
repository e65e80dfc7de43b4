// Who may read and write what, per the contract and docs/decisions/secure9p.md:
// - writes to system files (/log, /etc) are always refused;
// - a write under one of the agent's `write:` rules is allowed;
// - otherwise a read-only namespace refuses it, so does a path covered only by a `read:` rule,
//   and so do /proc, /mnt, /srv, /history
//   (they need a grant); other writes (e.g. /tmp) are allowed;
// - over Secure9P, reads under the guarded trees need a `read:` or `write:` rule;
//   over plain 9P reads are allowed everywhere (contract: base 9P).
import { PROTECTED_DIRS, under, type CapabilityRule } from '../../harness/secure9p/policy.ts';

export type Op = 'read' | 'write';

export const READ_GUARDED = [...PROTECTED_DIRS, '/sim', '/input'] as const;
/** the agent's own identity files stay readable without a grant */
export const READ_FREE = ['/srv/agent_meta', '/srv/cohrole'] as const;

export interface AccessSubject {
  agent: string;
  readOnly: boolean;
  rules: readonly CapabilityRule[];
  /** 'secure9p' restricts reads; 'plain' is base 9P */
  transport: 'secure9p' | 'plain';
}

export type Decision = { ok: true } | { ok: false; reason: string };

export interface AccessOptions {
  /** the secure9p-policy-ignored defect: write rules are not enforced */
  ignoreWriteRules?: boolean;
}

const granted = (s: AccessSubject, ops: readonly Op[], path: string) =>
  s.rules.some((r) => ops.includes(r.op) && under(path, r.path));

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
    const readRule = s.rules.find((r) => r.op === 'read' && under(path, r.path));
    if (readRule)
      return { ok: false, reason: `${s.agent} may only read ${readRule.path} (rule read:${readRule.path})` };
    const guarded = PROTECTED_DIRS.find((d) => under(path, d));
    if (guarded)
      return {
        ok: false,
        reason: `writes under ${guarded} need a capability grant; ${s.agent} has no write rule for ${path}`,
      };
    return { ok: true };
  }
  if (s.transport === 'plain' || opts.isDir) return { ok: true };
  if (READ_FREE.some((d) => under(path, d))) return { ok: true };
  const guarded = READ_GUARDED.find((d) => under(path, d));
  if (!guarded || granted(s, ['read', 'write'], path)) return { ok: true };
  return {
    ok: false,
    reason: `reads under ${guarded} need a capability grant; ${s.agent} has no read rule for ${path}`,
  };
}
