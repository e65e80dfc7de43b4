// The reference validator: its rule files under /etc/validator/rules/ (one JSON
// file per rule set: a rule object or an array of them), its activity log under
// /log/validator/, and rule-file errors in /log/validation_rules.log (one JSON
// object a line: ts, file, error). Its rule check is written here on its own, not
// with the harness's schema, so the suite compares two independent judgements.
// Defect `validator-rule-no-window`: one shipped rule has no activation_window and
// the validator does not look for one (the rule is loaded, nothing is logged).
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RULES_DIR = '/etc/validator/rules';
export const RULES_LOG = '/log/validation_rules.log';
export const VALIDATOR_LOG_DIR = '/log/validator';

type Rule = Record<string, unknown>;

/** The rule files the reference ships, by file name. */
function ruleFiles(t0: number, defect?: string): Record<string, Rule | Rule[]> {
  const quorum: Rule = {
    id: 'consensus-quorum',
    version: '1.2',
    activation_window: { start: t0 - 86_400_000 },
    source: 'docs/community/architecture/TRACE_CONSENSUS.md',
    check: { event: 'replay', require: 'quorum >= 2/3' },
  };
  if (defect === 'validator-rule-no-window') delete quorum.activation_window;
  return {
    'trace-path.json': {
      id: 'trace-under-log-trace',
      version: '1.0.0',
      activation_window: { start: t0 - 30 * 86_400_000 },
      source: 'cohesix-contract.md#trace',
      check: { artifact_prefix: '/log/trace/' },
    },
    'capabilities.json': [
      {
        id: 'cap-grant-before-write',
        version: '2',
        activation_window: { start: t0 - 7 * 86_400_000, end: t0 + 365 * 86_400_000 },
        source: '/etc/validator/sources/capabilities.md',
        check: { before: 'write', require_event: 'cap_grant' },
      },
      {
        id: 'no-write-to-queen-ctl',
        version: '1.1',
        activation_window: { start: t0 - 7 * 86_400_000 },
        source: '/etc/validator/sources/capabilities.md',
        check: { event: 'write', detail_prefix: '/srv/queen/ctl', expect_ok: false },
      },
    ],
    'consensus.json': quorum,
  };
}

/** The reference validator's own judgement of one rule (undefined = fine). */
function ruleError(rule: unknown, checkWindow: boolean): string | undefined {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return 'a rule must be a JSON object';
  const r = rule as Rule;
  if (typeof r.version !== 'string' || !/^\d+(\.\d+){0,2}$/.test(r.version))
    return 'version must be a dotted number string';
  if (typeof r.source !== 'string' || r.source === '') return 'source must name where the rule came from';
  if (!checkWindow) return undefined;
  const w = r.activation_window as { start?: unknown; end?: unknown } | undefined;
  if (!w || typeof w !== 'object') return 'activation_window is missing';
  if (!Number.isSafeInteger(w.start) || (w.start as number) < 0)
    return 'activation_window.start must be a timestamp';
  if (w.end !== undefined && (!Number.isSafeInteger(w.end) || (w.end as number) < (w.start as number)))
    return 'activation_window.end must be a timestamp not before start';
  return undefined;
}

/** Write the rule files, load them as the validator does, and log what it found. */
export function installValidator(nsRoot: string, opts: { defect?: string; t0?: number } = {}): void {
  const local = (nsPath: string) => join(nsRoot, ...nsPath.split('/').filter(Boolean));
  const t0 = opts.t0 ?? Date.now();
  const checkWindow = opts.defect !== 'validator-rule-no-window';
  mkdirSync(local(RULES_DIR), { recursive: true });
  mkdirSync(local(VALIDATOR_LOG_DIR), { recursive: true });
  const rulesLog = local(RULES_LOG);
  const activity = local(`${VALIDATOR_LOG_DIR}/validator.log`);
  writeFileSync(rulesLog, '');
  writeFileSync(activity, '');
  for (const [name, content] of Object.entries(ruleFiles(t0, opts.defect))) {
    const file = `${RULES_DIR}/${name}`;
    writeFileSync(local(file), JSON.stringify(content, null, 2) + '\n');
    const rules = Array.isArray(content) ? content : [content];
    let loaded = 0;
    rules.forEach((rule, i) => {
      const error = ruleError(rule, checkWindow);
      const where = Array.isArray(content) ? `${file}[${i}]` : file;
      if (error) appendFileSync(rulesLog, JSON.stringify({ ts: t0, file, rule: i, error }) + '\n');
      else loaded++;
      appendFileSync(
        activity,
        JSON.stringify({ ts: t0, event: error ? 'rule_rejected' : 'rule_loaded', rule: where }) + '\n',
      );
    });
    appendFileSync(activity, JSON.stringify({ ts: t0, event: 'rule_file', file, loaded }) + '\n');
  }
}
