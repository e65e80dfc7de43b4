// The quarantine file: known-bad cases whose failures are reported but do not fail
// the run, each with a reason, an owner and an expiry day. Loaded once per run and
// copied into the run-start event, so a merge of shards judges it the same way.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { validate, formatIssues } from '../schemas/registry.ts';
import type { QuarantineEntry } from '../results/events.ts';

export const DEFAULT_QUARANTINE_FILE = 'cohesix-qa.quarantine.json';
export const DEFAULT_RELEASE_AFTER = 5;

export interface Quarantine {
  file?: string;
  entries: QuarantineEntry[];
  releaseAfter: number;
}

/**
 * Read the quarantine file. A configured path that does not exist is a usage error;
 * the default file is optional (most repositories have nothing quarantined).
 */
export function loadQuarantine(path: string | undefined, baseDir: string): Quarantine {
  const file = resolve(baseDir, path ?? DEFAULT_QUARANTINE_FILE);
  if (!existsSync(file)) {
    if (path !== undefined)
      throw new UsageError(
        `${file}: quarantine file not found\n  fix: create it (schema schemas/quarantine.schema.json) or fix nightly.quarantineFile in the config`,
      );
    return { entries: [], releaseAfter: DEFAULT_RELEASE_AFTER };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message})\n  fix: correct the file`);
  }
  const issues = validate('quarantine', doc);
  if (issues.length)
    throw new UsageError(
      `${formatIssues(issues, file)}\n  fix: each entry needs pattern, reason, owner and expires (YYYY-MM-DD)`,
    );
  const q = doc as { entries: QuarantineEntry[]; releaseAfter?: number };
  return { file, entries: q.entries, releaseAfter: q.releaseAfter ?? DEFAULT_RELEASE_AFTER };
}

/** Glob-like: `*` matches any run of characters, everything else is literal; the whole id must match. */
export function patternMatches(pattern: string, caseId: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[\\s\\S]*') +
      '$',
  );
  return re.test(caseId);
}

/** An entry has expired when the run started after the end of its expiry day (UTC). */
export function isExpired(entry: QuarantineEntry, runStartedAt: string): boolean {
  return runStartedAt.slice(0, 10) > entry.expires;
}

export function quarantineFor(
  caseId: string,
  entries: readonly QuarantineEntry[],
): QuarantineEntry | undefined {
  return entries.find((e) => patternMatches(e.pattern, caseId));
}
