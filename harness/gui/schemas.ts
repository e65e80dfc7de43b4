// Validation of GUI responses against schemas/gui-*.schema.json through the project's
// schema registry; problems read as "path: expected …, found …".
import { validate } from '../schemas/registry.ts';

export interface SchemaVerdict {
  ok: boolean;
  /** one line a problem: "path: expected X, found Y" */
  problems: string[];
}

/** Validate against schemas/<name>.schema.json (name like "gui-status"). */
export function validateGuiSchema(name: string, data: unknown): SchemaVerdict {
  const issues = validate(name, data);
  return {
    ok: issues.length === 0,
    problems: issues.map((i) => `${i.path}: expected ${i.expected}, found ${i.actual}`),
  };
}
