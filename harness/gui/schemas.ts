// Validation of GUI responses against schemas/gui-*.schema.json through the project's
// schema registry; problems read as "path: expected …, found …".
// Each document has a contract schema (gui-<doc>) and, where the reference made choices
// the contract leaves open, a reference schema (gui-<doc>-reference): the contract
// decides pass or fail on every target, the reference's choices only on the reference
// (elsewhere they are notes). docs/decisions/gui-strictness.md lists the decisions.
import { resolveSchemaId, schemaIds, validate } from '../schemas/registry.ts';

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

export interface GuiJudgement {
  /** where the document breaks the contract */
  contract: string[];
  /** where it follows the contract but not the reference's own choices */
  reference: string[];
}

/** Judge a document by its contract schema and, when there is one, its reference schema. */
export function judgeGuiDocument(name: string, data: unknown): GuiJudgement {
  const contract = validateGuiSchema(name, data).problems;
  const refName = `${name}-reference`;
  const reference = schemaIds().includes(resolveSchemaId(refName))
    ? validateGuiSchema(refName, data).problems.filter((p) => !contract.includes(p))
    : [];
  return { contract, reference };
}
