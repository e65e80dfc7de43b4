// Validation of trace log lines against schemas/trace-event.schema.json,
// with errors as "path: expected ..., found ..." strings.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';

const SCHEMA = join(dirname(fileURLToPath(import.meta.url)), '../../schemas/trace-event.schema.json');
type Validator = ((d: unknown) => boolean) & { errors?: ErrorObject[] | null };
let compiled: Validator | undefined;

export function traceEventErrors(line: unknown): string[] {
  if (!compiled) {
    const Ajv2020 = (Ajv2020Module as unknown as { default?: typeof Ajv2020Module }).default ?? Ajv2020Module;
    const ajv = new (Ajv2020 as unknown as new (o: object) => { compile(s: object): Validator })({
      allErrors: true,
      strict: false,
    });
    compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
  }
  if (compiled(line)) return [];
  return (compiled.errors ?? []).map(
    (e) => `${e.instancePath || '(line)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
  );
}
