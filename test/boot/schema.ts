// Loads one schema from schemas/ with Ajv for project tests (the harness's own
// registry may replace this once it is on main).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export async function loadSchemaValidator(name: string): Promise<(data: unknown) => boolean> {
  const schema = JSON.parse(
    readFileSync(resolve(import.meta.dirname, `../../schemas/${name}.schema.json`), 'utf8'),
  );
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  const v = ajv.compile(schema);
  return (data) => v(data) as boolean;
}
