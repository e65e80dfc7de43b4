// Validation of trace log lines against schemas/trace-event.schema.json through
// the project's one schema registry; errors read "path: expected X, found Y".
import { validate, formatIssues } from '../schemas/registry.ts';

export function traceEventErrors(line: unknown): string[] {
  const issues = validate('trace-event', line);
  return issues.length ? formatIssues(issues, 'trace line').split('\n') : [];
}
