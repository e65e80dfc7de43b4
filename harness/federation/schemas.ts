// Validation of the federation's data files through the project's one schema registry.
// Failures read as "<path>: expected <x>, found <y>" so an error names the field.
import { validate } from '../schemas/registry.ts';

export type FederationSchema = 'policy-override' | 'federation-admin-rules' | 'federation-resolution';

/** Validate; returns undefined when valid, else a readable list of failures. */
export function validateAgainst(schema: FederationSchema, data: unknown): string | undefined {
  const issues = validate(schema, data);
  if (issues.length === 0) return undefined;
  return issues.map((i) => `${i.path}: expected ${i.expected}, found ${i.actual}`).join('; ');
}
