// Validation of GUI responses against schemas/gui-*.schema.json, with failures
// read as path, expected, actual.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
const ID_PREFIX = 'https://cohesix.dev/qa/schemas/';

let ajv: Ajv | undefined;

function instance(): Ajv {
  if (ajv) return ajv;
  ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  for (const f of readdirSync(SCHEMA_DIR).filter((n) => n.startsWith('gui-') && n.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')));
  }
  return ajv;
}

export interface SchemaVerdict {
  ok: boolean;
  /** "path: message (actual: …)" lines */
  problems: string[];
}

function describe(e: ErrorObject, data: unknown): string {
  let actual: unknown = data;
  for (const part of e.instancePath.split('/').slice(1))
    actual = (actual as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  const shown = JSON.stringify(actual);
  return `${e.instancePath || '(root)'}: ${e.message ?? e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''} (actual: ${shown === undefined ? 'absent' : shown.slice(0, 120)})`;
}

/** Validate against schemas/<name>.schema.json (name like "gui-status"). */
export function validateGuiSchema(name: string, data: unknown): SchemaVerdict {
  const validate: ValidateFunction | undefined = instance().getSchema(`${ID_PREFIX}${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name} in ${SCHEMA_DIR}`);
  const ok = validate(data) as boolean;
  return { ok, problems: ok ? [] : (validate.errors ?? []).map((e) => describe(e, data)) };
}
