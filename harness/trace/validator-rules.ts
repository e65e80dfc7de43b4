// Validator rule files and the validator's rule log, read from a target's
// namespace. Every rule is checked against schemas/validator-rule.schema.json
// (problems as path / expected / actual); /log/validation_rules.log (one JSON
// object a line naming a `file` and an `error`) is compared with that check.
import { posix } from 'node:path';
import { validate, type SchemaIssue } from '../schemas/registry.ts';
import type { NamespaceReader } from './source.ts';

export const DEFAULT_RULES_DIR = '/etc/validator/rules';
export const DEFAULT_RULES_LOG = '/log/validation_rules.log';
export const DEFAULT_VALIDATOR_LOG_DIR = '/log/validator';

/** Rule files larger than this are refused unread (a rule set is small). */
const MAX_RULE_FILE = 4 * 1024 * 1024;

export interface RuleProblem extends SchemaIssue {
  file: string;
}

export interface RuleFilesCheck {
  files: string[];
  rules: number;
  problems: RuleProblem[];
}

async function readText(ns: NamespaceReader, path: string, limit = MAX_RULE_FILE): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ns.readStream(path)) {
    size += c.length;
    if (size > limit) throw new Error(`${path}: larger than ${limit} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The schema issues of one rule, plus the window order the schema cannot express. */
export function ruleIssues(rule: unknown): SchemaIssue[] {
  const issues = validate('validator-rule', rule);
  if (issues.length > 0) return issues;
  const w = (rule as { activation_window: { start: number; end?: number } }).activation_window;
  if (w.end !== undefined && w.end < w.start)
    return [
      {
        path: 'activation_window.end',
        expected: `at least start (${w.start})`,
        actual: `integer ${w.end}`,
      },
    ];
  return [];
}

/** Check every *.json rule file under `dir` (recursively): each holds a rule or an array of rules. */
export async function checkRuleFiles(ns: NamespaceReader, dir: string): Promise<RuleFilesCheck> {
  const out: RuleFilesCheck = { files: [], rules: 0, problems: [] };
  const walk = async (d: string): Promise<void> => {
    for (const e of await ns.readDir(d)) {
      const full = posix.join(d, e.name);
      if (e.isDir) await walk(full);
      else if (e.name.endsWith('.json')) out.files.push(full);
    }
  };
  await walk(dir);
  out.files.sort();
  for (const file of out.files) {
    let value: unknown;
    try {
      value = JSON.parse(await readText(ns, file));
    } catch (e) {
      out.problems.push({ file, path: '(root)', expected: 'a JSON rule file', actual: (e as Error).message });
      continue;
    }
    const rules = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && value.length === 0)
      out.problems.push({ file, path: '(root)', expected: 'at least one rule', actual: 'array of 0' });
    rules.forEach((rule, i) => {
      out.rules++;
      for (const issue of ruleIssues(rule)) {
        const path = Array.isArray(value)
          ? `[${i}]${issue.path === '(root)' ? '' : `.${issue.path}`}`
          : issue.path;
        out.problems.push({ file, ...issue, path });
      }
    });
  }
  return out;
}

export interface RulesLog {
  exists: boolean;
  /** files the log names as bad, with their errors */
  errors: Array<{ line: number; file: string; error: string }>;
  /** lines that are not a JSON object with a string `file` */
  unreadable: Array<{ line: number; text: string }>;
}

export async function readRulesLog(ns: NamespaceReader, path: string): Promise<RulesLog> {
  const st = await ns.stat(path);
  if (!st || st.isDir) return { exists: false, errors: [], unreadable: [] };
  const log: RulesLog = { exists: true, errors: [], unreadable: [] };
  (await readText(ns, path, 64 * 1024 * 1024)).split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    try {
      const v = JSON.parse(text) as { file?: unknown; error?: unknown };
      if (v && typeof v === 'object' && typeof v.file === 'string') {
        log.errors.push({ line: i + 1, file: v.file, error: String(v.error ?? '') });
        return;
      }
    } catch {
      // falls through: not a log entry
    }
    log.unreadable.push({ line: i + 1, text: text.slice(0, 200) });
  });
  return log;
}

/**
 * Where the validator's log and the schema check disagree: a file the log calls bad
 * that the schema accepts (the validator refused a good rule), or a bad file the log
 * does not name (the validator let it through).
 */
export function rulesLogDisagreements(check: RuleFilesCheck, log: RulesLog): string[] {
  const bad = new Set(check.problems.map((p) => p.file));
  const files = new Set(check.files);
  const logged = new Set(log.errors.map((e) => e.file));
  const out: string[] = [];
  for (const e of log.errors)
    if (!files.has(e.file))
      out.push(`the log names ${e.file} (line ${e.line}: ${e.error}), which is not one of the rule files`);
    else if (!bad.has(e.file))
      out.push(`the log calls ${e.file} bad (line ${e.line}: ${e.error}) but its rules are schema-valid`);
  for (const f of bad)
    if (!logged.has(f)) out.push(`${f} breaks the rule schema but the validator's log does not name it`);
  return out;
}
