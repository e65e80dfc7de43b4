// The federation schemas, loaded once into one Ajv 2020-12 instance. Failures read
// as "<path>: <message>" so an error names the field and what was expected.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
const BASE = 'https://cohesix.dev/qa/schemas/';
const NAMES = ['policy-override', 'federation-admin-rules', 'federation-resolution'] as const;
export type FederationSchema = (typeof NAMES)[number];

let ajv: Ajv2020 | undefined;

function instance(): Ajv2020 {
  if (ajv) return ajv;
  const a = new Ajv2020({ allErrors: true, strict: true });
  (addFormats as unknown as (a: Ajv2020) => void)(a);
  for (const n of NAMES)
    a.addSchema(JSON.parse(readFileSync(`${SCHEMA_DIR}${n}.schema.json`, 'utf8')) as object);
  ajv = a;
  return a;
}

export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map(
      (e) =>
        `${e.instancePath || '/'}: ${e.message ?? e.keyword}${e.params && 'allowedValue' in e.params ? ` (${String(e.params.allowedValue)})` : ''}`,
    )
    .join('; ');
}

/** Validate; returns undefined when valid, else a readable list of failures. */
export function validateAgainst(schema: FederationSchema, data: unknown): string | undefined {
  const v = instance().getSchema(`${BASE}${schema}.schema.json`) as ValidateFunction | undefined;
  if (!v) throw new Error(`schema ${schema} is not loaded`);
  return v(data) ? undefined : formatErrors(v.errors);
}
